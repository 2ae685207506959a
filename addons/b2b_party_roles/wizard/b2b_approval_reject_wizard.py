from odoo import fields, models


class B2bApprovalRejectWizard(models.TransientModel):
    _name = "b2b.approval.reject.wizard"
    _description = "Reject orders waiting for the customer's approval"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True, help="Told to the buyer and kept in the order's chatter.")

    def action_reject(self):
        self.ensure_one()
        self.order_ids.action_b2b_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
