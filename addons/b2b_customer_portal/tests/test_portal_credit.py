from datetime import timedelta

from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

PARTNER_CREDIT_FIELDS = ("b2b_credit_available", "b2b_overdue_amount", "b2b_credit_exposure", "credit_limit")
ORDER_CREDIT_FIELDS = ("b2b_credit_hold_reason", "b2b_credit_hold_exposure", "b2b_credit_to_invoice")


class B2bPortalCreditCase(B2bRoleUsersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="qcred")
        cls.customer = cls.portal_customer
        cls.customer.write({"credit_limit": 1000.0, "b2b_credit_policy": "block"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Article crédit",
                "default_code": "QC-ART",
                "list_price": 100.0,
                "type": "consu",
                "taxes_id": False,
            }
        )
        cls.buyer = cls.portal_users["buyer"]

    @classmethod
    def _posted_invoice(cls, partner, amount, days_overdue):
        date = fields.Date.today() - timedelta(days=days_overdue + 1)
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_line_ids": [
                    Command.create({"name": "Fourniture", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = date + timedelta(days=1)
        invoice.action_post()
        return invoice

    @classmethod
    def _quotation(cls, qty, contact=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (contact or cls.buyer.partner_id).id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
            }
        )
        order.action_quotation_sent()
        return order

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))


