from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

CREDIT_POLICIES = [
    ("none", "No Check"),
    ("warn", "Warn"),
    ("block", "Block"),
    ("prepay", "Prepayment"),
    ("prepay_first", "Prepay First Order"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit Policy",
        company_dependent=True,
        help="Warn: Odoo's banner only. Block: orders over the credit limit are held on confirmation. "
        "Prepayment: every order must be paid online in full before confirmation. Prepay First Order: "
        "the first order must be prepaid, later ones follow the Block rules.",
    )
    b2b_overdue_block = fields.Boolean(
        string="Block on Overdue",
        company_dependent=True,
        help="Hold orders (and deliveries) while an invoice is overdue by more than the grace days.",
    )
    b2b_overdue_grace_days = fields.Integer(string="Overdue Grace Days", company_dependent=True)
    b2b_manual_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Set by credit control: every order and delivery of this customer waits for a credit manager.",
    )
    b2b_hold_note = fields.Text(string="Hold Note", company_dependent=True)
    b2b_credit_checked_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="Technical: last credit check. Updating it serializes concurrent checks of one payer.",
    )

    b2b_receivable_amount = fields.Monetary(
        string="Open Receivables", compute="_compute_b2b_credit", currency_field="b2b_company_currency_id"
    )
    b2b_to_invoice_amount = fields.Monetary(
        string="Confirmed, Not Invoiced", compute="_compute_b2b_credit", currency_field="b2b_company_currency_id"
    )
    b2b_draft_invoice_amount = fields.Monetary(
        string="Draft Invoices", compute="_compute_b2b_credit", currency_field="b2b_company_currency_id"
    )
    b2b_credit_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        help="Open receivables + confirmed orders not yet invoiced + draft invoices of this paying "
        "entity, in company currency.",
    )
    b2b_credit_available = fields.Monetary(
        string="Available Credit", compute="_compute_b2b_credit", currency_field="b2b_company_currency_id"
    )
    b2b_overdue_amount = fields.Monetary(
        string="Overdue", compute="_compute_b2b_credit", currency_field="b2b_company_currency_id"
    )
    b2b_oldest_overdue_days = fields.Integer(string="Oldest Overdue (days)", compute="_compute_b2b_credit")
    b2b_credit_alert = fields.Boolean(
        string="Over Limit or Overdue", compute="_compute_b2b_credit", search="_search_b2b_credit_alert"
    )
    b2b_company_currency_id = fields.Many2one("res.currency", compute="_compute_b2b_company_currency_id")
    b2b_avg_days_late = fields.Float(
        string="Average Days Late",
        compute="_compute_b2b_late_payer",
        digits=(16, 1),
        help="Average lateness of the invoices paid over the last 12 months.",
    )
    b2b_late_payer = fields.Boolean(string="Late Payer", compute="_compute_b2b_late_payer")

    def _compute_b2b_company_currency_id(self):
        self.b2b_company_currency_id = self.env.company.currency_id

    # ------------------------------------------------------------------
    # Figures, aggregated in SQL, per company, in company currency
    # ------------------------------------------------------------------
    def _b2b_credit_figures(self, company):
        """{commercial partner id: {receivable, overdue, oldest_overdue_date, to_invoice, draft}}
        for the commercial entities in ``self``, in ``company``'s currency, in one query."""
        entities = self.commercial_partner_id
        figures = {
            pid: {"receivable": 0.0, "overdue": 0.0, "oldest_overdue": None, "to_invoice": 0.0, "draft": 0.0}
            for pid in entities.ids
        }
        if not entities:
            return figures
        today = fields.Date.context_today(self)
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["sale.order"].flush_model(["payer_id", "company_id", "state", "b2b_credit_to_invoice"])
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.partner_id, 'receivable', SUM(aml.amount_residual::float8),
                       SUM(aml.amount_residual::float8) FILTER (WHERE aml.date_maturity < %(today)s),
                       MIN(aml.date_maturity) FILTER (WHERE aml.date_maturity < %(today)s AND aml.amount_residual > 0)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.partner_id IN %(ids)s
                   AND aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND NOT aml.reconciled
                 GROUP BY aml.partner_id
                UNION ALL
                SELECT payer.commercial_partner_id, 'to_invoice', SUM(so.b2b_credit_to_invoice), NULL, NULL
                  FROM sale_order so
                  JOIN res_partner payer ON payer.id = so.payer_id
                 WHERE payer.commercial_partner_id IN %(ids)s
                   AND so.company_id = %(company)s
                   AND so.state = 'sale'
                   AND so.b2b_credit_to_invoice > 0
                 GROUP BY payer.commercial_partner_id
                UNION ALL
                SELECT payer.commercial_partner_id, 'draft', SUM(move.amount_total_signed::float8), NULL, NULL
                  FROM account_move move
                  JOIN res_partner payer ON payer.id = move.payer_id
                 WHERE payer.commercial_partner_id IN %(ids)s
                   AND move.company_id = %(company)s
                   AND move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                 GROUP BY payer.commercial_partner_id
                """,
                today=today,
                ids=tuple(entities.ids),
                company=company.id,
            )
        )
        for partner_id, kind, amount, overdue, oldest in self.env.cr.fetchall():
            values = figures[partner_id]
            if kind == "receivable":
                values.update(receivable=amount or 0.0, overdue=overdue or 0.0, oldest_overdue=oldest)
            else:
                values[kind] = amount or 0.0
        return figures

    @api.model
    def _b2b_exposure(self, values):
        return values["receivable"] + values["to_invoice"] + values["draft"]

    def _b2b_overdue_blocking(self, values, company):
        """True when the overdue rule of this entity (in ``company``) blocks it."""
        entity = self.with_company(company)
        if not entity.b2b_overdue_block or not values["oldest_overdue"]:
            return False
        late_days = (fields.Date.context_today(self) - values["oldest_overdue"]).days
        return late_days > (entity.b2b_overdue_grace_days or 0)

    def _b2b_over_limit(self, exposure, company):
        entity = self.with_company(company).sudo()
        limit = entity.credit_limit
        return bool(limit) and company.currency_id.compare_amounts(exposure, limit) > 0

    @api.depends_context("company")
    def _compute_b2b_credit(self):
        company = self.env.company
        figures = self._b2b_credit_figures(company)
        today = fields.Date.context_today(self)
        for partner in self:
            values = figures.get(partner.commercial_partner_id.id)
            if not values:
                partner.update(
                    {
                        "b2b_receivable_amount": 0.0,
                        "b2b_to_invoice_amount": 0.0,
                        "b2b_draft_invoice_amount": 0.0,
                        "b2b_credit_exposure": 0.0,
                        "b2b_credit_available": 0.0,
                        "b2b_overdue_amount": 0.0,
                        "b2b_oldest_overdue_days": 0,
                        "b2b_credit_alert": False,
                    }
                )
                continue
            entity = partner.commercial_partner_id
            exposure = self._b2b_exposure(values)
            limit = entity.with_company(company).sudo().credit_limit
            partner.update(
                {
                    "b2b_receivable_amount": values["receivable"],
                    "b2b_to_invoice_amount": values["to_invoice"],
                    "b2b_draft_invoice_amount": values["draft"],
                    "b2b_credit_exposure": exposure,
                    "b2b_credit_available": limit - exposure if limit else 0.0,
                    "b2b_overdue_amount": values["overdue"],
                    "b2b_oldest_overdue_days": (today - values["oldest_overdue"]).days
                    if values["oldest_overdue"]
                    else 0,
                    "b2b_credit_alert": entity._b2b_over_limit(exposure, company)
                    or entity._b2b_overdue_blocking(values, company),
                }
            )

    def _search_b2b_credit_alert(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        company = self.env.company
        # candidates: entities with receivables, orders or drafts in this company
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT aml.partner_id FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable' AND NOT aml.reconciled
                   AND aml.partner_id IS NOT NULL
                UNION
                SELECT payer.commercial_partner_id FROM sale_order so
                  JOIN res_partner payer ON payer.id = so.payer_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
                """,
                company=company.id,
            )
        )
        candidates = self.browse([row[0] for row in self.env.cr.fetchall()])
        alert_ids = candidates.with_context(active_test=False).filtered("b2b_credit_alert").ids
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", alert_ids)]

    # ------------------------------------------------------------------
    # Late payers: invoices paid over the last 12 months
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_b2b_late_payer(self):
        company = self.env.company
        entities = self.commercial_partner_id
        stats = {}
        if entities:
            self.env["account.move"].flush_model()
            self.env["account.partial.reconcile"].flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    WITH paid AS (
                        SELECT move.id, payer.commercial_partner_id AS payer, move.invoice_date_due AS due,
                               MAX(partial.max_date) AS paid_on
                          FROM account_move move
                          JOIN res_partner payer ON payer.id = COALESCE(move.payer_id, move.commercial_partner_id)
                          JOIN account_move_line term ON term.move_id = move.id AND term.display_type = 'payment_term'
                          JOIN account_partial_reconcile partial ON partial.debit_move_id = term.id
                         WHERE move.move_type = 'out_invoice'
                           AND move.state = 'posted'
                           AND move.payment_state IN ('paid', 'in_payment')
                           AND move.company_id = %(company)s
                           AND payer.commercial_partner_id IN %(ids)s
                         GROUP BY move.id, payer.commercial_partner_id, move.invoice_date_due
                    )
                    SELECT payer, AVG(GREATEST(paid_on - due, 0)), COUNT(*) FILTER (WHERE paid_on - due > %(days)s)
                      FROM paid
                     WHERE paid_on >= %(since)s
                     GROUP BY payer
                    """,
                    company=company.id,
                    ids=tuple(entities.ids),
                    days=company.b2b_late_payer_days,
                    since=fields.Date.context_today(self) - timedelta(days=365),
                )
            )
            stats = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            average, late_count = stats.get(partner.commercial_partner_id.id, (0.0, 0))
            partner.b2b_avg_days_late = float(average or 0.0)
            partner.b2b_late_payer = late_count >= max(company.b2b_late_payer_min_invoices, 1)

    # ------------------------------------------------------------------
    # Click-through to the documents behind the figures
    # ------------------------------------------------------------------
    def action_b2b_open_receivables(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Receivables"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            "context": {"create": False},
        }

    def action_b2b_open_orders_to_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirmed Orders Not Invoiced"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [
                ("payer_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "sale"),
                ("invoice_status", "!=", "invoiced"),
            ],
        }

    def action_b2b_open_draft_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Draft Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                ("payer_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "draft"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
        }
