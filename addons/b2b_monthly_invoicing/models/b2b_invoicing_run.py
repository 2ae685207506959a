import gc
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

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
    is_scheduled = fields.Boolean(
        string="Scheduled",
        readonly=True,
        copy=False,
        help="Run of the daily scheduled action: it invoices the monthly customers whose cut-off day is "
        "its cut-off date.",
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
    def _get_orders_domain(self):
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "sale"),
            ("invoice_status", "=", "to invoice"),
            ("date_order", "<", fields.Datetime.to_datetime(self.date_cutoff) + _ONE_DAY),
        ]

    def _get_customer_groups(self):
        """Monthly customer entities with something to invoice up to the cut-off, in groups
        invoiced together: entities billed to a common party (a head office billed for its
        subsidiaries) share its invoice, so they are never split between batches."""
        self.ensure_one()
        orders = self.env["sale.order"]._search(self._get_orders_domain())
        # (customer entity, billed entity) of every line to invoice, aggregated by the database
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT customer.commercial_partner_id, billed.commercial_partner_id
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner customer ON customer.id = so.partner_id
                  JOIN res_partner billed ON billed.id = COALESCE(line.partner_invoice_id, so.partner_invoice_id)
                 WHERE so.id IN %s
                """,
                orders.subselect(),
            )
        )
        Partner = self.env["res.partner"].with_company(self.company_id)
        customers = Partner.browse({customer for customer, _billed in rows})
        if self.partner_ids:
            customers &= Partner.browse(self.partner_ids.commercial_partner_id.ids)
        customers = customers.filtered(lambda p: p.b2b_invoicing_policy == "monthly")
        if self.is_scheduled:
            customers = customers.filtered(lambda p: p._b2b_cutoff_in_month(self.date_cutoff) == self.date_cutoff)
        kept = set(customers.ids)
        billed_of, customers_of = defaultdict(set), defaultdict(set)
        for customer, billed in rows:
            if customer in kept:
                billed_of[customer].add(billed)
                customers_of[billed].add(customer)
        groups, grouped = [], set()
        for customer in sorted(kept):
            if customer in grouped:
                continue
            group, todo = set(), [customer]
            while todo:
                member = todo.pop()
                if member not in group:
                    group.add(member)
                    todo.extend(other for billed in billed_of[member] for other in customers_of[billed])
            grouped |= group
            groups.append(Partner.browse(sorted(group)))
        return groups

    def _get_orders_to_invoice(self, customers):
        """The orders to invoice of these customer entities (any of their contacts ordered)."""
        return self.env["sale.order"].search(
            [*self._get_orders_domain(), ("partner_id.commercial_partner_id", "in", customers.ids)]
        )

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    # Customers are invoiced in batches: one call of Odoo's invoicing per batch (fast), and
    # the batch's documents are forgotten afterwards, so memory stays flat however long the run.
    _b2b_batch_size = 25

    def _check_run_access(self):
        """Only billing users (and the scheduled action) run invoicing, on runs of their companies."""
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only users with Invoicing rights can run summary invoicing."))
        self.check_access("write")

    def action_run(self):
        """Invoice every customer of the run, batch by batch. A customer's failure is logged
        and does not stop the others; customers already done (in an earlier, interrupted
        attempt) are skipped, so running again neither duplicates nor forgets anything.

        Allowed to billing users. What a run invoices does not depend on who presses Run:
        once the user is checked, orders are searched and invoiced as the superuser (the
        billing user may be a salesman who sees his own orders only), in the run's company
        only; the run's chatter says who ran it."""
        self._check_run_access()
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("%(run)s is already done.", run=run.name))
            privileged = run.sudo().with_company(run.company_id)
            privileged.message_post(
                body=self.env._("Run by %(user)s.", user=self.env.user.name), subtype_xmlid="mail.mt_note"
            )
            privileged._run_invoicing()
        return True

    def _run_invoicing(self):
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for run in self:
            run.state = "running"
            done = run.log_ids.filtered(lambda log: log.state in ("done", "nothing")).partner_id
            groups = [rest for group in run._get_customer_groups() if (rest := group - done)]
            if in_cron:
                self.env["ir.cron"]._commit_progress(remaining=sum(len(group) for group in groups))
            for batch in self._b2b_batches(groups):
                run._invoice_batch(batch)
                if in_cron:
                    self.env["ir.cron"]._commit_progress(sum(len(group) for group in batch))
                run._b2b_release_batch_cache()
            run.state = "done"

    def _b2b_batches(self, groups):
        """Consecutive groups of customers, about ``_b2b_batch_size`` customers per batch."""
        batch, size = [], 0
        for group in groups:
            batch.append(group)
            size += len(group)
            if size >= self._b2b_batch_size:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _b2b_release_batch_cache(self):
        """Write and forget everything the batch just invoiced loaded (orders, deliveries and
        their moves, invoices, messages, customers): memory stays flat however long the run.
        ``env.clear()`` rather than ``invalidate_all()``: it also drops what the ORM keeps
        for the draft (new) records Odoo's invoicing builds along the way, which
        ``invalidate_all()`` keeps until the end of the transaction (about 100 objects per
        customer). Shared data (products, taxes, accounts) is read again by the next batch:
        a few queries per batch. The batch's records reference each other, so Python frees
        them only in a full garbage collection, which it seldom runs on its own in a large
        process: run one (under 0.1 s, against seconds per batch)."""
        self.env.flush_all()
        self.env.clear()
        gc.collect()

    def _invoice_batch(self, groups):
        """Invoice a batch of customer groups at once; if anything fails, invoice them group
        by group so that only the failing customers are left out (and logged)."""
        self.ensure_one()
        if len(groups) > 1:
            try:
                with self.env.cr.savepoint():
                    self._invoice_and_log(self.env["res.partner"].concat(*groups))
                return
            except Exception:
                _logger.info("Invoicing run %s: a batch failed, invoicing its customers one by one", self.id)
        for group in groups:
            self._invoice_group(group)

    def _invoice_group(self, customers):
        """Invoice customers invoiced together in a savepoint; log what was invoiced, or why
        it failed."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._invoice_and_log(customers)
        except Exception as error:
            _logger.warning("Invoicing run %s: customers %s failed", self.id, customers.ids, exc_info=True)
            self.env["b2b.invoicing.run.log"].create(
                [
                    {"run_id": self.id, "partner_id": customer.id, "state": "failed", "message": str(error)}
                    for customer in customers
                ]
            )

    def _invoice_and_log(self, customers):
        orders = self._get_orders_to_invoice(customers).with_company(self.company_id)
        invoices = orders.with_context(
            b2b_summary_cutoff=self.date_cutoff, b2b_invoicing_run_id=self.id, raise_if_nothing_to_invoice=False
        )._create_invoices()
        if invoices and self.company_id.b2b_invoicing_post:
            invoices.action_post()
            invoices._generate_and_send()
        orders_of = orders.grouped(lambda order: order.partner_id.commercial_partner_id)
        invoices_of = defaultdict(lambda: invoices.browse())
        for invoice in invoices:
            for order in invoice.invoice_line_ids.sale_line_ids.order_id:
                invoices_of[order.partner_id.commercial_partner_id] |= invoice
        self.env["b2b.invoicing.run.log"].create(
            [
                {
                    "run_id": self.id,
                    "partner_id": customer.id,
                    "state": "done" if invoices_of[customer] else "nothing",
                    "invoice_ids": [Command.set(invoices_of[customer].ids)],
                    "order_ids": [Command.set(orders_of.get(customer, orders.browse()).ids)],
                }
                for customer in customers
            ]
        )

    @api.model
    def _cron_run_monthly_invoicing(self):
        """Daily: create the scheduled run of the day when customers have their cut-off today,
        and run it, with the scheduled runs left unfinished (crashed) on earlier days. Runs made
        by hand, whatever their cut-off and customers, are left to their users."""
        for company in self.env["res.company"].search([]):
            # the company's day, in its time zone like the deliveries a cut-off counts (the
            # scheduled action's user may have none: at 23:30 UTC Paris is on the next day)
            tz = company.partner_id.tz or self.env.user.tz or "UTC"
            today = fields.Date.context_today(self.with_company(company).with_context(tz=tz))
            scheduled = [("company_id", "=", company.id), ("is_scheduled", "=", True), ("partner_ids", "=", False)]
            runs = self.search(
                [*scheduled, ("state", "!=", "done"), ("date_cutoff", "<=", today)], order="date_cutoff, id"
            )
            started_today = self.search_count([*scheduled, ("date_cutoff", "=", today)], limit=1)
            if not started_today and self._get_customers_due(company, today):
                runs |= self.create({"company_id": company.id, "date_cutoff": today, "is_scheduled": True})
            runs.action_run()

    @api.model
    def _get_customers_due(self, company, day):
        """The customer entities of ``company`` on the monthly policy whose cut-off is ``day``
        (companies, subsidiaries included, and individuals)."""
        entities = (
            self.env["res.partner"]
            .with_company(company)
            .search(
                [
                    ("b2b_invoicing_policy", "=", "monthly"),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )
        return entities.filtered(lambda partner: partner._b2b_cutoff_in_month(day) == day)

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
