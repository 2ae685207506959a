from odoo import fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditControls(B2bRoleUsersMixin, CreditCase):
    """No context key and no writable field stands in for a credit decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_ctl")
        cls.salesman_user = cls.users["salesman"]
        cls.manager_user = cls.users["credit_manager"]

    def _salesman_order(self, amount):
        return self._order(amount, user_id=self.salesman_user.id).with_user(self.salesman_user)

    def test_context_key_does_not_release(self):
        order = self._salesman_order(1500)
        order.with_context(b2b_credit_released=True).action_confirm()
        self.assertEqual(order.state, "draft", "over the limit: still a quotation")
        self.assertTrue(order.b2b_credit_hold)
        self.assertEqual(order.b2b_credit_hold_reason, "limit")
        self.assertFalse(order.b2b_credit_decision_ids, "nothing was released")

    def test_salesman_cannot_write_credit_control_fields(self):
        order = self._salesman_order(1500)
        forged = {
            "b2b_credit_hold": False,
            "b2b_credit_hold_reason": "manual",
            "b2b_credit_hold_date": fields.Datetime.now(),
            "b2b_credit_hold_exposure": 0.0,
            "b2b_credit_hold_limit": 10**6,
            "b2b_credit_checked_amount": 10**6,
            "b2b_credit_to_invoice": 0.0,
        }
        for name, value in forged.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                order.write({name: value})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesman_user).create(
                {"partner_id": self.contact.id, "b2b_credit_checked_amount": 10**6}
            )
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold, "the salesman's order is still checked")

    def test_salesman_cannot_grow_released_order_past_release(self):
        order = self._order(1200, user_id=self.salesman_user.id)
        order.with_user(self.salesman_user).action_confirm()
        order.with_user(self.manager_user).action_b2b_credit_release(reason="Accord pour 1 200")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_credit_checked_amount, 1200.0)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman_user).write({"b2b_credit_checked_amount": 5000})
        order.with_user(self.salesman_user).order_line.write({"product_uom_qty": 2, "price_unit": 1200})
        self.assertTrue(order.b2b_credit_hold, "grown past the released amount: held again")

    def test_held_order_passing_later_confirms_and_closes_review(self):
        order = self._salesman_order(1500)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        self.assertTrue(order.activity_ids)
        self.customer.with_user(self.manager_user).credit_limit = 2000
        order.action_confirm()
        self.assertEqual(order.state, "sale", "the check passes now")
        self.assertFalse(order.b2b_credit_hold)
        self.assertFalse(order.activity_ids, "no review left for the credit managers")

    def test_credit_manager_releases_and_rejects(self):
        order = self._salesman_order(1500)
        order.action_confirm()
        order.with_user(self.manager_user).action_b2b_credit_release(reason="Paiement annoncé")
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)
        self.assertEqual(order.b2b_credit_decision_ids.user_id, self.manager_user)
        rejected = self._salesman_order(1500)
        rejected.action_confirm()
        rejected.with_user(self.manager_user).action_b2b_credit_reject(reason="Trop risqué")
        self.assertEqual(rejected.state, "cancel")
        self.assertFalse(rejected.b2b_credit_hold)

    def test_stock_user_cannot_release_delivery(self):
        stock_user = self.users["stock_user"]
        order = self._order(100, user_id=self.salesman_user.id)
        order.action_confirm()
        self.customer.b2b_manual_hold = True
        picking = order.picking_ids.with_user(stock_user)
        with self.assertRaises(AccessError):
            picking.write({"b2b_credit_released": True})
        with self.assertRaises(AccessError):
            picking.action_b2b_credit_release_delivery(reason="urgent")
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with self.assertRaises(UserError):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        # the credit manager's release lets the stock user deliver
        order.picking_ids.with_user(self.manager_user).action_b2b_credit_release_delivery(reason="Livraison urgente")
        self.assertTrue(picking.b2b_credit_released)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_approval_comes_before_credit(self):
        """An order waiting for the customer's approval (or rejected by it) is not put on
        credit hold: credit is checked on what the customer approved."""
        customer = self.portal_customer
        customer.write({"credit_limit": 1000.0, "b2b_credit_policy": "block", "b2b_approval_limit": 500.0})
        buyer = self.portal_users["buyer"]

        def buyer_order(amount):
            return self._order(amount, partner=buyer.partner_id, user_id=self.salesman_user.id).with_user(
                self.salesman_user
            )

        order = buyer_order(1500)
        self.assertEqual(order.b2b_approval_state, "to_approve")
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertFalse(order.b2b_credit_hold)
        self.assertFalse(order.activity_ids, "no credit review asked for an order not approved")
        order.with_user(self.portal_users["approver"]).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "approved")
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold, "approved, then checked: over the limit")
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.activity_ids)
        order.with_user(self.manager_user).action_b2b_credit_release(reason="Accord DAF")
        self.assertEqual(order.state, "sale")

        rejected = buyer_order(1500)
        rejected.with_user(self.portal_users["approver"]).action_b2b_reject(reason="Pas ce mois-ci")
        with self.assertRaises(UserError):
            rejected.action_confirm()
        self.assertFalse(rejected.b2b_credit_hold)
        self.assertFalse(rejected.activity_ids)
