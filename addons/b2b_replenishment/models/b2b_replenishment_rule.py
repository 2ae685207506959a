from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round

# Fields the replenishment run writes (schedule, problems): a user changes them through
# the rule's actions (pause, resume, reschedule), never by writing them directly.
RUN_FIELDS = frozenset({"next_period_date", "last_period_date", "problem", "state", "pause_until", "pause_reason"})

INTERVAL_UNITS = {"day": "days", "week": "weeks", "month": "months"}


class B2bReplenishmentRule(models.Model):
    _name = "b2b.replenishment.rule"
    _description = "Customer replenishment rule"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, partner_shipping_id, product_id, id"
    _check_company_auto = True

    _site_product_unique = models.UniqueIndex(
        "(partner_shipping_id, product_id, company_id) WHERE active",
        "A site already has an active replenishment rule for this product.",
    )
    _due_index = models.Index("(next_date, company_id) WHERE active AND state = 'active'")

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The customer entity that is invoiced and replenished.",
    )
    partner_shipping_id = fields.Many2one(
        "res.partner",
        string="Site",
        required=True,
        index=True,
        tracking=True,
        domain="[('commercial_partner_id', '=', partner_id), ('type', '=', 'delivery')]",
        help="The customer's delivery address this rule replenishes.",
    )
    buyer_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        domain="[('commercial_partner_id', '=', partner_id), ('is_company', '=', False), ('type', '=', 'contact')]",
        help="The customer's contact who orders: the ordering contact of the replenishment orders, who "
        "receives the emails and validates the proposals.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Told when the rule cannot be run (product archived or no longer sold).",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('sale_ok', '=', True), ('type', '=', 'consu')]",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    packaging_uom_id = fields.Many2one(
        "uom.uom",
        string="Packaging",
        domain="[('id', 'in', allowed_uom_ids)]",
        help="Quantities are rounded up to whole packagings (one of the product's packagings).",
    )
    allowed_uom_ids = fields.Many2many("uom.uom", compute="_compute_allowed_uom_ids")
    mode = fields.Selection(
        [("periodic", "Periodic"), ("stock", "Stock Level"), ("consumption", "Consumption")],
        required=True,
        default="periodic",
        tracking=True,
        help="Periodic: a fixed quantity every period. Stock level: the site's declared on-hand "
        "quantity is topped up to the maximum when it falls to the minimum. Consumption: the "
        "site's average daily use covers the lead time, the period and the safety days.",
    )
    validation = fields.Selection(
        [("auto", "Automatic"), ("buyer", "Buyer")],
        required=True,
        default="buyer",
        tracking=True,
        help="Automatic: the order is confirmed at once (customer approval and credit control apply). "
        "Buyer: a proposal the buyer validates, changes or skips in the portal.",
    )
    quantity = fields.Float(
        string="Quantity per Period",
        digits="Product Unit",
        tracking=True,
        help="Periodic mode: the quantity ordered every period, in the product's unit.",
    )
    min_qty = fields.Float(string="Minimum", digits="Product Unit", tracking=True)
    max_qty = fields.Float(string="Maximum", digits="Product Unit", tracking=True)
    consumption_days = fields.Integer(
        string="Consumption Window (days)",
        default=90,
        help="Average daily use is measured over the deliveries of this many past days.",
    )
    safety_days = fields.Integer(default=0, help="Extra days of use covered by each order, for variations.")
    max_order_qty = fields.Float(
        string="Maximum per Order",
        digits="Product Unit",
        help="The most the buyer may order on a proposal. Empty: three times the proposed quantity.",
    )
    interval_number = fields.Integer(string="Every", default=1, required=True, tracking=True)
    interval_type = fields.Selection(
        [("day", "Days"), ("week", "Weeks"), ("month", "Months")],
        string="Period Unit",
        default="week",
        required=True,
        tracking=True,
    )
    start_date = fields.Date(
        string="First Delivery",
        required=True,
        default=fields.Date.context_today,
        help="Delivery date of the first period; the next ones follow every period.",
    )
    next_period_date = fields.Date(
        string="Next Delivery",
        readonly=True,
        copy=False,
        help="Delivery date wanted for the next period.",
    )
    next_date = fields.Date(
        string="Next Order Date",
        compute="_compute_next_date",
        store=True,
        help="When the next order or proposal is made: the next delivery date less the product's "
        "customer lead time and the company's security lead time.",
    )
    last_period_date = fields.Date(string="Last Period", readonly=True, copy=False)
    state = fields.Selection(
        [("active", "Active"), ("paused", "Paused")], default="active", required=True, readonly=True, tracking=True
    )
    pause_until = fields.Date(
        string="Paused Until", readonly=True, tracking=True, help="The rule resumes by itself on this date."
    )
    pause_reason = fields.Char(readonly=True, tracking=True)
    problem = fields.Char(
        readonly=True,
        copy=False,
        help="Why the last run could not order for this rule (product archived or no longer sold).",
    )
    period_ids = fields.One2many("b2b.replenishment.period", "rule_id", string="Periods", readonly=True)
    count_ids = fields.One2many(
        "b2b.replenishment.count", compute="_compute_count_ids", string="On-hand Counts", readonly=True
    )
    order_line_ids = fields.One2many(
        "sale.order.line", "b2b_replenishment_rule_id", string="Order Lines", readonly=True
    )
    order_count = fields.Integer(compute="_compute_order_count")
    forecast_qty = fields.Float(
        string="Quantity to Order",
        compute="_compute_forecast_qty",
        digits="Product Unit",
        help="What a run would order today, after on-hand and quantities in progress.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_shipping_id", "product_id")
    def _compute_name(self):
        for rule in self:
            rule.name = " / ".join(filter(None, [rule.partner_shipping_id.display_name, rule.product_id.display_name]))

    @api.depends("partner_id")
    def _compute_user_id(self):
        for rule in self:
            rule.user_id = rule.partner_id.user_id or rule.user_id

    @api.depends("product_id")
    def _compute_allowed_uom_ids(self):
        for rule in self:
            rule.allowed_uom_ids = rule.product_id.uom_ids

    @api.depends("next_period_date", "product_id.sale_delay", "company_id.security_lead")
    def _compute_next_date(self):
        for rule in self:
            if not rule.next_period_date:
                rule.next_date = False
                continue
            rule.next_date = rule.next_period_date - timedelta(days=int(rule._get_lead_days()))

    def _compute_count_ids(self):
        counts = self.env["b2b.replenishment.count"].search(
            [("partner_shipping_id", "in", self.partner_shipping_id.ids), ("product_id", "in", self.product_id.ids)]
        )
        for rule in self:
            rule.count_ids = counts.filtered(
                lambda count, rule=rule: count.partner_shipping_id == rule.partner_shipping_id
                and count.product_id == rule.product_id
            )

    def _compute_order_count(self):
        groups = self.env["sale.order.line"]._read_group(
            [("b2b_replenishment_rule_id", "in", self.ids)], ["b2b_replenishment_rule_id"], ["order_id:count_distinct"]
        )
        counts = {rule.id: count for rule, count in groups}
        for rule in self:
            rule.order_count = counts.get(rule.id, 0)

    def _compute_forecast_qty(self):
        today = fields.Date.context_today(self)
        saved = self._origin.filtered("id")  # a rule being created has no history yet
        quantities = saved._get_quantities(today) if saved else {}
        for rule in self:
            rule.forecast_qty = quantities.get(rule._origin.id, {}).get("qty", 0.0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("partner_id", "partner_shipping_id", "buyer_id")
    def _check_parties(self):
        for rule in self:
            if rule.partner_id != rule.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("%(partner)s is not a customer entity (pick the company).", partner=rule.partner_id.name)
                )
            if rule.partner_shipping_id.commercial_partner_id != rule.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(site)s is not a site of %(customer)s.",
                        site=rule.partner_shipping_id.display_name,
                        customer=rule.partner_id.name,
                    )
                )
            if rule.buyer_id.commercial_partner_id != rule.partner_id or rule.buyer_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(buyer)s is not a contact of %(customer)s.",
                        buyer=rule.buyer_id.display_name,
                        customer=rule.partner_id.name,
                    )
                )

    @api.constrains("mode", "quantity", "min_qty", "max_qty", "consumption_days", "interval_number", "safety_days")
    def _check_quantities(self):
        for rule in self:
            if rule.interval_number <= 0:
                raise ValidationError(self.env._("The period must be at least one day, week or month."))
            if min(rule.quantity, rule.min_qty, rule.max_qty, rule.max_order_qty, rule.safety_days) < 0:
                raise ValidationError(self.env._("Quantities and days of a replenishment rule cannot be negative."))
            if rule.mode == "periodic" and rule.quantity <= 0:
                raise ValidationError(self.env._("A periodic rule needs a quantity per period."))
            if rule.mode == "stock" and rule.max_qty <= rule.min_qty:
                raise ValidationError(self.env._("The maximum must be above the minimum."))
            if rule.mode == "consumption" and rule.consumption_days <= 0:
                raise ValidationError(self.env._("The consumption window must be at least one day."))

    @api.constrains("packaging_uom_id", "product_id")
    def _check_packaging_uom_id(self):
        for rule in self.filtered("packaging_uom_id"):
            if rule.packaging_uom_id not in rule.product_id.uom_ids:
                raise ValidationError(
                    self.env._(
                        "%(packaging)s is not a packaging of %(product)s.",
                        packaging=rule.packaging_uom_id.name,
                        product=rule.product_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the schedule is set from the start date and moved by the run only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_run_fields(vals_list)
        rules = super().create(vals_list)
        rules._reset_schedule()
        return rules

    def write(self, vals):
        self._check_run_fields([vals])
        res = super().write(vals)
        if {"start_date", "interval_number", "interval_type"} & set(vals):
            self._reset_schedule()
        return res

    @api.model
    def _check_run_fields(self, vals_list):
        if self.env.su:
            return
        for vals in vals_list:
            if RUN_FIELDS & set(vals):
                raise UserError(
                    self.env._(
                        "The schedule and the pause of a replenishment rule are changed by its runs and its "
                        "Pause and Resume actions only."
                    )
                )

    def _reset_schedule(self):
        """Next delivery: the first period, from the start date, whose order date is not past
        and that has no period record yet."""
        today = fields.Date.context_today(self)
        for rule in self:
            period = rule.start_date
            after = rule.last_period_date
            while period - timedelta(days=int(rule._get_lead_days())) < today or (after and period <= after):
                period = rule._next_period(period)
            rule.sudo().next_period_date = period

    # ------------------------------------------------------------------
    # Schedule helpers
    # ------------------------------------------------------------------
    def _get_lead_days(self):
        """Days between ordering and delivery: the product's customer lead time plus the
        company's security lead time (as ``sale_stock`` plans deliveries)."""
        self.ensure_one()
        return (self.product_id.sale_delay or 0.0) + (self.company_id.security_lead or 0.0)

    def _next_period(self, period):
        self.ensure_one()
        return period + relativedelta(**{INTERVAL_UNITS[self.interval_type]: self.interval_number})

    def _get_quantities(self, today):
        """What each rule of ``self`` would order for its next period, computed in one query
        whatever the number of rules and of deliveries behind them.

        Returns ``{rule id: {"qty": rounded quantity to order, "raw": before rounding,
        "daily": average daily use, "on_hand": projected on-hand today (None: never counted),
        "in_progress": quantity in progress}}``, quantities in the product's unit.

        - consumption: delivered quantity at the site (done deliveries of the site's order
          lines, less returns) over the last ``consumption_days`` days, per day, times the
          lead time, the period and the safety days, less the projected on-hand and what is
          in progress;
        - stock: when the on-hand projected to the delivery plus what is in progress falls to
          the minimum, up to the maximum (nothing until a count is declared);
        - periodic: the rule's quantity.

        The on-hand is the latest count of the site and product, plus what was delivered
        there since, less the consumption since its date. In progress: open replenishment
        quotations (proposals and held orders), any quotation held for credit, and what is
        still to deliver on confirmed orders, for that site and product.
        """
        if not self.ids:
            return {}
        # counts and deliveries up to now (or the end of the run's day, for a run of a past day)
        now = min(fields.Datetime.now(), fields.Datetime.to_datetime(today) + timedelta(days=1))
        self.env.flush_all()
        rows = self.env.execute_query_dict(
            SQL(
                """
            WITH r AS (
                SELECT rule.id, rule.partner_shipping_id AS site, rule.product_id, rule.company_id,
                       rule.consumption_days, unit.factor AS unit_factor
                  FROM b2b_replenishment_rule rule
                  JOIN product_product pp ON pp.id = rule.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom unit ON unit.id = pt.uom_id
                 WHERE rule.id = ANY(%(ids)s)
            ),
            last_count AS (
                SELECT DISTINCT ON (r.id) r.id AS rule_id, c.quantity, c.date
                  FROM r
                  JOIN b2b_replenishment_count c
                    ON c.partner_shipping_id = r.site AND c.product_id = r.product_id AND c.date <= %(now)s
                 ORDER BY r.id, c.date DESC, c.id DESC
            ),
            moves AS (
                -- done deliveries to the site (positive) and returns from it (negative)
                SELECT r.id AS rule_id, sm.date, r.consumption_days,
                       CASE WHEN dest.usage = 'customer' THEN 1 ELSE -1 END
                           * sm.quantity * move_unit.factor / r.unit_factor AS qty
                  FROM r
                  JOIN sale_order_line sol
                    ON sol.partner_shipping_id = r.site AND sol.product_id = r.product_id
                   AND sol.company_id = r.company_id
                  JOIN stock_move sm ON sm.sale_line_id = sol.id AND sm.state = 'done' AND sm.date < %(now)s
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                  JOIN uom_uom move_unit ON move_unit.id = sm.product_uom
                 WHERE (dest.usage = 'customer') <> (src.usage = 'customer')
            ),
            delivered AS (
                SELECT moves.rule_id,
                       SUM(moves.qty) FILTER (
                           WHERE moves.date >= %(now)s - moves.consumption_days * INTERVAL '1 day'
                       ) AS window_qty,
                       SUM(moves.qty) FILTER (WHERE moves.date > last_count.date) AS since_count_qty
                  FROM moves
                  LEFT JOIN last_count ON last_count.rule_id = moves.rule_id
                 GROUP BY moves.rule_id
            ),
            in_progress AS (
                SELECT r.id AS rule_id,
                       SUM(
                           CASE WHEN so.state = 'sale' THEN GREATEST(sol.product_uom_qty - sol.qty_delivered, 0)
                                ELSE sol.product_uom_qty END
                           * line_unit.factor / r.unit_factor
                       ) AS qty
                  FROM r
                  JOIN sale_order_line sol
                    ON sol.partner_shipping_id = r.site AND sol.product_id = r.product_id
                   AND sol.company_id = r.company_id
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN uom_uom line_unit ON line_unit.id = sol.product_uom_id
                 WHERE (so.state IN ('draft', 'sent') AND (so.b2b_order_type = 'replenishment' OR so.b2b_credit_hold))
                    OR (so.state = 'sale' AND sol.product_uom_qty > sol.qty_delivered)
                 GROUP BY r.id
            )
            SELECT r.id, r.consumption_days,
                   COALESCE(delivered.window_qty, 0) AS window_qty,
                   COALESCE(delivered.since_count_qty, 0) AS since_count_qty,
                   last_count.quantity AS count_qty,
                   EXTRACT(EPOCH FROM (%(now)s - last_count.date)) / 86400.0 AS count_age,
                   COALESCE(in_progress.qty, 0) AS in_progress
              FROM r
              LEFT JOIN last_count ON last_count.rule_id = r.id
              LEFT JOIN delivered ON delivered.rule_id = r.id
              LEFT JOIN in_progress ON in_progress.rule_id = r.id
            """,
                ids=self.ids,
                now=now,
            )
        )
        figures = {row["id"]: row for row in rows}
        result = {}
        for rule in self:
            row = figures[rule.id]
            daily = max(row["window_qty"], 0.0) / (row["consumption_days"] or 1)
            on_hand = None
            if row["count_qty"] is not None:
                on_hand = max(row["count_qty"] + row["since_count_qty"] - daily * float(row["count_age"]), 0.0)
            in_progress = row["in_progress"]
            lead = rule._get_lead_days()
            if rule.mode == "periodic":
                raw = rule.quantity
            elif rule.mode == "stock":
                raw = 0.0
                if on_hand is not None:
                    position = on_hand + in_progress - daily * lead
                    if position <= rule.min_qty:
                        raw = rule.max_qty - position
            else:
                period = rule.next_period_date or today
                period_days = (rule._next_period(period) - period).days
                need = daily * (lead + period_days + rule.safety_days)
                raw = need - (on_hand or 0.0) - in_progress
            result[rule.id] = {
                "qty": rule._round_quantity(raw),
                "raw": raw,
                "daily": daily,
                "on_hand": on_hand,
                "in_progress": in_progress,
            }
        return result

    def _round_quantity(self, quantity):
        """Rounded up to whole packagings, then to the product's unit."""
        self.ensure_one()
        unit = self.product_id.uom_id
        if unit.compare(quantity, 0.0) <= 0:
            return 0.0
        if self.packaging_uom_id:
            quantity = self.packaging_uom_id._check_qty(quantity, unit, rounding_method="UP")
        return float_round(quantity, precision_rounding=unit.rounding, rounding_method="UP")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_pause(self, pause_until=False, reason=False):
        """Pause the rules, until ``pause_until`` when given (they then resume by themselves)."""
        self.check_access("write")
        if pause_until and fields.Date.to_date(pause_until) <= fields.Date.context_today(self):
            raise UserError(self.env._("The resume date must be in the future."))
        self.sudo().write({"state": "paused", "pause_until": pause_until or False, "pause_reason": reason or False})
        return True

    def action_resume(self):
        """Resume paused rules: the next period is the first one still ahead."""
        self.check_access("write")
        paused = self.filtered(lambda rule: rule.state == "paused")
        paused.sudo().write({"state": "active", "pause_until": False, "pause_reason": False})
        paused._reset_schedule()
        return True

    def _report_problem(self):
        """Rules that cannot be ordered: the reason on the rule, and a to-do for its
        salesperson the first time (the rule stays due and is ordered once fixed)."""
        for rule in self:
            if not rule.product_id.active:
                problem = self.env._("%(product)s is archived.", product=rule.product_id.display_name)
            else:
                problem = self.env._("%(product)s can no longer be sold.", product=rule.product_id.display_name)
            if rule.problem == problem:
                continue
            rule.problem = problem
            rule.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(rule.user_id or rule.create_uid).id,
                summary=self.env._("Replenishment rule cannot order"),
                note=problem,
            )

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("order_line.b2b_replenishment_rule_id", "in", self.ids)]
        action["context"] = {}
        return action