@tagged("post_install", "-at_install")
class TestPortalCredit(B2bPortalCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._posted_invoice(cls.customer, 300.0, days_overdue=20)
        cls.order = cls._quotation(8)  # 800: exposure 1,100 over the 1,000 limit

    def test_approver_and_accountant_see_the_payers_credit_on_home(self):
        for role in ("approver", "accountant"):
            self._login(self.portal_users[role])
            page = self.url_open("/my").text
            self.assertIn("o_b2b_credit_card", page, role)
            self.assertIn("Available credit", page, role)
            self.assertIn("700.00", page, f"{role}: 1,000 limit - 300 receivable")
            self.assertIn("300.00", page, f"{role}: overdue")

    def test_buyers_viewers_and_others_never_see_it(self):
        for user in (self.buyer, self.portal_users["viewer"], self.portal_users["other_buyer"]):
            self._login(user)
            page = self.url_open("/my").text
            self.assertNotIn("o_b2b_credit_card", page, user.login)
            self.assertNotIn("Available credit", page, user.login)
        self._login(self.buyer)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        self.assertNotIn("Available credit", page.text)
        self.assertNotIn("o_b2b_credit_quotation", page.text)

    def test_approver_sees_what_confirming_will_do(self):
        approver = self.portal_users["approver"]
        self._login(approver)
        page = self.url_open(f"/my/orders/{self.order.id}").text
        self.assertIn("o_b2b_credit_quotation", page)
        self.assertIn("Available credit", page)
        self.assertIn("will be held for review by our credit department", page)
        self.assertNotIn("Prepayment required", page)
        small = self._quotation(5)  # 500: exposure 800, within the limit
        page = self.url_open(f"/my/orders/{small.id}").text
        self.assertIn("If accepted now, this order will be confirmed.", page)
        self.customer.b2b_overdue_block = True  # 20 days late, no grace
        page = self.url_open(f"/my/orders/{small.id}").text
        self.assertIn("will be held for review", page)
        # once held, it says so
        self.order.with_user(self.users["salesman"]).sudo().action_confirm()
        self.assertTrue(self.order.b2b_credit_hold)
        page = self.url_open(f"/my/orders/{self.order.id}").text
        self.assertIn("This order is held for review by our credit department.", page)

    def _preview_quick_order(self, rows):
        page = self.url_open("/my/quick-order").text
        marker = 'name="csrf_token" value="'
        start = page.index(marker) + len(marker)
        token = page[start : page.index('"', start)]
        response = self.url_open("/my/quick-order", data={"csrf_token": token, "rows": rows, "action": "preview"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_b2b_quick_order_create_btn", response.text)
        return response.text

    def test_quick_order_preview_tells_the_approver_what_will_happen(self):
        self._login(self.portal_users["approver"])
        page = self._preview_quick_order("QC-ART;9")
        self.assertIn("Available credit", page)
        self.assertIn("will be held for review by our credit department", page)
        page = self._preview_quick_order("QC-ART;1")
        self.assertIn("If accepted now, this order will be confirmed.", page)
        self._login(self.buyer)
        page = self._preview_quick_order("QC-ART;9")
        self.assertNotIn("Available credit", page)
        self.assertNotIn("o_b2b_credit_quotation", page)
        self.assertFalse(self.env["sale.order"].search_count([("b2b_created_in_portal", "=", True)]))

    def test_rpc_reads_of_credit_refused_to_every_portal_role(self):
        for role in ("buyer", "approver", "accountant", "viewer"):
            user = self.portal_users[role]
            partner = self.customer.with_user(user)
            for name in PARTNER_CREDIT_FIELDS:
                with self.subTest(role=role, field=name), self.assertRaises(AccessError):
                    partner.read([name])
        approver = self.portal_users["approver"]
        for name in ORDER_CREDIT_FIELDS:
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.order.with_user(approver).read([name])
        # the portal's figures are computed for those who may see them only
        self.assertTrue(self.env["sale.order"].with_user(approver)._b2b_portal_payer_credit_summary(self.customer))
        for user in (self.buyer, self.portal_users["viewer"], self.portal_users["other_buyer"], self.users["salesman"]):
            self.assertEqual(
                self.env["sale.order"].with_user(user)._b2b_portal_payer_credit_summary(self.customer), {}, user.login
            )
            self.assertEqual(self.order.with_user(user)._b2b_portal_credit_summary(), {}, user.login)

    def test_credit_shown_to_the_payer_entity_only(self):
        treasury = self.env["res.partner"].create(
            {"name": "Trésorerie QC", "is_company": True, "credit_limit": 5000.0, "b2b_credit_policy": "block"}
        )
        treasurer = self.env["res.partner"].create(
            {
                "name": "Tess Treasurer",
                "parent_id": treasury.id,
                "b2b_portal_role": "accountant",
                "email": "t@qc.example",
            }
        )
        treasurer_user = new_test_user(
            self.env, login="qcred_treasurer", groups="base.group_portal", partner_id=treasurer.id
        )
        self.customer.write({"allowed_payer_ids": [Command.set(treasury.ids)], "payer_id": treasury.id})
        order = self._quotation(2)
        self.assertEqual(order.payer_id, treasury)
        approver = self.portal_users["approver"]
        self._login(approver)
        self.assertNotIn("o_b2b_credit_card", self.url_open("/my").text, "its credit is its payer's")
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn(order.name, page)
        self.assertNotIn("Available credit", page)
        self.assertEqual(order.with_user(approver)._b2b_portal_credit_summary(), {})
        self._login(treasurer_user)
        page = self.url_open("/my").text
        self.assertIn("o_b2b_credit_card", page)
        self.assertIn("Trésorerie QC", page)
        self.assertIn("5,000.00", page)


@tagged("post_install", "-at_install")
class TestPortalPrepayment(B2bPortalCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.b2b_credit_policy = "prepay"
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "is_published": True, "company_id": cls.env.company.id})
        cls.payment_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.payment_method.active = True

    def _pay_online(self, order):
        """Pay the order's total with the demo provider, as the logged-in portal user."""
        values = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/transaction",
            {
                "access_token": order._portal_ensure_token(),
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "token_id": None,
                "amount": order.amount_total,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": order.get_portal_url(),
                "is_validation": False,
            },
        )
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": values["reference"], "payment_details": "4242", "simulated_state": "done"},
        )
        transaction = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        self.assertEqual(transaction.state, "done")
        transaction._post_process()  # what the post-processing cron does
        return transaction

    def test_quick_order_of_a_prepaying_customer_is_paid_then_confirmed(self):
        self.buyer.partner_id.b2b_portal_site_ids = self.portal_sites[0]
        order = self.env["sale.order"].with_user(self.buyer)._b2b_portal_create_quick_order(text="QC-ART;3")
        self.assertTrue(order.require_payment)
        self.assertEqual(order.prepayment_percent, 1.0)
        self._login(self.buyer)
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("Prepayment required", page)
        self.assertIn("Sign & Pay", page)
        self.assertNotIn("held for credit review", page.lower())
        self.assertNotIn("Available credit", page, "the buyer is told what to do, not the credit figures")
        self._pay_online(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)
        self.assertEqual(order.amount_paid, order.amount_total)

    def test_quick_order_preview_says_prepayment_required(self):
        self._login(self.buyer)
        page = self.url_open("/my/quick-order").text
        marker = 'name="csrf_token" value="'
        start = page.index(marker) + len(marker)
        token = page[start : page.index('"', start)]
        response = self.url_open("/my/quick-order", data={"csrf_token": token, "rows": "QC-ART;2", "action": "preview"})
        self.assertIn("Prepayment required", response.text)
        self.assertNotIn("Available credit", response.text)

    def test_order_held_for_prepayment_is_confirmed_once_paid(self):
        order = self._quotation(2)
        order.with_user(self.users["salesman"]).sudo().action_confirm()
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.b2b_credit_hold)
        self._login(self.buyer)
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("Prepayment required", page, "prepayment required, rather than held")
        self.assertNotIn("held for credit review", page.lower())
        self.assertIn("Sign & Pay", page, "and it can be paid")
        self._pay_online(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)

    def test_prepay_first_asks_for_the_first_order_only(self):
        self.customer.b2b_credit_policy = "prepay_first"
        first = self._quotation(1)
        self.assertTrue(first.require_payment)
        self._login(self.buyer)
        self.assertIn("Prepayment required", self.url_open(f"/my/orders/{first.id}").text)
        self._pay_online(first)
        self.assertEqual(first.state, "sale")
        second = self._quotation(1)
        self.assertEqual(second._b2b_portal_confirmation_outcome(), "confirmed")
        self.assertNotIn("Prepayment required", self.url_open(f"/my/orders/{second.id}").text)
