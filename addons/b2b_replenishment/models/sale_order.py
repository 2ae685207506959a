from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_order_type = fields.Selection(
        selection_add=[("replenishment", "Replenishment")], ondelete={"replenishment": "set default"}
    )
    b2b_replenishment_waiting = fields.Boolean(
        string="Waiting for the Buyer",
        compute="_compute_b2b_replenishment_waiting",
        search="_search_b2b_replenishment_waiting",
        help="A replenishment proposal the customer's buyer has not validated or skipped yet.",
    )

    def _compute_b2b_replenishment_waiting(self):
        replenished = self.filtered(lambda order: order.b2b_order_type == "replenishment")
        waiting = self.browse()
        if replenished.ids:
            waiting = self.search([("id", "in", replenished.ids), ("b2b_replenishment_waiting", "=", True)])
        for order in self:
            order.b2b_replenishment_waiting = order in waiting

    def _search_b2b_replenishment_waiting(self, operator, value):
        if operator != "in":
            return NotImplemented
        periods = self.env["b2b.replenishment.period"].sudo()._search([("state", "=", "proposed")])
        waiting = (
            Domain("b2b_order_type", "=", "replenishment")
            & Domain("state", "in", ("draft", "sent"))
            & Domain("order_line", "any!", Domain("id", "in", periods.subselect("order_line_id")))
        )
        return waiting if True in value else ~waiting

    # ------------------------------------------------------------------
    # The periods follow their orders (confirmed, held, cancelled), whoever acts
    # ------------------------------------------------------------------
    def action_confirm(self):
        res = super().action_confirm()
        self._b2b_sync_replenishment_periods()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._b2b_sync_replenishment_periods()
        return res

    def _b2b_sync_replenishment_periods(self):
        """Periods of these orders' lines: confirmed once the order is, held while it waits
        for credit or the customer's approval after a validation, skipped when it is cancelled
        (a cancelled period is not proposed again)."""
        replenished = self.filtered(lambda order: order.b2b_order_type == "replenishment")
        if not replenished:
            return
        periods = (
            self.env["b2b.replenishment.period"]
            .sudo()
            .search(
                [
                    ("order_line_id", "in", replenished.order_line.ids),
                    ("state", "in", ("proposed", "held", "confirmed")),
                ]
            )
        )
        by_state = {"confirmed": periods.browse(), "held": periods.browse(), "skipped": periods.browse()}
        for period in periods:
            order = period.order_line_id.order_id
            if order.state == "sale":
                by_state["confirmed"] |= period
            elif order.state == "cancel":
                by_state["skipped"] |= period
            else:
                # an automatic order not confirmed, or a quotation held for credit or approval
                waiting = order.b2b_credit_hold or order.b2b_approval_state == "to_approve"
                if waiting or period.rule_id.validation == "auto":
                    by_state["held"] |= period
        for state, state_periods in by_state.items():
            state_periods.filtered(lambda period, state=state: period.state != state).write({"state": state})

    # ------------------------------------------------------------------
    # Proposals: what the buyer (portal) or the sales team does with them
    # ------------------------------------------------------------------
    def _b2b_replenishment_lines(self):
        return self.order_line.filtered("b2b_replenishment_rule_id")

    def _b2b_replenishment_validate(self):
        """Validate proposals as they stand (caller checked who acts): lines at 0 are skipped
        and removed, the rest confirmed like any order (customer approval, credit hold and
        prepayment apply). Returns the orders."""
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("%(order)s is no longer a proposal.", order=order.name))
            zero = order._b2b_replenishment_lines().filtered(lambda line: line.product_uom_qty <= 0)
            zero._b2b_skip_period()
        open_orders = self.filtered(lambda order: order.state in ("draft", "sent"))
        open_orders.action_confirm()
        open_orders._b2b_sync_replenishment_periods()
        # validated by the buyer but waiting (approval, credit): held, counted as in progress
        waiting = open_orders.filtered(lambda order: order.state != "sale")
        self.env["b2b.replenishment.period"].sudo().search(
            [("order_line_id", "in", waiting.order_line.ids), ("state", "=", "proposed")]
        ).write({"state": "held"})
        return self

    def _b2b_replenishment_skip(self):
        """Skip these proposals: their periods are skipped (not proposed again) and the
        quotations cancelled."""
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("%(order)s is no longer a proposal.", order=order.name))
        self._action_cancel()
        return True

    def action_b2b_validate_proposal(self):
        """Back office: validate the proposals for the buyer (the salesperson acting on its
        behalf, e.g. on the phone)."""
        self.check_access("write")
        self._b2b_replenishment_validate()
        return True

    def action_b2b_skip_proposal(self):
        """Back office: skip these proposals for the buyer."""
        self.check_access("write")
        self._b2b_replenishment_skip()
        return True
