from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import MonthlyUsersCase


@tagged("post_install", "-at_install")
class TestInvoicingCron(MonthlyUsersCase):
    """The daily scheduled action, run as Odoo runs it: as the user of its ir.cron record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("b2b_monthly_invoicing.ir_cron_monthly_invoicing")
        cls.head_office = cls.env["res.partner"].create({"name": "Groupe Mensuel (siège)", "is_company": True})
        # a subsidiary: a company with a parent company, on the monthly policy
        cls.subsidiary = cls.env["res.partner"].create(
            {
                "name": "Filiale Mensuelle SAS",
                "is_company": True,
                "parent_id": cls.head_office.id,
                "b2b_invoicing_policy": "monthly",
            }
        )
        (cls.alpha | cls.subsidiary).write({"b2b_invoicing_day": cls.today.day})
        cls.beta.b2b_invoicing_day = (cls.today.day % 28) + 1  # another day

    def _run_cron(self):
        self.assertEqual(self.cron.user_id, self.env.ref("base.user_root"), "the scheduled action runs as OdooBot")
        self.env["b2b.invoicing.run"].with_user(self.cron.user_id)._cron_run_monthly_invoicing()
        return self.env["b2b.invoicing.run"].search([("date_cutoff", "=", self.today), ("is_scheduled", "=", True)])

    def test_cron_takes_the_day_of_the_company_time_zone(self):
        """At 22:30 UTC on 30 March, the company (Paris) is already on the 31st: the scheduled
        run is the one of the customers whose cut-off is the 31st, not the 30th."""
        self.alpha.b2b_invoicing_day = 31
        self.beta.b2b_invoicing_day = 30
        with freeze_time("2026-03-30 22:30:00"):
            self.env["b2b.invoicing.run"].with_user(self.cron.user_id)._cron_run_monthly_invoicing()
        runs = self.env["b2b.invoicing.run"].search(
            [("is_scheduled", "=", True), ("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(runs.mapped("date_cutoff"), [date(2026, 3, 31)])

    def test_cron_invoices_subsidiaries(self):
        """A subsidiary alone due today gets its run."""
        self.alpha.b2b_invoicing_day = self.beta.b2b_invoicing_day
        subsidiary_order = self._delivered_order(self.subsidiary, [(self.paper, 3)], user_id=self.users["salesman"].id)
        beta_order = self._delivered_order(self.beta, [(self.paper, 1)])
        run = self._run_cron()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_ids.partner_id, self.subsidiary)
        self.assertEqual(subsidiary_order.invoice_status, "invoiced")
        self.assertEqual(beta_order.invoice_status, "to invoice", "not its cut-off day")
        self.assertEqual(run.log_ids.partner_id, self.subsidiary)

    def test_cron_invoices_due_customers_only(self):
        alpha_order = self._delivered_order(self.alpha, [(self.paper, 1)])
        subsidiary_order = self._delivered_order(self.subsidiary, [(self.paper, 3)])
        beta_order = self._delivered_order(self.beta, [(self.paper, 1)])
        run = self._run_cron()
        self.assertEqual(run.invoice_ids.partner_id, self.alpha | self.subsidiary)
        self.assertEqual((alpha_order | subsidiary_order).mapped("invoice_status"), ["invoiced", "invoiced"])
        self.assertEqual(beta_order.invoice_status, "to invoice")
        self.assertFalse(run.partner_ids, "the scheduled run is not limited to a list of customers")

    def test_cron_does_not_reuse_a_back_office_run_of_the_day(self):
        """A back-office run of the day limited to one customer, left in draft, does not
        swallow the day's scheduled run."""
        self._delivered_order(self.alpha, [(self.paper, 1)])
        self._delivered_order(self.subsidiary, [(self.paper, 2)])
        back_office = (
            self.env["b2b.invoicing.run"]
            .with_user(self.users["billing"])
            .create({"date_cutoff": self.today, "partner_ids": [Command.set(self.beta.ids)]})
        )
        run = self._run_cron()
        self.assertNotEqual(run, back_office)
        self.assertEqual(run.invoice_ids.partner_id, self.alpha | self.subsidiary)
        self.assertEqual(back_office.state, "draft", "left to the user who made it")
        self.assertFalse(back_office.partner_ids - self.beta)

    def test_cron_resumes_its_own_run(self):
        """The scheduled run of the day, interrupted, is resumed by the next call (not duplicated)."""
        self._delivered_order(self.alpha, [(self.paper, 1)])
        first = self._run_cron()
        first.state = "running"  # as left by a crash
        self._delivered_order(self.subsidiary, [(self.paper, 2)])
        again = self._run_cron()
        self.assertEqual(again, first)
        self.assertEqual(again.state, "done")
        self.assertEqual(again.invoice_ids.partner_id, self.alpha | self.subsidiary)

    def test_cron_runs_once_a_day(self):
        self._delivered_order(self.alpha, [(self.paper, 1)])
        first = self._run_cron()
        self._delivered_order(self.alpha, [(self.paper, 2)])
        self.assertEqual(self._run_cron(), first, "no second run the same day")
        self.assertEqual(len(first.invoice_ids), 1)

    def test_cron_resumes_yesterday_run(self):
        """A scheduled run interrupted yesterday is finished today, at its own cut-off."""
        yesterday = self.today - timedelta(days=1)
        (self.alpha | self.subsidiary).write({"b2b_invoicing_day": yesterday.day})
        order = self._delivered_order(self.alpha, [(self.paper, 1)])
        yesterday_noon = fields.Datetime.to_datetime(yesterday) + timedelta(hours=12)
        order.date_order = yesterday_noon
        order.picking_ids.move_ids.date = yesterday_noon
        interrupted = self.env["b2b.invoicing.run"].create(
            {"date_cutoff": yesterday, "is_scheduled": True, "state": "running"}
        )
        self.env["b2b.invoicing.run"].with_user(self.cron.user_id)._cron_run_monthly_invoicing()
        self.assertEqual(interrupted.state, "done")
        self.assertEqual(order.invoice_ids.invoice_date, yesterday)
