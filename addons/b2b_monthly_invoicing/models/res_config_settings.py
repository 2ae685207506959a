from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_invoicing_post = fields.Boolean(related="company_id.b2b_invoicing_post", readonly=False)
    b2b_french_legal_checks = fields.Boolean(related="company_id.b2b_french_legal_checks", readonly=False)
    b2b_late_penalty_rate = fields.Char(related="company_id.b2b_late_penalty_rate", readonly=False)
    b2b_early_payment_discount = fields.Char(related="company_id.b2b_early_payment_discount", readonly=False)
