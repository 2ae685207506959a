from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_replenishment_notice_days = fields.Integer(related="company_id.b2b_replenishment_notice_days", readonly=False)
    b2b_replenishment_auto_confirm_days = fields.Integer(
        related="company_id.b2b_replenishment_auto_confirm_days", readonly=False
    )
