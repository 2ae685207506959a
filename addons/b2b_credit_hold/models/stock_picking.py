from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    b2b_credit_released = fields.Boolean(
        string="Released by Credit Control",
        readonly=True,
        copy=False,
        help="A credit manager allowed this delivery despite the customer's credit hold or overdue invoices.",
    )

    @api.model
    def _b2b_check_credit_release_flag(self, fields_written):
        # set by action_b2b_credit_release_delivery only, in superuser mode
        if not self.env.su and "b2b_credit_released" in fields_written:
            raise AccessError(
                self.env._("Only a credit manager's release lets a delivery leave despite credit control.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._b2b_check_credit_release_flag(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_credit_release_flag(vals)
        return super().write(vals)

    def _b2b_credit_block_reason(self):
        """Why this outgoing delivery may not leave now, or False."""
        self.ensure_one()
        order = self.sale_id
        if not order or self.picking_type_code != "outgoing" or self.b2b_credit_released:
            return False
        if order.b2b_credit_hold:
            return self.env._("%(order)s is held for credit review.", order=order.name)
        payer = order._b2b_credit_payer().with_company(order.company_id).sudo()
        if payer.b2b_manual_hold:
            return self.env._("%(payer)s is on credit hold.", payer=payer.display_name)
        if payer.b2b_overdue_block:
            values = payer._b2b_credit_figures(order.company_id)[payer.id]
            if payer._b2b_overdue_blocking(values, order.company_id):
                return self.env._(
                    "%(payer)s has invoices overdue by more than %(days)s days.",
                    payer=payer.display_name,
                    days=payer.b2b_overdue_grace_days or 0,
                )
        return False

    def _pre_action_done_hook(self):
        for picking in self:
            reason = picking._b2b_credit_block_reason()
            if reason:
                raise UserError(
                    self.env._(
                        "Delivery %(picking)s cannot be validated: %(reason)s A credit manager must release it.",
                        picking=picking.name,
                        reason=reason,
                    )
                )
        return super()._pre_action_done_hook()

    def action_b2b_credit_release_delivery(self, reason=None):
        """Let blocked deliveries leave; logged as a credit decision."""
        if not self.env.user.has_group("b2b_credit_hold.group_credit_manager"):
            raise AccessError(self.env._("Only credit managers can release deliveries."))
        if not reason:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Release Delivery"),
                "res_model": "b2b.credit.decision.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_picking_ids": self.ids, "default_decision": "release_delivery"},
            }
        for picking in self.filtered("sale_id"):
            order = picking.sale_id
            order._b2b_credit_log_decision("release_delivery", reason, picking=picking)
            picking.sudo().b2b_credit_released = True
            picking.message_post(
                body=self.env._("Delivery released by %(user)s: %(reason)s", user=self.env.user.name, reason=reason)
            )
        return True
