from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

# 1x1 transparent PNG: the customer's drawn signature
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


@tagged("post_install", "-at_install")
class TestPortalConfirmation(HttpCase):
    def test_portal_signed_order_is_held_not_lost(self):
        customer = self.env["res.partner"].create(
            {"name": "Portal Credit SAS", "is_company": True, "b2b_credit_policy": "none", "b2b_manual_hold": True}
        )
        buyer = self.env["res.partner"].create(
            {"name": "Paula Portal", "parent_id": customer.id, "email": "paula@portal-credit.example"}
        )
        new_test_user(self.env, login="paula.portal", groups="base.group_portal", partner_id=buyer.id)
        product = self.env["product.product"].create({"name": "Portal item", "type": "consu", "list_price": 50})
        order = self.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "require_signature": True,
                "require_payment": False,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_quotation_sent()
        self.authenticate("paula.portal", "paula.portal")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order._portal_ensure_token(), "name": "Paula Portal", "signature": SIGNATURE},
        )
        self.assertFalse(result.get("error"), result)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent", "not confirmed")
        self.assertTrue(order.b2b_credit_hold, "held for the credit manager")
        self.assertEqual(order.b2b_credit_hold_reason, "manual")
        self.assertTrue(order.signature, "the customer's signature is kept")
        self.assertTrue(order.activity_ids)
