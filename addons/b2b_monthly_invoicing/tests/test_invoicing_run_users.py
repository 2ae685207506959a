from unittest.mock import patch

from odoo import Command
from odoo.addons.b2b_monthly_invoicing.models.b2b_invoicing_run import B2bInvoicingRun
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MonthlyUsersCase


@tagged("post_install", "-at_install")
class TestInvoicingRunUsers(MonthlyUsersCase):
    """A run is pressed by a billing user (Invoicing: Billing), who is also a salesman
    limited to his own documents; it invoices what is due whoever presses Run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls.users["billing"]
        cls.salesman = cls.users["salesman"]
        # orders of another salesman: the billing user cannot see them in Sales
        cls.alpha_order = cls._delivered_order(cls.alpha, [(cls.paper, 10)], user_id=cls.salesman.id)
        cls.beta_order = cls._delivered_order(cls.beta, [(cls.toner, 1)], user_id=cls.salesman.id)

    def _new_run(self, user, **vals):
        return self.env["b2b.invoicing.run"].with_user(user).create({"date_cutoff": self.today, **vals})

    def test_billing_user_runs_and_invoices_every_salesman_orders(self):
        self.assertFalse(
            self.env["sale.order"].with_user(self.billing).search([("id", "=", self.alpha_order.id)]),
            "the billing user does not see the other salesman's orders",
        )
        run = self._new_run(self.billing)
        run.action_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_ids.partner_id, self.alpha | self.beta)
        self.assertEqual(self.alpha_order.invoice_status, "invoiced")
        self.assertEqual(self.beta_order.invoice_status, "invoiced")
        self.assertEqual(set(run.log_ids.mapped("state")), {"done"})
        self.assertEqual(run.log_ids.partner_id, self.alpha | self.beta)
        # what the billing user reads back
        self.assertEqual(run.with_user(self.billing).invoice_count, 2)
        action = run.with_user(self.billing).action_view_invoices()
        invoices = self.env["account.move"].with_user(self.billing).search(action["domain"])
        self.assertEqual(invoices, run.invoice_ids, "the Invoices button opens the run's invoices")
        self.assertEqual(run.with_user(self.billing).failed_count, 0)
        self.assertEqual(len(run.with_user(self.billing).log_ids), 2)
        # who ran it is on record
        self.assertIn(self.billing.partner_id, run.message_ids.author_id)
        self.assertTrue(
            any(self.billing.name in message.body for message in run.message_ids if message.body),
            "the chatter says who ran it",
        )

    def test_billing_user_failure_is_logged(self):
        """A customer that fails is logged, as the billing user (the log itself never raises)."""
        original = B2bInvoicingRun._get_orders_to_invoice

        def failing(run, customers):
            if self.beta in customers:
                raise ValueError("Beta's data is broken")
            return original(run, customers)

        run = self._new_run(self.billing)
        with patch.object(B2bInvoicingRun, "_get_orders_to_invoice", failing):
            run.action_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_ids.partner_id, self.alpha)
        failed = run.log_ids.filtered(lambda log: log.state == "failed")
        self.assertEqual(failed.partner_id, self.beta)
        self.assertIn("Beta's data is broken", failed.message)

    def test_run_limited_to_chosen_customer_by_billing_user(self):
        run = self._new_run(self.billing, partner_ids=[Command.set(self.beta.ids)])
        run.action_run()
        self.assertEqual(run.invoice_ids.partner_id, self.beta)
        self.assertEqual(self.alpha_order.invoice_status, "to invoice")

    def test_admin_runs(self):
        """The administrator (every right) runs too: the log never raises."""
        run = self._new_run(self.env.ref("base.user_admin"))
        run.action_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.log_ids.partner_id, self.alpha | self.beta)

    def test_only_billing_users_of_the_run_company_run(self):
        run = self._new_run(self.billing)
        with self.assertRaisesRegex(AccessError, "Only users with Invoicing rights can run summary invoicing"):
            run.with_user(self.salesman).action_run()
        self.assertEqual(run.state, "draft")
        self.assertFalse(self.alpha_order.invoice_ids)
        with self.assertRaises(AccessError):
            self._new_run(self.salesman)
        # a billing user of another company's run: refused, though Run works as the superuser
        other_company = self.env["res.company"].create({"name": "Autre Société"})
        other_run = self.env["b2b.invoicing.run"].create({"date_cutoff": self.today, "company_id": other_company.id})
        with self.assertRaises(AccessError):
            other_run.with_user(self.billing).action_run()
        self.assertEqual(other_run.state, "draft")

    def test_logs_are_written_by_the_run_only(self):
        run = self._new_run(self.billing)
        run.action_run()
        self.assertEqual(len(run.log_ids), 2)
        for user in (self.billing, self.salesman):
            with self.assertRaises(AccessError):
                self.env["b2b.invoicing.run.log"].with_user(user).create(
                    {"run_id": run.id, "partner_id": self.alpha.id, "state": "failed"}
                )
            with self.assertRaises(AccessError):
                run.log_ids[0].with_user(user).write({"state": "failed"})
