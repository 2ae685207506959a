from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Written only by the deciding code (a check, a hold, a credit manager's decision), in
# superuser mode: no RPC caller can set them.
CREDIT_CONTROL_FIELDS = frozenset(
    {
        "b2b_credit_hold",
        "b2b_credit_hold_reason",
        "b2b_credit_hold_date",
        "b2b_credit_hold_exposure",
        "b2b_credit_hold_limit",
        "b2b_credit_checked_amount",
        # computed and stored: what the order adds to its payer's exposure
        "b2b_credit_to_invoice",
    }
)
# Per-transaction key of the orders a credit manager is releasing: set and cleared by
# _b2b_credit_decide around the confirmation, out of reach of any caller's context.
RELEASED_ORDERS_KEY = "b2b_credit_hold.released_order_ids"

HOLD_REASONS = [
    ("limit", "Credit Limit"),
    ("overdue", "Overdue Invoices"),
    ("manual", "Manual Hold"),
    ("prepay", "Prepayment"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    _b2b_credit_exposure_index = models.Index(
        "(payer_id, company_id) INCLUDE (b2b_credit_to_invoice) WHERE state = 'sale' AND b2b_credit_to_invoice > 0"
    )

    b2b_credit_hold = fields.Boolean(string="Credit Hold", readonly=True, copy=False, index=True, tracking=True)
    # the hold's figures are for internal users; what the portal shows of credit is the portal's
    b2b_credit_hold_reason = fields.Selection(
        HOLD_REASONS, string="Hold Reason", readonly=True, copy=False, groups="base.group_user"
    )
    b2b_credit_hold_date = fields.Datetime(string="Held Since", readonly=True, copy=False, groups="base.group_user")
    b2b_credit_hold_exposure = fields.Monetary(
        string="Exposure at Hold",
        readonly=True,
        copy=False,
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_credit_hold_limit = fields.Monetary(
        string="Limit at Hold",
        readonly=True,
        copy=False,
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_credit_hold_days = fields.Integer(
        string="Days on Hold", compute="_compute_b2b_credit_hold_days", groups="base.group_user"
    )
    b2b_credit_checked_amount = fields.Monetary(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Order total covered by the last passed check or release: growing past it checks again.",
    )
    b2b_credit_to_invoice = fields.Float(
        string="Not Invoiced (Company Currency)",
        compute="_compute_b2b_credit_to_invoice",
        store=True,
        groups="base.group_user",
        help="Tax-included amount of this order not yet invoiced, in company currency: what the "
        "order adds to its payer's credit exposure once confirmed.",
    )
    b2b_credit_decision_ids = fields.One2many(
        "b2b.credit.decision", "order_id", string="Credit Decisions", groups="base.group_user"
    )
    b2b_company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    b2b_late_payer = fields.Boolean(string="Late Payer", compute="_compute_b2b_late_payer", groups="base.group_user")
    b2b_credit_overdue_block = fields.Boolean(
        string="Blocked for Overdue Invoices",
        compute="_compute_b2b_credit_overdue_block",
        groups="base.group_user",
        help="The payer has invoices overdue past its grace days: confirming will hold this order.",
    )

    @api.depends("order_line.price_total", "order_line.product_uom_qty", "order_line.qty_invoiced", "currency_rate")
    def _compute_b2b_credit_to_invoice(self):
        for order in self:
            total = sum(
                line.price_total * (line.product_uom_qty - line.qty_invoiced) / line.product_uom_qty
                for line in order.order_line
                if line.product_uom_qty > 0 and line.product_uom_qty > line.qty_invoiced
            )
            order.b2b_credit_to_invoice = total / (order.currency_rate or 1.0)

    def _compute_b2b_credit_hold_days(self):
        now = fields.Datetime.now()
        for order in self:
            order.b2b_credit_hold_days = (now - order.b2b_credit_hold_date).days if order.b2b_credit_hold_date else 0

    @api.depends("partner_id", "partner_invoice_id", "payer_id", "company_id")
    def _compute_b2b_late_payer(self):
        # one query per company for all the orders' payers, not one per order
        for company, orders in self.grouped("company_id").items():
            company = company or self.env.company
            payers = self.env["res.partner"].concat(*(order._b2b_credit_payer() for order in orders))
            stats = payers._b2b_late_payer_stats(company)
            min_invoices = max(company.b2b_late_payer_min_invoices, 1)
            for order in orders:
                late_count = stats.get(order._b2b_credit_payer()._origin.id, (0.0, 0))[1]
                order.b2b_late_payer = late_count >= min_invoices

    @api.depends("partner_id", "partner_invoice_id", "payer_id", "company_id", "state")
    def _compute_b2b_credit_overdue_block(self):
        self.b2b_credit_overdue_block = False
        for company, orders in self.filtered(lambda o: o.state != "cancel").grouped("company_id").items():
            company = company or self.env.company
            payers = self.env["res.partner"].concat(*(order._b2b_credit_payer() for order in orders))
            payers = payers.with_company(company).sudo().filtered("b2b_overdue_block")
            if not payers:
                continue
            figures = payers._b2b_credit_figures(company)
            for order in orders:
                payer = order._b2b_credit_payer()
                values = figures.get(payer._origin.id)
                order.b2b_credit_overdue_block = bool(values) and payer._b2b_overdue_blocking(values, company)

    def _b2b_credit_payer(self):
        self.ensure_one()
        return (self.payer_id or self.partner_invoice_id or self.partner_id).commercial_partner_id

    # ------------------------------------------------------------------
    # Prepayment policies use Odoo's own online payment (100 %)
    # ------------------------------------------------------------------
    def _b2b_prepayment_required(self):
        self.ensure_one()
        payer = self._b2b_credit_payer().with_company(self.company_id).sudo()
        policy = payer.b2b_credit_policy
        if policy == "prepay":
            return True
        if policy == "prepay_first":
            return (
                not self.env["sale.order"]
                .sudo()
                .search_count(
                    [
                        ("payer_id.commercial_partner_id", "=", payer.id),
                        ("company_id", "=", self.company_id.id),
                        ("state", "=", "sale"),
                        ("id", "!=", self._origin.id),
                    ],
                    limit=1,
                )
            )
        return False

    @api.depends("company_id", "partner_id", "payer_id")
    def _compute_require_payment(self):  # pylint: disable=missing-return
        super()._compute_require_payment()
        for order in self.filtered(lambda o: o.partner_id and o.state in ("draft", "sent")):
            if order._b2b_prepayment_required():
                order.require_payment = True

    @api.depends("require_payment", "partner_id", "payer_id")
    def _compute_prepayment_percent(self):  # pylint: disable=missing-return
        super()._compute_prepayment_percent()
        for order in self.filtered(lambda o: o.partner_id and o.state in ("draft", "sent")):
            if order._b2b_prepayment_required():
                order.prepayment_percent = 1.0

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------
    def _b2b_credit_lock_payer(self, payer):
        """Serialize the credit checks of one payer: the row update makes a concurrent check
        wait, then fail with a serialization error so that Odoo retries it on fresh data."""
        self.env.cr.execute(
            SQL("UPDATE res_partner SET b2b_credit_checked_at = NOW() AT TIME ZONE 'UTC' WHERE id = %s", payer.id)
        )

    def _b2b_credit_check(self):
        """Decide whether this order passes credit control now.

        :return: (reason or False, figures dict with exposure and limit in company currency)
        """
        self.ensure_one()
        company = self.company_id
        payer = self._b2b_credit_payer()
        entity = payer.with_company(company).sudo()
        policy = entity.b2b_credit_policy or "none"
        amount = self.amount_total / (self.currency_rate or 1.0)
        if entity.b2b_manual_hold:
            return "manual", {"exposure": 0.0, "limit": entity.credit_limit, "amount": amount}
        if self.state in ("draft", "sent") and self._b2b_prepayment_required():
            paid = self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0
            if not paid:
                return "prepay", {"exposure": 0.0, "limit": entity.credit_limit, "amount": amount}
            return False, {}
        if policy in ("none", "warn") and not entity.b2b_overdue_block:
            return False, {}
        self._b2b_credit_lock_payer(payer)
        values = entity._b2b_credit_figures(company)[payer.id]
        exposure = entity._b2b_exposure(values)
        if self.state in ("draft", "sent"):
            exposure += amount  # a confirmed order is already counted as to invoice
        figures = {"exposure": exposure, "limit": entity.credit_limit, "amount": amount}
        if entity._b2b_overdue_blocking(values, company):
            return "overdue", figures
        if policy in ("block", "prepay_first") and entity._b2b_over_limit(exposure, company):
            return "limit", figures
        return False, figures

    def _b2b_credit_hold_message(self, reason, figures):
        self.ensure_one()
        payer = self._b2b_credit_payer().with_company(self.company_id)
        fmt = self.company_id.currency_id.format
        if reason == "manual":
            return self.env._(
                "Held for credit review: %(payer)s is on credit hold. %(note)s",
                payer=payer.display_name,
                note=payer.sudo().b2b_hold_note or "",
            )
        if reason == "prepay":
            return self.env._(
                "Held for credit review: %(payer)s must prepay this order (%(amount)s), %(paid)s paid so far.",
                payer=payer.display_name,
                amount=self.currency_id.format(self.amount_total),
                paid=self.currency_id.format(self.amount_paid),
            )
        if reason == "overdue":
            return self.env._(
                "Held for credit review: %(payer)s has invoices overdue by more than %(days)s days "
                "(%(overdue)s overdue).",
                payer=payer.display_name,
                days=payer.sudo().b2b_overdue_grace_days or 0,
                overdue=fmt(payer.b2b_overdue_amount),
            )
        return self.env._(
            "Held for credit review: with this order (%(amount)s) the exposure of %(payer)s reaches "
            "%(exposure)s, over its credit limit of %(limit)s.",
            amount=fmt(figures["amount"]),
            payer=payer.display_name,
            exposure=fmt(figures["exposure"]),
            limit=fmt(figures["limit"]),
        )

    def _b2b_credit_put_on_hold(self, reason, figures):
        self.ensure_one()
        order = self.sudo()
        order.write(
            {
                "b2b_credit_hold": True,
                "b2b_credit_hold_reason": reason,
                "b2b_credit_hold_date": fields.Datetime.now(),
                "b2b_credit_hold_exposure": figures.get("exposure", 0.0),
                "b2b_credit_hold_limit": figures.get("limit", 0.0),
            }
        )
        message = order._b2b_credit_hold_message(reason, figures)
        order.message_post(body=message, subtype_xmlid="mail.mt_note")
        managers = (
            self.env.ref("b2b_credit_hold.group_credit_manager")
            .sudo()
            .user_ids.filtered(lambda user: self.company_id in user.company_ids)
        )
        for manager in managers[:5]:
            # the activity names its order already ("S00013: Credit review"); the summary is
            # written in the manager's language, whoever confirmed the order
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=order.with_context(lang=manager.lang or self.env.lang).env._("Credit review"),
                note=message,
            )

    @api.model
    def _b2b_check_credit_control_fields(self, fields_written):
        if not self.env.su and CREDIT_CONTROL_FIELDS.intersection(fields_written):
            raise AccessError(
                self.env._(
                    "Credit control fields (hold, hold figures, checked amount, amount not invoiced) are set "
                    "by credit checks and credit managers' decisions only."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._b2b_check_credit_control_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_credit_control_fields(vals)
        return super().write(vals)

    def action_confirm(self):
        released_ids = self.env.cr.cache.get(RELEASED_ORDERS_KEY, ())
        held = self.env["sale.order"]
        passed = {}
        for order in self:
            if order.state not in ("draft", "sent") or order.id in released_ids:
                continue
            if order._confirmation_error_message():
                # e.g. waiting for the customer's approval: Odoo refuses it below, and credit
                # is checked once the customer really wants it
                continue
            reason, figures = order._b2b_credit_check()
            if reason:
                order._b2b_credit_put_on_hold(reason, figures)
                held |= order
            else:
                passed[order] = order.amount_total
        for order, amount in passed.items():
            if order.b2b_credit_hold:
                # held before, passing now (paid, limit raised): the review is no longer needed
                order._b2b_credit_close_reviews()
            order.sudo().write({"b2b_credit_checked_amount": amount, "b2b_credit_hold": False})
        to_confirm = self - held
        res = super(SaleOrder, to_confirm).action_confirm() if to_confirm else True
        if held:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": self.env._("Held for credit review"),
                    "message": self.env._(
                        "%(orders)s stay quotations until a credit manager releases them.",
                        orders=", ".join(held.mapped("name")),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return res

    def _b2b_credit_close_reviews(self):
        """Mark done the credit managers' review to-dos of these orders."""
        self.sudo().activity_ids.filtered(
            lambda a: a.user_id.has_group("b2b_credit_hold.group_credit_manager")
        ).unlink()

    def _b2b_credit_recheck_grown(self):
        """A confirmed order that grew past the amount its check or release covered is checked
        again; failing, it is put back on hold (its deliveries wait for a credit manager)."""
        for order in self.filtered(lambda o: o.state == "sale" and not o.b2b_credit_hold):
            if order.currency_id.compare_amounts(order.amount_total, order.b2b_credit_checked_amount) <= 0:
                continue
            reason, figures = order._b2b_credit_check()
            if reason:
                order._b2b_credit_put_on_hold(reason, figures)
            else:
                order.sudo().b2b_credit_checked_amount = order.amount_total

    # ------------------------------------------------------------------
    # Decisions of the credit managers
    # ------------------------------------------------------------------
    def _b2b_check_credit_manager(self):
        if not self.env.user.has_group("b2b_credit_hold.group_credit_manager"):
            raise AccessError(self.env._("Only credit managers can release or reject orders held for credit."))

    def _b2b_open_decision_wizard(self, decision):
        self._b2b_check_credit_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Order") if decision == "release" else self.env._("Reject Order"),
            "res_model": "b2b.credit.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids, "default_decision": decision},
        }

    def action_b2b_credit_release(self, reason=None):
        """Release held orders (confirming the quotations); without a reason, ask for it."""
        if not reason:
            return self._b2b_open_decision_wizard("release")
        self._b2b_credit_decide("release", reason)
        return True

    def action_b2b_credit_reject(self, reason=None):
        """Reject held orders (cancelling them); without a reason, ask for it."""
        if not reason:
            return self._b2b_open_decision_wizard("reject")
        self._b2b_credit_decide("reject", reason)
        return True

    def _b2b_credit_log_decision(self, decision, reason, picking=None):
        """Record a credit manager's decision with the figures of the moment."""
        self.ensure_one()
        payer = self._b2b_credit_payer().with_company(self.company_id)
        return (
            self.env["b2b.credit.decision"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "picking_id": picking.id if picking else False,
                    "partner_id": payer.id,
                    "company_id": self.company_id.id,
                    "decision": decision,
                    "hold_reason": self.b2b_credit_hold_reason,
                    "user_id": self.env.uid,
                    "reason": reason,
                    "amount": self.amount_total / (self.currency_rate or 1.0),
                    "exposure": payer.b2b_credit_exposure,
                    "credit_limit": payer.sudo().credit_limit,
                }
            )
        )

    def _b2b_credit_decide(self, decision, reason):
        self._b2b_check_credit_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the decision."))
        not_held = self.filtered(lambda o: not o.b2b_credit_hold)
        if not_held:
            raise UserError(
                self.env._("%(orders)s are not held for credit.", orders=", ".join(not_held.mapped("name")))
            )
        for order in self:
            order._b2b_credit_log_decision(decision, reason)
            order._b2b_credit_close_reviews()
            label = self.env._("released") if decision == "release" else self.env._("rejected")
            body = Markup("%s<br/>%s") % (
                self.env._("Credit hold %(decision)s by %(user)s.", decision=label, user=self.env.user.name),
                reason,
            )
            if decision == "release":
                order.sudo().write({"b2b_credit_hold": False, "b2b_credit_checked_amount": order.amount_total})
                order.message_post(body=body, subtype_xmlid="mail.mt_note")
                if order.state in ("draft", "sent"):
                    order._b2b_credit_confirm_released()
            else:
                order.sudo().write({"b2b_credit_hold": False})
                order._action_cancel()
                partners = order.user_id.partner_id.ids
                order.message_post(body=body, partner_ids=partners, subtype_xmlid="mail.mt_comment")

    def _b2b_credit_confirm_released(self):
        """Confirm orders a credit manager has just released, without checking them again."""
        released_ids = self.env.cr.cache.setdefault(RELEASED_ORDERS_KEY, set())
        released_ids.update(self.ids)
        try:
            return self.action_confirm()
        finally:
            released_ids.difference_update(self.ids)
