"""Who sees what in the portal: record rules by role, sites and head office (issue 14).

Fixtures are built as the superuser; every check acts as the portal user concerned (what
RPC gives with ``with_user``, what the pages give with ``authenticate``)."""

from lxml import etree

from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged


class PortalScopeCommon(B2bRoleUsersMixin):
    """A head office whose subsidiary (the portal customer) has two sites, Lyon and
    Grenoble. Its buyer is limited to Lyon, its viewer to Grenoble; its approver and
    accountant have no sites. Orders are delivered to one site, to both (a line to
    Lyon), or placed by the buyer for Grenoble; another customer has its own order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="b2bscope")
        Partner = cls.env["res.partner"]
        cls.site_lyon, cls.site_grenoble = cls.portal_sites
        address = {"street": "3 rue du Siège", "zip": "69001", "city": "Lyon", "country_id": cls.env.ref("base.fr").id}
        cls.head_office = Partner.create({"name": "Groupe Scope (siège)", "is_company": True, **address})
        cls.portal_customer.write(
            {
                "parent_id": cls.head_office.id,
                "allowed_billed_partner_ids": [Command.set(cls.head_office.ids)],
                "allowed_payer_ids": [Command.set(cls.head_office.ids)],
            }
        )
        head_office_contact = Partner.create(
            {
                "name": "Hugo Siège",
                "parent_id": cls.head_office.id,
                "email": "hugo@siege.example",
                "b2b_portal_role": "approver",
            }
        )
        cls.head_office_user = cls.env["res.users"].create(
            {
                "login": "b2bscope_head_office",
                "password": "b2bscope_head_office",
                "partner_id": head_office_contact.id,
                "group_ids": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
        cls.buyer = cls.portal_users["buyer"]
        cls.viewer = cls.portal_users["viewer"]
        cls.approver = cls.portal_users["approver"]
        cls.accountant = cls.portal_users["accountant"]
        cls.other_buyer = cls.portal_users["other_buyer"]
        cls.buyer.partner_id.b2b_portal_site_ids = cls.site_lyon
        cls.viewer.partner_id.b2b_portal_site_ids = cls.site_grenoble

        cls.product = cls.env["product.product"].create(
            {"name": "Ramette scope", "type": "consu", "list_price": 10.0, "invoice_policy": "order"}
        )
        cls.order_lyon = cls._scope_order(cls.portal_customer, cls.site_lyon)
        cls.order_grenoble = cls._scope_order(cls.portal_customer, cls.site_grenoble)
        cls.order_both = cls._scope_order(cls.portal_customer, cls.site_grenoble, line_site=cls.site_lyon)
        cls.order_by_buyer = cls._scope_order(cls.buyer.partner_id, cls.site_grenoble)
        cls.order_other = cls._scope_order(cls.other_portal_customer, cls.other_portal_customer)
        cls.orders = cls.order_lyon | cls.order_grenoble | cls.order_both | cls.order_by_buyer | cls.order_other
        cls.orders.action_confirm()
        cls.subsidiary_orders = cls.orders - cls.order_other

        # invoices: the subsidiary's own, one billed to the head office, one it pays, another customer's
        cls.invoice_own = cls._scope_invoice(cls.portal_customer)
        cls.invoice_billed_head_office = cls._scope_invoice(cls.head_office)
        cls.invoice_paid_by_head_office = cls._scope_invoice(cls.portal_customer, payer=cls.head_office)
        cls.invoice_other = cls._scope_invoice(cls.other_portal_customer)
        cls.invoices = (
            cls.invoice_own | cls.invoice_billed_head_office | cls.invoice_paid_by_head_office | cls.invoice_other
        )

    @classmethod
    def _scope_order(cls, partner, site, line_site=None):
        lines = [Command.create({"product_id": cls.product.id, "product_uom_qty": 2})]
        if line_site:
            lines.append(
                Command.create(
                    {"product_id": cls.product.id, "product_uom_qty": 3, "partner_shipping_id": line_site.id}
                )
            )
        return cls.env["sale.order"].create(
            {"partner_id": partner.id, "partner_shipping_id": site.id, "order_line": lines}
        )

    @classmethod
    def _scope_invoice(cls, partner, payer=None):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                **({"payer_id": payer.id} if payer else {}),
                "invoice_line_ids": [Command.create({"product_id": cls.product.id, "quantity": 1, "price_unit": 10})],
            }
        )
        invoice.action_post()
        return invoice

    def _visible(self, user, records):
        """What ``user`` finds among ``records`` by RPC (search with its record rules)."""
        return records.with_user(user).search([("id", "in", records.ids)])

    def _deliveries(self, orders):
        return orders.picking_ids


class TestPortalScopeRules(PortalScopeCommon, TransactionCase):
    # --- orders -------------------------------------------------------
    def test_buyer_limited_to_a_site_sees_whole_orders_delivered_there(self):
        visible = self._visible(self.buyer, self.orders)
        # Lyon, the order with a line to Lyon, and the order she placed herself
        self.assertEqual(visible, self.order_lyon | self.order_both | self.order_by_buyer)
        # the whole order: its line to Grenoble too
        lines = self._visible(self.buyer, self.order_both.order_line)
        self.assertEqual(lines, self.order_both.order_line)
        self.assertFalse(self._visible(self.buyer, self.order_grenoble.order_line))
        with self.assertRaises(AccessError):
            self.order_grenoble.with_user(self.buyer).read(["name"])

    def test_archived_site_never_widens_the_scope(self):
        """A buyer limited to a site that is then archived stays limited to it (an empty list
        of sites means all the customer's): the same orders by RPC, after the rules' cache is
        cleared as by a restart, and the archived site is no longer one she orders for."""
        before = self._visible(self.buyer, self.orders)
        self.site_lyon.active = False
        self.env.registry.clear_all_caches()
        self.assertEqual(self._visible(self.buyer, self.orders), before)
        self.assertNotIn(self.order_grenoble, self._visible(self.buyer, self.orders))
        self.assertFalse(self.buyer.partner_id._b2b_portal_sites(), "no active site of her own to order for")
        self.assertEqual(self.approver.partner_id._b2b_portal_sites(), self.site_grenoble, "without a list")

    def test_viewer_limited_to_a_site(self):
        visible = self._visible(self.viewer, self.orders)
        self.assertEqual(visible, self.order_grenoble | self.order_both | self.order_by_buyer)
        with self.assertRaises(AccessError):
            self.order_lyon.with_user(self.viewer).read(["name"])

    def test_approver_sees_every_order_of_the_entity(self):
        # even with sites set: sites limit buyers and viewers only
        self.approver.partner_id.b2b_portal_site_ids = self.site_lyon
        self.assertEqual(self._visible(self.approver, self.orders), self.subsidiary_orders)
        self.assertEqual(self._visible(self.approver, self.orders.order_line), self.subsidiary_orders.order_line)

    def test_accountant_sees_no_orders(self):
        self.assertFalse(self._visible(self.accountant, self.orders))
        self.assertFalse(self._visible(self.accountant, self.orders.order_line))
        with self.assertRaises(AccessError):
            self.order_lyon.with_user(self.accountant).read(["name"])

    def test_buyer_without_sites_sees_what_odoo_shows(self):
        """The default (a buyer, no sites) keeps Odoo's scope: all the entity's orders. The
        change applies at once (rule domains are cached per user)."""
        self.assertNotIn(self.order_grenoble, self._visible(self.buyer, self.orders))
        self.buyer.partner_id.b2b_portal_site_ids = False
        self.assertEqual(self._visible(self.buyer, self.orders), self.subsidiary_orders)

    def test_another_customers_buyer_sees_only_its_own(self):
        self.assertEqual(self._visible(self.other_buyer, self.orders), self.order_other)
        self.assertEqual(self._visible(self.other_buyer, self.invoices), self.invoice_other)
        self.assertEqual(
            self._visible(self.other_buyer, self._deliveries(self.orders)), self._deliveries(self.order_other)
        )
        with self.assertRaises(AccessError):
            self.order_lyon.with_user(self.other_buyer).read(["name"])
        with self.assertRaises(AccessError):
            self.invoice_own.with_user(self.other_buyer).read(["name"])

    def test_head_office_sees_subsidiaries_orders_only_when_set(self):
        # off by default, although Odoo's own rule (child_of) would show them
        self.assertFalse(self.head_office.b2b_portal_subsidiary_orders)
        self.assertFalse(self._visible(self.head_office_user, self.orders))
        self.assertFalse(self._visible(self.head_office_user, self._deliveries(self.orders)))
        self.head_office.with_user(self.users["sales_manager"]).b2b_portal_subsidiary_orders = True
        self.assertEqual(self._visible(self.head_office_user, self.orders), self.subsidiary_orders)
        self.assertEqual(
            self._visible(self.head_office_user, self._deliveries(self.orders)),
            self._deliveries(self.subsidiary_orders),
        )
        # the subsidiary's people do not see the head office's orders for all that
        self.assertEqual(self._visible(self.approver, self.orders), self.subsidiary_orders)

    def test_new_contact_orders_visible_at_once(self):
        """The entity's contacts are read by each query, not kept with the cached rule: the
        orders of a contact added after the approver's first search are visible at once, to
        the entity's approver only; the head office still does not see them."""
        self.assertEqual(self._visible(self.approver, self.orders), self.subsidiary_orders)
        newcomer = self.env["res.partner"].create({"name": "Nina Nouvelle", "parent_id": self.portal_customer.id})
        order = self._scope_order(newcomer, self.site_lyon)
        order.action_confirm()
        orders = self.orders | order
        self.assertEqual(self._visible(self.approver, orders), self.subsidiary_orders | order)
        self.assertEqual(self._visible(self.approver, orders.order_line), (self.subsidiary_orders | order).order_line)
        self.assertEqual(self._visible(self.other_buyer, orders), self.order_other)
        self.assertFalse(self._visible(self.head_office_user, order))
        with self.assertRaises(AccessError):
            order.with_user(self.head_office_user).read(["name"])

    def test_salesperson_drafts_are_out_of_reach_by_rpc(self):
        """RPC gives what the lists give: not the quotation a salesperson is still
        preparing, but a sent quotation, a draft made in the portal or from the customer's
        emailed order, a draft waiting for (or approved by) the customer's approver and a
        held one; their lines too."""
        preparing = self._scope_order(self.portal_customer, self.site_lyon)
        sent = self._scope_order(self.portal_customer, self.site_lyon)
        sent.action_quotation_sent()
        in_portal = self._scope_order(self.portal_customer, self.site_lyon)
        in_portal.b2b_created_in_portal = True
        to_approve = self._scope_order(self.portal_customer, self.site_lyon)
        to_approve.b2b_approval_state = "to_approve"
        approved = self._scope_order(self.portal_customer, self.site_lyon)
        approved.b2b_approval_state = "approved"
        held = self._scope_order(self.portal_customer, self.site_lyon)
        held.b2b_credit_hold = True
        emailed = self._scope_order(self.portal_customer, self.site_lyon)
        emailed.b2b_order_type = "edi"  # the customer's own order, received by email or UBL
        drafts = preparing | sent | in_portal | to_approve | approved | held | emailed
        self.assertEqual(set(drafts.mapped("state")), {"draft", "sent"})
        followed = drafts - preparing
        for user in (self.buyer, self.approver):
            with self.subTest(role=user.partner_id.b2b_portal_role):
                self.assertEqual(self._visible(user, drafts), followed)
                self.assertEqual(self._visible(user, drafts.order_line), followed.order_line)
                self.assertEqual({row["id"] for row in followed.with_user(user).read(["name"])}, set(followed.ids))
                with self.assertRaises(AccessError):
                    preparing.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    preparing.order_line.with_user(user).read(["name"])
        # once sent, the salesperson's quotation shows
        preparing.action_quotation_sent()
        self.assertEqual(self._visible(self.buyer, preparing), preparing)
        # another customer's buyer sees none of them
        self.assertFalse(self._visible(self.other_buyer, drafts))

    # --- deliveries ---------------------------------------------------
    def test_deliveries_follow_the_order_scope_and_the_sites(self):
        pickings = self._deliveries(self.orders)
        to_lyon = pickings.filtered(lambda p: p.partner_id == self.site_lyon)
        to_grenoble = pickings.filtered(lambda p: p.partner_id == self.site_grenoble)
        self.assertEqual(len(self._deliveries(self.order_both)), 2, "one delivery per site")
        # buyer: deliveries to Lyon, and all those of the order she placed
        self.assertEqual(self._visible(self.buyer, pickings), to_lyon | self._deliveries(self.order_by_buyer))
        # viewer: to Grenoble (the buyer's order goes there too)
        self.assertEqual(self._visible(self.viewer, pickings), to_grenoble)
        self.assertEqual(self._visible(self.approver, pickings), self._deliveries(self.subsidiary_orders))
        self.assertFalse(self._visible(self.accountant, pickings))
        with self.assertRaises(AccessError):
            (to_grenoble - self._deliveries(self.order_by_buyer))[:1].with_user(self.buyer).read(["name"])

    # --- invoices -----------------------------------------------------
    def test_invoices_of_the_entity_for_every_role(self):
        """Invoices are billed to the entity, not to a site: every role of the subsidiary
        sees those addressed to it, including the one the head office pays."""
        own = self.invoice_own | self.invoice_paid_by_head_office
        for user in (self.buyer, self.viewer, self.approver, self.accountant):
            with self.subTest(role=user.partner_id.b2b_portal_role):
                self.assertEqual(self._visible(user, self.invoices), own)
                self.assertEqual(self._visible(user, self.invoices.invoice_line_ids), own.invoice_line_ids)

    def test_head_office_sees_invoices_it_is_billed_for_or_pays(self):
        expected = self.invoice_billed_head_office | self.invoice_paid_by_head_office
        self.assertEqual(self._visible(self.head_office_user, self.invoices), expected)
        self.assertEqual(
            self._visible(self.head_office_user, self.invoices.invoice_line_ids), expected.invoice_line_ids
        )
        # the subsidiary's own invoice stays out of reach, whatever the orders setting
        self.head_office.with_user(self.users["sales_manager"]).b2b_portal_subsidiary_orders = True
        with self.assertRaises(AccessError):
            self.invoice_own.with_user(self.head_office_user).read(["name"])

    def test_internal_users_are_not_narrowed(self):
        salesman_all = self.env["res.users"].browse(self.users["sales_manager"].id)
        self.assertEqual(self._visible(salesman_all, self.orders), self.orders)

    # --- back-office settings -----------------------------------------
    def test_only_sales_managers_set_sites_and_head_office_setting(self):
        contact = self.approver.partner_id
        with self.assertRaises(AccessError):
            contact.with_user(self.users["salesman"]).write({"b2b_portal_site_ids": [Command.set(self.site_lyon.ids)]})
        with self.assertRaises(AccessError):
            self.head_office.with_user(self.users["salesman"]).write({"b2b_portal_subsidiary_orders": True})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.users["salesman"]).create(
                {"name": "Nouveau", "parent_id": self.portal_customer.id, "b2b_portal_site_ids": self.site_lyon.ids}
            )
        self.assertFalse(contact.b2b_portal_site_ids)
        self.assertFalse(self.head_office.b2b_portal_subsidiary_orders)

        contact.with_user(self.users["sales_manager"]).write({"b2b_portal_site_ids": [Command.set(self.site_lyon.ids)]})
        self.head_office.with_user(self.users["sales_manager"]).write({"b2b_portal_subsidiary_orders": True})
        self.assertEqual(contact.b2b_portal_site_ids, self.site_lyon)
        self.assertTrue(self.head_office.b2b_portal_subsidiary_orders)

    def test_sites_are_delivery_addresses_of_the_contacts_entity(self):
        contact = self.buyer.partner_id.with_user(self.users["sales_manager"])
        other_site = self.env["res.partner"].create(
            {"name": "Site autre client", "type": "delivery", "parent_id": self.other_portal_customer.id}
        )
        head_office_site = self.env["res.partner"].create(
            {"name": "Site du siège", "type": "delivery", "parent_id": self.head_office.id}
        )
        for site in (other_site, head_office_site, self.portal_customer, self.approver.partner_id):
            with (
                self.subTest(site=site.name),
                self.assertRaisesRegex(ValidationError, "must be delivery addresses"),
                self.env.cr.savepoint(),
            ):
                contact.write({"b2b_portal_site_ids": [Command.link(site.id)]})
        self.assertEqual(self.buyer.partner_id.b2b_portal_site_ids, self.site_lyon)
        self.assertEqual(self.buyer.partner_id._b2b_portal_entity_sites(), self.portal_sites)

    def test_contact_form_shows_sites_next_to_the_role(self):
        views = self.env["res.partner"].with_user(self.users["salesman"]).get_views([(False, "form")])
        form = etree.fromstring(views["views"]["form"]["arch"])
        sites = form.xpath("//field[@name='b2b_portal_site_ids']")
        self.assertEqual(len(sites), 2, "on the contact form and on the customer's contact sub-form")
        for field in sites:
            self.assertEqual(field.getprevious().get("name"), "b2b_portal_role")
            self.assertEqual(field.get("readonly"), "not b2b_can_edit_roles")
        setting = form.xpath("//page[@name='b2b_roles']//field[@name='b2b_portal_subsidiary_orders']")
        self.assertEqual(len(setting), 1)
        self.assertEqual(setting[0].get("readonly"), "not b2b_can_edit_roles")


