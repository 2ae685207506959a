"""/my/statement and /my/statement/pdf: the payer's open items (invoices, credit notes,
unapplied payments) with b2b_credit_hold's ageing buckets, balance and overdue total, for
its accountants and approvers only; the PDF in the customer's language; Odoo's report
routes refused to others."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import open_counting_queries
from .test_portal_invoices import B2bPortalInvoicesCommon


@tagged("post_install", "-at_install")
class TestPortalStatement(B2bPortalInvoicesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("pstmt")
        cls.refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.portal_customer.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product.id, "quantity": 1, "price_unit": 50.0, "tax_ids": []})
                ],
            }
        )
        cls.refund.action_post()
        cls.payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.portal_customer.id,
                "amount": 30.0,
                "date": cls.today,
            }
        )
        cls.payment.action_post()
        cls.viewer = cls.portal_users["viewer"]

    def _statement(self, user, url="/my/statement"):
        self.authenticate(user.login, user.login)
        return self.url_open(url, allow_redirects=False)

    def test_payer_accountant_and_approver_read_the_statement(self):
        for user in (self.accountant, self.approver):
            response = self._statement(user)
            self.assertEqual(response.status_code, 200, user.login)
            page = response.text
            for move in (self.inv_open, self.inv_overdue, self.inv_sub, self.refund):
                self.assertIn(f'data-move="{move.id}"', page, move.name)
            # paid invoices and another customer's are not on it
            self.assertNotIn(f'data-move="{self.inv_paid.id}"', page)
            self.assertNotIn(f'data-move="{self.inv_other.id}"', page)
            self.assertNotIn(self.inv_other.name, page)
            # the page's name in the breadcrumb, after the home icon
            self.assertIn('<li class="breadcrumb-item active">Statement of Account</li>', page)

    def test_figures_are_the_credit_ageing(self):
        statement = (
            self.env["report.b2b_customer_portal.report_statement"]
            .sudo()
            ._b2b_statement(self.portal_customer, self.env.company)
        )
        payment_items = [item for item in statement["items"] if item["amount"] == -30.0]
        # Odoo books a payment only when its journal has an outstanding receipts account
        self.assertEqual(bool(payment_items), bool(self.payment.move_id))
        if payment_items:
            self.assertEqual(payment_items[0]["kind"], "Unapplied Payment")
        unapplied = 30.0 if payment_items else 0.0  # a payment without journal entry is not receivable
        buckets = {bucket["key"]: bucket["amount"] for bucket in statement["buckets"]}
        self.assertAlmostEqual(buckets["2_not_due"], 100.0 + 400.0 - 50.0 - unapplied)
        self.assertAlmostEqual(buckets["4_31_60"], 200.0)
        self.assertAlmostEqual(buckets["3_1_30"] + buckets["5_61_90"] + buckets["6_over_90"], 0.0)
        self.assertAlmostEqual(statement["balance"], 650.0 - unapplied)
        self.assertAlmostEqual(statement["overdue"], 200.0)
        # the same figure as the credit control's overdue
        figures = self.portal_customer._b2b_credit_figures(self.env.company)[self.portal_customer.id]
        self.assertAlmostEqual(statement["overdue"], figures["overdue"])
        self.assertAlmostEqual(statement["balance"], figures["receivable"])
        kinds = {item["move_id"]: item["kind"] for item in statement["items"]}
        self.assertEqual(kinds[self.refund.id], "Credit Note")
        overdue = next(item for item in statement["items"] if item["move_id"] == self.inv_overdue.id)
        self.assertEqual(overdue["days_overdue"], 60)

    def test_other_roles_and_customers_refused(self):
        for user in (self.buyer, self.viewer, self.other_buyer):
            for url in ("/my/statement", "/my/statement/pdf"):
                response = self._statement(user, url)
                self.assertEqual(response.status_code, 403, (user.login, url))
                self.assertNotIn(self.inv_overdue.name, response.text)
        self.url_open("/web/session/logout")
        self.opener.cookies.clear()
        response = self.url_open("/my/statement", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_report_route_refused_to_others(self):
        report = self.env["ir.actions.report"]
        for user in (self.buyer, self.other_buyer, self.users["salesman"]):
            with self.assertRaises(AccessError, msg=user.login):
                report.with_user(user)._render_qweb_html(
                    "b2b_customer_portal.action_report_b2b_statement", self.portal_customer.ids
                )
        # the other customer's accountant-like user cannot read ours through the route either
        self.authenticate(self.other_buyer.login, self.other_buyer.login)
        response = self.url_open(f"/report/html/b2b_customer_portal.report_statement/{self.portal_customer.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(self.inv_overdue.name, response.text)
        # billing users may (the back office sends it)
        html, _type = report.with_user(self.users["billing"])._render_qweb_html(
            "b2b_customer_portal.action_report_b2b_statement", self.portal_customer.ids
        )
        self.assertIn(self.inv_overdue.name, html.decode())

    def test_pdf_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.portal_customer.lang = "fr_FR"
        response = self._statement(self.accountant, "/my/statement/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # in tests Odoo renders reports as HTML
        content = response.content.decode()
        self.assertIn("Relevé de compte", content)
        self.assertIn(self.inv_overdue.name, content)
        self.assertNotIn(self.inv_other.name, content)


@tagged("post_install", "-at_install")
class TestSendStatement(B2bPortalInvoicesCommon, TransactionCase):
    """Send Statement on a customer: billing users email the statement PDF with the
    template to the customer's accountants, in their language; other internal users are
    refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("psend")
        cls.portal_customer.email = "compta@client-psend.example"
        cls.action = cls.env.ref("b2b_customer_portal.action_b2b_send_statement")

    def _run_as(self, user):
        return (
            self.action.with_user(user)
            .with_context(
                active_model="res.partner", active_id=self.portal_customer.id, active_ids=self.portal_customer.ids
            )
            .run()
        )

    def test_billing_user_sends_the_statement(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.portal_customer.lang = "fr_FR"
        self.accountant.partner_id.lang = "fr_FR"
        billing = self.users["billing"]
        action = self._run_as(billing)
        self.assertEqual(action["tag"], "display_notification")
        message = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.portal_customer.id)], order="id desc", limit=1
        )
        self.assertIn("relevé de compte", message.subject)
        self.assertIn("Veuillez trouver ci-joint", message.body)
        self.assertEqual(message.author_id, billing.partner_id)
        # to the customer's accountants (in their language)
        self.assertEqual(message.partner_ids, self.accountant.partner_id)
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertTrue(message.attachment_ids.name.startswith("Relevé"), message.attachment_ids.name)

    def test_other_users_refused(self):
        for role in ("salesman", "stock_user"):
            with self.assertRaises(AccessError, msg=role):
                self._run_as(self.users[role])
        with self.assertRaises(AccessError):
            self.env["report.b2b_customer_portal.report_statement"].with_user(
                self.users["salesman"]
            )._b2b_action_send_statement(self.portal_customer)


