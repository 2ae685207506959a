from odoo import Command, fields
from odoo.tests import JsonRpcException, tagged
from odoo.tools import format_date

from .test_portal_approvals import B2bApprovalPortalCase

# 1x1 transparent PNG: the customer's drawn signature
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


@tagged("post_install", "-at_install")
class TestPortalOrderPage(B2bApprovalPortalCase):
    _b2b_prefix = "ordpg"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order.with_user(cls.users["salesman"]).write({"require_signature": True, "require_payment": False})
        cls.order.with_user(cls.users["salesman"]).action_quotation_sent()

    def _accept(self, order):
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order._portal_ensure_token(), "name": "Signataire", "signature": SIGNATURE},
        )

    # ------------------------------------------------------------------
    # Waiting for approval, rejected, approved
    # ------------------------------------------------------------------
    def test_waiting_quotation_says_who_must_act_and_cannot_be_signed(self):
        self._login(self.buyer)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="b2b_order_blocked"', response.text)
        self.assertIn("waiting for approval by", response.text)
        self.assertIn(self.approver.partner_id.name, response.text, "who must act")
        since = fields.Datetime.context_timestamp(self.order.with_user(self.buyer), self.order.create_date).date()
        self.assertIn(f"since {format_date(self.env, since)}", response.text, "since when")
        self.assertNotIn('id="accept"', response.text, "no Accept & Sign")
        self.assertNotIn("Accept &amp; Sign", response.text)
        # and the server refuses it, in the same words
        result = self._accept(self.order)
        self.assertIn("waiting for approval", result["error"])
        self.order.invalidate_recordset()
        self.assertFalse(self.order.signature)
        self.assertEqual(self.order.state, "sent")

    def test_waiting_quotation_cannot_be_paid(self):
        self._login(self.buyer)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/orders/{self.order.id}/transaction",
                {
                    "access_token": self.order._portal_ensure_token(),
                    "payment_method_id": 1,
                    "provider_id": 1,
                    "token_id": None,
                    "flow": "redirect",
                    "tokenization_requested": False,
                    "landing_route": self.order.get_portal_url(),
                    "amount": self.order.amount_total,
                },
            )
        self.assertFalse(self.env["payment.transaction"].search([("sale_order_ids", "in", self.order.ids)]))

    def test_approver_sees_the_way_to_decide(self):
        self._login(self.approver)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn('href="/my/approvals"', response.text)
        self._login(self.buyer)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertNotIn('href="/my/approvals"', response.text)

    def test_approved_quotation_says_so_and_can_be_signed(self):
        self.order.with_user(self.approver).action_b2b_approve()
        self._login(self.buyer)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn('id="b2b_order_approved"', response.text)
        self.assertIn(f"Approved by {self.approver.name}", response.text)
        self.assertIn('id="accept"', response.text)
        result = self._accept(self.order)
        self.assertFalse(result.get("error"), result)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "sale")

    def test_rejected_quotation_gives_the_reason(self):
        self.order.with_user(self.approver).action_b2b_reject(reason="Hors budget")
        self._login(self.buyer)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("rejected by", response.text)
        self.assertIn("Hors budget", response.text)
        self.assertNotIn('id="accept"', response.text)
        self.assertIn("rejected", self._accept(self.order)["error"])

    # ------------------------------------------------------------------
    # Held for credit review; prepayment is the credit pages' business
    # ------------------------------------------------------------------
    def _held_order(self, order_vals=None, **partner_vals):
        self.portal_customer.with_user(self.users["credit_manager"]).write(partner_vals)
        order_vals = {"require_signature": True, "require_payment": False} if order_vals is None else order_vals
        order = self._b2b_order(self.buyer.partner_id, 2, **order_vals)
        order.with_user(self.users["salesman"]).action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        self.assertEqual(order.state, "draft")
        return order

    def test_held_quotation_says_so_and_cannot_be_signed(self):
        order = self._held_order(b2b_manual_hold=True)
        self._login(self.buyer)
        response = self.url_open(f"/my/orders/{order.id}")
        self.assertIn("held for credit review", response.text)
        self.assertNotIn('id="accept"', response.text)
        self.assertIn("held for credit review", self._accept(order)["error"])
        order.invalidate_recordset()
        self.assertFalse(order.signature)

    def test_manual_hold_says_why_without_contradicting_figures(self):
        """The credit manager put the customer on hold: its approver reads that the account is
        on hold with credit control, not "No credit limit, 0 overdue" next to a held order; the
        buyer is told it is held and sees no credit at all."""
        order = self._held_order(b2b_manual_hold=True)
        self._login(self.approver)
        for url in (f"/my/orders/{order.id}", "/my"):
            page = self.url_open(url).text
            self.assertIn("o_b2b_credit_manual_hold", page, url)
            self.assertIn("on hold with our credit department", page, url)
            self.assertNotIn("No credit limit", page, url)
            self.assertNotIn("o_b2b_credit_figures", page, url)
        self._login(self.buyer)
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("held for credit review", page)
        self.assertNotIn("o_b2b_credit_manual_hold", page)
        # hold lifted: the figures again
        self.portal_customer.with_user(self.users["credit_manager"]).b2b_manual_hold = False
        self._login(self.approver)
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("o_b2b_credit_figures", page)
        self.assertNotIn("o_b2b_credit_manual_hold", page)

    def test_payment_terms_without_note_show_their_name(self):
        terms = self.env["account.payment.term"].create({"name": "45 jours fin de mois ordpg"})
        self.assertFalse(terms.note)
        order = self._held_order(b2b_manual_hold=True)
        order.with_user(self.users["salesman"]).payment_term_id = terms
        self._login(self.buyer)
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("45 jours fin de mois ordpg", page, "never an empty payment terms block")

    def test_prepayment_hold_is_left_to_the_payment(self):
        order = self._held_order(order_vals={}, b2b_credit_policy="prepay")
        self.assertEqual(order.sudo().b2b_credit_hold_reason, "prepay")
        self.assertFalse(order._b2b_portal_blocking_reason())
        self.assertTrue(order._has_to_be_paid(), "paying is what releases it")

    # ------------------------------------------------------------------
    # Lines and deliveries per site
    # ------------------------------------------------------------------
    def test_lines_and_deliveries_by_site(self):
        lyon, grenoble = self.portal_sites
        order = self._b2b_order(
            self.buyer.partner_id,
            1,
            partner_shipping_id=lyon.id,
            order_line=[
                Command.create({"product_id": self.product.id, "product_uom_qty": 1}),
                Command.create(
                    {"product_id": self.product.id, "product_uom_qty": 2, "partner_shipping_id": grenoble.id}
                ),
            ],
        )
        order.with_user(self.users["salesman"]).action_confirm()
        pickings = order.picking_ids
        self.assertEqual(pickings.partner_id, lyon | grenoble)
        self._login(self.buyer)
        response = self.url_open(f"/my/orders/{order.id}")
        page = response.text
        self.assertIn('id="b2b_deliveries_by_site"', page)
        section = page[page.index('id="b2b_deliveries_by_site"') :]
        for picking in pickings:
            self.assertIn(f"/my/picking/pdf/{picking.id}", section)
            self.assertIn(picking.partner_id.display_name, section)
        self.assertEqual(page.count("b2b_line_billed"), 2, "each line names its billed party")
        self.assertIn(order.partner_invoice_id.display_name, page)
        # a colleague limited to Lyon (who did not place the order) sees the Grenoble delivery
        # listed, without a slip link that would answer 404
        viewer = self.portal_users["viewer"]
        viewer.partner_id.sudo().b2b_portal_site_ids = lyon
        self._login(viewer)
        lyon_picking = pickings.filtered(lambda picking: picking.partner_id == lyon)
        grenoble_picking = pickings - lyon_picking
        page = self.url_open(f"/my/orders/{order.id}").text
        section = page[page.index('id="b2b_deliveries_by_site"') :]
        self.assertIn(f"/my/picking/pdf/{lyon_picking.id}", section)
        self.assertNotIn(f"/my/picking/pdf/{grenoble_picking.id}", section)
        self.assertIn(grenoble_picking.name, section)
        self.assertEqual(self.url_open(f"/my/picking/pdf/{grenoble_picking.id}").status_code, 404)
        # another customer's buyer reaches neither the order nor its delivery slips
        self._login(self.portal_users["other_buyer"])
        response = self.url_open(f"/my/orders/{order.id}")
        self.assertNotIn(order.name, response.text)
        self.assertEqual(self.url_open(f"/my/picking/pdf/{pickings[0].id}").status_code, 404)

    # ------------------------------------------------------------------
    # /my by role
    # ------------------------------------------------------------------
    def test_home_by_role(self):
        held = self._held_order(b2b_manual_hold=True)
        counters = ["b2b_held_count", "b2b_invoices_to_pay_count", "quotation_count", "order_count"]
        self._login(self.buyer)
        result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(result["b2b_held_count"], 1)
        self.assertEqual(result["b2b_invoices_to_pay_count"], 0)
        self._login(self.portal_users["other_buyer"])
        result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(result["b2b_held_count"], 0, "another customer's hold")
        # a confirmed order invoiced: the accountant has an invoice to pay and no order entries
        self.portal_customer.with_user(self.users["credit_manager"]).b2b_manual_hold = False
        held.with_user(self.users["credit_manager"]).action_b2b_credit_release(reason="Client sûr")
        self.assertEqual(held.state, "sale")
        invoice = held.with_user(self.users["accountant"])._create_invoices()
        invoice.with_user(self.users["accountant"]).action_post()
        self._login(self.portal_users["accountant"])
        result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(result["b2b_invoices_to_pay_count"], 1)
        self.assertEqual(result["order_count"], 0)
        self.assertEqual(result["quotation_count"], 0)
        self._login(self.buyer)
        result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(result["b2b_invoices_to_pay_count"], 0, "the buyer pays nothing")

    def test_home_orders_in_progress_by_site(self):
        lyon, grenoble = self.portal_sites
        order = self._b2b_order(self.buyer.partner_id, 2, partner_shipping_id=grenoble.id)
        order.with_user(self.users["salesman"]).action_confirm()
        self.assertEqual(order.delivery_status, "pending")
        self._login(self.buyer)
        page = self.url_open("/my").text
        self.assertIn("Orders in progress", page)
        self.assertIn(f"/my/orders?site={grenoble.id}", page)
        self.assertNotIn(f"/my/orders?site={lyon.id}", page, "nothing in progress there")
        # a buyer limited to Lyon does not see Grenoble's orders in progress
        self.buyer.partner_id.b2b_portal_site_ids = lyon
        page = self.url_open("/my").text
        self.assertNotIn(f"/my/orders?site={grenoble.id}", page)
        self._login(self.portal_users["accountant"])
        self.assertNotIn("Orders in progress", self.url_open("/my").text)
