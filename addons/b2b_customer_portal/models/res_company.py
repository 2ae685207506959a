from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_dispute_excluded_from_overdue = fields.Boolean(
        string="Disputed Amounts Not Overdue",
        default=True,
        help="While a customer disputes an invoice, the disputed amount does not count toward the "
        "overdue rule of credit control (the rest of the invoice still does).",
    )
    b2b_guest_pay_link_days = fields.Integer(
        string="Guest Pay Link Validity (Days)",
        default=60,
        help='A "Pay now" link sent in an invoice or statement email lets anyone holding it pay '
        "those invoices without logging in: it stops working once they are paid or after this "
        "many days.",
    )

    _b2b_guest_pay_link_days_positive = models.Constraint(
        "CHECK (b2b_guest_pay_link_days > 0)",
        "A guest pay link must stay valid at least one day.",
    )
