from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MonthlyCase, MonthlyUsersCase


@tagged("post_install", "-at_install")
class TestExpressInvoice(MonthlyCase):
    def test_express_invoice_delivers_and_posts(self):
        storable = self.env["product.product"].create(
            {"name": "Fauteuil", "is_storable": True, "list_price": 200, "invoice_policy": "delivery"}
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(storable, warehouse.lot_stock_id, 1)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.gamma.id,
                "order_line": [
                    Command.create({"product_id": self.paper.id, "product_uom_qty": 5}),
                    Command.create({"product_id": storable.id, "product_uom_qty": 3}),
                ],
            }
        )
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        action = order.action_b2b_express_invoice()
        self.assertEqual(order.state, "sale")
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(action["type"], "ir.actions.report", "the invoice PDF opens")
        done = order.picking_ids.filtered(lambda p: p.state == "done")
        self.assertEqual(len(done), 1, "the delivery is validated")
        self.assertEqual(
            {(line.product_id, line.quantity) for line in invoice.invoice_line_ids},
            {(self.paper, 5.0), (storable, 1.0)},
        )
        backorder = order.picking_ids - done
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0, "what stock could not cover waits")
        self.assertIn("not delivered for lack of stock", order.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestExpressInvoiceUsers(MonthlyUsersCase):
    """Express invoice is the salesman's button for phone and counter orders: his own orders,
    never one held for credit or waiting for (or refused by) the customer's approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls.users["salesman"]
        cls.env.company.external_report_layout_id = cls.env.ref("web.external_layout_standard")

    def _quotation(self, partner=None, user=None, qty=5):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.gamma).id,
                "user_id": (user or self.salesman).id,
                "order_line": [Command.create({"product_id": self.paper.id, "product_uom_qty": qty})],
            }
        )

    def test_salesman_express_invoices_his_order(self):
        form = self.env["sale.order"].with_user(self.salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertTrue("action_b2b_express_invoice" in form, "the salesman sees the button")
        order = self._quotation()
        self.assertTrue(order.with_user(self.salesman).b2b_express_invoice_available)
        action = order.with_user(self.salesman).action_b2b_express_invoice()
        self.assertEqual(action["type"], "ir.actions.report", "the invoice PDF opens")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.picking_ids.state, "done")
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 5.0)
        self.assertEqual(invoice.with_user(self.salesman).amount_untaxed, 25.0, "he reads his invoice")
        self.assertFalse(order.with_user(self.salesman).b2b_express_invoice_available, "nothing left to invoice")

    def test_only_salespeople_on_their_own_orders(self):
        order = self._quotation()
        with self.assertRaisesRegex(AccessError, "Only salespeople"):
            order.with_user(self.users["stock_user"]).action_b2b_express_invoice()
        others = self._quotation(user=self.users["sales_manager"])
        with self.assertRaises(AccessError):
            others.with_user(self.salesman).action_b2b_express_invoice()
        self.assertEqual((order | others).mapped("state"), ["draft", "draft"])
        self.assertFalse((order | others).invoice_ids)

    def test_held_order_is_not_express_invoiced(self):
        if "b2b_credit_hold" not in self.env["sale.order"]._fields:
            self.skipTest("b2b_credit_hold is not installed")
        order = self._quotation()
        order.action_confirm()
        # grown past its credit check: put back on hold, its deliveries wait for a credit manager
        order.write({"b2b_credit_hold": True, "b2b_credit_hold_reason": "limit"})
        as_salesman = order.with_user(self.salesman)
        self.assertFalse(as_salesman.b2b_express_invoice_available, "no Express Invoice button")
        with self.assertRaisesRegex(UserError, "credit hold"):
            as_salesman.action_b2b_express_invoice()
        self.assertNotEqual(order.picking_ids.state, "done", "nothing delivered")
        self.assertFalse(order.invoice_ids)

    def test_held_quotation_is_not_express_invoiced(self):
        if "b2b_credit_hold" not in self.env["sale.order"]._fields:
            self.skipTest("b2b_credit_hold is not installed")
        order = self._quotation()
        order.write({"b2b_credit_hold": True, "b2b_credit_hold_reason": "manual"})
        activities = len(order.activity_ids)
        messages = len(order.message_ids)
        as_salesman = order.with_user(self.salesman)
        self.assertFalse(as_salesman.b2b_express_invoice_available)
        with self.assertRaisesRegex(UserError, "credit hold"):
            as_salesman.action_b2b_express_invoice()
        self.assertEqual(order.state, "draft")
        self.assertEqual((len(order.activity_ids), len(order.message_ids)), (activities, messages), "not held again")

    def test_orders_waiting_for_or_refused_by_the_customer_approval(self):
        self.portal_customer.b2b_approval_limit = 10.0
        order = self._quotation(partner=self.portal_users["buyer"].partner_id, qty=10)
        self.assertEqual(order.b2b_approval_state, "to_approve")
        as_salesman = order.with_user(self.salesman)
        self.assertFalse(as_salesman.b2b_express_invoice_available)
        with self.assertRaisesRegex(UserError, "approval"):
            as_salesman.action_b2b_express_invoice()
        order.with_user(self.portal_users["approver"]).action_b2b_reject(reason="Trop cher")
        self.assertEqual(order.b2b_approval_state, "rejected")
        self.assertFalse(as_salesman.b2b_express_invoice_available)
        with self.assertRaisesRegex(UserError, "rejected"):
            as_salesman.action_b2b_express_invoice()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.invoice_ids)