@tagged("post_install", "-at_install")
class TestPortalScopePages(PortalScopeCommon, HttpCase):
    """The pages give what the rules give: lists, order pages and their PDF, delivery slips."""

    def _get(self, user, url):
        self.authenticate(user.login, user.login)
        return self.url_open(url, allow_redirects=False)

    def _assert_refused(self, response, document):
        self.assertIn(response.status_code, (303, 403, 404), "redirected away or refused")
        self.assertNotIn(document.name, response.text)

    def test_orders_list_by_role(self):
        expected = {
            self.buyer: self.order_lyon | self.order_both | self.order_by_buyer,
            self.approver: self.subsidiary_orders,
            self.accountant: self.env["sale.order"],
            self.other_buyer: self.order_other,
            self.head_office_user: self.env["sale.order"],
        }
        for user, orders in expected.items():
            with self.subTest(login=user.login):
                response = self._get(user, "/my/orders")
                self.assertEqual(response.status_code, 200)
                for order in self.orders:
                    if order in orders:
                        self.assertIn(order.name, response.text)
                    else:
                        self.assertNotIn(order.name, response.text)

    def test_orders_export_by_role(self):
        """The CSV export gives the same orders as the list: never another site's, another
        customer's or (for an accountant) any."""
        expected = {
            self.buyer: self.order_lyon | self.order_both | self.order_by_buyer,
            self.accountant: self.env["sale.order"],
            self.other_buyer: self.order_other,
        }
        for user, orders in expected.items():
            with self.subTest(login=user.login):
                response = self._get(user, "/my/orders/export")
                self.assertEqual(response.status_code, 200)
                for order in self.orders:
                    if order in orders:
                        self.assertIn(order.name, response.text)
                    else:
                        self.assertNotIn(order.name, response.text)

    def test_quotes_list_by_site(self):
        quote_lyon = self._scope_order(self.portal_customer, self.site_lyon)
        quote_grenoble = self._scope_order(self.portal_customer, self.site_grenoble)
        (quote_lyon | quote_grenoble).action_quotation_sent()
        page = self._get(self.buyer, "/my/quotes").text
        self.assertIn(quote_lyon.name, page)
        self.assertNotIn(quote_grenoble.name, page)

    def test_order_page_and_pdf(self):
        response = self._get(self.buyer, f"/my/orders/{self.order_both.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_both.name, response.text)
        for user, order in (
            (self.buyer, self.order_grenoble),
            (self.accountant, self.order_lyon),
            (self.other_buyer, self.order_lyon),
            (self.head_office_user, self.order_lyon),
        ):
            with self.subTest(login=user.login, order=order.name):
                self._assert_refused(self._get(user, f"/my/orders/{order.id}"), order)
                self._assert_refused(self._get(user, f"/my/orders/{order.id}?report_type=pdf"), order)
        # (in test mode, Odoo renders reports as HTML instead of PDF)
        response = self._get(self.approver, f"/my/orders/{self.order_grenoble.id}?report_type=pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_grenoble.name, response.text)

    def test_salesperson_draft_by_access_token(self):
        """A draft a salesperson prepares is refused to the logged-in buyer, yet the link
        with its access token (the "send by email" message) still opens it."""
        draft = self._scope_order(self.portal_customer, self.site_lyon)
        self.assertEqual(draft.state, "draft")
        self.assertNotIn(draft.name, self._get(self.buyer, "/my/quotes").text)
        self._assert_refused(self._get(self.buyer, f"/my/orders/{draft.id}"), draft)
        token = draft._portal_ensure_token()
        for user in (self.buyer, self.other_buyer):
            with self.subTest(login=user.login):
                response = self._get(user, f"/my/orders/{draft.id}?access_token={token}")
                self.assertEqual(response.status_code, 200)
                self.assertIn(draft.name, response.text)
        self._assert_refused(self._get(self.buyer, f"/my/orders/{draft.id}?access_token=wrong"), draft)
        # a visitor (not logged in) with the link too
        self.authenticate(None, None)
        response = self.url_open(f"/my/orders/{draft.id}?access_token={token}", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn(draft.name, response.text)
        self._assert_refused(self.url_open(f"/my/orders/{draft.id}", allow_redirects=False), draft)

    def test_delivery_slip_pdf(self):
        to_lyon = self._deliveries(self.order_both).filtered(lambda p: p.partner_id == self.site_lyon)
        to_grenoble = self._deliveries(self.order_both) - to_lyon
        response = self._get(self.buyer, f"/my/picking/pdf/{to_lyon.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(to_lyon.name, response.text)
        for user, picking in (
            (self.buyer, to_grenoble),
            (self.accountant, to_lyon),
            (self.other_buyer, to_lyon),
            (self.head_office_user, to_lyon),
        ):
            with self.subTest(login=user.login, picking=picking.name):
                self._assert_refused(self._get(user, f"/my/picking/pdf/{picking.id}"), picking)

    def test_invoices_list(self):
        expected = {
            self.accountant: self.invoice_own | self.invoice_paid_by_head_office,
            self.viewer: self.invoice_own | self.invoice_paid_by_head_office,
            self.head_office_user: self.invoice_billed_head_office | self.invoice_paid_by_head_office,
            self.other_buyer: self.invoice_other,
        }
        for user, invoices in expected.items():
            with self.subTest(login=user.login):
                response = self._get(user, "/my/invoices")
                self.assertEqual(response.status_code, 200)
                for invoice in self.invoices:
                    if invoice in invoices:
                        self.assertIn(invoice.name, response.text)
                    else:
                        self.assertNotIn(invoice.name, response.text)
        for user in (self.head_office_user, self.other_buyer):
            with self.subTest(login=user.login):
                self._assert_refused(self._get(user, f"/my/invoices/{self.invoice_own.id}"), self.invoice_own)
                self._assert_refused(
                    self._get(user, f"/my/invoices/{self.invoice_own.id}?report_type=pdf"), self.invoice_own
                )
