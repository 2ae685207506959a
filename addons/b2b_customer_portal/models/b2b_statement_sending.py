"""Monthly statement of account by email (issue 15): the payers with the option get their
statement on the first day of each month, once per month, logged here."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class B2bStatementSending(models.Model):
    """One statement of account sent by the monthly scheduled action: which payer, for which
    month, to whom. A payer is sent its statement at most once per company and month."""

    _name = "b2b.statement.sending"
    _description = "Monthly Statement Sending"
    _order = "period desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    period = fields.Date(string="Month", required=True, help="First day of the month the statement was sent for.")
    user_id = fields.Many2one("res.users", string="Sent by", required=True, default=lambda self: self.env.user)
    recipient_ids = fields.Many2many("res.partner", string="Recipients")
    message_id = fields.Many2one("mail.message", ondelete="set null")

    _partner_period_unique = models.Constraint(
        "UNIQUE(partner_id, company_id, period)",
        "The statement of this customer was already sent for this month.",
    )

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _b2b_period(self, company):
        """First day of the current month, on the company's calendar (OdooBot has no time zone)."""
        tz = company.partner_id.tz or self.env.user.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz)).replace(day=1)

    @api.model
    def _b2b_payers_due(self, company, period):
        """Customer entities of ``company`` with the monthly option, at least one open item on
        their statement and no statement sent for ``period``: two queries, whatever their
        number."""
        Partner = self.env["res.partner"]
        Partner._b2b_flush_exposure_sources()
        Partner.flush_model(["b2b_statement_monthly", "active", "commercial_partner_id"])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT payer.id
                  FROM res_partner payer
                 WHERE payer.b2b_statement_monthly AND payer.active
                   AND payer.id = payer.commercial_partner_id
                   AND NOT EXISTS (SELECT 1 FROM b2b_statement_sending sending
                                    WHERE sending.partner_id = payer.id AND sending.company_id = %(company)s
                                      AND sending.period = %(period)s)
                """,
                company=company.id,
                period=period,
            )
        )
        candidate_ids = [row[0] for row in self.env.cr.fetchall()]
        if not candidate_ids:
            return Partner.browse()
        # open items as the statement lists them: unsettled receivable lines (the one
        # definition of exposure, b2b_credit_hold)
        lines = Partner._b2b_exposure_lines_sql(company_ids=[company.id], entity_ids=candidate_ids)
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT lines.partner_id FROM (%s) lines"
                " WHERE lines.kind = 'receivable' AND lines.amount != 0 ORDER BY lines.partner_id",
                lines,
            )
        )
        return Partner.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_b2b_send_monthly_statements(self):
        """Monthly (first day): email each payer with the option and something open its
        statement of account with the guest Pay now link, once per month: a rerun, or a run
        resumed after a crash, skips the payers already sent (one sending per payer, company
        and month, committed with its email). A payer that fails is logged and left for the
        next run."""
        Cron = self.env["ir.cron"]
        for company in self.env["res.company"].search([]):
            period = self._b2b_period(company)
            payers = self._b2b_payers_due(company, period)
            Cron._commit_progress(remaining=len(payers))
            for payer in payers:
                try:
                    with self.env.cr.savepoint():
                        self.with_company(company)._b2b_send_statement(payer, company, period)
                except Exception:
                    _logger.exception("monthly statement of partner %s (company %s) failed", payer.id, company.id)
                if Cron._commit_progress(1) <= 0:
                    return

    @api.model
    def _b2b_send_statement(self, payer, company, period):
        """Email ``payer`` its statement of ``company`` (the Send Statement template: PDF and
        guest pay link, to its accountants in their language), logged in its chatter and here."""
        # the unique (payer, company, month) refuses a second sending before anything is emailed
        sending = self.sudo().create({"partner_id": payer.id, "company_id": company.id, "period": period})
        template = self.env.ref("b2b_customer_portal.mail_template_b2b_statement")
        message = (
            payer.sudo()
            .with_company(company)
            .message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        )
        sending.write({"recipient_ids": [fields.Command.set(message.partner_ids.ids)], "message_id": message.id})
        return sending
