from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestDecisions(CreditCase):
    def _held_order(self, amount=1500):
        order = self._order(amount)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        return order

    def test_hold_persists_as_quotation_with_activity(self):
        order = self._held_order()
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.b2b_credit_hold)
        self.assertTrue(order.b2b_credit_hold_date)
        self.assertIn(order, self.env["sale.order"].search([("b2b_credit_hold", "=", True)]))
        self.assertTrue(order.activity_ids)
        order.action_confirm()
        self.assertEqual(order.state, "draft", "confirming again keeps it held")

    def test_release_logged_and_confirms(self):
        order = self._held_order()
        wizard_action = order.with_user(self.credit_manager).action_b2b_credit_release()
        wizard = (
            self.env[wizard_action["res_model"]]
            .with_user(self.credit_manager)
            .with_context(**wizard_action["context"])
            .create({"reason": "Accord DAF, paiement annoncé"})
        )
        wizard.action_apply()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)
        decision = order.b2b_credit_decision_ids
        self.assertEqual(len(decision), 1)
        self.assertEqual(decision.decision, "release")
        self.assertEqual(decision.user_id, self.credit_manager)
        self.assertEqual(decision.reason, "Accord DAF, paiement annoncé")
        self.assertEqual(decision.hold_reason, "limit")
        self.assertEqual(decision.credit_limit, 1000.0)
        self.assertEqual(decision.exposure, 0.0, "exposure before the order was released")
        self.assertTrue(any("Accord DAF" in body for body in order.message_ids.mapped("body")))
        self.assertFalse(order.activity_ids, "the review activity is done")

    def test_reject_logged_cancels_and_tells_salesperson(self):
        order = self._held_order()
        order.with_user(self.credit_manager).action_b2b_credit_reject(reason="Client en procédure collective")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.b2b_credit_decision_ids.decision, "reject")
        message = order.message_ids[0]
        self.assertIn("Client en procédure collective", message.body)
        self.assertIn(self.salesman.partner_id, message.partner_ids)

    def test_non_manager_refused(self):
        order = self._held_order()
        for action in ("action_b2b_credit_release", "action_b2b_credit_reject"):
            with self.assertRaises(AccessError):
                getattr(order.with_user(self.salesman), action)(reason="please")
            with self.assertRaises(AccessError):
                getattr(order.with_user(self.salesman), action)()
        self.assertTrue(order.b2b_credit_hold)
        self.assertFalse(order.b2b_credit_decision_ids)
        with self.assertRaises(UserError):
            order.with_user(self.credit_manager).action_b2b_credit_release(reason="   ")

    def test_released_order_growing_is_checked_again(self):
        order = self._held_order(1200)
        order.with_user(self.credit_manager).action_b2b_credit_release(reason="ok for 1200")
        self.assertEqual(order.state, "sale")
        order.order_line.name = "Fourniture (modifiée)"  # no amount change: still covered
        self.assertFalse(order.b2b_credit_hold)
        order.write({"order_line": [Command.create({"product_id": self.product.id, "price_unit": 300})]})
        self.assertTrue(order.b2b_credit_hold, "grown past the released amount and over the limit")
        self.assertEqual(order.b2b_credit_hold_reason, "limit")
        self.assertEqual(order.state, "sale")

    def test_delivery_refused_then_allowed_after_release(self):
        order = self._order(100)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.customer.b2b_manual_hold = True
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as error:
            picking.button_validate()
        self.assertIn("credit", str(error.exception))
        self.assertNotEqual(picking.state, "done")
        with self.assertRaises(AccessError):
            picking.with_user(self.salesman).action_b2b_credit_release_delivery(reason="urgent")
        picking.with_user(self.credit_manager).action_b2b_credit_release_delivery(reason="Livraison urgente autorisée")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.b2b_credit_decision_ids.decision, "release_delivery")
