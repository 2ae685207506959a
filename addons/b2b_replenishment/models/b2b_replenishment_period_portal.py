# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class B2bReplenishmentPeriod(models.Model):
    _inherit = "b2b.replenishment.period"

    b2b_ready_sent = fields.Boolean(
        string="Buyer Told",
        readonly=True,
        copy=False,
        help="The buyer was emailed that this proposal waits for its validation.",
    )
