from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # plain nullable column: nothing to fill on existing lines
    b2b_replenishment_rule_id = fields.Many2one(
        "b2b.replenishment.rule",
        string="Replenishment Rule",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The customer reorder rule that made this line.",
    )

    def _b2b_replenishment_max_qty(self):
        """{line id: most the buyer may order on it} in the line's unit: the rule's maximum per
        order, else three times the proposed quantity."""
        periods = self.env["b2b.replenishment.period"].sudo().search([("order_line_id", "in", self.ids)])
        result = {}
        for period in periods:
            line = period.order_line_id
            rule = period.rule_id
            maximum = rule.max_order_qty or 3 * period.proposed_qty
            result[line.id] = rule.product_id.uom_id._compute_quantity(maximum, line.product_uom_id)
        return result

    def _b2b_check_replenishment_qty(self, quantities):
        """Refuse quantities (``{line: quantity}``) outside 0..the line's maximum, with a clear
        message; nothing is written."""
        maximums = self._b2b_replenishment_max_qty()
        for line, quantity in quantities.items():
            maximum = maximums.get(line.id, 0.0)
            if quantity < 0 or line.product_uom_id.compare(quantity, maximum) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: the quantity must be between 0 and %(maximum)s %(unit)s.",
                        product=line.product_id.display_name,
                        maximum=f"{maximum:g}",
                        unit=line.product_uom_id.name,
                    )
                )

    def _b2b_skip_period(self):
        """Skip these replenishment lines: their periods are skipped (never proposed again)
        and the lines removed from their quotation; a quotation left empty is cancelled."""
        lines = self.filtered("b2b_replenishment_rule_id")
        if not lines:
            return True
        if any(line.order_id.state not in ("draft", "sent") for line in lines):
            raise UserError(self.env._("Only the lines of a proposal can be skipped."))
        orders = lines.order_id
        periods = self.env["b2b.replenishment.period"].sudo().search([("order_line_id", "in", lines.ids)])
        periods.write({"state": "skipped"})
        lines.sudo().unlink()
        orders.filtered(lambda order: not order.order_line)._action_cancel()
        return True
