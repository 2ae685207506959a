from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_invoicing_post = fields.Boolean(
        string="Post and Send Summary Invoices",
        help="Invoicing runs post and email the invoices they create; otherwise they stay drafts for review.",
    )
    b2b_french_legal_checks = fields.Boolean(
        string="French Payment Delay Checks",
        default=True,
        help="Refuse to post customer invoices whose payment delay exceeds the limits of article L441-10 "
        "of the French Commercial Code (companies in France only).",
    )
    b2b_late_penalty_rate = fields.Char(
        string="Late Payment Penalty Rate",
        translate=True,
        help="Printed on invoices (mandatory mention): the rate of late payment penalties. "
        "Empty: three times the French legal interest rate.",
    )
    b2b_early_payment_discount = fields.Char(
        string="Early Payment Discount",
        translate=True,
        help="Printed on invoices (mandatory mention): the discount for early payment. Empty: none.",
    )
