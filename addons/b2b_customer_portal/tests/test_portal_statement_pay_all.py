"""/my/statement as the payer's accountant: one "Pay all open" per currency, none when the
balance asks nothing (credits and unapplied payments cover it) and a word on the unapplied
payments otherwise; the overdue figure is the credit control's (the /my credit card's), with
the disputed amount beside it; the PDF is named after the payer and the day and shows each
invoice's reference. Other roles and customers are refused."""

import re
from datetime import timedelta

from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged

from .test_portal_invoices import B2bPortalInvoicesCommon


@tagged("post_install", "-at_install")
class TestPortalStatementPayAll(B2bPortalInvoicesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("pstpay")
        cls.eur = cls.env.company.currency_id
        cls.foreign = cls.env["res.currency"].search(
            [("id", "!=", cls.eur.id), ("name", "in", ("USD", "EUR"))], limit=1
        )
        cls.foreign.active = True

    def _foreign_invoice(self, amount=80.0, due_days=20):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.portal_customer.id,
                "currency_id": self.foreign.id,
                "invoice_date": self.today,
                "invoice_date_due": self.today + timedelta(days=due_days),
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    def _unapplied_payment(self, amount):
        """A payment received and not yet matched: a credit on the payer's receivable."""
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": self.today,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": self.portal_customer.property_account_receivable_id.id,
                            "partner_id": self.portal_customer.id,
                            "credit": amount,
                        }
                    ),
                    Command.create({"account_id": bank.default_account_id.id, "debit": amount}),
                ],
            }
        )
        entry.action_post()
        return entry

    def _dispute(self, invoice, amount):
        return self.env["b2b.invoice.dispute"]._b2b_portal_raise(
            invoice, self.accountant.partner_id, "price", amount, "Prix faux"
        )

    def _statement_page(self, user=None):
        user = user or self.accountant
        self.authenticate(user.login, user.login)
        response = self.url_open("/my/statement")
        self.assertEqual(response.status_code, 200)
        return html.fromstring(response.text)

    def _pay_all_links(self, tree):
        return {
            link.get("data-currency"): link.get("href").split("invoice_ids=")[1]
            for link in tree.xpath("//a[contains(@class, 'o_b2b_statement_pay_all')]")
        }

    def test_pay_all_per_currency(self):
        foreign_invoice = self._foreign_invoice()
        links = self._pay_all_links(self._statement_page())
        ours = self.inv_overdue | self.inv_open | self.inv_sub
        self.assertEqual(set(links), {self.eur.name, self.foreign.name})
        self.assertEqual({int(i) for i in links[self.eur.name].split(",")}, set(ours.ids))
        self.assertEqual(links[self.foreign.name], str(foreign_invoice.id))
        # each link opens a payment page that can be paid (no "different currencies")
        for ids in links.values():
            response = self.url_open(f"/my/invoices/pay?invoice_ids={ids}")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("o_b2b_invoice_pay_error", response.text, ids)
            self.assertIn("o_b2b_invoice_pay_table", response.text, ids)
        # one currency only: one button, unlabelled
        foreign_invoice.button_draft()
        foreign_invoice.button_cancel()
        tree = self._statement_page()
        buttons = tree.xpath("//a[contains(@class, 'o_b2b_statement_pay_all')]")
        self.assertEqual(len(buttons), 1)
        self.assertNotIn("(", buttons[0].text_content())

    def test_no_pay_all_when_nothing_is_owed(self):
        # 700 open (100 + 200 + 400), 1,000 received and not matched: the payer owes nothing
        self._unapplied_payment(1000.0)
        tree = self._statement_page()
        self.assertFalse(self._pay_all_links(tree))
        notice = tree.xpath("//p[contains(@class, 'o_b2b_statement_nothing_to_pay')]")
        self.assertEqual(len(notice), 1)
        self.assertIn("300.00", notice[0].text_content())
        self.assertIn("1,000.00", notice[0].text_content())
        self.assertFalse(tree.xpath("//p[contains(@class, 'o_b2b_statement_unapplied')]"))

    def test_unapplied_payments_said_next_to_pay_all(self):
        self._unapplied_payment(300.0)
        tree = self._statement_page()
        self.assertEqual(set(self._pay_all_links(tree)), {self.eur.name})
        notice = tree.xpath("//p[contains(@class, 'o_b2b_statement_unapplied')]")
        self.assertEqual(len(notice), 1)
        self.assertIn("300.00", notice[0].text_content())
        self.assertFalse(tree.xpath("//p[contains(@class, 'o_b2b_statement_nothing_to_pay')]"))

    def test_wholly_disputed_invoice_not_in_pay_all(self):
        self._dispute(self.inv_open, 100.0)
        links = self._pay_all_links(self._statement_page())
        self.assertEqual({int(i) for i in links[self.eur.name].split(",")}, set((self.inv_overdue | self.inv_sub).ids))

    def test_overdue_is_the_credit_figure_disputes_beside(self):
        self._dispute(self.inv_overdue, 200.0)
        Report = self.env["report.b2b_customer_portal.report_statement"].sudo()
        # the company's rule leaves disputes out of overdue (default): 0, disputed 200 beside
        self.assertTrue(self.env.company.b2b_dispute_excluded_from_overdue)
        figures = self.portal_customer._b2b_credit_figures(self.env.company)[self.portal_customer.id]
        statement = Report._b2b_statement(self.portal_customer, self.env.company)
        self.assertAlmostEqual(figures["overdue"], 0.0)
        self.assertAlmostEqual(statement["overdue"], 0.0)
        self.assertAlmostEqual(statement["overdue_disputed"], 200.0)
        tree = self._statement_page()
        overdue = tree.xpath("//td[contains(@class, 'o_b2b_statement_overdue')]")[0].text_content()
        self.assertIn("0.00", overdue)
        self.assertNotIn("200.50", overdue)
        self.assertIn("disputed, not counted:", overdue)
        self.assertIn("200.00", overdue)
        # the /my credit card says the same overdue
        self.authenticate(self.accountant.login, self.accountant.login)
        home = html.fromstring(self.url_open("/my").text)
        card = home.xpath("//dd[contains(@class, 'o_b2b_credit_overdue')]")
        self.assertEqual(card[0].text_content().strip(), overdue.split("disputed")[0].strip())
        # counted when the company says so: 200, of which disputed 200
        self.env.company.b2b_dispute_excluded_from_overdue = False
        statement = Report._b2b_statement(self.portal_customer, self.env.company)
        self.assertAlmostEqual(statement["overdue"], 200.0)
        tree = self._statement_page()
        overdue = tree.xpath("//td[contains(@class, 'o_b2b_statement_overdue')]")[0].text_content()
        self.assertIn("of which disputed:", overdue)

    def test_pdf_named_after_payer_and_day_with_references(self):
        self.authenticate(self.accountant.login, self.accountant.login)
        response = self.url_open("/my/statement/pdf")
        self.assertEqual(response.status_code, 200)
        disposition = response.headers["Content-Disposition"]
        payer = re.sub(r"[^\w-]+", "_", self.portal_customer.name).strip("_")
        self.assertIn(f"Statement_{payer}_{self.today.isoformat()}.pdf", disposition)
        # in tests Odoo renders reports as HTML: the reference cell is not hidden as on a phone
        tree = html.fromstring(response.content)
        cells = tree.xpath("//td[normalize-space(text())='PO-OPEN-pstpay']")
        self.assertEqual(len(cells), 1)
        self.assertNotIn("d-none", cells[0].get("class") or "")

    def test_other_roles_and_customers_refused(self):
        for user in (self.buyer, self.other_buyer):
            self.authenticate(user.login, user.login)
            for url in ("/my/statement", "/my/statement/pdf"):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 403, (user.login, url))
                self.assertNotIn("o_b2b_statement_pay_all", response.text)
