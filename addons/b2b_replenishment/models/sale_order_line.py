from odoo import fields, models


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
