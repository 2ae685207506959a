from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_dispute_excluded_from_overdue = fields.Boolean(
        related="company_id.b2b_dispute_excluded_from_overdue", readonly=False
    )
    b2b_guest_pay_link_days = fields.Integer(related="company_id.b2b_guest_pay_link_days", readonly=False)
