from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_order_type = fields.Selection(
        selection_add=[("replenishment", "Replenishment")], ondelete={"replenishment": "set default"}
    )
