from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, format_time

from .b2b_invoice_dispute import B2B_DISPUTE_ACTIVE_STATES

# order term of account.move: the rank of the status an invoice's portal row shows
# (``_order_field_to_sql``), the order of the portal's invoice list grouped by status
B2B_PORTAL_STATUS_RANK = "b2b_portal_status_rank"
# portal roles that pay the invoices they see (the viewer only reads)
B2B_PAY_ROLES = ("buyer", "approver", "accountant")


class AccountMove(models.Model):
    _inherit = "account.move"

    b2b_dispute_ids = fields.One2many("b2b.invoice.dispute", "move_id", string="Disputes")
    b2b_dispute_amount = fields.Monetary(
        string="Disputed Amount",
        compute="_compute_b2b_dispute",
        currency_field="currency_id",
        help="What the customer's open disputes hold back on this invoice.",
    )
    b2b_disputed = fields.Boolean(string="Disputed", compute="_compute_b2b_dispute", search="_search_b2b_disputed")

    @api.model
    def _b2b_user_may_pay(self):
        """Whether the current user may pay invoices: the one rule of every pay path (Odoo's
        Pay now button and its transaction, the overdue invoices' payment, the multi-invoice
        payment). A portal user pays when their portal role pays (``B2B_PAY_ROLES``: not the
        viewer); internal users and a guest with a signed link are not concerned."""
        user = self.env.user
        if not user.share or user._is_public():
            return True
        return user.partner_id.b2b_portal_role in B2B_PAY_ROLES

    def _b2b_payment_in_progress_message(self):
        """What a payer is told when a payment of the moves of ``self`` (in a payment in
        progress: ``_b2b_payment_in_progress``) is already under way: since when, in the
        user's time zone."""
        self.env.cr.execute(
            SQL(
                """
                SELECT MAX(tx.create_date)
                  FROM account_invoice_transaction_rel rel
                  JOIN payment_transaction tx ON tx.id = rel.transaction_id
                 WHERE rel.invoice_id IN %s
                   AND (
                        tx.state IN ('draft', 'pending', 'authorized')
                        OR (tx.state = 'done' AND NOT tx.is_post_processed)
                   )
                """,
                tuple(self.ids),
            )
        )
        started = self.env.cr.fetchone()[0]
        invoices = ", ".join(self.mapped("name"))
        if not started:
            return self.env._(
                "A payment of %(invoices)s is already being processed: wait for it before paying again.",
                invoices=invoices,
            )
        return self.env._(
            "A payment of %(invoices)s was started at %(time)s and is already being processed: wait for "
            "it before paying again (a payment left unfinished can be made again 15 minutes after it was "
            "started).",
            invoices=invoices,
            # a guest has no time zone: the page's (the tz cookie), else the payer's or company's
            time=format_time(
                self.env,
                started,
                tz=self.env.context.get("tz")
                or self.env.user.tz
                or self[:1].partner_id.tz
                or self[:1].company_id.partner_id.tz,
                time_format="HH:mm",
            ),
        )

    @api.depends("b2b_dispute_ids.state", "b2b_dispute_ids.amount")
    def _compute_b2b_dispute(self):
        amounts = dict(
            self.env["b2b.invoice.dispute"]
            .sudo()
            ._read_group(
                [("move_id", "in", self.ids), ("state", "in", B2B_DISPUTE_ACTIVE_STATES)],
                ["move_id"],
                ["amount:sum"],
            )
        )
        for move in self:
            amount = amounts.get(move._origin, 0.0)
            move.b2b_dispute_amount = amount
            move.b2b_disputed = bool(amount)

    def _search_b2b_disputed(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        disputed = Domain("b2b_dispute_ids", "any!", [("state", "in", B2B_DISPUTE_ACTIVE_STATES)])
        return disputed if (operator == "in") == (True in value) else ~disputed

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """``b2b_portal_status_rank``: the invoices in the order of the statuses their portal
        rows show (disputed, paid, overdue, partly paid, open, then the others), computed in
        SQL so that a list grouped by status is sorted by its groups across pages, not page by
        page. The same definitions as the status filter and the row badges (disputed first,
        overdue from the user's today)."""
        if field_name != B2B_PORTAL_STATUS_RANK:
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        self.env["b2b.invoice.dispute"].flush_model(["move_id", "state"])
        self.flush_model(["state", "payment_state", "invoice_date_due"])
        today = fields.Date.context_today(self)
        rank = SQL(
            """CASE WHEN %(move)s.state != 'posted' THEN 5
                    WHEN EXISTS (SELECT 1 FROM b2b_invoice_dispute dispute
                                  WHERE dispute.move_id = %(move)s.id AND dispute.state IN %(active)s) THEN 0
                    WHEN %(move)s.payment_state IN ('paid', 'in_payment', 'reversed') THEN 1
                    WHEN %(move)s.payment_state IN ('not_paid', 'partial')
                         AND %(move)s.invoice_date_due < %(today)s THEN 2
                    WHEN %(move)s.payment_state = 'partial' THEN 3
                    WHEN %(move)s.payment_state = 'not_paid' THEN 4
                    ELSE 5 END""",
            move=SQL.identifier(alias),
            active=tuple(B2B_DISPUTE_ACTIVE_STATES),
            today=today,
        )
        query._order_groupby.append(rank)
        return SQL("%s %s %s", rank, direction, nulls)

    def action_b2b_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("b2b_customer_portal.b2b_invoice_dispute_action")
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        return action

    @api.model
    def _b2b_overdue_excluded_sql(self, company):
        """Open disputes do not count toward the overdue rule when the company says so (their
        amount, in the invoice currency, converted at the invoice's own rate)."""
        if not company.b2b_dispute_excluded_from_overdue:
            return super()._b2b_overdue_excluded_sql(company)
        self.env["b2b.invoice.dispute"].flush_model(["move_id", "amount", "state", "company_id"])
        return SQL(
            """
            SELECT dispute.move_id,
                   dispute.amount * ABS(move.amount_total_signed) / NULLIF(move.amount_total, 0) AS amount
              FROM b2b_invoice_dispute dispute
              JOIN account_move move ON move.id = dispute.move_id
             WHERE dispute.state IN %s AND dispute.company_id = %s
            """,
            tuple(B2B_DISPUTE_ACTIVE_STATES),
            company.id,
        )
