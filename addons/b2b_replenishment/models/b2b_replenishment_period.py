from odoo import api, fields, models


class B2bReplenishmentPeriod(models.Model):
    """One record per rule and period: what was proposed and what became of it. Its unique
    constraint is what makes a run idempotent: a period is claimed once, whoever runs."""

    _name = "b2b.replenishment.period"
    _description = "Replenishment period of a rule"
    _order = "period_date desc, id desc"
    _rec_name = "rule_id"

    _rule_period_unique = models.Constraint(
        "UNIQUE (rule_id, period_date)", "A replenishment rule has one record per period."
    )

    rule_id = fields.Many2one("b2b.replenishment.rule", required=True, index=True, ondelete="cascade", readonly=True)
    period_date = fields.Date(string="Delivery Date", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    partner_shipping_id = fields.Many2one("res.partner", string="Site", required=True, index=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True)
    mode = fields.Selection(related="rule_id.mode")
    validation = fields.Selection(related="rule_id.validation")
    state = fields.Selection(
        [
            ("nothing", "Nothing to Order"),
            ("proposed", "Proposed"),
            ("held", "Held"),
            ("confirmed", "Confirmed"),
            ("skipped", "Skipped"),
            ("failed", "Failed"),
        ],
        required=True,
        default="proposed",
        readonly=True,
        index=True,
    )
    computed_qty = fields.Float(string="Computed Quantity", digits="Product Unit", readonly=True)
    proposed_qty = fields.Float(string="Proposed Quantity", digits="Product Unit", readonly=True)
    ordered_qty = fields.Float(
        string="Ordered Quantity",
        digits="Product Unit",
        compute="_compute_ordered_qty",
        store=True,
        help="Quantity of the confirmed order line (after the buyer's changes).",
    )
    order_line_id = fields.Many2one("sale.order.line", readonly=True, index="btree_not_null", ondelete="set null")
    order_id = fields.Many2one(related="order_line_id.order_id", string="Order")
    message = fields.Char(readonly=True)

    @api.depends("state", "order_line_id.product_uom_qty")
    def _compute_ordered_qty(self):
        for period in self:
            confirmed = period.state == "confirmed" and period.order_line_id
            period.ordered_qty = period.order_line_id.product_uom_qty if confirmed else 0.0
