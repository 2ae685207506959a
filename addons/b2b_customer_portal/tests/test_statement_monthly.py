"""The monthly statement of account by email: billing users turn it on per payer; the
scheduled action, run as OdooBot, emails the payers with the option and something open their
statement with the guest Pay now link, to their accountants in their language, once per
month."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .test_portal_invoices import B2bPortalInvoicesCommon


@tagged("post_install", "-at_install")
class TestStatementMonthly(B2bPortalInvoicesCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("pmonth")
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.accountant.partner_id.lang = "fr_FR"
        cls.portal_customer.b2b_statement_monthly = True
        # a payer with the option and nothing open, and one with open items but no option
        cls.settled_payer = cls.env["res.partner"].create(
            {"name": "Client Soldé pmonth", "is_company": True, "email": "solde@pmonth.example"}
        )
        cls.settled_payer.b2b_statement_monthly = True
        cls.other_portal_customer.email = "autre@pmonth.example"
        cls.cron = cls.env.ref("b2b_customer_portal.ir_cron_b2b_monthly_statement")
        cls.template = cls.env.ref("b2b_customer_portal.mail_template_b2b_statement")

    def _run_cron(self, day=None):
        """The scheduled action as its user (OdooBot), on ``day`` (default today)."""
        day = day or fields.Date.context_today(self.env["b2b.statement.sending"])
        Sending = self.env["b2b.statement.sending"].with_user(self.cron.user_id)
        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=float("inf")),
            patch.object(fields.Date, "context_today", return_value=day),
        ):
            Sending._cron_b2b_send_monthly_statements()

    def _statement_messages(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
                ("attachment_ids", "!=", False),
            ]
        )

    def test_cron_sends_once_per_payer_and_month(self):
        self.assertEqual(self.cron.user_id, self.env.ref("base.user_root"))
        self.assertEqual((self.cron.interval_number, self.cron.interval_type), (1, "months"))
        self._run_cron()
        messages = self._statement_messages(self.portal_customer)
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.author_id, self.env.ref("base.user_root").partner_id)
        sendings = self.env["b2b.statement.sending"].search(
            [("partner_id", "in", (self.portal_customer | self.settled_payer | self.other_portal_customer).ids)]
        )
        self.assertEqual(sendings.partner_id, self.portal_customer)
        self.assertEqual(sendings.period, fields.Date.context_today(sendings).replace(day=1))
        self.assertEqual(sendings.message_id, messages)
        # nothing open, or no option: nothing sent
        self.assertFalse(self._statement_messages(self.settled_payer))
        self.assertFalse(self._statement_messages(self.other_portal_customer))

        # a rerun in the same month sends nothing more
        self._run_cron()
        self.assertEqual(self._statement_messages(self.portal_customer), messages)
        Sending = self.env["b2b.statement.sending"]
        self.assertEqual(Sending.search_count([("partner_id", "=", self.portal_customer.id)]), 1)

        # next month it is sent again
        next_month = (fields.Date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
        self._run_cron(next_month)
        self.assertEqual(len(self._statement_messages(self.portal_customer)), 2)

    def test_option_off_sends_nothing(self):
        self.portal_customer.b2b_statement_monthly = False
        self._run_cron()
        self.assertFalse(self._statement_messages(self.portal_customer))
        self.assertFalse(self.env["b2b.statement.sending"].search([("partner_id", "=", self.portal_customer.id)]))

    def test_email_to_the_accountant_in_french_with_the_guest_link(self):
        self._run_cron()
        message = self._statement_messages(self.portal_customer)
        self.assertEqual(message.partner_ids, self.accountant.partner_id)
        self.assertIn("relevé de compte", message.subject)
        self.assertIn("Veuillez trouver ci-joint", message.body)
        self.assertIn("/my/invoices/pay/guest/", message.body)
        token = message.body.split("/my/invoices/pay/guest/")[1].split('"')[0]
        status, invoices = self.env["account.move"]._b2b_guest_pay_check(token)
        self.assertEqual(status, "open")
        self.assertEqual(invoices, self.inv_open | self.inv_overdue | self.inv_sub)
        self.assertTrue(message.attachment_ids.name.startswith("Relevé"), message.attachment_ids.name)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.accountant.partner_id)

    def test_invoice_address_without_accountant(self):
        self.accountant.partner_id.b2b_portal_role = "viewer"
        invoice_address = self.env["res.partner"].create(
            {
                "name": "Comptabilité fournisseurs",
                "type": "invoice",
                "parent_id": self.portal_customer.id,
                "email": "factures@pmonth.example",
            }
        )
        self._run_cron()
        self.assertEqual(self._statement_messages(self.portal_customer).partner_ids, invoice_address)

    def test_a_failing_payer_does_not_stop_the_others(self):
        self.other_portal_customer.b2b_statement_monthly = True
        original = type(self.env["b2b.statement.sending"])._b2b_send_statement

        def send(model, payer, company, period):
            if payer == self.portal_customer:
                raise RuntimeError("mail server down")
            return original(model, payer, company, period)

        with patch.object(type(self.env["b2b.statement.sending"]), "_b2b_send_statement", send):
            self._run_cron()
        self.assertFalse(self.env["b2b.statement.sending"].search([("partner_id", "=", self.portal_customer.id)]))
        self.assertEqual(len(self._statement_messages(self.other_portal_customer)), 1)
        # the next run sends the one that failed
        self._run_cron()
        self.assertEqual(len(self._statement_messages(self.portal_customer)), 1)

    # ------------------------------------------------------------------
    # Who sets the option
    # ------------------------------------------------------------------
    def test_billing_user_turns_the_option_on_and_off(self):
        billing = self.users["billing"]
        self.other_portal_customer.with_user(billing).action_b2b_statement_monthly_on()
        self.assertTrue(self.other_portal_customer.b2b_statement_monthly)
        note = self.other_portal_customer.message_ids[:1]
        self.assertEqual(note.author_id, billing.partner_id)
        self.assertIn("turned on", note.body)
        self.other_portal_customer.with_user(billing).action_b2b_statement_monthly_off()
        self.assertFalse(self.other_portal_customer.b2b_statement_monthly)
        self.assertIn("turned off", self.other_portal_customer.message_ids[:1].body)

    def test_salesman_cannot_set_the_option(self):
        # a salesman who may edit customers (Contact Creation): the option is still not his
        salesman = self.users["salesman"]
        salesman.group_ids |= self.env.ref("base.group_partner_manager")
        customer = self.other_portal_customer.with_user(salesman)
        self.assertFalse(customer.b2b_statement_monthly)
        with self.assertRaises(AccessError):
            customer.write({"b2b_statement_monthly": True})
        with self.assertRaises(AccessError):
            customer.action_b2b_statement_monthly_on()
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(salesman).create(
                {"name": "Nouveau client", "is_company": True, "b2b_statement_monthly": True}
            )
        self.assertFalse(self.other_portal_customer.b2b_statement_monthly)
        # other fields of the customer stay his to edit
        customer.write({"phone": "+33 4 00 00 00 00"})

    def test_portal_user_neither_reads_nor_sets_the_option(self):
        customer = self.portal_customer.with_user(self.accountant)
        with self.assertRaises(AccessError):
            customer.read(["b2b_statement_monthly"])
        with self.assertRaises(AccessError):
            customer.action_b2b_statement_monthly_off()
        self.assertTrue(self.portal_customer.b2b_statement_monthly)

    def test_sendings_read_by_billing_not_by_salesman(self):
        self._run_cron()
        self.assertTrue(self.env["b2b.statement.sending"].with_user(self.users["billing"]).search([]))
        with self.assertRaises(AccessError):
            self.env["b2b.statement.sending"].with_user(self.users["salesman"]).search([])
