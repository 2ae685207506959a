from datetime import datetime, time, timedelta

import pytz

from odoo import Command
from odoo.tests import tagged

from .common import MonthlyUsersCase


@tagged("post_install", "-at_install")
class TestInvoicingCutoff(MonthlyUsersCase):
    """A run for a past cut-off (launched late, or resumed the next day) invoices what was
    delivered up to the cut-off day only, in the company's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls.users["billing"]
        cls.tz = pytz.timezone("Europe/Paris")
        cls.env.company.partner_id.tz = "Europe/Paris"
        cls.cutoff = cls.today - timedelta(days=5)

    @classmethod
    def _at(cls, day, hour, minute=0):
        """A naive UTC datetime (as stored) for ``hour:minute`` in Paris on ``day``."""
        local = cls.tz.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _order(self, partner, lines, ordered_on):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": self.users["salesman"].id,
                "order_line": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
            }
        )
        order.action_confirm()
        order.date_order = self._at(ordered_on, 9)
        return order

    def _deliver(self, order, quantities, done_at):
        """Validate the order's open delivery for ``quantities`` ({product: qty}), the rest
        in a backorder, and date its moves ``done_at``."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id, 0.0)
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        picking.move_ids.filtered(lambda m: m.state == "done").date = done_at
        picking.date_done = done_at
        return picking

    def _run(self, cutoff, **vals):
        run = self.env["b2b.invoicing.run"].with_user(self.billing).create({"date_cutoff": cutoff, **vals})
        run.action_run()
        return run

    def test_past_cutoff_invoices_what_was_delivered_up_to_it(self):
        order = self._order(self.alpha, [(self.paper, 10), (self.toner, 2)], self.cutoff - timedelta(days=3))
        before = self._deliver(order, {self.paper: 6, self.toner: 2}, self._at(self.cutoff - timedelta(days=1), 15))
        after = self._deliver(order, {self.paper: 4}, self._at(self.cutoff + timedelta(days=2), 10))
        self.assertEqual(order.order_line.mapped("qty_to_invoice"), [10.0, 2.0], "all delivered by now")

        late_run = self._run(self.cutoff)
        invoice = late_run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.invoice_date, self.cutoff)
        self.assertEqual(
            {(line.product_id, line.quantity) for line in invoice.invoice_line_ids.filtered("product_id")},
            {(self.paper, 6.0), (self.toner, 2.0)},
            "only what was delivered up to the cut-off",
        )
        self.assertEqual(order.invoice_status, "to invoice", "the later delivery waits for its own cut-off")

        next_run = self._run(self.today)
        later = next_run.invoice_ids
        self.assertEqual(
            {(line.product_id, line.quantity) for line in later.invoice_line_ids.filtered("product_id")},
            {(self.paper, 4.0)},
        )
        self.assertEqual(order.invoice_status, "invoiced")
        section = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")
        self.assertIn(before.name, section.name)
        self.assertNotIn(after.name, section.name, "the later delivery is not covered by this invoice")
        # the delivery notes the invoice document lists (read with full rights: the document's own concern)
        self.assertEqual(invoice.sudo().b2b_delivery_picking_ids, before, "only the deliveries it covers")

    def test_cutoff_day_ends_at_midnight_in_company_time_zone(self):
        """A delivery at 23:30 in Paris on the cut-off day (21:30 or 22:30 UTC) belongs to it;
        one at 00:30 the next day (still the cut-off day in UTC) does not."""
        order = self._order(self.alpha, [(self.paper, 10)], self.cutoff - timedelta(days=1))
        self._deliver(order, {self.paper: 3}, self._at(self.cutoff, 23, 30))
        self._deliver(order, {self.paper: 7}, self._at(self.cutoff + timedelta(days=1), 0, 30))
        run = self._run(self.cutoff)
        self.assertEqual(run.invoice_ids.invoice_line_ids.filtered("product_id").quantity, 3.0)

    def test_nothing_delivered_up_to_cutoff(self):
        order = self._order(self.alpha, [(self.paper, 5)], self.cutoff - timedelta(days=1))
        self._deliver(order, {self.paper: 5}, self._at(self.cutoff + timedelta(days=1), 10))
        run = self._run(self.cutoff)
        self.assertEqual(run.state, "done")
        self.assertFalse(run.invoice_ids)
        self.assertEqual(run.log_ids.mapped("state"), ["nothing"])
        self.assertEqual(order.invoice_status, "to invoice")

    def test_ordered_quantities_are_not_cut(self):
        """Products invoiced on ordered quantities are invoiced whole, as Odoo does."""
        service = self.env["product.product"].create(
            {"name": "Forfait", "type": "service", "list_price": 50.0, "invoice_policy": "order"}
        )
        order = self._order(self.alpha, [(service, 1), (self.paper, 2)], self.cutoff - timedelta(days=1))
        self._deliver(order, {self.paper: 2}, self._at(self.cutoff + timedelta(days=1), 10))
        run = self._run(self.cutoff)
        self.assertEqual(
            {(line.product_id, line.quantity) for line in run.invoice_ids.invoice_line_ids.filtered("product_id")},
            {(service, 1.0)},
        )
