from odoo import fields, models

from .sale_order import HOLD_REASONS


class B2bCreditDecision(models.Model):
    _name = "b2b.credit.decision"
    _description = "Credit decision on a held order"
    _order = "date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    picking_id = fields.Many2one("stock.picking", string="Delivery Order", index="btree_not_null", ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Payer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    decision = fields.Selection(
        [("release", "Released"), ("reject", "Rejected"), ("release_delivery", "Delivery Released")],
        required=True,
    )
    hold_reason = fields.Selection(HOLD_REASONS)
    user_id = fields.Many2one("res.users", string="Decided By", required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    reason = fields.Text(required=True)
    amount = fields.Monetary(string="Order Amount", help="Order total at decision time, company currency.")
    exposure = fields.Monetary(help="Payer's credit exposure at decision time.")
    credit_limit = fields.Monetary(help="Payer's credit limit at decision time.")
