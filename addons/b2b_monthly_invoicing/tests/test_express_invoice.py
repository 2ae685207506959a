from odoo import Command
from odoo.tests import tagged

from .common import MonthlyCase


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
