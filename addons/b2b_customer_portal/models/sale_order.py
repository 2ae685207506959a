# one file per capability of the portal (the addon's layout), hence several sale.order classes
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_created_in_portal = fields.Boolean(
        string="Created in the Portal",
        readonly=True,
        copy=False,
        help="Quotation created by the customer in the portal (quick order, order again): shown "
        "to the customer while still a draft, unlike quotations the sales team is preparing.",
    )
