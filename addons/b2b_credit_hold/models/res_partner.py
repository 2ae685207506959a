from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

CREDIT_POLICIES = [
    ("none", "No Check"),
    ("warn", "Warn"),
    ("block", "Block"),
    ("prepay", "Prepayment"),
    ("prepay_first", "Prepay First Order"),
]


# The credit managers' decisions on a payer: only they change them (tracked in the chatter).
CREDIT_POLICY_FIELDS = (
    "credit_limit",
    "b2b_credit_policy",
    "b2b_overdue_block",
    "b2b_overdue_grace_days",
    "b2b_manual_hold",
    "b2b_hold_note",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Odoo's own limit (account) is the credit managers' too: they read it without accounting rights
    credit_limit = fields.Float(
        groups="account.group_account_invoice,account.group_account_readonly,b2b_credit_hold.group_credit_manager",
        tracking=True,
    )
    b2b_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit Policy",
        company_dependent=True,
        tracking=True,
        groups="base.group_user",
        help="Warn: Odoo's banner only. Block: orders over the credit limit are held on confirmation. "
        "Prepayment: every order must be paid online in full before confirmation. Prepay First Order: "
        "the first order must be prepaid, later ones follow the Block rules.",
    )
    b2b_overdue_block = fields.Boolean(
        string="Block on Overdue",
        company_dependent=True,
        tracking=True,
        groups="base.group_user",
        help="Hold orders (and deliveries) while an invoice is overdue by more than the grace days.",
    )
    b2b_overdue_grace_days = fields.Integer(
        string="Overdue Grace Days", company_dependent=True, tracking=True, groups="base.group_user"
    )
    b2b_manual_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        tracking=True,
        groups="base.group_user",
        help="Set by credit control: every order and delivery of this customer waits for a credit manager.",
    )
    b2b_hold_note = fields.Text(string="Hold Note", company_dependent=True, tracking=True, groups="base.group_user")
    b2b_can_edit_credit = fields.Boolean(
        string="Can Edit Credit Policy",
        compute="_compute_b2b_can_edit_credit",
        help="Technical: the user is a credit manager.",
    )
    b2b_credit_checked_at = fields.Datetime(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Technical: last credit check. Updating it serializes concurrent checks of one payer.",
    )

    b2b_receivable_amount = fields.Monetary(
        string="Open Receivables",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_to_invoice_amount = fields.Monetary(
        string="Confirmed, Not Invoiced",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_draft_invoice_amount = fields.Monetary(
        string="Draft Invoices",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_credit_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
        help="Open receivables + confirmed orders not yet invoiced + draft invoices of this paying "
        "entity, in company currency.",
    )
    b2b_credit_limit_set = fields.Boolean(
        string="Credit Limit Set", compute="_compute_b2b_credit", groups="base.group_user"
    )
    b2b_credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_overdue_amount = fields.Monetary(
        string="Overdue",
        compute="_compute_b2b_credit",
        currency_field="b2b_company_currency_id",
        groups="base.group_user",
    )
    b2b_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)", compute="_compute_b2b_credit", groups="base.group_user"
    )
    b2b_credit_alert = fields.Boolean(
        string="Over Limit or Overdue",
        compute="_compute_b2b_credit",
        search="_search_b2b_credit_alert",
        groups="base.group_user",
    )
    b2b_company_currency_id = fields.Many2one("res.currency", compute="_compute_b2b_company_currency_id")
    b2b_avg_days_late = fields.Float(
        string="Average Days Late",
        compute="_compute_b2b_late_payer",
        digits=(16, 1),
        groups="base.group_user",
        help="Average lateness of the invoices paid over the last 12 months.",
    )
    b2b_late_payer = fields.Boolean(string="Late Payer", compute="_compute_b2b_late_payer", groups="base.group_user")

    # ------------------------------------------------------------------
    # Credit policy: the credit managers' decision
    # ------------------------------------------------------------------
    @api.model
    def _b2b_user_decides_credit(self):
        """Credit managers decide; so may administrators, who can give themselves the group
        anyway (and whom Odoo's own accounting tests run as)."""
        user = self.env.user
        return user.has_group("b2b_credit_hold.group_credit_manager") or user.has_group("base.group_system")

    @api.depends_context("uid")
    def _compute_b2b_can_edit_credit(self):
        self.b2b_can_edit_credit = self._b2b_user_decides_credit()

    def _b2b_check_credit_policy_change(self, vals, create=False):
        """Refuse a change of a payer's credit limit or policy by anyone but a credit manager.
        Values that change nothing pass (a form sends the defaults of a new partner; Odoo's own
        commercial fields sync runs in superuser mode)."""
        names = [name for name in CREDIT_POLICY_FIELDS if name in vals]
        if not names or self.env.su or self._b2b_user_decides_credit():
            return
        for name in names:
            field = self._fields[name]
            if create:
                current_values = [field.get_company_dependent_fallback(self)]
            else:
                current_values = [partner[name] for partner in self.sudo()]
            new = field.convert_to_record(field.convert_to_cache(vals[name], self, validate=False), self)
            if any((new or False) != (current or False) for current in current_values):
                raise AccessError(
                    self.env._(
                        "Only credit managers can change a customer's credit limit, credit policy, overdue "
                        "rule or credit hold (%(field)s).",
                        field=field._description_string(self.env),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._b2b_check_credit_policy_change(vals, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_credit_policy_change(vals)
        return super().write(vals)

    def _compute_b2b_company_currency_id(self):
        self.b2b_company_currency_id = self.env.company.currency_id

    # ------------------------------------------------------------------
    # Figures, aggregated in SQL, per company, in company currency
    # ------------------------------------------------------------------
    def _b2b_entity_ids(self):
        """Database ids of the commercial entities of these partners. A partner being edited
        in a form (a new record) reads its origin's; a partner not saved yet has none."""
        return [pid for pid in self.commercial_partner_id._origin.ids if isinstance(pid, int)]

    @api.model
    def _b2b_exposure_lines_sql(self, company_ids=None, entity_ids=None):
        """The documents that make up a payer's credit exposure, one row each, in company
        currency: open receivable lines, what confirmed orders have not invoiced yet, draft
        customer invoices and credit notes. The one definition of exposure: partner figures,
        the alert search and the ageing report all read it.

        Columns: id (unique across kinds), partner_id (the paying commercial entity),
        company_id, kind ('receivable', 'to_invoice', 'draft'), amount, date_maturity
        (receivables only), document. ``company_ids`` and ``entity_ids`` (None: all) filter
        inside each part, on its indexed columns."""

        def filters(company_column, entity_column):
            conditions = []
            for values, column in ((company_ids, company_column), (entity_ids, entity_column)):
                if values is None:
                    continue
                # never "IN ()"
                conditions.append(SQL("%s IN %s", column, tuple(values)) if values else SQL("FALSE"))
            return SQL("").join(SQL(" AND %s", condition) for condition in conditions)

        return SQL(
            """
            SELECT aml.id * 3 AS id, aml.partner_id, aml.company_id, 'receivable' AS kind,
                   aml.amount_residual::float8 AS amount, aml.date_maturity, aml.move_name AS document
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
             WHERE aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND NOT aml.reconciled
               AND aml.partner_id IS NOT NULL %(receivable_filters)s
            UNION ALL
            SELECT so.id * 3 + 1, payer.commercial_partner_id, so.company_id, 'to_invoice',
                   so.b2b_credit_to_invoice::float8, NULL, so.name
              FROM sale_order so
              JOIN res_partner payer ON payer.id = so.payer_id
             WHERE so.state = 'sale'
               AND so.b2b_credit_to_invoice > 0 %(order_filters)s
            UNION ALL
            SELECT move.id * 3 + 2, payer.commercial_partner_id, move.company_id, 'draft',
                   move.amount_total_signed::float8, NULL, move.name
              FROM account_move move
              JOIN res_partner payer ON payer.id = move.payer_id
             WHERE move.state = 'draft'
               AND move.move_type IN ('out_invoice', 'out_refund') %(draft_filters)s
            """,
            receivable_filters=filters(SQL("aml.company_id"), SQL("aml.partner_id")),
            order_filters=filters(SQL("so.company_id"), SQL("payer.commercial_partner_id")),
            draft_filters=filters(SQL("move.company_id"), SQL("payer.commercial_partner_id")),
        )

    def _b2b_flush_exposure_sources(self):
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["sale.order"].flush_model(["payer_id", "company_id", "state", "b2b_credit_to_invoice", "name"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    def _b2b_credit_figures(self, company):
        """{commercial partner id: {receivable, overdue, oldest_overdue, to_invoice, draft}}
        for the commercial entities in ``self``, in ``company``'s currency, in one query."""
        entity_ids = self._b2b_entity_ids()
        figures = {
            pid: {"receivable": 0.0, "overdue": 0.0, "oldest_overdue": None, "to_invoice": 0.0, "draft": 0.0}
            for pid in entity_ids
        }
        if not entity_ids:
            return figures
        self._b2b_flush_exposure_sources()
        self.env.cr.execute(
            SQL(
                """
                SELECT lines.partner_id,
                       SUM(lines.amount) FILTER (WHERE lines.kind = 'receivable'),
                       SUM(lines.amount) FILTER (WHERE lines.kind = 'receivable' AND lines.date_maturity < %(today)s),
                       MIN(lines.date_maturity) FILTER (
                           WHERE lines.kind = 'receivable' AND lines.date_maturity < %(today)s AND lines.amount > 0),
                       SUM(lines.amount) FILTER (WHERE lines.kind = 'to_invoice'),
                       SUM(lines.amount) FILTER (WHERE lines.kind = 'draft')
                  FROM (%(lines)s) lines
                 GROUP BY lines.partner_id
                """,
                today=fields.Date.context_today(self),
                lines=self._b2b_exposure_lines_sql(company_ids=company.ids, entity_ids=entity_ids),
            )
        )
        for partner_id, receivable, overdue, oldest, to_invoice, draft in self.env.cr.fetchall():
            figures[partner_id].update(
                receivable=receivable or 0.0,
                overdue=overdue or 0.0,
                oldest_overdue=oldest,
                to_invoice=to_invoice or 0.0,
                draft=draft or 0.0,
            )
        self._b2b_apply_overdue_exclusions(figures, company, entity_ids)
        return figures

    def _b2b_apply_overdue_exclusions(self, figures, company, entity_ids):
        """Take out of ``overdue`` (and of ``oldest_overdue``) what the overdue rule must not
        count, as given by ``account.move._b2b_overdue_excluded_sql(company)``: rows (move_id,
        amount) of amounts held back on an invoice (e.g. disputed). Each invoice's exclusion is
        capped at its overdue residual; an invoice whose overdue part is all excluded no longer
        dates the oldest overdue."""
        excluded = self.env["account.move"]._b2b_overdue_excluded_sql(company)
        if excluded is None:
            return
        self.env.cr.execute(
            SQL(
                """
                WITH overdue AS (
                    SELECT lines.partner_id, move.id AS move_id, SUM(lines.amount) AS amount,
                           MIN(lines.date_maturity) AS oldest
                      FROM (%(lines)s) lines
                      JOIN account_move move ON move.name = lines.document AND move.company_id = lines.company_id
                     WHERE lines.kind = 'receivable' AND lines.date_maturity < %(today)s AND lines.amount > 0
                     GROUP BY lines.partner_id, move.id
                ), excluded AS (
                    SELECT excluded.move_id, SUM(excluded.amount) AS amount
                      FROM (%(excluded)s) excluded
                     GROUP BY excluded.move_id
                )
                SELECT overdue.partner_id,
                       SUM(LEAST(COALESCE(excluded.amount, 0), overdue.amount)),
                       MIN(overdue.oldest) FILTER (WHERE overdue.amount > COALESCE(excluded.amount, 0))
                  FROM overdue
                  LEFT JOIN excluded ON excluded.move_id = overdue.move_id
                 GROUP BY overdue.partner_id
                """,
                today=fields.Date.context_today(self),
                lines=self._b2b_exposure_lines_sql(company_ids=company.ids, entity_ids=entity_ids),
                excluded=excluded,
            )
        )
        for partner_id, amount, oldest in self.env.cr.fetchall():
            figures[partner_id].update(overdue=figures[partner_id]["overdue"] - (amount or 0.0), oldest_overdue=oldest)

    @api.model
    def _b2b_exposure(self, values):
        return values["receivable"] + values["to_invoice"] + values["draft"]

    def _b2b_overdue_blocking(self, values, company):
        """True when the overdue rule of this entity (in ``company``) blocks it."""
        entity = self.with_company(company).sudo()
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
        no_figures = {"receivable": 0.0, "overdue": 0.0, "oldest_overdue": None, "to_invoice": 0.0, "draft": 0.0}
        today = fields.Date.context_today(self)
        for partner in self:
            values = figures.get(partner.commercial_partner_id._origin.id, no_figures)
            entity = partner.commercial_partner_id
            exposure = self._b2b_exposure(values)
            limit = entity.with_company(company).sudo().credit_limit
            partner.update(
                {
                    "b2b_receivable_amount": values["receivable"],
                    "b2b_to_invoice_amount": values["to_invoice"],
                    "b2b_draft_invoice_amount": values["draft"],
                    "b2b_credit_exposure": exposure,
                    # a limit of 0 is no limit
                    "b2b_credit_limit_set": bool(limit),
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
        self._b2b_flush_exposure_sources()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT lines.partner_id FROM (%s) lines",
                self._b2b_exposure_lines_sql(company_ids=company.ids),
            )
        )
        candidates = self.browse([row[0] for row in self.env.cr.fetchall()])
        alert_ids = candidates.with_context(active_test=False).filtered("b2b_credit_alert").ids
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", alert_ids)]

    # ------------------------------------------------------------------
    # Late payers: invoices paid over the last 12 months
    # ------------------------------------------------------------------
    def _b2b_late_payer_stats(self, company):
        """{commercial partner id: (average days late, invoices paid late)} over the invoices
        of ``company`` paid in the last 12 months, for the entities of ``self``, in one query.

        Receivable (payment term) lines belong to the payer's commercial entity: the query
        starts from them, filtered on payer and payment date before grouping."""
        entity_ids = self._b2b_entity_ids()
        if not entity_ids:
            return {}
        self.env["account.move.line"].flush_model(
            ["partner_id", "company_id", "display_type", "parent_state", "move_id"]
        )
        self.env["account.move"].flush_model(["move_type", "payment_state", "invoice_date_due"])
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT paid.partner_id, AVG(GREATEST(paid.paid_on - paid.due, 0)),
                       COUNT(*) FILTER (WHERE paid.paid_on - paid.due > %(days)s)
                  FROM (
                        SELECT term.partner_id, move.invoice_date_due AS due, MAX(partial.max_date) AS paid_on
                          FROM account_move_line term
                          JOIN account_partial_reconcile partial ON partial.debit_move_id = term.id
                          JOIN account_move move ON move.id = term.move_id
                         WHERE term.partner_id IN %(ids)s
                           AND term.company_id = %(company)s
                           AND term.display_type = 'payment_term'
                           AND term.parent_state = 'posted'
                           AND partial.max_date >= %(since)s
                           AND move.move_type = 'out_invoice'
                           AND move.payment_state IN ('paid', 'in_payment')
                         GROUP BY term.partner_id, move.id, move.invoice_date_due
                       ) paid
                 GROUP BY paid.partner_id
                """,
                ids=tuple(entity_ids),
                company=company.id,
                days=company.b2b_late_payer_days,
                since=fields.Date.context_today(self) - timedelta(days=365),
            )
        )
        return {partner_id: (average, late_count) for partner_id, average, late_count in self.env.cr.fetchall()}

    @api.depends_context("company")
    def _compute_b2b_late_payer(self):
        company = self.env.company
        stats = self._b2b_late_payer_stats(company)
        min_invoices = max(company.b2b_late_payer_min_invoices, 1)
        for partner in self:
            average, late_count = stats.get(partner.commercial_partner_id._origin.id, (0.0, 0))
            partner.b2b_avg_days_late = float(average or 0.0)
            partner.b2b_late_payer = late_count >= min_invoices

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
