from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    b2b_delivery_partner_id = fields.Many2one(
        "res.partner",
        string="Delivered To",
        index="btree_not_null",
        help="Delivery address of the goods invoiced on this line, printed on the invoice when it "
        "differs from the invoice's customer (French invoicing mention).",
    )
