from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

PARTNER_CREDIT_FIELDS = (
    "b2b_credit_exposure",
    "b2b_credit_available",
    "b2b_receivable_amount",
    "b2b_to_invoice_amount",
    "b2b_draft_invoice_amount",
    "b2b_overdue_amount",
    "b2b_oldest_overdue_days",
    "b2b_credit_alert",
    "b2b_late_payer",
    "b2b_avg_days_late",
    "b2b_credit_policy",
    "b2b_manual_hold",
    "b2b_hold_note",
    "credit_limit",
)
ORDER_CREDIT_FIELDS = (
    "b2b_credit_hold_reason",
    "b2b_credit_hold_date",
    "b2b_credit_hold_exposure",
    "b2b_credit_hold_limit",
    "b2b_credit_hold_days",
    "b2b_credit_checked_amount",
    "b2b_credit_to_invoice",
    "b2b_late_payer",
    "b2b_credit_decision_ids",
)


@tagged("post_install", "-at_install")
class TestPortalCredit(B2bRoleUsersMixin, HttpCase):
    """Credit figures are for internal users: a customer's portal users read none of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_portal")
        cls.portal_customer.write({"credit_limit": 100.0, "b2b_credit_policy": "block"})
        product = cls.env["product.product"].create({"name": "Article portail", "type": "consu", "list_price": 80})
        buyer = cls.portal_users["buyer"]
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": buyer.partner_id.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
            }
        )
        cls.order.action_quotation_sent()
        cls.order.action_confirm()  # over the limit: held, still a quotation
        cls.order.message_subscribe(buyer.partner_id.ids)

    def test_portal_buyer_reads_no_credit_field(self):
        self.assertTrue(self.order.b2b_credit_hold)
        buyer = self.portal_users["buyer"]
        partner = self.portal_customer.with_user(buyer)
        self.assertEqual(partner.name, self.portal_customer.name, "the buyer reads its company")
        for name in PARTNER_CREDIT_FIELDS:
            with self.subTest(model="res.partner", field=name), self.assertRaises(AccessError):
                partner.read([name])
        order = self.order.with_user(buyer)
        self.assertEqual(order.read(["name"])[0]["name"], self.order.name, "the buyer reads its order")
        for name in ORDER_CREDIT_FIELDS:
            with self.subTest(model="sale.order", field=name), self.assertRaises(AccessError):
                order.read([name])

    def test_portal_order_page_opens_for_buyer(self):
        buyer = self.portal_users["buyer"]
        self.authenticate(buyer.login, buyer.login)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        for url in ("/my/quotes", "/my/orders", "/my"):
            self.assertEqual(self.url_open(url).status_code, 200, url)
