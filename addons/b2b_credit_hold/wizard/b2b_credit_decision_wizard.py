from odoo import api, fields, models

from ..models.sale_order import HOLD_REASONS


class B2bCreditDecisionWizard(models.TransientModel):
    _name = "b2b.credit.decision.wizard"
    _description = "Release or reject orders held for credit"

    order_ids = fields.Many2many("sale.order", string="Orders")
    picking_ids = fields.Many2many("stock.picking", string="Deliveries")
    decision = fields.Selection(
        [("release", "Release"), ("reject", "Reject"), ("release_delivery", "Release Delivery")], required=True
    )
    reason = fields.Text(required=True, help="Kept in the decisions log and the order's chatter.")

    # the figures the credit manager decides on, for one payer
    partner_id = fields.Many2one("res.partner", string="Payer", compute="_compute_figures")
    currency_id = fields.Many2one("res.currency", compute="_compute_figures")
    hold_reason = fields.Selection(HOLD_REASONS, compute="_compute_figures")
    amount = fields.Monetary(string="Order Amount", compute="_compute_figures")
    exposure = fields.Monetary(string="Credit Exposure", compute="_compute_figures")
    credit_limit = fields.Monetary(compute="_compute_figures")
    credit_limit_set = fields.Boolean(compute="_compute_figures")
    overdue_amount = fields.Monetary(string="Overdue", compute="_compute_figures")
    oldest_overdue_days = fields.Integer(string="Oldest Overdue (days)", compute="_compute_figures")

    @api.depends("order_ids", "picking_ids")
    def _compute_figures(self):
        for wizard in self:
            orders = wizard.order_ids | wizard.picking_ids.sale_id
            payers = self.env["res.partner"].concat(*(order._b2b_credit_payer() for order in orders))
            companies = orders.company_id
            if len(payers) != 1 or len(companies) != 1:
                wizard.update(
                    {
                        "partner_id": False,
                        "currency_id": self.env.company.currency_id,
                        "hold_reason": False,
                        "amount": 0.0,
                        "exposure": 0.0,
                        "credit_limit": 0.0,
                        "credit_limit_set": False,
                        "overdue_amount": 0.0,
                        "oldest_overdue_days": 0,
                    }
                )
                continue
            payer = payers.with_company(companies)
            reasons = set(orders.mapped("b2b_credit_hold_reason")) - {False}
            wizard.update(
                {
                    "partner_id": payer.id,
                    "currency_id": companies.currency_id,
                    "hold_reason": reasons.pop() if len(reasons) == 1 else False,
                    "amount": sum(order.amount_total / (order.currency_rate or 1.0) for order in orders),
                    "exposure": payer.b2b_credit_exposure,
                    "credit_limit": payer.credit_limit,
                    "credit_limit_set": payer.b2b_credit_limit_set,
                    "overdue_amount": payer.b2b_overdue_amount,
                    "oldest_overdue_days": payer.b2b_oldest_overdue_days,
                }
            )

    def action_apply(self):
        self.ensure_one()
        if self.decision == "release_delivery":
            self.picking_ids.action_b2b_credit_release_delivery(reason=self.reason)
        elif self.decision == "release":
            self.order_ids.action_b2b_credit_release(reason=self.reason)
        else:
            self.order_ids.action_b2b_credit_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
