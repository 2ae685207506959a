import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)


class B2bReplenishmentRun(models.Model):
    """Log of a replenishment run: what it ordered and which customers failed, and why."""

    _name = "b2b.replenishment.run"
    _description = "Replenishment run"
    _order = "id desc"

    # in the reader's language, date as it writes dates (the run is made by the scheduler)
    name = fields.Char(compute="_compute_name")
    date = fields.Date(string="Run Date", required=True, readonly=True, default=fields.Date.context_today)
    date_start = fields.Datetime(string="Started", readonly=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Ended", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], default="running", required=True, readonly=True
    )
    rule_count = fields.Integer(string="Rules Run", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    proposal_count = fields.Integer(string="Proposals", readonly=True)
    failed_count = fields.Integer(string="Failed Customers", readonly=True)
    log_ids = fields.One2many("b2b.replenishment.run.log", "run_id", readonly=True)

    @api.depends("date")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Replenishment %(date)s", date=format_date(self.env, run.date))

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    _b2b_batch_size = 100  # customers per batch (one savepoint, one commit in the scheduled action)

    @api.model
    def _cron_replenishment(self):
        """Daily scheduled action: order or propose every due rule of every company, committing
        after each batch of customers (a crash loses one batch at most, which the next run redoes)."""
        groups = self.env["b2b.replenishment.rule"].sudo()._read_group([], ["company_id"])
        for (company,) in groups:
            today = self._company_today(company)
            run = self.sudo().with_company(company).create({"company_id": company.id, "date": today})
            run._run_replenishment(commit=True)

    def action_run_now(self):
        """Run now (sales managers): same as the scheduled action, for the current company."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers run the replenishment."))
        company = self.env.company
        run = self.sudo().create({"company_id": company.id, "date": self._company_today(company)})
        run._run_replenishment()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": run.id,
            "view_mode": "form",
        }

    @api.model
    def _company_today(self, company):
        tz = company.partner_id.tz or self.env.user.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------
    def _run_replenishment(self, commit=False):
        """Resume the pauses that end, then order or propose every due rule of the run's
        company, customer batch by customer batch. Idempotent: each rule's period is claimed
        under the period's unique constraint, in the same transaction as its order, so a
        rerun (after a crash, or overlapping with another run) neither duplicates nor skips."""
        self.ensure_one()
        run = self.sudo().with_company(self.company_id)
        today = run.date
        Rule = run.env["b2b.replenishment.rule"]
        resumed = Rule.search(
            [("company_id", "=", run.company_id.id), ("state", "=", "paused"), ("pause_until", "<=", today)]
        )
        if resumed:
            resumed.with_context(tz=self.env.context.get("tz")).action_resume()
        groups = run._get_due_customer_groups(today)
        if commit:
            self.env["ir.cron"]._commit_progress(remaining=len(groups))
        for start in range(0, len(groups), self._b2b_batch_size):
            batch = groups[start : start + self._b2b_batch_size]
            run._run_batch(batch, today)
            if commit:
                self.env["ir.cron"]._commit_progress(len(batch))
        run.write({"state": "done", "date_end": fields.Datetime.now()})
        if commit:
            self.env["ir.cron"]._commit_progress(0)
        return True

    def _get_due_customer_groups(self, today):
        """Due rules of the run's company, as a list of rule id lists, one per customer."""
        self.ensure_one()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT partner_id, ARRAY_AGG(id ORDER BY id)
              FROM b2b_replenishment_rule
             WHERE active AND state = 'active' AND next_date <= %s AND company_id = %s
             GROUP BY partner_id
             ORDER BY partner_id
            """,
                today,
                self.company_id.id,
            )
        )
        return [rule_ids for _partner, rule_ids in rows]

    def _run_batch(self, groups, today):
        """Run the rules of a batch of customers (``groups``: rule id lists, one per customer),
        in one savepoint; if anything fails, customer by customer so that only the failing
        ones are left out, and logged."""
        self.ensure_one()
        if len(groups) > 1:
            try:
                with self.env.cr.savepoint():
                    self._run_rules([rule_id for group in groups for rule_id in group], today)
                return
            except Exception:  # any failure: redo customer by customer
                _logger.info("Replenishment run %s: a batch failed, running its customers one by one", self.id)
        for group in groups:
            try:
                with self.env.cr.savepoint():
                    self._run_rules(group, today)
            except psycopg2.errors.SerializationFailure:
                # another run ordered these rules since this run began: nothing left to do
                rule = self.env["b2b.replenishment.rule"].browse(group[0])
                self.env["b2b.replenishment.run.log"].create(
                    {
                        "run_id": self.id,
                        "partner_id": rule.partner_id.id,
                        "level": "info",
                        "message": self.env._("Ordered by another run at the same time."),
                    }
                )
            except Exception as error:  # one customer's failure must not stop the others
                _logger.warning("Replenishment run %s: rules %s failed", self.id, group, exc_info=True)
                rule = self.env["b2b.replenishment.rule"].browse(group[0])
                self.env["b2b.replenishment.run.log"].create(
                    {"run_id": self.id, "partner_id": rule.partner_id.id, "level": "error", "message": str(error)}
                )
                self.failed_count += 1

    def _run_rules(self, rule_ids, today):
        """Claim the next period of these due rules, and make their orders: one per customer,
        site and validation. Rules that cannot be ordered (product archived or no longer sold)
        are reported on the rule and to its salesperson, and stay due."""
        self.ensure_one()
        Rule = self.env["b2b.replenishment.rule"]
        self.env.flush_all()
        # rules another run is ordering right now are left to it
        rows = self.env.execute_query(
            SQL(
                """
            SELECT id FROM b2b_replenishment_rule
             WHERE id = ANY(%s) AND active AND state = 'active' AND next_date <= %s
             ORDER BY id
               FOR UPDATE SKIP LOCKED
            """,
                list(rule_ids),
                today,
            )
        )
        rules = Rule.browse(row[0] for row in rows)
        broken = rules.filtered(lambda rule: not rule.product_id.active or not rule.product_id.sale_ok)
        broken._report_problem()
        rules -= broken
        (rules.filtered("problem")).write({"problem": False})
        if not rules:
            return
        quantities = rules._get_quantities(today)
        claimed = self._claim_periods(rules, quantities)
        if not claimed:
            self._advance_schedule(rules)
            return
        Period = self.env["b2b.replenishment.period"]
        periods = Period.browse(claimed.values())
        to_order = defaultdict(lambda: Rule)
        for rule in rules.filtered(lambda rule: rule.id in claimed):
            if quantities[rule.id]["qty"] > 0:
                to_order[rule.partner_id, rule.partner_shipping_id, rule.validation] |= rule
        keys = list(to_order)
        orders = self.env["sale.order"].create(
            [self._prepare_order_vals(to_order[key], claimed, quantities) for key in keys]
        )
        line_by_rule = {line.b2b_replenishment_rule_id.id: line.id for line in orders.order_line}
        values = [(claimed[rule_id], line_id) for rule_id, line_id in line_by_rule.items()]
        if values:
            self.env.cr.execute(
                SQL(
                    "UPDATE b2b_replenishment_period p SET order_line_id = v.line_id "
                    "FROM (VALUES %s) AS v(period_id, line_id) WHERE p.id = v.period_id",
                    SQL(", ").join(SQL("(%s, %s)", period_id, line_id) for period_id, line_id in values),
                )
            )
            periods.invalidate_recordset(["order_line_id"])
            orders.order_line.invalidate_recordset()
        auto = orders.filtered(lambda order: order.order_line[:1].b2b_replenishment_rule_id.validation == "auto")
        # confirmed like any order; one waiting for the customer's approval stays a quotation
        # (held, in progress) until an approver approves it
        confirmable = auto.filtered(lambda order: not order._confirmation_error_message())
        if confirmable:
            confirmable.action_confirm()
        (auto - confirmable)._b2b_sync_replenishment_periods()
        # every locked due rule moves on: a period already claimed (by a run that committed it)
        # is not ordered again, and its rule must not stay due for ever
        self._advance_schedule(rules)
        self.rule_count += len(claimed)
        self.order_count += len(auto)
        self.proposal_count += len(orders - auto)

    def _claim_periods(self, rules, quantities):
        """Insert the next period of each rule, skipping those already claimed (by an earlier
        or concurrent run): ``{rule id: period id}`` of the periods this run claimed."""
        now = fields.Datetime.now()
        uid = self.env.uid
        values = []
        for rule in rules:
            qty = quantities[rule.id]["qty"]
            message = False
            if rule.mode == "stock" and quantities[rule.id]["on_hand"] is None:
                message = self.env._("No on-hand count declared for this site: nothing ordered.")
            values.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rule.id,
                    rule.next_period_date,
                    rule.company_id.id,
                    rule.partner_id.id,
                    rule.partner_shipping_id.id,
                    rule.product_id.id,
                    "proposed" if qty > 0 else "nothing",
                    quantities[rule.id]["raw"],
                    qty,
                    message,
                    uid,
                    now,
                    uid,
                    now,
                )
            )
        rows = self.env.execute_query(
            SQL(
                """
            INSERT INTO b2b_replenishment_period
                   (rule_id, period_date, company_id, partner_id, partner_shipping_id, product_id, state,
                    computed_qty, proposed_qty, message, create_uid, create_date, write_uid, write_date)
            VALUES %s
            ON CONFLICT (rule_id, period_date) DO NOTHING
            RETURNING rule_id, id
            """,
                SQL(", ").join(values),
            )
        )
        rules.invalidate_recordset(["period_ids"])
        return dict(rows)

    def _prepare_order_vals(self, rules, claimed, quantities):
        """One replenishment order for rules of one customer, site and validation; its ordering
        contact is the buyer of the first rule."""
        first = rules[0]
        period_dates = [rule.next_period_date for rule in rules]
        return {
            "partner_id": first.buyer_id.id,
            "partner_shipping_id": first.partner_shipping_id.id,
            "company_id": first.company_id.id,
            "b2b_order_type": "replenishment",
            "commitment_date": datetime.combine(min(period_dates), time(12)),
            "order_line": [
                Command.create(
                    {
                        "product_id": rule.product_id.id,
                        "product_uom_qty": quantities[rule.id]["qty"],
                        "product_uom_id": rule.product_id.uom_id.id,
                        "b2b_replenishment_rule_id": rule.id,
                    }
                )
                for rule in rules
            ],
        }

    def _advance_schedule(self, rules):
        """Move each rule to its next period (one query for all)."""
        if not rules:
            return
        values = []
        for rule in rules:
            period = rule.next_period_date
            following = rule._next_period(period)
            next_date = following - timedelta(days=int(rule._get_lead_days()))
            values.append(SQL("(%s, %s::date, %s::date, %s::date)", rule.id, following, next_date, period))
        self.env.cr.execute(
            SQL(
                """
            UPDATE b2b_replenishment_rule r
               SET next_period_date = v.following, next_date = v.next_date, last_period_date = v.period
              FROM (VALUES %s) AS v(id, following, next_date, period)
             WHERE r.id = v.id
            """,
                SQL(", ").join(values),
            )
        )
        rules.invalidate_recordset(["next_period_date", "next_date", "last_period_date"])


class B2bReplenishmentRunLog(models.Model):
    _name = "b2b.replenishment.run.log"
    _description = "Replenishment run log line"
    _order = "id"

    run_id = fields.Many2one("b2b.replenishment.run", required=True, index=True, ondelete="cascade", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    rule_id = fields.Many2one("b2b.replenishment.rule", readonly=True, index="btree_not_null", ondelete="set null")
    level = fields.Selection(
        [("info", "Info"), ("warning", "Warning"), ("error", "Error")], default="info", required=True, readonly=True
    )
    message = fields.Text(readonly=True)
