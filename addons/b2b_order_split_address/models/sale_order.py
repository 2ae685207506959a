from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_customer_entity_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer Entity", help="Whose addresses lines ship to."
    )

    def _b2b_line_invoice_key(self, line):
        """(billed party, payer) an order line is invoiced to. Sections, notes and down
        payments follow the order's header."""
        if line.display_type or line.is_downpayment:
            return (self.partner_invoice_id, self.payer_id)
        return (line.partner_invoice_id or self.partner_invoice_id, line.payer_id or self.payer_id)

    def _b2b_invoice_keys(self):
        """(billed party id, payer id) of every product line of these orders."""
        return {
            tuple(party.id for party in order._b2b_line_invoice_key(line))
            for order in self
            for line in order.order_line
            if not line.display_type
        }

    def _create_invoices(self, grouped=False, final=False, date=None):
        """One invoice per billed party and payer found on the lines: Odoo's own invoicing
        runs once per (billed party, payer), on the lines invoiced to it."""
        if "b2b_invoice_key" in self.env.context:
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        if all(
            order._b2b_line_invoice_key(line) == (order.partner_invoice_id, order.payer_id)
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
        SaleOrderLine = self.env["sale.order.line"]
        kept = section = subsection = notes = SaleOrderLine
        for line in lines:
            if line.display_type == "line_section":
                section, subsection, notes = line, SaleOrderLine, SaleOrderLine
            elif line.display_type == "line_subsection":
                subsection, notes = line, SaleOrderLine
            elif line.display_type:
                notes |= line
            elif tuple(key) == tuple(part.id for part in self._b2b_line_invoice_key(line)):
                # sections and notes go with the first line of this invoice that follows them
                kept |= section | subsection | notes | line
                notes = SaleOrderLine
        return kept

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        key = self.env.context.get("b2b_invoice_key")
        if key is not None:
            vals["partner_id"], vals["payer_id"] = key
        return vals

    def action_b2b_quick_entry(self):
        """Open the quick entry of lines on this quotation."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quick Entry"),
            "res_model": "b2b.quick.entry",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }
