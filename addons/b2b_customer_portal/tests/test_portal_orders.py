"""/my/orders and /my/quotes: one portal status per order, drafts a salesperson is still
preparing hidden, filters, groups, columns and their bad values, a query count that does
not grow with the number of orders; the tour of a buyer limited to her site."""

import re

from lxml import html

from odoo import Command
from odoo.addons.b2b_customer_portal.models.sale_order_status import PORTAL_STATUS_SQL, PORTAL_STATUSES
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import SQL

from .common import open_counting_queries

PORTAL_STATUSES_LABELS = dict(PORTAL_STATUSES)


class B2bPortalOrdersCommon(B2bRoleUsersMixin):
    """A customer's confirmed orders to its two sites, by two of its contacts, a quotation a
    salesperson is preparing, one made in the portal, and another customer's order."""

    @classmethod
    def _b2b_orders_fixtures(cls, prefix):
        cls._b2b_create_role_users(prefix=prefix)
        cls.site_lyon, cls.site_grenoble = cls.portal_sites
        cls.buyer = cls.portal_users["buyer"]
        cls.approver = cls.portal_users["approver"]
        cls.other_buyer = cls.portal_users["other_buyer"]
        Category = cls.env["product.category"]
        cls.categ_paper = Category.create({"name": f"Papier {prefix}"})
        cls.categ_ink = Category.create({"name": f"Encre {prefix}"})
        Product = cls.env["product.product"]
        cls.paper = Product.create(
            {
                "name": f"Ramette {prefix}",
                "default_code": f"PAP-{prefix}",
                "type": "consu",
                "list_price": 4.5,
                "categ_id": cls.categ_paper.id,
            }
        )
        cls.ink = Product.create(
            {
                "name": f"Cartouche {prefix}",
                "default_code": f"INK-{prefix}",
                "type": "consu",
                "list_price": 30.0,
                "categ_id": cls.categ_ink.id,
            }
        )
        salesman = cls.users["salesman"]

        def order(contact, lines, confirm=True, **vals):
            new = (
                cls.env["sale.order"]
                .with_user(salesman)
                .create(
                    {
                        "partner_id": contact.id,
                        "user_id": salesman.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": qty, "partner_shipping_id": site.id}
                            )
                            for product, qty, site in lines
                        ],
                        **vals,
                    }
                )
            )
            if confirm:
                new.action_confirm()
            return new

        buyer_contact = cls.buyer.partner_id
        cls.order_lyon = order(
            buyer_contact,
            [(cls.paper, 10, cls.site_lyon)],
            partner_shipping_id=cls.site_lyon.id,
            client_order_ref=f"PO-LYON-{prefix}",
        )
        cls.order_grenoble = order(
            cls.approver.partner_id,
            [(cls.ink, 2, cls.site_grenoble)],
            partner_shipping_id=cls.site_grenoble.id,
            client_order_ref=f"PO-GRE-{prefix}",
        )
        cls.order_both = order(
            buyer_contact,
            [(cls.paper, 4, cls.site_grenoble), (cls.ink, 1, cls.site_lyon)],
            partner_shipping_id=cls.site_grenoble.id,
        )
        cls.draft_of_salesman = order(buyer_contact, [(cls.paper, 1, cls.site_lyon)], confirm=False)
        cls.draft_of_portal = order(buyer_contact, [(cls.paper, 3, cls.site_lyon)], confirm=False)
        cls.draft_of_portal.sudo().b2b_created_in_portal = True
        cls.other_site = cls.env["res.partner"].create(
            {"name": f"Site Autre {prefix}", "type": "delivery", "parent_id": cls.other_portal_customer.id}
        )
        cls.other_order = order(
            cls.other_buyer.partner_id,
            [(cls.paper, 5, cls.other_site)],
            partner_shipping_id=cls.other_site.id,
            client_order_ref=f"PO-OTHER-{prefix}",
        )


@tagged("post_install", "-at_install")
class TestPortalOrderStatus(B2bPortalOrdersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_orders_fixtures("pstatus")

    def _status(self, order):
        # as the salesperson: the buyer no longer reads the drafts a salesperson prepares
        return order.with_user(self.users["salesman"]).b2b_portal_status

    def test_status_follows_the_order_by_precedence(self):
        self.assertEqual(self._status(self.draft_of_salesman), "quotation")
        self.assertEqual(self._status(self.order_lyon), "confirmed")
        picking = self.order_lyon.picking_ids
        stock_user = self.users["stock_user"]
        # the warehouse delivers 4 of 10: partly delivered
        picking.with_user(stock_user).move_ids.quantity = 4
        action = picking.with_user(stock_user).button_validate()
        Form.from_action(self.env(user=stock_user), action).save().process()
        self.assertEqual(self._status(self.order_lyon), "partially_delivered")
        # the rest: delivered, then invoiced by the billing clerk
        backorder = self.order_lyon.picking_ids - picking
        backorder.with_user(stock_user).move_ids.quantity = 6
        backorder.with_user(stock_user).button_validate()
        self.assertEqual(self._status(self.order_lyon), "delivered")
        self.order_lyon.with_user(self.users["accountant"])._create_invoices()
        self.assertEqual(self._status(self.order_lyon), "invoiced")
        self.draft_of_salesman.with_user(self.users["salesman"])._action_cancel()
        self.assertEqual(self._status(self.draft_of_salesman), "cancelled")

    def test_status_of_approval_and_credit(self):
        # the buyer's quotation over the customer's approval limit waits for the approver
        self.portal_customer.b2b_approval_limit = 10.0
        self.draft_of_portal.order_line.with_user(self.users["salesman"]).product_uom_qty = 30
        self.assertEqual(self._status(self.draft_of_portal), "to_approve")
        self.draft_of_portal.with_user(self.approver).action_b2b_reject(reason="Trop cher")
        self.assertEqual(self._status(self.draft_of_portal), "rejected")
        # held for credit (written by the credit check only: here as the superuser fixture)
        self.draft_of_salesman.sudo().write({"b2b_credit_hold": True, "b2b_credit_hold_reason": "limit"})
        self.assertEqual(self._status(self.draft_of_salesman), "held")
        self.draft_of_salesman.sudo().write({"b2b_credit_hold_reason": "prepay"})
        self.assertEqual(self._status(self.draft_of_salesman), "prepayment")

    def _install_status(self, orders):
        """The status the install hook's SQL gives these orders."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT so.id, %s FROM sale_order so WHERE so.id IN %s", PORTAL_STATUS_SQL, tuple(orders.ids))
        )
        return dict(self.env.cr.fetchall())

    def test_quotation_of_a_prepaying_payer_waits_for_prepayment(self):
        """Policy prepay: the quotation shows "Waiting for Prepayment" before any hold, as the
        buyer reads it in the list; prepay_first: only while the payer has no confirmed order."""
        salesman = self.users["salesman"]
        self.portal_customer.b2b_credit_policy = "prepay"
        self.assertEqual(self._status(self.draft_of_portal), "prepayment", "the policy set on open quotations")
        quotation = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": self.buyer.partner_id.id,
                    "order_line": [Command.create({"product_id": self.paper.id, "product_uom_qty": 2})],
                }
            )
        )
        self.assertFalse(quotation.b2b_credit_hold)
        self.assertEqual(self._status(quotation), "prepayment")
        self.assertEqual(self._install_status(quotation)[quotation.id], "prepayment", "the install SQL agrees")
        self.authenticate(self.buyer.login, self.buyer.login)
        page = self.url_open("/my/quotes?status=prepayment").text
        self.assertIn(self.draft_of_portal.name, page)
        self.assertIn(f'data-status="prepayment">{PORTAL_STATUSES_LABELS["prepayment"]}<', page)
        # prepay first: the customer has confirmed orders already, its quotations are quotations
        self.portal_customer.b2b_credit_policy = "prepay_first"
        self.assertEqual(self._status(quotation), "quotation")
        self.assertEqual(self._install_status(quotation)[quotation.id], "quotation")
        # a new customer's first quotation waits for its prepayment, until its first order is confirmed
        newcomer = self.env["res.partner"].create(
            {"name": "Nouveau Client pstatus", "is_company": True, "b2b_credit_policy": "prepay_first"}
        )
        first, second = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                [
                    {
                        "partner_id": newcomer.id,
                        "order_line": [Command.create({"product_id": self.paper.id, "product_uom_qty": qty})],
                    }
                    for qty in (1, 2)
                ]
            )
        )
        self.assertEqual((self._status(first), self._status(second)), ("prepayment", "prepayment"))
        self.assertEqual(set(self._install_status(first | second).values()), {"prepayment"})
        first.with_user(salesman).action_confirm()
        self.assertEqual(self._status(first), "prepayment", "held until paid")
        # the credit manager releases it (as a payment would confirm it): the second is a quotation
        first.with_user(self.users["credit_manager"]).action_b2b_credit_release(reason="Virement reçu")
        self.assertEqual(first.state, "sale")
        self.assertEqual(self._status(second), "quotation")
        self.assertEqual(self._install_status(second)[second.id], "quotation")

    def test_status_is_read_only(self):
        with self.assertRaises(AccessError):
            self.order_lyon.with_user(self.users["salesman"]).write({"b2b_portal_status": "invoiced"})
        self.assertEqual(self.order_lyon.b2b_portal_status, "confirmed")

    def test_status_label_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        labels = dict(
            self.env["sale.order"]
            .with_user(self.buyer)
            .with_context(lang="fr_FR")
            .fields_get(["b2b_portal_status"])["b2b_portal_status"]["selection"]
        )
        self.assertEqual(labels["partially_delivered"], "Livrée en partie")


@tagged("post_install", "-at_install")
class TestPortalOrderLists(B2bPortalOrdersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_orders_fixtures("plist")

    def _get(self, user, url):
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)
        response = self.url_open(url, allow_redirects=False)
        return response

    def _page(self, user, url):
        response = self._get(user, url)
        self.assertEqual(response.status_code, 200, url)
        self.assertNotIn("Traceback", response.text)
        return response.text

    def test_buyer_sees_the_customer_orders_with_columns(self):
        page = self._page(self.buyer, "/my/orders")
        for order in (self.order_lyon, self.order_grenoble, self.order_both):
            self.assertIn(order.name, page)
        self.assertNotIn(self.other_order.name, page)
        self.assertNotIn(self.other_order.client_order_ref, page)
        self.assertIn("PO-LYON-plist", page)
        self.assertIn('data-status="confirmed"', page)
        self.assertIn("o_b2b_delivery_progress", page)
        self.assertIn(self.approver.partner_id.name, page, "ordered by")
        self.assertIn(self.site_grenoble.name, page, "the sites of the lines")
        self.assertIn("table-responsive", page)

    def test_row_cells_of_each_order(self):
        """Each row's ordered by, sites, PO reference, status and delivery progress (read in
        one query for the page): the delivered share of a confirmed order, 0 % shown too; no
        progress under a quotation. Another customer's buyer gets none of these rows."""
        paper_line = self.order_both.order_line.filtered(lambda line: line.product_id == self.paper)
        paper_line.qty_delivered = 4  # 4 of the order's 5 units
        rows = self._rows(self.buyer, "/my/orders")
        both = rows[self.order_both.name]
        self.assertEqual(both["ordered_by"], self.buyer.partner_id.name)
        self.assertEqual(both["sites"], ", ".join(sorted([self.site_lyon.name, self.site_grenoble.name])))
        self.assertEqual((both["status"], both["progress"], both["progress_text"]), ("confirmed", "80", "80%"))
        self.assertEqual(both["po_ref"], "", "an empty cell, the columns in line")
        lyon = rows[self.order_lyon.name]
        self.assertEqual((lyon["po_ref"], lyon["progress"], lyon["progress_text"]), ("PO-LYON-plist", "0", "0%"))
        self.assertEqual(rows[self.order_grenoble.name]["ordered_by"], self.approver.partner_id.name)
        quotation = self._rows(self.buyer, "/my/quotes")[self.draft_of_portal.name]
        self.assertEqual((quotation["status"], quotation["progress"]), ("quotation", None))
        self.assertEqual(set(self._rows(self.other_buyer, "/my/orders")), {self.other_order.name})

    def test_orders_of_a_former_or_new_contact(self):
        """Odoo lists the orders of every contact under the customer, archived ones too; the
        list looks those contacts up once per request (speed, issue 14): an order placed by a
        contact who has since left stays in the buyer's lists and counts, and an order of a
        contact added since then is listed at the next page."""
        customer = self.buyer.partner_id.commercial_partner_id
        Partner = self.env["res.partner"]
        former = Partner.create({"name": "Contact parti plist", "parent_id": customer.id})
        order_vals = {
            "user_id": self.users["salesman"].id,
            "partner_shipping_id": self.site_lyon.id,
            "order_line": [Command.create({"product_id": self.paper.id, "product_uom_qty": 1})],
        }
        of_former = self.env["sale.order"].create(dict(order_vals, partner_id=former.id))
        of_former.action_confirm()
        former.active = False
        self.assertIn(of_former.name, self._page(self.buyer, "/my/orders"))
        self.assertIn(of_former.name, self._page(self.buyer, "/my/orders?groupby=status"))
        newcomer = Partner.create({"name": "Nouveau contact plist", "parent_id": customer.id})
        of_newcomer = self.env["sale.order"].create(dict(order_vals, partner_id=newcomer.id))
        of_newcomer.action_confirm()
        page = self._page(self.buyer, "/my/orders?groupby=status")
        self.assertIn(of_newcomer.name, page)
        # the fixtures' 3 confirmed orders and these 2
        self.assertRegex(page, r'(?s)o_b2b_order_group".*?<span class="badge[^"]*">5</span>')
        self.assertNotIn(of_newcomer.name, self._page(self.other_buyer, "/my/orders"))

    def _rows(self, user, url):
        """{order name: its cells} of a list page, as the user sees it."""
        tree = html.fromstring(self._page(user, url))
        rows = {}
        for row in tree.xpath("//tr[td[contains(@class, 'o_b2b_status')]]"):
            progress = row.xpath(".//*[@role='progressbar']")
            rows[row.xpath("./td[1]//a")[0].text_content().strip()] = {
                "ordered_by": row.xpath("./td[contains(@class, 'o_b2b_ordered_by')]")[0].text_content(),
                "sites": row.xpath("./td[contains(@class, 'o_b2b_sites')]")[0].text_content(),
                "po_ref": row.xpath("./td[contains(@class, 'o_b2b_po_ref')]")[0].text_content(),
                "status": row.xpath(".//span[contains(@class, 'o_b2b_portal_status')]")[0].get("data-status"),
                "progress": progress[0].get("aria-valuenow") if progress else None,
                "progress_text": "".join(row.xpath(".//*[contains(@class, 'o_b2b_delivery_progress')]/small/text()")),
            }
        return rows

    def test_filters_narrow_the_list(self):
        page = self._page(self.buyer, f"/my/orders?site={self.site_lyon.id}")
        self.assertIn(self.order_lyon.name, page)
        self.assertIn(self.order_both.name, page, "one of its lines goes to Lyon")
        self.assertNotIn(self.order_grenoble.name, page)
        page = self._page(self.buyer, f"/my/orders?contact={self.approver.partner_id.id}")
        self.assertIn(self.order_grenoble.name, page)
        self.assertNotIn(self.order_lyon.name, page)
        page = self._page(self.buyer, f"/my/orders?categ={self.categ_ink.id}")
        self.assertIn(self.order_grenoble.name, page)
        self.assertIn(self.order_both.name, page)
        self.assertNotIn(self.order_lyon.name, page)
        page = self._page(self.buyer, "/my/orders?search=INK-plist")
        self.assertNotIn(self.order_lyon.name, page)
        self.assertIn(self.order_grenoble.name, page)
        page = self._page(self.buyer, "/my/orders?search=PO-LYON")
        self.assertIn(self.order_lyon.name, page)
        self.assertNotIn(self.order_grenoble.name, page)
        page = self._page(self.buyer, "/my/orders?status=delivered")
        self.assertNotIn(self.order_lyon.name, page)
        page = self._page(self.buyer, "/my/orders?order_type=standard&status=confirmed")
        self.assertIn(self.order_lyon.name, page)
        self.order_lyon.date_order = "2020-03-15 10:00:00"
        page = self._page(self.buyer, "/my/orders?date_begin=2020-03-01&date_end=2020-03-31")
        self.assertIn(self.order_lyon.name, page)
        self.assertNotIn(self.order_grenoble.name, page)

    def test_grouped_lists(self):
        page = self._page(self.buyer, "/my/orders?groupby=site")
        self.assertEqual(len(re.findall("o_b2b_order_group", page)), 2, "one group per order site")
        for order in (self.order_lyon, self.order_grenoble, self.order_both):
            self.assertEqual(page.count(f">{order.name}<"), 1, "each order once, in its group")
        page = self._page(self.buyer, "/my/orders?groupby=contact")
        self.assertEqual(len(re.findall("o_b2b_order_group", page)), 2)
        for groupby in ("status", "order_type", "month"):
            page = self._page(self.buyer, f"/my/orders?groupby={groupby}")
            self.assertEqual(len(re.findall("o_b2b_order_group", page)), 1, groupby)
            self.assertEqual(page.count(f">{self.order_both.name}<"), 1, f"{groupby}: each order once")
        page = self._page(self.buyer, f"/my/quotes?groupby=status&site={self.site_lyon.id}")
        self.assertIn(self.draft_of_portal.name, page)

    def test_bad_values_are_ignored_with_a_notice(self):
        # another customer's site, a key that does not exist, a date that is not one
        for url in (
            f"/my/orders?site={self.other_site.id}",
            "/my/orders?site=abc",
            f"/my/orders?contact={self.other_buyer.partner_id.id}",
            "/my/orders?status=bogus&order_type=%27%3Bdrop",
            "/my/orders?categ=999999999",
            "/my/orders?date_begin=2020-13-45",
            "/my/orders?groupby=partner_id",
        ):
            page = self._page(self.buyer, url)
            self.assertIn("o_b2b_order_notice", page, url)
            self.assertIn(self.order_lyon.name, page, f"{url}: the filter is ignored, not the list")
            self.assertNotIn(self.other_order.name, page, url)

    def test_every_unknown_value_is_a_notice_never_an_error(self):
        """Values the outsider tried on the demo: each is ignored with a notice on the page (an
        unknown sorting and the calendar's edges in a time zone east of UTC were error pages)."""
        self.buyer.tz = "Europe/Paris"
        for url in (
            "/my/orders?groupby=bogus",
            "/my/orders?sortby=bogus",
            "/my/quotes?sortby=bogus",
            "/my/orders?order_type=x",
            "/my/orders?categ=abc",
            "/my/orders?date_begin=0001-01-01",
            "/my/orders?date_end=9999-12-31",
            "/my/orders?date_begin=31/12/2024",
        ):
            page = self._page(self.buyer, url)
            self.assertEqual(page.count("o_b2b_order_notice"), 1, url)
            if url.startswith("/my/orders"):
                self.assertIn(self.order_lyon.name, page, f"{url}: the value is ignored, not the list")

    def test_filter_menus_and_groups_read_in_french(self):
        """A French buyer reads order types in French in the menu and the group headers, and
        is offered the categories of what is on sale, not Odoo's internal English ones."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.buyer.lang = "fr_FR"
        self.order_grenoble.sudo().b2b_order_type = "quick"
        expenses = self.env.ref("product.product_category_expenses")
        self.assertFalse(
            self.env["product.template"].search_count([("categ_id", "=", expenses.id), ("sale_ok", "=", True)])
        )
        page = self._page(self.buyer, "/fr/my/orders?groupby=order_type")
        menu = page[page.index('data-filter="order_type"') : page.index('data-filter="categ"')]
        self.assertIn(">Commande rapide<", menu)
        self.assertNotIn("Quick Order", page)
        groups = re.findall(r'o_b2b_order_group">\s*<th[^>]*>\s*([^<]*?)\s*<', page)
        self.assertEqual(sorted(groups), ["Commande rapide", "Standard"])
        categ_menu = page[page.index('data-filter="categ"') : page.index('data-filter="status"')]
        self.assertIn(f'data-value="{self.categ_ink.id}"', categ_menu)
        self.assertNotIn(f'data-value="{expenses.id}"', categ_menu, "nothing on sale in it")
        page = self._page(self.buyer, f"/fr/my/orders?categ={expenses.id}")
        self.assertIn("o_b2b_order_notice", page)

    def test_list_fits_1280_px_with_one_status_column(self):
        """One status column (the portal status, the delivery progress beneath), no sideways
        scrolling of the table in a 1280 px window, with the demo's long site names."""
        self.site_lyon.name = "Site Nantes Nord - magasin central"
        self.site_grenoble.name = "Site Saint-Nazaire - quai de livraison"
        site_yon = self.env["res.partner"].create(
            {
                "name": "Site La Roche-sur-Yon - logistique",
                "type": "delivery",
                "parent_id": self.portal_customer.id,
            }
        )
        self.order_both.order_line[0].copy({"order_id": self.order_both.id, "partner_shipping_id": site_yon.id})
        self.order_both.client_order_ref = "GHLO-CMD-2026-0398"
        # in French, as the demo's buyer reads it (longer headers)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.buyer.lang = "fr_FR"
        page = self._page(self.buyer, "/fr/my/orders")
        thead = page[page.index("<thead") : page.index("</thead>")]
        self.assertEqual(len(re.findall(r"<th[\s>]", thead)), 7, "order, date, ordered by, sites, PO, status, total")
        self.assertNotIn('name="order_delivery"', thead, "sale_stock's shipping status is said by the status")
        self.assertEqual(page.count("o_b2b_delivery_progress"), 3, "beneath the status of each confirmed order")
        self.browser_size = "1280x800"
        self.browser_js(
            "/fr/my/orders",
            """
            const table = document.querySelector('.table-responsive');
            if (table.scrollWidth > table.clientWidth + 1) {
                console.error(`orders table ${table.scrollWidth}px wide in ${table.clientWidth}px`);
            } else {
                console.log('test successful');
            }
            """,
            login=self.buyer.login,
        )

    def test_site_limited_buyer_offered_her_sites_only(self):
        self.buyer.partner_id.b2b_portal_site_ids = self.site_lyon
        page = self._page(self.buyer, "/my/orders")
        self.assertIn(f'data-value="{self.site_lyon.id}"', page)
        self.assertNotIn(f'data-value="{self.site_grenoble.id}"', page)
        page = self._page(self.buyer, f"/my/orders?site={self.site_grenoble.id}")
        self.assertIn("o_b2b_order_notice", page)

    def test_drafts_of_the_salesperson_stay_hidden(self):
        page = self._page(self.buyer, "/my/quotes")
        self.assertIn(self.draft_of_portal.name, page)
        self.assertNotIn(self.draft_of_salesman.name, page)
        self.draft_of_salesman.with_user(self.users["salesman"]).action_quotation_sent()
        page = self._page(self.buyer, "/my/quotes")
        self.assertIn(self.draft_of_salesman.name, page, "sent to the customer: shown")
        # held for credit: shown, with its status
        self.draft_of_portal.sudo().write({"b2b_credit_hold": True, "b2b_credit_hold_reason": "limit"})
        self.draft_of_portal.sudo().b2b_created_in_portal = False
        page = self._page(self.buyer, "/my/quotes?status=held")
        self.assertIn(self.draft_of_portal.name, page)

    def test_other_customer_and_guest(self):
        page = self._page(self.other_buyer, "/my/orders")
        self.assertIn(self.other_order.name, page)
        for order in (self.order_lyon, self.order_grenoble, self.order_both):
            self.assertNotIn(order.name, page)
        page = self._page(self.other_buyer, f"/my/orders?site={self.site_lyon.id}")
        self.assertIn("o_b2b_order_notice", page)
        self.assertNotIn(self.order_lyon.name, page)
        response = self._get(None, "/my/orders")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_pager_keeps_the_filters(self):
        self.patch(CustomerPortal, "_items_per_page", 10)
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.buyer.partner_id.id,
                    "order_line": [
                        Command.create({"product_id": self.paper.id, "partner_shipping_id": self.site_lyon.id})
                    ],
                }
                for _i in range(22)
            ]
        )
        orders.action_confirm()
        page = self._page(self.buyer, f"/my/orders?site={self.site_lyon.id}&groupby=status")
        self.assertRegex(page, rf"/my/orders/page/2\?[^\"]*site={self.site_lyon.id}")
        self.assertRegex(page, r"/my/orders/page/2\?[^\"]*groupby=status")


@tagged("post_install", "-at_install")
class TestPortalOrdersQueryCount(B2bPortalOrdersCommon, HttpCase):
    """The lists' and the export's queries do not grow with the number of orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_orders_fixtures("pcount")

    def _clone_orders(self, order, count):
        """``count`` copies of a confirmed order and its lines, in SQL."""
        cr = self.env.cr
        self.env.flush_all()

        def columns(table):
            cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
                [table],
            )
            return [row[0] for row in cr.fetchall()]

        order_cols = ", ".join(f'"{c}"' for c in columns("sale_order"))
        line_cols = [c for c in columns("sale_order_line") if c != "order_id"]
        cr.execute(
            f"""
            WITH new_orders AS (
                INSERT INTO sale_order ({order_cols})
                SELECT {order_cols} FROM sale_order, generate_series(1, %s) WHERE id = %s
                RETURNING id
            )
            INSERT INTO sale_order_line (order_id, {", ".join(f'"{c}"' for c in line_cols)})
            SELECT new_orders.id, {", ".join(f'line."{c}"' for c in line_cols)}
              FROM new_orders, sale_order_line line WHERE line.order_id = %s
            """,
            [count, order.id, order.id],
        )
        # statistics of the new rows, as a living database has them: without them PostgreSQL
        # may plan the scope rules' subqueries as if the tables were empty (minutes, not ms)
        cr.execute("ANALYZE sale_order, sale_order_line")
        self.env.invalidate_all()

    def _count_queries(self, url):
        count, response = open_counting_queries(self, url)
        self.assertNotIn("o_b2b_order_notice", response.text, url)
        return count

    def _counts(self, urls):
        self.authenticate(self.buyer.login, self.buyer.login)
        for url in urls:
            self._count_queries(url)  # warm the caches (templates, assets, rules)
        return {url: self._count_queries(url) for url in urls}

    def test_query_count_does_not_grow(self):
        urls = [
            "/my/orders",
            f"/my/orders?site={self.site_lyon.id}&groupby=status",
            f"/my/orders?contact={self.buyer.partner_id.id}&groupby=site",
            f"/my/orders?categ={self.categ_paper.id}&groupby=contact&search=PAP",
            "/my/orders?status=confirmed&order_type=standard&groupby=month&date_begin=2000-01-01",
            "/my/orders?groupby=order_type",
            "/my/quotes?groupby=status",
            "/my/orders/export",
            f"/my/orders/export?site={self.site_grenoble.id}",
        ]
        self._clone_orders(self.order_both, 99)
        small = self._counts(urls)
        self._clone_orders(self.order_both, 900)
        large = self._counts(urls)
        self.assertEqual(large, small)
        # the export did see the 999 copies' lines
        self.authenticate(self.buyer.login, self.buyer.login)
        csv_lines = self.url_open("/my/orders/export").content.decode("utf-8-sig").splitlines()
        self.assertEqual(len(csv_lines), 1 + 2 * 1000 + 2, "header, the copies and the originals' lines")

    def test_grouped_list_counts_its_orders_once(self):
        """A list grouped by site, contact, status or type counts its groups in one query and
        Odoo's count of the whole list is their sum, and Odoo's page is the one the list read
        in its groups' order: no more queries than the list ungrouped when the page holds one
        group (a second count of the orders doubled the SQL time of these pages: issue 14),
        and the pager still counts every order."""
        self._clone_orders(self.order_both, 120)
        counts = self._counts(
            [
                "/my/orders",
                "/my/orders?groupby=status",
                "/my/orders?groupby=order_type",
                "/my/orders?groupby=site",
                "/my/orders?groupby=contact",
                "/my/quotes",
                "/my/quotes?groupby=status",
            ]
        )
        for url in ("/my/orders?groupby=status", "/my/orders?groupby=order_type"):
            self.assertEqual(counts[url], counts["/my/orders"], url)
        self.assertEqual(counts["/my/quotes?groupby=status"], counts["/my/quotes"])
        # the site's name (one group on the page); the contacts' names, and the second group's
        # part of the page: one more search (with the two lookups of Odoo's own record rule)
        # and the read of its orders apart from the first group's
        self.assertEqual(counts["/my/orders?groupby=site"], counts["/my/orders"] + 1)
        self.assertEqual(counts["/my/orders?groupby=contact"], counts["/my/orders"] + 5)
        # 123 confirmed orders (the fixtures' 3 and the copies), 80 a page: the second page is the
        # last, with the rest of their one group
        page = self.url_open("/my/orders/page/2?groupby=status").text
        self.assertIn("/my/orders/page/2?groupby=status", page)
        self.assertNotIn("/my/orders/page/3", page)
        groups = re.findall(r'o_b2b_order_group".*?<span class="badge[^"]*">(\d+)</span>', page, re.S)
        self.assertEqual(groups, ["123"], "the confirmed orders, counted over both pages")


@tagged("post_install", "-at_install")
class TestPortalOrdersTour(B2bPortalOrdersCommon, HttpCase):
    """In Chromium, the buyer limited to her site filters her orders by site and groups them
    by status, on a desktop and on a phone (375 px)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_orders_fixtures("ptour")
        cls.buyer.partner_id.b2b_portal_site_ids = cls.site_lyon
        cls.order_lyon.client_order_ref = "B2B-TOUR-LYON"
        cls.order_both.client_order_ref = "B2B-TOUR-BOTH"
        cls.order_grenoble.client_order_ref = "B2B-TOUR-GRE"

    def test_tour_filter_and_group(self):
        self.start_tour("/my/orders", "b2b_customer_portal_orders", login=self.buyer.login)

    def test_tour_on_a_phone(self):
        self.browser_size = "375x667"
        self.start_tour("/my/orders", "b2b_customer_portal_orders_phone", login=self.buyer.login)
