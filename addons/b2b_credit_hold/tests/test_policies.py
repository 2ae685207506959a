from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestPolicies(B2bRoleUsersMixin, CreditCase):
    """The salesman takes and confirms the orders, the billing clerk enters and posts the
    invoices; the superuser only sets up customers, products and payments' providers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_policies")
        cls.salesman = cls.users["salesman"]
        cls.billing = cls.users["billing"]

    def _order(self, amount, partner=None, user=None, **vals):
        return super()._order(amount, partner=partner, user=user or self.salesman, **vals)

    def _posted_invoice(self, amount, days_overdue=0, partner=None, user=None):
        return super()._posted_invoice(amount, days_overdue, partner, user=user or self.billing)

    def assertHeld(self, order, reason):
        self.assertEqual(order.state, "draft", "a held order stays a quotation")
        self.assertTrue(order.b2b_credit_hold)
        self.assertEqual(order.b2b_credit_hold_reason, reason)
        self.assertIn("Held for credit review", order.message_ids[0].body)

    def test_block_over_limit_held_with_figures(self):
        self._posted_invoice(700)
        order = self._order(400)
        result = order.with_user(self.salesman).action_confirm()
        self.assertHeld(order, "limit")
        self.assertEqual(order.b2b_credit_hold_exposure, 1100.0)
        self.assertEqual(order.b2b_credit_hold_limit, 1000.0)
        self.assertIn("1,100.00", order.message_ids[0].body)
        self.assertEqual(result["tag"], "display_notification", "the user is told, nothing is raised")
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.env.ref("base.user_admin"))
        self.assertTrue(activity, "credit managers get an activity")

    def test_block_under_limit_confirms(self):
        self._posted_invoice(500)
        order = self._order(500)  # exactly the limit: allowed
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)

    def test_none_and_warn_never_hold_on_limit(self):
        self._posted_invoice(2000)
        for policy in ("none", "warn"):
            self.customer.b2b_credit_policy = policy
            order = self._order(500)
            order.with_user(self.salesman).action_confirm()
            self.assertEqual(order.state, "sale", policy)

    def test_overdue_with_grace(self):
        self.customer.write({"b2b_credit_policy": "none", "b2b_overdue_block": True, "b2b_overdue_grace_days": 30})
        self._posted_invoice(100, days_overdue=20)
        order = self._order(100)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale", "20 days overdue is within 30 days of grace")
        self.customer.b2b_overdue_grace_days = 10
        order = self._order(100)
        order.with_user(self.salesman).action_confirm()
        self.assertHeld(order, "overdue")

    def test_manual_hold(self):
        self.customer.write({"b2b_credit_policy": "none", "b2b_manual_hold": True, "b2b_hold_note": "Litige en cours"})
        order = self._order(10)
        order.with_user(self.salesman).action_confirm()
        self.assertHeld(order, "manual")
        self.assertIn("Litige en cours", order.message_ids[0].body)

    def _paid_transaction(self, order):
        provider = self.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "payment_method_ids": [Command.set(self.env.ref("payment.payment_method_unknown").ids)],
            }
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "reference": f"TEST-{order.name}",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        return tx

    def test_prepay_requires_full_online_payment(self):
        self.customer.b2b_credit_policy = "prepay"
        order = self._order(300)
        self.assertTrue(order.require_payment)
        self.assertEqual(order.prepayment_percent, 1.0)
        order.with_user(self.salesman).action_confirm()
        self.assertHeld(order, "prepay")
        self._paid_transaction(order)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale", "fully paid: confirmed")
        self.assertFalse(order.b2b_credit_hold, "paid: the hold is lifted by the confirmation itself")

    def test_prepay_first_then_block(self):
        self.customer.b2b_credit_policy = "prepay_first"
        first = self._order(100)
        self.assertTrue(first.require_payment)
        first.with_user(self.salesman).action_confirm()
        self.assertHeld(first, "prepay")
        self._paid_transaction(first)
        first.with_user(self.salesman).action_confirm()
        self.assertEqual(first.state, "sale")
        second = self._order(200)
        self.assertFalse(second._b2b_prepayment_required(), "only the first order is prepaid")
        second.with_user(self.salesman).action_confirm()
        self.assertEqual(second.state, "sale")
        third = self._order(800)  # 100 + 200 + 800 > 1000: block rules apply
        third.with_user(self.salesman).action_confirm()
        self.assertHeld(third, "limit")

    def test_exposure_queries_do_not_grow_with_open_documents(self):
        def confirm_count():
            order = self._order(1)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            order.with_user(self.salesman).action_confirm()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        for _ in range(2):
            self._posted_invoice(1)
        self.customer.credit_limit = 10**9
        few = confirm_count()
        for _ in range(40):
            self._posted_invoice(1)
        self._order(1).with_user(self.salesman).action_confirm()
        many = confirm_count()
        self.assertLessEqual(many, few + 2, f"{few} queries with few documents, {many} with many")
