from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_replenishment_notice_days = fields.Integer(
        string="Replenishment Notice (Days)",
        default=2,
        help="The buyer of a rule validated in the portal is told this many days before its proposal is "
        "made, to declare the on-hand count or pause the rule in time. 0: no advance notice.",
    )
    b2b_replenishment_auto_confirm_days = fields.Integer(
        string="Confirm Proposals After (Days)",
        default=0,
        help="A proposal the buyer leaves unanswered this many days is confirmed as proposed, so that "
        "the site is not left without supplies. 0: proposals wait for the buyer.",
    )

    _b2b_replenishment_days_positive = models.Constraint(
        "CHECK (b2b_replenishment_notice_days >= 0 AND b2b_replenishment_auto_confirm_days >= 0)",
        "Replenishment notice and confirmation delays cannot be negative.",
    )
