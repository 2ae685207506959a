from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SplitAddressCase


@tagged("post_install", "-at_install")
class TestSplitDeliveries(SplitAddressCase):
    def _deliver(self, picking, quantities=None):
        """Validate ``picking``, delivering ``quantities`` {product: qty} (all by default)."""
        for move in picking.move_ids:
            qty = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.quantity = qty
            move.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=[]).button_validate()

    def test_three_lines_two_addresses_two_pickings(self):
        order = self._order(
            [
                (self.paper, 10, {}),
                (self.toner, 2, {"partner_shipping_id": self.site_b.id}),
                (self.gel, 5, {}),
            ]
        )
        order.action_confirm()
        pickings = order.picking_ids
        self.assertEqual(len(pickings), 2)
        by_partner = {picking.partner_id: picking for picking in pickings}
        self.assertEqual(set(by_partner), {self.site_a, self.site_b})
        site_a_moves = by_partner[self.site_a].move_ids
        self.assertEqual(
            {(m.product_id, m.product_uom_qty) for m in site_a_moves}, {(self.paper, 10.0), (self.gel, 5.0)}
        )
        self.assertEqual(
            {(m.product_id, m.product_uom_qty) for m in by_partner[self.site_b].move_ids}, {(self.toner, 2.0)}
        )

    def test_single_address_single_picking_as_odoo(self):
        order = self._order([(self.paper, 10, {}), (self.toner, 2, {})])
        order.action_confirm()
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.picking_ids.partner_id, self.site_a)

    def test_address_change_after_confirmation_moves_pending_quantity(self):
        order = self._order([(self.paper, 10, {}), (self.toner, 2, {})])
        order.action_confirm()
        toner_line = order.order_line.filtered(lambda line: line.product_id == self.toner)
        toner_line.partner_shipping_id = self.site_c
        self.assertEqual(len(order.picking_ids), 2, "a new delivery for the new address")
        new_picking = order.picking_ids.filtered(lambda p: p.partner_id == self.site_c)
        self.assertEqual(new_picking.move_ids.product_id, self.toner)
        self.assertEqual(new_picking.move_ids.product_uom_qty, 2.0)
        old_picking = order.picking_ids - new_picking
        self.assertEqual(old_picking.move_ids.product_id, self.paper)
        # moving it back joins the existing delivery of that address, the emptied one goes away
        toner_line.partner_shipping_id = self.site_a
        self.assertEqual(order.picking_ids, old_picking)
        self.assertEqual(set(old_picking.move_ids.product_id.ids), {self.paper.id, self.toner.id})

    def test_delivered_quantity_does_not_move(self):
        order = self._order([(self.paper, 10, {})])
        order.action_confirm()
        self._deliver(order.picking_ids, {self.paper: 4})
        backorder = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(backorder.move_ids.product_uom_qty, 6.0)
        order.order_line.partner_shipping_id = self.site_b
        done = order.picking_ids.filtered(lambda p: p.state == "done")
        self.assertEqual(done.partner_id, self.site_a, "the delivered part stays where it went")
        self.assertEqual(done.move_ids.quantity, 4.0)
        pending = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(pending.partner_id, self.site_b)
        self.assertEqual(pending.move_ids.product_uom_qty, 6.0)

    def test_fully_delivered_line_cannot_change_address(self):
        order = self._order([(self.paper, 10, {})])
        order.action_confirm()
        self._deliver(order.picking_ids)
        with self.assertRaises(UserError) as error:
            order.order_line.partner_shipping_id = self.site_b
        self.assertIn("already delivered", str(error.exception))
        self.assertEqual(order.order_line.partner_shipping_id, self.site_a)

    def test_header_address_change_moves_pending_deliveries(self):
        salesman = self.users["salesman"]
        order = self._order([(self.paper, 10, {}), (self.toner, 2, {"partner_shipping_id": self.site_b.id})], salesman)
        order = order.with_user(salesman)
        order.action_confirm()
        paper_line = order.order_line.filtered(lambda line: line.product_id == self.paper)
        picking_a = order.picking_ids.filtered(lambda picking: picking.partner_id == self.site_a)
        picking_b = order.picking_ids - picking_a
        order.partner_shipping_id = self.site_c
        self.assertEqual(paper_line.partner_shipping_id, self.site_c, "the line follows the header")
        self.assertEqual(picking_a.partner_id, self.site_c, "its pending delivery follows too")
        self.assertEqual(picking_a.move_ids.partner_id, self.site_c)
        self.assertEqual(picking_b.partner_id, self.site_b, "a line with its own address stays")
        self.assertEqual(order.picking_ids, picking_a | picking_b)
        self.assertFalse(order.picking_ids.activity_ids, "no to-do asking to update the deliveries by hand")

    def test_header_address_change_leaves_delivered_lines_where_they_went(self):
        salesman = self.users["salesman"]
        order = self._order([(self.paper, 10, {}), (self.toner, 2, {})], salesman).with_user(salesman)
        order.action_confirm()
        self._deliver(order.picking_ids.sudo(), {self.paper: 10, self.toner: 0})
        order.partner_shipping_id = self.site_b
        paper_line, toner_line = order.order_line
        self.assertEqual(paper_line.partner_shipping_id, self.site_a, "delivered: it stays")
        self.assertEqual(toner_line.partner_shipping_id, self.site_b)
        done = order.picking_ids.filtered(lambda picking: picking.state == "done")
        pending = order.picking_ids - done
        self.assertEqual(done.partner_id, self.site_a)
        self.assertEqual(pending.partner_id, self.site_b)
        self.assertEqual(pending.move_ids.product_id, self.toner)
        invoice = order.sudo()._create_invoices()
        delivered_to = {line.product_id: line.b2b_delivery_partner_id for line in invoice.invoice_line_ids}
        self.assertEqual(delivered_to, {self.paper: self.site_a, self.toner: self.site_b})

    def test_header_address_change_in_the_order_form(self):
        """As in the web client, which also sends the lines' addresses its onchange changed."""
        salesman = self.users["salesman"]
        order = self._order(
            [(self.paper, 10, {}), (self.toner, 2, {}), (self.gel, 1, {"partner_shipping_id": self.site_c.id})],
            salesman,
        ).with_user(salesman)
        order.action_confirm()
        picking_a = order.picking_ids.filtered(lambda picking: picking.partner_id == self.site_a)
        self._deliver(picking_a.sudo(), {self.paper: 10, self.toner: 0})
        with Form(order) as form:
            form.partner_shipping_id = self.site_b
        paper_line, toner_line, gel_line = order.order_line
        self.assertEqual(paper_line.partner_shipping_id, self.site_a, "delivered: it stays")
        self.assertEqual(toner_line.partner_shipping_id, self.site_b)
        self.assertEqual(gel_line.partner_shipping_id, self.site_c)
        pending = order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
        self.assertEqual(
            {(picking.partner_id, picking.move_ids.product_id) for picking in pending},
            {(self.site_b, self.toner), (self.site_c, self.gel)},
        )

    def test_moving_deliveries_leaves_moves_already_in_place(self):
        order = self._order([(self.paper, 10, {}), (self.toner, 2, {"partner_shipping_id": self.site_b.id})])
        order.action_confirm()
        paper_move = order.order_line[0].move_ids
        toner_move = order.order_line[1].move_ids
        toner_move.partner_id = self.site_c  # out of step with its line
        order.order_line._b2b_move_pending_deliveries()
        self.assertEqual(paper_move.picking_id.partner_id, self.site_a, "in place: untouched")
        self.assertEqual((toner_move.partner_id, toner_move.picking_id.partner_id), (self.site_b, self.site_b))
