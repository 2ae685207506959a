from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    partner_shipping_id = fields.Many2one(
        "res.partner",
        string="Deliver To",
        compute="_compute_partner_shipping_id",
        inverse="_inverse_partner_shipping_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="Where this line is delivered. Follows the order's delivery address unless set on the line.",
    )
    partner_invoice_id = fields.Many2one(
        "res.partner",
        string="Invoice To",
        compute="_compute_partner_invoice_id",
        inverse="_inverse_partner_invoice_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="Who is invoiced for this line. Follows the order's billed party unless set on the line.",
    )
    payer_id = fields.Many2one(
        "res.partner",
        compute="_compute_payer_id",
        store=True,
        precompute=True,
        help="Who pays this line: the order's payer when the line is invoiced to the order's billed "
        "party, else the payer of the line's billed party.",
    )
    b2b_shipping_set_on_line = fields.Boolean(copy=True, help="The delivery address was chosen on the line.")
    b2b_invoice_set_on_line = fields.Boolean(copy=True, help="The invoice address was chosen on the line.")

    @api.depends("order_id.partner_shipping_id")
    def _compute_partner_shipping_id(self):
        for line in self:
            if not (line.b2b_shipping_set_on_line and line.partner_shipping_id):
                line.partner_shipping_id = line.order_id.partner_shipping_id

    def _inverse_partner_shipping_id(self):
        for line in self:
            line.b2b_shipping_set_on_line = line.partner_shipping_id != line.order_id.partner_shipping_id

    @api.depends("order_id.partner_invoice_id")
    def _compute_partner_invoice_id(self):
        for line in self:
            if not (line.b2b_invoice_set_on_line and line.partner_invoice_id):
                line.partner_invoice_id = line.order_id.partner_invoice_id

    def _inverse_partner_invoice_id(self):
        for line in self:
            line.b2b_invoice_set_on_line = line.partner_invoice_id != line.order_id.partner_invoice_id

    @api.depends("partner_invoice_id", "order_id.partner_invoice_id", "order_id.payer_id")
    def _compute_payer_id(self):
        for line in self:
            order = line.order_id
            if not line.partner_invoice_id or line.partner_invoice_id == order.partner_invoice_id:
                line.payer_id = order.payer_id
            else:
                line.payer_id = order._b2b_customer_entity()._b2b_default_payer(line.partner_invoice_id)

    @api.constrains("partner_shipping_id", "partner_invoice_id")
    def _check_b2b_line_addresses(self):
        for line in self.filtered(lambda line: line.order_id.partner_id and not line.display_type):
            entity = line.order_id._b2b_customer_entity()
            if line.partner_shipping_id and line.partner_shipping_id.commercial_partner_id != entity:
                raise ValidationError(
                    self.env._(
                        "%(address)s is not an address of %(customer)s: line %(line)s of %(order)s cannot "
                        "be delivered there.",
                        address=line.partner_shipping_id.display_name,
                        customer=entity.display_name,
                        line=line.product_id.display_name or line.name,
                        order=line.order_id.name,
                    )
                )
            entity._b2b_check_billed_party(line.partner_invoice_id)

    # ------------------------------------------------------------------
    # Deliveries
    # ------------------------------------------------------------------
    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.partner_shipping_id:
            values["partner_id"] = self.partner_shipping_id.id
        return values

    def write(self, vals):
        moved_lines = self.env["sale.order.line"]
        if "partner_shipping_id" in vals:
            moved_lines = self.filtered(
                lambda line: line.state == "sale" and line.partner_shipping_id.id != vals["partner_shipping_id"]
            )
            moved_lines._b2b_check_shipping_can_move()
        res = super().write(vals)
        if moved_lines:
            moved_lines._b2b_move_pending_deliveries()
        return res

    def _b2b_pending_delivery_moves(self):
        return self.move_ids.filtered(
            lambda move: move.state not in ("done", "cancel") and move.location_dest_id.usage == "customer"
        )

    def _b2b_check_shipping_can_move(self):
        for line in self:
            if line.move_ids and not line._b2b_pending_delivery_moves():
                raise UserError(
                    self.env._(
                        "%(product)s on %(order)s is already delivered: its delivery address cannot change.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                    )
                )

    def _b2b_move_pending_deliveries(self):
        """Move the quantities not yet delivered to a delivery order of the line's new
        address (found or created by Odoo's own picking assignment); what is delivered stays."""
        moves = self._b2b_pending_delivery_moves()
        if not moves:
            return
        old_pickings = moves.picking_id
        for line in self:
            line._b2b_pending_delivery_moves().write({"partner_id": line.partner_shipping_id.id, "picking_id": False})
        moves._assign_picking()
        for picking in old_pickings:
            if not picking.move_ids:
                picking.unlink()
            elif picking.partner_id not in picking.move_ids.partner_id:
                picking.partner_id = picking.move_ids.partner_id[:1]

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------
    def _prepare_invoice_line(self, **optional_values):
        vals = super()._prepare_invoice_line(**optional_values)
        if vals.get("display_type") == "product" and self.partner_shipping_id:
            vals["b2b_delivery_partner_id"] = self.partner_shipping_id.id
        return vals
