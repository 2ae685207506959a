from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_late_payer_min_invoices = fields.Integer(
        string="Late Payer: Invoices",
        default=3,
        help="A customer is flagged as a late payer when at least this many of its invoices of the "
        "last 12 months were paid late by more than the days below.",
    )
    b2b_late_payer_days = fields.Integer(string="Late Payer: Days Late", default=15)
