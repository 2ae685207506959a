from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_late_payer_min_invoices = fields.Integer(related="company_id.b2b_late_payer_min_invoices", readonly=False)
    b2b_late_payer_days = fields.Integer(related="company_id.b2b_late_payer_days", readonly=False)
