from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _b2b_qty_to_invoice_at_cutoff(self, cutoff):
        """What a summary invoice at ``cutoff`` invoices of the lines invoiced on delivered
        quantities: what was delivered up to the cut-off day (moves done that day or before, in
        the company's time zone, else the user's) and is not invoiced yet, never more than
        Odoo's quantity to invoice. A run launched late, or resumed the next day, leaves what
        was delivered after its cut-off to the next one. Other lines are not in the result:
        they keep Odoo's quantity to invoice.

        :return: {line id: quantity}
        """
        lines = self.filtered(
            lambda line: line.qty_delivered_method == "stock_move"
            and line.product_id.invoice_policy == "delivery"
            and line.qty_to_invoice > 0
        )
        quantities = {}
        for company, company_lines in lines.grouped("company_id").items():
            tz = company.partner_id.tz or self.env.user.tz or "UTC"
            # Odoo's own "delivered at date" (accrued revenue): done moves dated up to that day
            at_cutoff = company_lines.with_context(accrual_entry_date=fields.Date.to_string(cutoff), tz=tz)
            delivered = {line.id: qty for line, qty in at_cutoff._prepare_qty_delivered().items()}
            for line in company_lines:
                not_invoiced = line.product_uom_id.round(delivered.get(line.id, 0.0) - line.qty_invoiced)
                quantities[line.id] = max(0.0, min(line.qty_to_invoice, not_invoiced))
        return quantities

    def _prepare_invoice_line(self, **optional_values):
        vals = super()._prepare_invoice_line(**optional_values)
        cutoff = self.env.context.get("b2b_summary_cutoff")
        if cutoff and not self.display_type:
            quantity = self._b2b_qty_to_invoice_at_cutoff(cutoff).get(self.id)
            if quantity is not None:
                vals["quantity"] = quantity
        return vals
