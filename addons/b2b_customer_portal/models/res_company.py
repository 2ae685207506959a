from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_dispute_excluded_from_overdue = fields.Boolean(
        string="Disputed Amounts Not Overdue",
        default=True,
        help="While a customer disputes an invoice, the disputed amount does not count toward the "
        "overdue rule of credit control (the rest of the invoice still does).",
    )