@tagged("post_install", "-at_install")
class TestPortalStatementQueryCount(B2bPortalInvoicesCommon, HttpCase):
    """/my/statement runs the same number of queries for 100 and 1,000 open items."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("pstmtcount")

    def _clone_receivable(self, invoice, count):
        """``count`` copies of an invoice's receivable line, in SQL (open items of the payer)."""
        cr = self.env.cr
        self.env.flush_all()
        receivables = invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        line = receivables.sorted("id")[:1]  # the original, not an earlier copy
        cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'account_move_line' AND column_name != 'id'"
        )
        col_list = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
        cr.execute(
            f"INSERT INTO account_move_line ({col_list})"  # column names from the catalogue
            f" SELECT {col_list} FROM account_move_line, generate_series(1, %s) WHERE id = %s",
            [count, line.id],
        )
        self.env.invalidate_all()

    def _count_queries(self, url):
        count, response = open_counting_queries(self, url)
        return count, response.text

    def _count(self):
        self.authenticate(self.accountant.login, self.accountant.login)
        for _round in range(2):
            self._count_queries("/my/statement")  # warm the caches
        return self._count_queries("/my/statement")

    def test_query_count_does_not_grow(self):
        self._clone_receivable(self.inv_open, 99)
        small, page = self._count()
        # the copies, the open invoice, the overdue one and the subsidiary's it pays
        self.assertEqual(page.count("o_b2b_statement_item"), 100 + 2)
        self._clone_receivable(self.inv_open, 900)
        large, page = self._count()
        self.assertEqual(page.count("o_b2b_statement_item"), 1000 + 2)
        self.assertEqual(large, small)
