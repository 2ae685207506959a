from odoo import fields, models


class B2bCreditDecisionWizard(models.TransientModel):
    _name = "b2b.credit.decision.wizard"
    _description = "Release or reject orders held for credit"

    order_ids = fields.Many2many("sale.order", string="Orders")
    picking_ids = fields.Many2many("stock.picking", string="Deliveries")
    decision = fields.Selection(
        [("release", "Release"), ("reject", "Reject"), ("release_delivery", "Release Delivery")], required=True
    )
    reason = fields.Text(required=True, help="Kept in the decisions log and the order's chatter.")

    def action_apply(self):
        self.ensure_one()
        if self.decision == "release_delivery":
            self.picking_ids.action_b2b_credit_release_delivery(reason=self.reason)
        elif self.decision == "release":
            self.order_ids.action_b2b_credit_release(reason=self.reason)
        else:
            self.order_ids.action_b2b_credit_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
