from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.addons.b2b_monthly_invoicing.models.b2b_invoicing_run import B2bInvoicingRun
from odoo.tests import tagged

from .common import MonthlyUsersCase


class Crash(BaseException):
    """A crash of the worker (not a business error): nothing catches it."""


@tagged("post_install", "-at_install")
class TestInvoicingRun(MonthlyUsersCase):
    """Summary invoicing runs as a company works: the salesman takes and confirms his orders,
    the stock user validates their deliveries, a billing user (Invoicing: Billing, a salesman
    of his own documents in Sales) creates and runs the run and reads its invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls.users["salesman"]
        cls.billing = cls.users["billing"]

    def _delivered_order(self, partner, lines, days_ago=0, **vals):
        """An order taken and confirmed by the salesman, delivered by the stock user."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
                    **vals,
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        for picking in order.picking_ids.with_user(self.users["stock_user"]):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.button_validate()
            self.assertEqual(picking.state, "done")
        # when it was delivered (test data)
        order.picking_ids.sudo().date_done = datetime.now() - timedelta(days=days_ago)
        return order.sudo()

    def _run(self, **vals):
        run = self.env["b2b.invoicing.run"].with_user(self.billing).create({"date_cutoff": self.today, **vals})
        run.action_run()
        return run.sudo()

    def test_one_summary_invoice_per_monthly_customer(self):
        alpha_1 = self._delivered_order(
            self.alpha, [(self.paper, 10), (self.toner, 1)], days_ago=20, client_order_ref="PO-A1"
        )
        alpha_2 = self._delivered_order(
            self.alpha, [(self.paper, 4)], days_ago=5, partner_shipping_id=self.alpha_site.id
        )
        beta_1 = self._delivered_order(self.beta, [(self.toner, 2)], days_ago=3)
        gamma_1 = self._delivered_order(self.gamma, [(self.paper, 1)])
        run = self._run()
        self.assertEqual(run.state, "done")
        alpha_invoice = run.invoice_ids.filtered(lambda inv: inv.partner_id == self.alpha)
        beta_invoice = run.invoice_ids.filtered(lambda inv: inv.partner_id == self.beta)
        self.assertEqual(len(alpha_invoice), 1, "one invoice for both orders, both delivery sites")
        self.assertEqual(len(beta_invoice), 1)
        self.assertEqual(len(run.invoice_ids), 2)
        self.assertEqual(alpha_invoice.invoice_date, self.today)
        self.assertTrue(alpha_invoice.b2b_summary_invoice)
        product_lines = alpha_invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(len(product_lines), 3, "every delivered line")
        self.assertEqual(product_lines.sale_line_ids, (alpha_1 | alpha_2).order_line)
        sections = alpha_invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section")
        self.assertEqual(len(sections), 2, "one section per order")
        first = sections.filtered(lambda section: alpha_1.name in section.name)
        self.assertIn(alpha_1.name, first.name)
        self.assertIn("PO-A1", first.name)
        self.assertIn(alpha_1.picking_ids.name, first.name)
        self.assertEqual(alpha_invoice.amount_untaxed, alpha_1.amount_untaxed + alpha_2.amount_untaxed)
        self.assertEqual(beta_invoice.invoice_line_ids.sale_line_ids.order_id, beta_1)
        self.assertFalse(gamma_1.invoice_ids, "per-order customers are left to per-order invoicing")
        self.assertEqual(set(run.log_ids.mapped("state")), {"done"})
        self.assertEqual(run.log_ids.partner_id, self.alpha | self.beta)

    def test_differences_split_invoices(self):
        cooperative = self.env["res.partner"].create({"name": "Coopérative", "is_company": True})
        self.alpha.write(
            {
                "allowed_billed_partner_ids": [Command.set(cooperative.ids)],
                "allowed_payer_ids": [Command.set(cooperative.ids)],
            }
        )
        usd = self.env.ref("base.USD")
        usd.active = True
        pricelist = self.env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        self._delivered_order(self.alpha, [(self.paper, 1)])
        self._delivered_order(self.alpha, [(self.paper, 2)], partner_invoice_id=cooperative.id)
        self._delivered_order(self.alpha, [(self.paper, 3)], pricelist_id=pricelist.id)
        other_payer = self._delivered_order(self.alpha, [(self.paper, 4)])
        other_payer.with_user(self.salesman).payer_id = cooperative
        run = self._run(partner_ids=[Command.set(self.alpha.ids)])
        keys = {(inv.partner_id.commercial_partner_id, inv.payer_id, inv.currency_id) for inv in run.invoice_ids}
        self.assertEqual(len(run.invoice_ids), 4, keys)
        self.assertEqual(len(keys), 4)

    def test_rerun_creates_nothing(self):
        self._delivered_order(self.alpha, [(self.paper, 10)])
        first = self._run()
        self.assertEqual(len(first.invoice_ids), 1)
        second = self._run()
        self.assertFalse(second.invoice_ids)
        self.assertEqual(self.env["account.move"].search_count([("partner_id", "=", self.alpha.id)]), 1)

    def test_interrupted_run_resumes_without_duplicates_or_gaps(self):
        customers = (
            self.alpha
            | self.beta
            | self.env["res.partner"].create(
                {"name": "Delta Mensuel", "is_company": True, "b2b_invoicing_policy": "monthly"}
            )
        )
        for customer in customers:
            self._delivered_order(customer, [(self.paper, 2)])
        original = B2bInvoicingRun._invoice_and_log
        calls = []

        def crash_on_second(run, batch):
            calls.append(batch)
            if len(calls) == 2:
                raise Crash()
            return original(run, batch)

        run = self.env["b2b.invoicing.run"].with_user(self.billing).create({"date_cutoff": self.today})
        # (Odoo's assertRaises would roll back what the crashed attempt committed: catch it by hand)
        crashed = False
        with (
            patch.object(B2bInvoicingRun, "_invoice_and_log", crash_on_second),
            patch.object(B2bInvoicingRun, "_b2b_batch_size", 1),
        ):
            try:
                run.action_run()
            except Crash:
                crashed = True
        self.assertTrue(crashed)
        self.assertEqual(run.state, "running")
        self.assertEqual(len(run.invoice_ids), 1, "the first customer was invoiced before the crash")
        with patch.object(B2bInvoicingRun, "_b2b_batch_size", 1):
            run.action_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_ids.partner_id, customers, "no gap")
        for customer in customers:
            self.assertEqual(
                self.env["account.move"].search_count([("partner_id", "=", customer.id)]), 1, "no duplicate"
            )
        self.assertEqual(len(run.log_ids), 3)

    def test_batches_give_the_same_invoices(self):
        customers = self.alpha | self.beta
        for customer in customers:
            self._delivered_order(customer, [(self.paper, 2)])
            self._delivered_order(customer, [(self.toner, 1)])
        with patch.object(B2bInvoicingRun, "_b2b_batch_size", 50):
            run = self._run()
        self.assertEqual(len(run.invoice_ids), 2, "one invoice per customer, even in one batch")
        for log in run.log_ids:
            self.assertEqual(log.invoice_ids.partner_id, log.partner_id)

    def test_entities_billed_to_one_head_office_share_its_invoice(self):
        """Subsidiaries billed to their head office are invoiced in the same batch, however
        small the batches: one summary invoice for the head office, logged on both."""
        head_office = self.env["res.partner"].create({"name": "Holding Mensuelle", "is_company": True})
        subsidiaries = self.alpha | self.beta
        subsidiaries.write({"allowed_billed_partner_ids": [Command.set(head_office.ids)]})
        for subsidiary in subsidiaries:
            self._delivered_order(subsidiary, [(self.paper, 3)], partner_invoice_id=head_office.id)
        gamma_monthly = self.env["res.partner"].create(
            {"name": "Epsilon Mensuel", "is_company": True, "b2b_invoicing_policy": "monthly"}
        )
        self._delivered_order(gamma_monthly, [(self.toner, 1)])
        with patch.object(B2bInvoicingRun, "_b2b_batch_size", 1):
            run = self._run()
        self.assertEqual(len(run.invoice_ids), 2)
        shared = run.invoice_ids.filtered(lambda inv: inv.partner_id == head_office)
        self.assertEqual(shared.invoice_line_ids.sale_line_ids.order_id.partner_id, subsidiaries)
        for subsidiary in subsidiaries:
            log = run.log_ids.filtered(lambda log, s=subsidiary: log.partner_id == s)
            self.assertEqual((log.state, log.invoice_ids), ("done", shared))

    def test_cutoff_day_past_month_end_is_last_day(self):
        from datetime import date

        self.alpha.b2b_invoicing_day = 31
        self.assertEqual(self.alpha._b2b_cutoff_in_month(date(2026, 2, 10)), date(2026, 2, 28))
        self.alpha.b2b_invoicing_day = 0
        self.assertEqual(self.alpha._b2b_cutoff_in_month(date(2026, 4, 3)), date(2026, 4, 30))
        self.alpha.b2b_invoicing_day = 15
        self.assertEqual(self.alpha._b2b_cutoff_in_month(date(2026, 4, 3)), date(2026, 4, 15))

    def test_invoices_of_a_run_found_by_index(self):
        """A run's invoices (its stat button, its log) are found through an index on the few
        invoices made by runs."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'account_move' AND indexdef LIKE %s",
            ["%(b2b_invoicing_run_id)%"],
        )
        definitions = [row[0] for row in self.env.cr.fetchall()]
        self.assertEqual(len(definitions), 1, definitions)
        self.assertIn("b2b_invoicing_run_id IS NOT NULL", definitions[0])

    def test_billing_user_reads_and_prints_the_delivery_notes_of_another_salesman(self):
        """The delivery notes a summary invoice covers are named on it for whoever may read
        the invoice, though Sales' rules hide the orders (another salesman's) from the billing
        user."""
        order = self._delivered_order(self.alpha, [(self.paper, 10)], days_ago=2, user_id=self.salesman.id)
        picking = order.picking_ids
        invoice = self._run().invoice_ids
        self.assertEqual(len(invoice), 1)
        invoice.with_user(self.billing).action_post()
        self.assertFalse(self.env["sale.order"].with_user(self.billing).search([("id", "=", order.id)]))
        as_billing = invoice.with_user(self.billing)
        self.assertEqual(as_billing.b2b_delivery_picking_ids.ids, picking.ids)
        self.assertIn(picking.name, as_billing.b2b_delivery_note_names)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.billing)
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Bons de livraison concernés", html, "Alpha reads French")
        self.assertIn(picking.name, html)
