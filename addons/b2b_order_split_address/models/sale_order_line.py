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
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        precompute=True,
        help="The order's fiscal position, unless the line is billed to another party or delivered "
        "elsewhere: then the one of an invoice to that party delivered there. Its taxes are mapped "
        "with it and it is invoiced under it; once the order is confirmed it no longer changes.",
    )
    b2b_shipping_set_on_line = fields.Boolean(copy=True, help="The delivery address was chosen on the line.")
    b2b_invoice_set_on_line = fields.Boolean(copy=True, help="The invoice address was chosen on the line.")

    @api.depends("order_id.partner_shipping_id")
    def _compute_partner_shipping_id(self):
        for line in self:
            if line.partner_shipping_id and (line.b2b_shipping_set_on_line or line._b2b_fully_delivered()):
                continue  # chosen on the line, or already delivered there: kept
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

    # ------------------------------------------------------------------
    # Fiscal position and taxes
    # ------------------------------------------------------------------
    def _b2b_follows_header(self):
        """Whether the line is billed to and delivered at the order's own addresses."""
        self.ensure_one()
        order = self.order_id
        return bool(
            self.display_type
            or self.is_downpayment
            or (
                self.partner_invoice_id in (order.partner_invoice_id, self.env["res.partner"])
                and self.partner_shipping_id in (order.partner_shipping_id, self.env["res.partner"])
            )
        )

    @api.depends(
        "order_id.fiscal_position_id",
        "order_id.partner_invoice_id",
        "order_id.partner_shipping_id",
        "order_id.company_id",
        "partner_invoice_id",
        "partner_shipping_id",
    )
    def _compute_fiscal_position_id(self):
        positions = {}
        for line in self:
            order = line.order_id
            if line.state == "sale" and line._origin:
                # a confirmed line keeps the position its taxes were mapped with
                line.fiscal_position_id = line._origin.fiscal_position_id
            elif line._b2b_follows_header():
                line.fiscal_position_id = order.fiscal_position_id
            else:
                key = (order.company_id, line.partner_invoice_id, line.partner_shipping_id)
                if key not in positions:
                    positions[key] = (
                        self.env["account.fiscal.position"]
                        .with_company(order.company_id)
                        ._get_fiscal_position(line.partner_invoice_id, delivery=line.partner_shipping_id)
                    )
                line.fiscal_position_id = positions[key]

    def _compute_tax_ids(self):  # pylint: disable=missing-return
        """Odoo maps the product's taxes with the order's fiscal position: a line under a
        position of its own has them mapped with that one."""
        super()._compute_tax_ids()
        for line in self:
            position = line.fiscal_position_id
            if line.product_type == "combo" or not line.product_id or position == line.order_id.fiscal_position_id:
                continue
            taxes = line.product_id.taxes_id._filter_taxes_by_company(line.company_id)
            if taxes:
                line.tax_ids = position.map_tax(taxes)

    def _b2b_positions(self):
        """{line: (fiscal position, follows the order's header)}, taken before a change."""
        return {line: (line.fiscal_position_id, line._b2b_follows_header()) for line in self}

    def _b2b_retax_quotation_lines(self, positions_before):
        """Map again the taxes of the quotation lines under a position of their own (before or
        after the change) whose position changed. Lines following the order's position are left
        to Odoo's own "Update Taxes", as in standard; confirmed orders are never re-taxed."""
        lines = self.filtered(
            lambda line: line.state in ("draft", "sent")
            and not line.display_type
            and line in positions_before
            and line.fiscal_position_id != positions_before[line][0]
            and not (positions_before[line][1] and line._b2b_follows_header())
        )
        lines._compute_tax_ids()

    @api.onchange("partner_shipping_id", "partner_invoice_id")
    def _onchange_b2b_line_fiscal_position(self):
        if self.order_id.state in ("draft", "sent") and self.fiscal_position_id != self._origin.fiscal_position_id:
            self._compute_tax_ids()

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
        positions_before = {}
        if "partner_shipping_id" in vals or "partner_invoice_id" in vals:
            positions_before = self._b2b_positions()
        moved_lines = self.env["sale.order.line"]
        if "partner_shipping_id" in vals:
            moved_lines = self.filtered(
                lambda line: line.state == "sale" and line.partner_shipping_id.id != vals["partner_shipping_id"]
            )
            moved_lines._b2b_check_shipping_can_move()
        res = super().write(vals)
        if positions_before:
            self._b2b_retax_quotation_lines(positions_before)
        if moved_lines:
            moved_lines._b2b_move_pending_deliveries()
        return res

    def _b2b_pending_delivery_moves(self):
        return self.move_ids.filtered(
            lambda move: move.state not in ("done", "cancel") and move.location_dest_id.usage == "customer"
        )

    def _b2b_fully_delivered(self):
        """Whether the line went to its customer and nothing of it is left to deliver."""
        self.ensure_one()
        return bool(self.state == "sale" and self.move_ids and not self._b2b_pending_delivery_moves())

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
        address: a pending delivery whose moves all go to one new address just changes address,
        unless the order already has a pending delivery there to join; other moves go to the
        delivery Odoo's own picking assignment finds or creates. What is delivered stays."""
        moves = self._b2b_pending_delivery_moves().filtered(
            lambda move: (move.partner_id | move.picking_id.partner_id) != move.sale_line_id.partner_shipping_id
        )
        if not moves:
            return  # already where the lines go
        old_pickings = moves.picking_id
        moved = self.env["stock.move"]
        for picking in old_pickings:
            picking_moves = picking.move_ids.filtered(lambda move: move.state != "cancel")
            partner = picking_moves.sale_line_id.partner_shipping_id
            joinable = picking.sale_id.picking_ids.filtered(
                lambda other, picking=picking, partner=partner: other != picking
                and other.state not in ("done", "cancel")
                and other.picking_type_id == picking.picking_type_id
                and other.partner_id == partner
            )
            if picking_moves <= moves and len(partner) == 1 and not joinable:
                picking_moves.partner_id = partner
                picking.partner_id = partner
                moved |= picking_moves
        for line in self:
            line_moves = (line._b2b_pending_delivery_moves() & moves) - moved
            line_moves.write({"partner_id": line.partner_shipping_id.id, "picking_id": False})
        (moves - moved)._assign_picking()
        for picking in old_pickings:
            if not picking.move_ids:
                # emptied by moving its moves, which the user may do: an empty delivery order
                # means nothing, even to a salesman who may not delete delivery orders
                picking.sudo().unlink()
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
