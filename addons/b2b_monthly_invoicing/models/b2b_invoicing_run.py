import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)
_ONE_DAY = timedelta(days=1)


class B2bInvoicingRun(models.Model):
    _name = "b2b.invoicing.run"
    _description = "Summary invoicing run"
    _inherit = ["mail.thread"]
    _order = "date_cutoff desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    date_cutoff = fields.Date(
        string="Cut-off Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Everything invoiceable of orders confirmed up to this date is invoiced; it is the invoice date.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Customers to invoice. Empty: every customer on the monthly policy.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    invoice_ids = fields.One2many("account.move", "b2b_invoicing_run_id", readonly=True)
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    log_ids = fields.One2many("b2b.invoicing.run.log", "run_id", readonly=True)
    failed_count = fields.Integer(compute="_compute_invoice_count")

    @api.depends("date_cutoff")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Invoicing %(date)s", date=fields.Date.to_string(run.date_cutoff))

    @api.depends("invoice_ids", "log_ids.state")
    def _compute_invoice_count(self):
        for run in self:
            run.invoice_count = len(run.invoice_ids)
            run.failed_count = len(run.log_ids.filtered(lambda log: log.state == "failed"))

    # ------------------------------------------------------------------
    # Who is invoiced
    # ------------------------------------------------------------------
    def _get_customers(self):
        """Monthly customer entities with something to invoice up to the cut-off."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_company(self.company_id)
        orders = self.env["sale.order"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("invoice_status", "=", "to invoice"),
                ("date_order", "<", fields.Datetime.to_datetime(self.date_cutoff) + _ONE_DAY),
            ]
        )
        entities = Partner.browse(orders.partner_id.commercial_partner_id.ids)
        if self.partner_ids:
            entities &= Partner.browse(self.partner_ids.commercial_partner_id.ids)
        return entities.filtered(lambda p: p.b2b_invoicing_policy == "monthly").sorted("id")

    def _get_orders_to_invoice(self, customer):
        return self.env["sale.order"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "child_of", customer.id),
                ("state", "=", "sale"),
                ("invoice_status", "=", "to invoice"),
                ("date_order", "<", fields.Datetime.to_datetime(self.date_cutoff) + _ONE_DAY),
            ]
        )

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    # Customers are invoiced in batches: one call of Odoo's invoicing per batch (fast), and
    # the ORM cache is emptied between batches, so memory stays flat however long the run.
    _b2b_batch_size = 10

    def action_run(self):
        """Invoice every customer of the run, batch by batch. A customer's failure is logged
        and does not stop the others; customers already done (in an earlier, interrupted
        attempt) are skipped, so running again neither duplicates nor forgets anything."""
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("%(run)s is already done.", run=run.name))
            run.state = "running"
            done = run.log_ids.filtered(lambda log: log.state in ("done", "nothing")).partner_id
            customers = run._get_customers() - done
            if in_cron:
                self.env["ir.cron"]._commit_progress(remaining=len(customers))
            for start in range(0, len(customers), self._b2b_batch_size):
                batch = customers[start : start + self._b2b_batch_size]
                run._invoice_customers(batch)
                if in_cron:
                    self.env["ir.cron"]._commit_progress(len(batch))
                run._b2b_release_batch_cache()
            run.state = "done"
        return True

    def _b2b_release_batch_cache(self):
        """Forget the documents of the batch just invoiced (orders, invoices and their
        lines, messages): memory stays flat, while shared data (products, taxes,
        accounts, partners) stays cached for the next batch."""
        self.env.flush_all()
        for model in (
            "sale.order",
            "sale.order.line",
            "account.move",
            "account.move.line",
            "account.partial.reconcile",
            "stock.picking",
            "mail.message",
            "mail.followers",
            "b2b.invoicing.run.log",
        ):
            self.env[model].invalidate_model()

    def _invoice_customers(self, customers):
        """Invoice a batch of customers at once; if anything fails, invoice them one by one
        so that only the failing customer is left out (and logged)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._invoice_and_log(customers)
        except Exception:
            if len(customers) == 1:
                raise
            for customer in customers:
                self._invoice_customer(customer)

    def _invoice_customer(self, customer):
        """Invoice one customer in a savepoint; log what was invoiced, or why it failed."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._invoice_and_log(customer)
        except Exception as error:
            _logger.warning("Invoicing run %s: customer %s failed", self.id, customer.id, exc_info=True)
            self.env["b2b.invoicing.run.log"].create(
                {"run_id": self.id, "partner_id": customer.id, "state": "failed", "message": str(error)}
            )

    def _invoice_and_log(self, customers):
        orders_by_customer = {customer: self._get_orders_to_invoice(customer) for customer in customers}
        orders = self.env["sale.order"].concat(*orders_by_customer.values()).with_company(self.company_id)
        invoices = orders.with_context(
            b2b_summary_cutoff=self.date_cutoff, raise_if_nothing_to_invoice=False
        )._create_invoices()
        invoices.b2b_invoicing_run_id = self
        if invoices and self.company_id.b2b_invoicing_post:
            invoices.action_post()
            invoices._generate_and_send()
        log_vals = []
        for customer, customer_orders in orders_by_customer.items():
            mine = invoices.filtered(lambda inv, o=customer_orders: inv.invoice_line_ids.sale_line_ids.order_id & o)
            log_vals.append(
                {
                    "run_id": self.id,
                    "partner_id": customer.id,
                    "state": "done" if mine else "nothing",
                    "invoice_ids": [(6, 0, mine.ids)],
                    "order_ids": [(6, 0, customer_orders.ids)],
                }
            )
        self.env["b2b.invoicing.run.log"].create(log_vals)

    @api.model
    def _cron_run_monthly_invoicing(self):
        """Daily: run (or resume) today's invoicing for customers whose cut-off is today."""
        for company in self.env["res.company"].search([]):
            today = fields.Date.context_today(self.with_company(company))
            partners = (
                self.env["res.partner"]
                .with_company(company)
                .search([("b2b_invoicing_policy", "=", "monthly"), ("parent_id", "=", False)])
            )
            due = partners.filtered(lambda p, today=today: p._b2b_cutoff_in_month(today) == today)
            if not due:
                continue
            run = self.search(
                [("company_id", "=", company.id), ("date_cutoff", "=", today), ("state", "!=", "done")], limit=1
            )
            if not run:
                run = self.create({"company_id": company.id, "date_cutoff": today, "partner_ids": [(6, 0, due.ids)]})
            run.with_company(company).action_run()

    def action_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.invoice_ids.ids)],
        }


class B2bInvoicingRunLog(models.Model):
    _name = "b2b.invoicing.run.log"
    _description = "Summary invoicing run: one customer"
    _order = "id"

    run_id = fields.Many2one("b2b.invoicing.run", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    state = fields.Selection(
        [("done", "Invoiced"), ("nothing", "Nothing to Invoice"), ("failed", "Failed")], required=True
    )
    invoice_ids = fields.Many2many("account.move", string="Invoices")
    order_ids = fields.Many2many("sale.order", string="Orders")
    message = fields.Text(help="Why invoicing this customer failed.")
