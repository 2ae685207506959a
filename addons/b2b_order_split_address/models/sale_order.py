from odoo import api, fields, models
from odoo.exceptions import UserError


def _quick_entry_depends(model):
    # the credit hold belongs to b2b_credit_hold, which this addon does not depend on
    return ["state", "b2b_approval_state"] + (["b2b_credit_hold"] if "b2b_credit_hold" in model._fields else [])


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_customer_entity_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer Entity", help="Whose addresses lines ship to."
    )
    # "quick": lines pasted or uploaded into an empty quotation (back-office quick entry here,
    # the portal's quick order in b2b_customer_portal, which reuses this value)
    b2b_order_type = fields.Selection(selection_add=[("quick", "Quick Order")], ondelete={"quick": "set default"})
    b2b_quick_entry_allowed = fields.Boolean(
        string="Quick Entry Allowed",
        compute="_compute_b2b_quick_entry_allowed",
        help="Lines can be added by quick entry: a quotation neither on credit hold nor waiting "
        "for (or rejected by) the customer's approval.",
    )

    @api.depends(_quick_entry_depends)
    def _compute_b2b_quick_entry_allowed(self):
        for order in self:
            order.b2b_quick_entry_allowed = not order._b2b_quick_entry_refusal()

    def _b2b_quick_entry_refusal(self):
        """Why lines cannot be added by quick entry to this order (False when they can)."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return self.env._("Lines can only be added to a quotation, not to %(order)s.", order=self.name)
        if self._fields.get("b2b_credit_hold") and self.b2b_credit_hold:
            return self.env._(
                "%(order)s is on credit hold: lines cannot be added until a credit manager releases it.",
                order=self.name,
            )
        if self.b2b_approval_state == "to_approve":
            return self.env._(
                "%(order)s is waiting for the customer's approval: lines cannot be added to it.", order=self.name
            )
        if self.b2b_approval_state == "rejected":
            return self.env._("%(order)s was rejected by the customer: lines cannot be added to it.", order=self.name)
        return False

    def _b2b_check_quick_entry_allowed(self):
        for order in self:
            refusal = order._b2b_quick_entry_refusal()
            if refusal:
                raise UserError(refusal)

    def _b2b_line_invoice_key(self, line):
        """(billed party, payer, fiscal position) an order line is invoiced to and under.
        Sections, notes and down payments follow the order's header."""
        if line.display_type or line.is_downpayment:
            return (self.partner_invoice_id, self.payer_id, self.fiscal_position_id)
        return (
            line.partner_invoice_id or self.partner_invoice_id,
            line.payer_id or self.payer_id,
            line.fiscal_position_id,
        )

    def _b2b_invoice_keys(self):
        """(billed party id, payer id, fiscal position id) of every product line of these orders."""
        return {
            tuple(party.id for party in order._b2b_line_invoice_key(line))
            for order in self
            for line in order.order_line
            if not line.display_type
        }

    def _create_invoices(self, grouped=False, final=False, date=None):
        """One invoice per billed party, payer and fiscal position found on the lines: Odoo's
        own invoicing runs once per (billed party, payer, position), on the lines invoiced to it."""
        if "b2b_invoice_key" in self.env.context:
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        if all(
            order._b2b_line_invoice_key(line) == (order.partner_invoice_id, order.payer_id, order.fiscal_position_id)
            for order in self
            for line in order.order_line
        ):
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        keys = self._b2b_invoice_keys()
        moves = self.env["account.move"]
        for key in sorted(keys):
            orders = self.with_context(b2b_invoice_key=key, raise_if_nothing_to_invoice=False)
            moves |= super(SaleOrder, orders)._create_invoices(grouped=grouped, final=final, date=date)
        if not moves and self.env.context.get("raise_if_nothing_to_invoice", True):
            raise UserError(self._nothing_to_invoice_error_message())
        return moves

    def _get_invoiceable_lines(self, final=False):
        lines = super()._get_invoiceable_lines(final)
        key = self.env.context.get("b2b_invoice_key")
        if key is None:
            return lines
        return self._b2b_lines_with_their_sections(
            lines, lambda line: tuple(key) == tuple(part.id for part in self._b2b_line_invoice_key(line))
        )

    @api.model
    def _b2b_lines_with_their_sections(self, lines, keep):
        """The lines of ``lines`` that ``keep`` accepts, with the sections, subsections and notes
        that precede them: these go with the first kept line that follows them."""
        SaleOrderLine = self.env["sale.order.line"]
        kept = section = subsection = notes = SaleOrderLine
        for line in lines:
            if line.display_type == "line_section":
                section, subsection, notes = line, SaleOrderLine, SaleOrderLine
            elif line.display_type == "line_subsection":
                subsection, notes = line, SaleOrderLine
            elif line.display_type:
                notes |= line
            elif keep(line):
                kept |= section | subsection | notes | line
                notes = SaleOrderLine
        return kept

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        key = self.env.context.get("b2b_invoice_key")
        if key is not None:
            vals["partner_id"], vals["payer_id"], vals["fiscal_position_id"] = key
        return vals

    def write(self, vals):
        """A confirmed order's new delivery address takes along the lines that follow it and
        their pending deliveries; lines already delivered stay where they went. Quotation lines
        under a fiscal position of their own are taxed again when it changes."""
        header_fields = {"partner_id", "partner_invoice_id", "partner_shipping_id", "fiscal_position_id", "company_id"}
        lines = self.order_line.filtered(lambda line: not line.display_type)
        positions_before = lines._b2b_positions() if header_fields & set(vals) else {}
        moved_lines = self.env["sale.order.line"]
        if vals.get("partner_shipping_id"):
            moved_lines = lines.filtered(
                lambda line: line.state == "sale"
                and not line.b2b_shipping_set_on_line
                and line.partner_shipping_id.id != vals["partner_shipping_id"]
            )
            delivered = moved_lines.filtered(lambda line: line._b2b_fully_delivered())
            # what is delivered keeps the address it was delivered to
            delivered.write({"b2b_shipping_set_on_line": True})
            moved_lines -= delivered
        pending_pickings = moved_lines.order_id.picking_ids.filtered(
            lambda picking: picking.state not in ("done", "cancel")
        )
        activities_before = pending_pickings.activity_ids
        res = super().write(vals)
        if positions_before:
            lines._b2b_retax_quotation_lines(positions_before)
        if moved_lines:
            moved_lines._b2b_move_pending_deliveries()
            # sale_stock asks, on each pending delivery, to update its address by hand: done
            warning = self.env.ref("mail.mail_activity_data_warning", raise_if_not_found=False)
            (pending_pickings.exists().activity_ids - activities_before).filtered(
                lambda activity: activity.activity_type_id == warning
            ).unlink()
        return res

    def action_b2b_quick_entry(self):
        """Open the quick entry of lines on this quotation."""
        self.ensure_one()
        self._b2b_check_quick_entry_allowed()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quick Entry"),
            "res_model": "b2b.quick.entry",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }
