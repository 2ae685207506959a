"""Automatic payment of a payer's invoices with a saved payment method (issue 15, Autopay).

The payer's accountant turns it on from the portal (/my/autopay); a daily scheduled action
announces each charge ahead, then charges what is due in ONE transaction per payer and day.
Idempotence: the transaction's reference is the payer and the day, the draft transaction is
committed before the provider is asked, and the payer's row is locked while a run prepares or
charges it, so a rerun, an overlapping run or a crash never charges an invoice twice."""

import logging
import math
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, float_is_zero, format_amount

_logger = logging.getLogger(__name__)

# Terms the accountant accepts when turning automatic payment on; their version and text are
# recorded on the mandate. A new version of the text gets a new version number.
B2B_AUTOPAY_TERMS_VERSION = "2026-11"
B2B_AUTOPAY_REFERENCE_PREFIX = "AUTOPAY"
# failures in a row after which automatic payment pauses
B2B_AUTOPAY_MAX_FAILURES = 3
# a cap at or above this is not an amount anyone means (and would overflow the column)
B2B_AUTOPAY_MAX_CAP = 1e12
# states of a transaction that still holds its invoices (not to be charged again)
B2B_AUTOPAY_OPEN_TX_STATES = ("draft", "pending", "authorized")


class B2bAutopayInputError(UserError):
    """Bad terms entered on the portal; ``code`` names the error for the page's redirect (the
    page shows the message it maps the code to, never text from the URL)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.b2b_code = code


class B2bAutopay(models.Model):
    """A payer's automatic payment mandate: which saved payment method pays its invoices, when
    and up to which caps, who turned it on under which terms. One per payer and company that
    is not stopped. Written only by its actions (portal enrolment, pause, resume, stop, the
    scheduled charges), in superuser mode after the acting user's right was checked."""

    _name = "b2b.autopay"
    _description = "Automatic Payment"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "partner_id"
    # billing users follow and comment the mandate without writing it
    _mail_post_access = "read"

    partner_id = fields.Many2one(
        "res.partner",
        string="Payer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The entity whose invoices are charged (the receivable's partner).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    token_id = fields.Many2one(
        "payment.token",
        string="Payment Method",
        required=True,
        readonly=True,
        ondelete="restrict",
        tracking=True,
        help="Saved by the payer's accountant through the provider; it belongs to the payer.",
    )
    trigger = fields.Selection(
        [
            ("posting", "On posting"),
            ("before_due", "Days before the due date"),
            ("due_date", "On the due date"),
        ],
        string="Charge",
        required=True,
        readonly=True,
        default="due_date",
        tracking=True,
    )
    days_before = fields.Integer(string="Days Before Due Date", readonly=True, tracking=True, help="From 0 to 30 days.")
    cap_invoice = fields.Monetary(
        string="Cap per Invoice",
        readonly=True,
        tracking=True,
        help="An invoice due for more waits for a manual payment. Zero: no cap.",
    )
    cap_month = fields.Monetary(
        string="Cap per Month",
        readonly=True,
        tracking=True,
        help="What does not fit in the calendar month waits for the next one. Zero: no cap.",
    )
    notice_days = fields.Integer(
        string="Announcement Days",
        readonly=True,
        default=lambda self: self._default_notice_days(),
        help="The payer is told of each charge this many days ahead; an invoice is never charged "
        "before it was announced.",
    )
    state = fields.Selection(
        [("active", "Active"), ("paused", "Paused"), ("stopped", "Stopped")],
        required=True,
        readonly=True,
        default="active",
        tracking=True,
    )
    pause_reason = fields.Char(readonly=True, tracking=True)
    failure_count = fields.Integer(
        string="Failures in a Row", readonly=True, help="Automatic payment pauses after 3 failures in a row."
    )
    enrolled_user_id = fields.Many2one("res.users", string="Turned On By", readonly=True, ondelete="restrict")
    enrolled_date = fields.Datetime(string="Turned On", readonly=True)
    terms_version = fields.Char(readonly=True)
    terms_text = fields.Text(string="Accepted Terms", readonly=True)
    announced_invoice_ids = fields.Many2many(
        "account.move",
        "b2b_autopay_announced_move_rel",
        "autopay_id",
        "move_id",
        string="Announced Invoices",
        readonly=True,
        help="Invoices already announced to the payer: only these are charged.",
    )
    announce_date = fields.Date(string="Last Announcement", readonly=True)
    announced_today_ids = fields.Many2many(
        "account.move",
        "b2b_autopay_announced_last_move_rel",
        "autopay_id",
        "move_id",
        string="Announced Last",
        readonly=True,
        help="Invoices announced on the last announcement day: not charged that same day.",
    )
    transaction_ids = fields.One2many("payment.transaction", compute="_compute_transaction_ids", string="Transactions")
    transaction_count = fields.Integer(compute="_compute_transaction_ids")

    _days_before_range = models.Constraint(
        "CHECK(days_before >= 0 AND days_before <= 30)",
        "The days before the due date go from 0 to 30.",
    )
    _caps_positive = models.Constraint(
        "CHECK(cap_invoice >= 0 AND cap_month >= 0 AND notice_days >= 0)",
        "Caps and announcement days cannot be negative.",
    )
    _one_per_payer = models.UniqueIndex(
        "(partner_id, company_id) WHERE state != 'stopped'",
        "A payer has one automatic payment per company.",
    )

    @api.model
    def _default_notice_days(self):
        return int(self.env["ir.config_parameter"].sudo().get_param("b2b_customer_portal.autopay_notice_days", 3))

    def _reference_prefix(self):
        self.ensure_one()
        return f"{B2B_AUTOPAY_REFERENCE_PREFIX}-{self.company_id.id}-{self.partner_id.id}-"

    def _reference(self, day):
        """The one transaction reference of this payer for ``day``."""
        return f"{self._reference_prefix()}{day:%Y%m%d}"

    def _compute_transaction_ids(self):
        Transaction = self.env["payment.transaction"]
        for autopay in self:
            if not autopay.id:
                autopay.transaction_ids = Transaction
                autopay.transaction_count = 0
                continue
            transactions = Transaction.search(
                [("reference", "=like", autopay._reference_prefix() + "%")], order="id desc"
            )
            autopay.transaction_ids = transactions
            autopay.transaction_count = len(transactions)

    @api.model
    def _b2b_terms_text(self):
        return self.env._(
            "I authorise %(company)s to charge the payment method I saved for the invoices my "
            "company pays, on the dates and within the caps chosen here. Each charge is announced "
            "by email beforehand. Disputed amounts are never charged. Automatic payment can be "
            "turned off at any time from the portal.",
            company=self.env.company.name,
        )

    @api.model
    def _b2b_load_demo(self):
        """Demo data (demo/autopay_demo.xml): the hospital group's accountant saved a card of
        Odoo's demo provider and turned automatic payment on. The card needs ``payment_demo``,
        which this addon does not depend on (no production database should), so without it the
        demo has no mandate; loaded once (its records keep their XML ids)."""
        if self.env.ref("b2b_customer_portal.autopay_ghlo", raise_if_not_found=False):
            return
        method = self.env.ref("payment_demo.payment_method_demo", raise_if_not_found=False)
        provider = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not method or not provider or provider.module_id.state != "installed":
            return
        ref = self.env.ref
        token = self.env["payment.token"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "partner_id": ref("b2b_party_roles.partner_ghlo_accountant").id,
                "payment_details": "4242",
                "provider_ref": "demo-ghlo-card",
                "demo_simulated_state": "done",
            }
        )
        autopay = self.with_context(lang="fr_FR").create(
            {
                "partner_id": ref("b2b_party_roles.partner_ghlo").id,
                "token_id": token.id,
                "trigger": "before_due",
                "days_before": 5,
                "cap_invoice": 5000,
                "cap_month": 20000,
                "enrolled_user_id": ref("b2b_party_roles.user_ghlo_accountant").id,
                "enrolled_date": fields.Datetime.now() - timedelta(days=10),
                "terms_version": B2B_AUTOPAY_TERMS_VERSION,
                "terms_text": self.with_context(lang="fr_FR")._b2b_terms_text(),
            }
        )
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": "b2b_customer_portal.payment_token_ghlo_demo", "record": token, "noupdate": True},
                {"xml_id": "b2b_customer_portal.autopay_ghlo", "record": autopay, "noupdate": True},
            ]
        )

    # ------------------------------------------------------------------
    # Actions: the portal enrolment (the accountant), the back office (billing users)
    # ------------------------------------------------------------------
    @api.model
    def _b2b_portal_enrol(self, token, values):
        """Turn automatic payment on (or change its terms) for the current user's payer entity,
        as its accountant. ``values``: trigger, days_before, cap_invoice, cap_month (checked
        here). Raises AccessError for any other user or a token of another entity."""
        user = self.env.user
        partner = user.partner_id.sudo()
        if not user._is_portal() or partner.b2b_portal_role != "accountant":
            raise AccessError(self.env._("Only the accountant of the paying company turns automatic payment on."))
        payer = partner.commercial_partner_id
        token = token.sudo().exists()
        if not token or not token.active or token.partner_id.commercial_partner_id != payer:
            raise AccessError(self.env._("This payment method does not belong to your company."))
        vals = self._b2b_check_terms_values(values)
        company = self.env.company
        autopay = self.sudo().search(
            [("partner_id", "=", payer.id), ("company_id", "=", company.id), ("state", "!=", "stopped")]
        )
        vals.update(
            {
                "token_id": token.id,
                "state": "active",
                "pause_reason": False,
                "failure_count": 0,
                "enrolled_user_id": user.id,
                "enrolled_date": fields.Datetime.now(),
                "terms_version": B2B_AUTOPAY_TERMS_VERSION,
                "terms_text": self._b2b_terms_text(),
            }
        )
        if autopay:
            autopay.write(vals)
        else:
            autopay = self.sudo().create({"partner_id": payer.id, "company_id": company.id, **vals})
        autopay.message_post(
            body=self.env._(
                "Automatic payment turned on by %(user)s under the terms of version %(version)s.",
                user=user.name,
                version=B2B_AUTOPAY_TERMS_VERSION,
            ),
            author_id=partner.id,
        )
        return autopay

    @api.model
    def _b2b_check_terms_values(self, values):
        trigger = values.get("trigger")
        if trigger not in dict(self._fields["trigger"].selection):
            raise B2bAutopayInputError(self.env._("Choose when invoices are charged."), "trigger")
        try:
            days_before = int(values.get("days_before") or 0) if trigger == "before_due" else 0
            cap_invoice = float(values.get("cap_invoice") or 0.0)
            cap_month = float(values.get("cap_month") or 0.0)
        except (TypeError, ValueError, OverflowError) as error:
            raise B2bAutopayInputError(self.env._("Days and caps are numbers."), "numbers") from error
        # nan, inf and 1e400 (inf) are floats but not amounts; nor is a cap beyond any invoice
        if not all(math.isfinite(cap) and cap < B2B_AUTOPAY_MAX_CAP for cap in (cap_invoice, cap_month)):
            raise B2bAutopayInputError(self.env._("Days and caps are numbers."), "numbers")
        if not 0 <= days_before <= 30:
            raise B2bAutopayInputError(self.env._("The days before the due date go from 0 to 30."), "days")
        if cap_invoice < 0 or cap_month < 0:
            raise B2bAutopayInputError(self.env._("Caps cannot be negative."), "negative")
        return {"trigger": trigger, "days_before": days_before, "cap_invoice": cap_invoice, "cap_month": cap_month}

    def _b2b_portal_stop(self):
        """Turn automatic payment off from the portal, as the payer's accountant."""
        user = self.env.user
        partner = user.partner_id.sudo()
        if (
            not user._is_portal()
            or partner.b2b_portal_role != "accountant"
            or any(autopay.partner_id != partner.commercial_partner_id for autopay in self.sudo())
        ):
            raise AccessError(self.env._("Only the accountant of the paying company turns automatic payment off."))
        for autopay in self.sudo():
            autopay.write({"state": "stopped"})
            autopay.message_post(
                body=self.env._("Automatic payment turned off by %(user)s.", user=user.name), author_id=partner.id
            )

    def _b2b_check_billing_user(self):
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users pause, resume or stop automatic payments."))
        self.check_access("read")

    def action_b2b_pause(self):
        self._b2b_check_billing_user()
        for autopay in self.sudo().filtered(lambda a: a.state == "active"):
            autopay._b2b_pause(autopay._b2b_payer_env()._("Paused by %(user)s.", user=self.env.user.name))

    def action_b2b_resume(self):
        self._b2b_check_billing_user()
        self.sudo().filtered(lambda a: a.state == "paused").write(
            {"state": "active", "failure_count": 0, "pause_reason": False}
        )

    def action_b2b_stop(self):
        self._b2b_check_billing_user()
        self.sudo().filtered(lambda a: a.state != "stopped").write({"state": "stopped"})

    def action_b2b_view_transactions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transactions"),
            "res_model": "payment.transaction",
            "view_mode": "list,form",
            "domain": [("id", "in", self.transaction_ids.ids)],
        }

    # ------------------------------------------------------------------
    # What is charged
    # ------------------------------------------------------------------
    def _b2b_payer_domain(self):
        self.ensure_one()
        return (
            Domain("payer_id", "any", [("commercial_partner_id", "=", self.partner_id.id)])
            | (Domain("payer_id", "=", False) & Domain("commercial_partner_id", "=", self.partner_id.id))
        ) & Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                # not held by a transaction still in progress (of any day)
                (
                    "transaction_ids",
                    "not any",
                    [
                        ("state", "in", B2B_AUTOPAY_OPEN_TX_STATES),
                        ("reference", "=like", B2B_AUTOPAY_REFERENCE_PREFIX + "-%"),
                    ],
                ),
            ]
        )

    def _b2b_due_domain(self, day):
        """Invoices of the payer whose charge date is ``day`` or earlier. An invoice is charged
        ``notice_days`` after it was posted at the earliest, so its charge is announced first."""
        self.ensure_one()
        domain = self._b2b_payer_domain() & Domain(
            [("move_type", "=", "out_invoice"), ("invoice_date", "<=", day - timedelta(days=self.notice_days))]
        )
        if self.trigger == "before_due":
            domain &= Domain("invoice_date_due", "<=", day + timedelta(days=self.days_before))
        elif self.trigger == "due_date":
            domain &= Domain("invoice_date_due", "<=", day)
        return domain

    def _b2b_invoice_amounts(self, moves):
        """What is charged now on each move: the portal payment's own allocation (Odoo's amount
        for the invoice alone, early-payment discount included, less open disputes; minus the
        residual of a credit note)."""
        allocation = moves._b2b_payment_allocation()
        return {move: allocation[move]["amount"] for move in moves}

    def _b2b_plan(self, day, announced_only=True):
        """The charge of ``day``: ``{"invoices", "credit_notes", "amount", "waiting"}``, where
        ``waiting`` lists ``(invoice, reason)`` of due invoices that do not fit (caps, currency,
        dispute). The amount nets the payer's open credit notes (a credit on an invoice already
        charged is used here)."""
        self.ensure_one()
        Move = self.env["account.move"].sudo()
        currency = self.currency_id
        domain = self._b2b_due_domain(day)
        if announced_only:
            announced = self.announced_invoice_ids
            if self.announce_date and self.announce_date >= day:
                # announced on the day of the charge (a second run that day): not yet
                announced -= self.announced_today_ids
            domain &= Domain("id", "in", announced.ids)
        invoices = Move.search(domain, order="invoice_date_due, id")
        # a payment of the customer in progress (portal, pending at the provider) is waited for
        invoices -= invoices._b2b_payment_in_progress()
        amounts = self._b2b_invoice_amounts(invoices)
        spent = 0.0
        if self.cap_month:
            month_prefix = f"{self._reference_prefix()}{day:%Y%m}"
            spent = (
                self.env["payment.transaction"]
                .sudo()
                ._read_group(
                    [("reference", "=like", month_prefix + "%"), ("state", "in", ("pending", "authorized", "done"))],
                    [],
                    ["amount:sum"],
                )[0][0]
            )
        credit_notes = Move.search(self._b2b_payer_domain() & Domain([("move_type", "=", "out_refund")]))
        credit_notes = credit_notes.filtered(lambda move: move.currency_id == currency)
        credit_notes -= credit_notes._b2b_payment_in_progress()
        credit = -sum(self._b2b_invoice_amounts(credit_notes).values())
        charged, waiting, total = Move, [], 0.0
        for invoice in invoices:
            amount = amounts[invoice]
            if invoice.currency_id != currency:
                waiting.append((invoice, self.env._("in another currency")))
            elif float_is_zero(amount, precision_rounding=currency.rounding):
                waiting.append((invoice, self.env._("disputed")))
            elif self.cap_invoice and float_compare(amount, self.cap_invoice, precision_rounding=currency.rounding) > 0:
                waiting.append((invoice, self.env._("over the cap per invoice")))
            elif (
                self.cap_month
                and float_compare(spent + total + amount - credit, self.cap_month, precision_rounding=currency.rounding)
                > 0
            ):
                waiting.append((invoice, self.env._("over the cap of the month")))
            else:
                charged |= invoice
                total += amount
        amount = currency.round(total - credit)
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            # nothing to charge: the credit stays for the next invoices
            return {"invoices": Move, "credit_notes": Move, "amount": 0.0, "waiting": waiting, "due": charged}
        return {"invoices": charged, "credit_notes": credit_notes, "amount": amount, "waiting": waiting, "due": charged}

    # ------------------------------------------------------------------
    # The run of one payer: prepare (draft transaction, committed), then charge
    # ------------------------------------------------------------------
    def _b2b_lock(self):
        """Lock this mandate's row for the current transaction; False when another run holds it."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT id FROM b2b_autopay WHERE id = %s FOR UPDATE NOWAIT", self.id))
        except psycopg2.errors.LockNotAvailable:
            _logger.info("automatic payment %s: another run holds it, skipped", self.id)
            return False
        return True

    def _b2b_prepare_transaction(self, day):
        """The draft transaction of ``day`` for this payer, created if needed; an empty recordset
        when there is nothing to charge, the day's charge was already made, or another run is
        at it. The caller commits it before charging (:meth:`_b2b_charge`)."""
        self.ensure_one()
        Transaction = self.env["payment.transaction"].sudo()
        if not self._b2b_lock():
            return Transaction
        self.invalidate_recordset()
        if self.state != "active":
            return Transaction
        if not self.enrolled_user_id.active:
            self._b2b_pause(self._b2b_payer_env()._("The user who turned automatic payment on was archived."))
            return Transaction
        if not self.token_id.active:
            self._b2b_pause(self._b2b_payer_env()._("The saved payment method was removed."))
            return Transaction
        reference = self._reference(day)
        transaction = Transaction.search([("reference", "=", reference)])
        if transaction:
            # a run that stopped after the draft was committed is resumed, never doubled
            return transaction if transaction.state == "draft" else Transaction
        plan = self._b2b_plan(day)
        if not plan["amount"]:
            return Transaction
        try:
            with self.env.cr.savepoint():
                return Transaction.create(self._b2b_transaction_vals(reference, plan))
        except psycopg2.errors.UniqueViolation:
            # a run that started before another committed the day's draft does not see it: the
            # unique reference refuses the second one
            _logger.info("automatic payment %s: %s already exists, skipped", self.id, reference)
            return Transaction

    def _b2b_transaction_vals(self, reference, plan):
        token = self.token_id
        return {
            "provider_id": token.provider_id.id,
            "payment_method_id": token.payment_method_id.id,
            "token_id": token.id,
            "reference": reference,
            "amount": plan["amount"],
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_id.id,
            "operation": "offline",
            "invoice_ids": [Command.set((plan["invoices"] | plan["credit_notes"]).ids)],
        }

    def _b2b_charge(self, transaction):
        """Ask the provider to charge the committed draft ``transaction`` (only once: under the
        mandate's lock and while it is a draft). A final answer is post-processed at once (the
        payment booked to the payer, :meth:`_b2b_after_charge`); a pending one by Odoo's
        post-processing when the provider confirms. Returns whether the provider was asked."""
        self.ensure_one()
        if not transaction or not self._b2b_lock():
            return False
        transaction = transaction.sudo()
        transaction.invalidate_recordset(["state"])
        if transaction.state != "draft":
            return False
        if not self._b2b_still_due(transaction):
            # paid or changed since the draft was made (a run resumed the next day, a payment
            # from the portal meanwhile): never charged; the next run charges what is left
            transaction._set_canceled(state_message=self.env._("The invoices changed before the charge."))
            transaction.is_post_processed = True
            return False
        transaction._charge_with_token()
        if transaction.state in ("done", "cancel", "error"):
            transaction._post_process()
        return True

    def _b2b_still_due(self, transaction):
        """Whether the draft ``transaction`` still asks what its invoices and credit notes owe
        now, with no other payment of them in progress."""
        moves = transaction.invoice_ids
        if not moves or moves._b2b_payment_in_progress():
            return False
        amount = sum(self._b2b_invoice_amounts(moves).values())
        return transaction.currency_id.compare_amounts(amount, transaction.amount) == 0

    def _b2b_after_charge(self, transaction):
        """The provider's final answer on ``transaction``: email a receipt, or count the failure,
        email it and pause after 3 in a row."""
        self.ensure_one()
        if transaction.state == "done":
            self.failure_count = 0
            # paid invoices leave the announced list: it stays the size of what is open
            paid = transaction.invoice_ids.filtered(lambda move: move.payment_state not in ("not_paid", "partial"))
            self.announced_invoice_ids = [Command.unlink(move.id) for move in paid]
            self._b2b_notify("b2b_customer_portal.b2b_autopay_mail_receipt", transaction=transaction)
        elif transaction.state in ("cancel", "error"):
            self.failure_count += 1
            self._b2b_notify("b2b_customer_portal.b2b_autopay_mail_failure", transaction=transaction)
            if self.state == "active" and self.failure_count >= B2B_AUTOPAY_MAX_FAILURES:
                self._b2b_pause(self._b2b_payer_env()._("%(count)s failed charges in a row.", count=self.failure_count))

    @api.model
    def _b2b_of_transactions(self, transactions):
        """``{transaction: mandate}`` of the automatic payment transactions among ``transactions``."""
        result = {}
        for transaction in transactions:
            parts = (transaction.reference or "").split("-")
            if len(parts) != 4 or parts[0] != B2B_AUTOPAY_REFERENCE_PREFIX:
                continue
            autopay = self.sudo().search(
                [("company_id", "=", int(parts[1])), ("partner_id", "=", int(parts[2]))], order="id desc", limit=1
            )
            if autopay and autopay._reference_prefix() + parts[3] == transaction.reference:
                result[transaction] = autopay
        return result

    def _b2b_run(self, day, commit=None):
        """Prepare and charge the day's transaction of this payer; ``commit`` (the cron's
        progress commit) is called once the draft exists and again after the charge."""
        self.ensure_one()
        transaction = self._b2b_prepare_transaction(day)
        if not transaction:
            return transaction
        if commit:
            commit()
        self._b2b_charge(transaction)
        if commit:
            commit()
        return transaction

    def _b2b_announce(self, day):
        """Email the payer what will be charged within ``notice_days`` and was not announced
        yet, with what waits (caps, disputes)."""
        self.ensure_one()
        if self.state != "active":
            return False
        horizon = day + timedelta(days=self.notice_days)
        # why an invoice waits is told in the payer's language (the run is OdooBot's)
        plan = self.with_context(lang=self._b2b_payer_env().lang)._b2b_plan(horizon, announced_only=False)
        announced = self.announced_invoice_ids
        new = plan["due"] - announced
        # what waits (caps, disputes) is told once too; it is charged when it fits
        waiting = [(invoice, reason) for invoice, reason in plan["waiting"] if invoice not in announced]
        if not new and not waiting:
            return False
        told = new | self.env["account.move"].union(*(invoice for invoice, _reason in waiting))
        self.write(
            {
                "announced_invoice_ids": [Command.link(invoice.id) for invoice in told],
                "announced_today_ids": [Command.link(invoice.id) for invoice in told]
                if self.announce_date == day
                else [Command.set(told.ids)],
                "announce_date": day,
            }
        )
        # each line written in the payer's language, French typography included ("FAC : 10 €")
        payer_env = self._b2b_payer_env()
        amounts = self._b2b_invoice_amounts(new)
        self._b2b_notify(
            "b2b_customer_portal.b2b_autopay_mail_announcement",
            invoices=new,
            waiting=waiting,
            invoice_lines=[
                payer_env._(
                    "%(invoice)s: %(amount)s",
                    invoice=invoice.name,
                    amount=format_amount(payer_env, amounts[invoice], invoice.currency_id),
                )
                for invoice in new
            ],
            waiting_lines=[
                payer_env._("%(invoice)s: %(reason)s", invoice=invoice.name, reason=reason)
                for invoice, reason in waiting
            ],
            charge_date=horizon,
        )
        return True

    def _b2b_pause(self, reason):
        self.ensure_one()
        self.write({"state": "paused", "pause_reason": reason})
        self._b2b_notify("b2b_customer_portal.b2b_autopay_mail_paused", reason=reason)

    def _b2b_recipients(self):
        """The payer's accountants (and who turned automatic payment on)."""
        self.ensure_one()
        accountants = (
            self.env["res.partner"]
            .sudo()
            .search([("commercial_partner_id", "=", self.partner_id.id), ("b2b_portal_role", "=", "accountant")])
        )
        return (accountants | self.enrolled_user_id.partner_id).filtered("email")

    def _b2b_payer_env(self):
        """The environment in the payer's language: what the payer's emails say (a pause reason,
        why an invoice waits) is written in it, whoever runs the action (OdooBot's run, a
        billing user)."""
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang or self.env.lang).env

    def _b2b_notify(self, template_xmlid, **values):
        """Email the payer's accountants in their language, from the company (as its author:
        no user's signature such as OdooBot's "-- System" under the message)."""
        # in the payer's language (the run is OdooBot's)
        autopay = self.with_env(self._b2b_payer_env())
        subjects = {
            "b2b_customer_portal.b2b_autopay_mail_announcement": autopay.env._("Upcoming automatic payment"),
            "b2b_customer_portal.b2b_autopay_mail_receipt": autopay.env._("Automatic payment receipt"),
            "b2b_customer_portal.b2b_autopay_mail_failure": autopay.env._("Automatic payment failed"),
            "b2b_customer_portal.b2b_autopay_mail_paused": autopay.env._("Automatic payment paused"),
        }
        autopay.message_post_with_source(
            template_xmlid,
            render_values={"autopay": autopay, **values},
            # French puts a space before the colon
            subject=autopay.env._(
                "%(company)s: %(subject)s", company=autopay.company_id.name, subject=subjects[template_xmlid]
            ),
            partner_ids=autopay._b2b_recipients().ids,
            subtype_xmlid="mail.mt_comment",
            author_id=autopay.company_id.partner_id.id,
            email_add_signature=False,
        )

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_b2b_autopay(self):
        """Daily: pause mandates whose enrolling user was archived, charge what is due (one
        transaction per payer and day, committed before the provider is asked), then announce
        the coming charges."""
        Cron = self.env["ir.cron"]
        autopays = self.search([("state", "=", "active")])
        Cron._commit_progress(remaining=len(autopays))
        for autopay in autopays:
            day = fields.Date.context_today(autopay.with_context(tz=autopay.company_id.partner_id.tz or "UTC"))
            try:
                autopay._b2b_run(day, commit=Cron._commit_progress)
                autopay._b2b_announce(day)
            except Exception:
                _logger.exception("automatic payment %s failed", autopay.id)
                self.env.cr.rollback()
            if Cron._commit_progress(1) <= 0:
                # out of time: the cron runs again at once ("partially done"); payers already
                # charged today are skipped by their transaction's reference
                break
