from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    b2b_site_label = fields.Char(related="partner_id.b2b_site_label", string="Site")
