"""The guest "Pay now" link: signed over exactly a payer and a set of its invoices, paid
without logging in through Odoo's payment form and payment_demo; tampered or expired links
refused with a clear page and nothing written; a paid set says so; nothing else of the
customer shown (no other invoice, no saved payment method, none saved). The link in the
invoice email (customers only) and the statement email, in the customer's language."""

import json
import time
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from ..models import res_partner_guest_pay
from .common import open_counting_queries, payment_form_params
from .test_portal_invoices import B2bPortalInvoicesCommon

GUEST = "/my/invoices/pay/guest"


@tagged("post_install", "-at_install")
class TestInvoiceGuestPay(B2bPortalInvoicesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("pguest")
        cls.provider = (
            cls.env["payment.provider"]
            .sudo()
            .search([("code", "=", "demo"), ("company_id", "=", cls.env.company.id)], limit=1)
        )
        cls.provider.write({"state": "test", "is_published": True})
        cls.env["payment.provider"].search(
            [("id", "!=", cls.provider.id), ("company_id", "=", cls.env.company.id)]
        ).write({"state": "disabled"})
        cls.payment_method = cls.provider.payment_method_ids.filtered(lambda method: method.code == "demo")[:1]
        cls.env.company.b2b_guest_pay_link_days = 60
        # a payment method the payer saved while logged in: never offered to a guest
        cls.saved_token = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.payment_method.id,
                "partner_id": cls.portal_customer.id,
                "payment_details": "SAVED-4242",
                "provider_ref": "pguest-saved",
            }
        )
        cls.pair = cls.inv_open | cls.inv_overdue
        cls.billing = cls.users["billing"]

    # ------------------------------------------------------------------
    def _token(self, invoices):
        return invoices._b2b_guest_pay_token()

    def _signed(self, payer, invoice_ids, expires):
        """A token signed with our key over whatever we choose (what an attacker cannot do)."""
        signature = self.env["account.move"]._b2b_guest_pay_signature(payer.id, invoice_ids, expires)
        return f"{payer.id}-{'.'.join(map(str, sorted(invoice_ids)))}-{expires}-{signature}"

    def _open(self, token):
        self.authenticate(None, None)
        return self.url_open(f"{GUEST}/{token}", allow_redirects=False)

    def _transaction(self, token, **params):
        values = {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method.id,
            "token_id": None,
            "amount": 1.0,  # what a browser sends is never used
            "flow": "direct",
            "tokenization_requested": True,
            "landing_route": "/my/elsewhere",
            "is_validation": False,
            "access_token": "forged",
            **params,
        }
        return self.make_jsonrpc_request(f"{GUEST}/{token}/transaction", values)

    def _transactions(self):
        return self.env["payment.transaction"].search_count([])

    def _assert_refused(self, token, status):
        response = self._open(token)
        self.assertEqual(response.status_code, 403, token)
        self.assertIn(f'data-status="{status}"', response.text)
        for invoice in self.pair | self.inv_other | self.inv_sub:
            self.assertNotIn(invoice.name, response.text)
        before = self._transactions()
        with self.assertRaises(JsonRpcException):
            self._transaction(token)
        self.assertEqual(self._transactions(), before, "a refused link writes nothing")
        return response.text

    # ------------------------------------------------------------------
    def test_guest_pays_exactly_the_set(self):
        token = self._token(self.pair)
        response = self._open(token)
        self.assertEqual(response.status_code, 200)
        page = response.text
        for invoice in self.pair:
            self.assertIn(f'data-invoice="{invoice.id}"', page)
        # nothing else of the customer: no other invoice, no saved payment method, no address
        for invoice in (self.inv_paid, self.inv_sub, self.inv_other):
            self.assertNotIn(f'data-invoice="{invoice.id}"', page)
            self.assertNotIn(invoice.name, page)
        self.assertIn('id="o_payment_form"', page)
        self.assertNotIn("SAVED-4242", page)
        self.assertNotIn("o_payment_tokens_heading", page)
        self.assertNotIn('name="o_payment_tokenize_checkbox"', page)
        self.assertNotIn(self.portal_customer.street, page)
        self.assertIn('data-amount="300.0"', page)

        result = self._transaction(token)
        tx = self.env["payment.transaction"].search([("reference", "=", result["reference"])])
        self.assertEqual(tx.amount, 300.0, "the amount is computed on the server")
        self.assertEqual(tx.invoice_ids, self.pair)
        self.assertEqual(tx.partner_id, self.portal_customer, "the payer pays")
        self.assertFalse(tx.tokenize, "a guest never saves a payment method")
        # the link's confirmation page, opened with the transaction's token
        self.assertTrue(tx.landing_route.startswith(f"{GUEST}/{token}/done?tx_id="), tx.landing_route)

        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": tx.reference, "payment_details": "4242", "simulated_state": "done"},
        )
        tx._post_process()
        self.assertFalse(tx.token_id)
        self.assertEqual(tx.payment_id.partner_id, self.portal_customer)
        for invoice in self.pair:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)
        self.assertFalse(self.env["payment.token"].search([("id", "!=", self.saved_token.id)]))

        response = self.url_open(tx.landing_route)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your payment", response.text)
        for invoice in self.pair:
            self.assertIn(invoice.name, response.text)
        self.assertNotIn(self.inv_sub.name, response.text)
        # back to the link's page (it says the invoices are paid), never to the login page
        self.assertIn(f'href="{GUEST}/{token}"', response.text)
        self.assertIn("Back to the payment page", response.text)
        self.assertNotIn('href="/my/invoices"', response.text)
        # the same link afterwards: already paid, no form, no second payment
        response = self._open(token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_b2b_guest_pay_paid", response.text)
        self.assertNotIn('id="o_payment_form"', response.text)
        before = self._transactions()
        with self.assertRaises(JsonRpcException):
            self._transaction(token)
        self.assertEqual(self._transactions(), before)

    def test_tampered_links_are_refused(self):
        token = self._token(self.pair)
        payer_id, ids, expires, signature = token.split("-")
        other_ids = ".".join(map(str, sorted([*self.pair.ids, self.inv_other.id])))
        tampered = [
            f"{payer_id}-{other_ids}-{expires}-{signature}",  # another invoice added
            f"{payer_id}-{self.inv_open.id}-{expires}-{signature}",  # one removed
            f"{payer_id}-{ids}-{int(expires) + 86400 * 365}-{signature}",  # expiry pushed
            f"{self.other_portal_customer.id}-{ids}-{expires}-{signature}",  # another payer
            f"{payer_id}-{ids}-{expires}-{signature[:-1]}0",  # signature altered
            f"{payer_id}-{ids}-{expires}",  # incomplete
            "not-a-link",
        ]
        for bad in tampered:
            with self.subTest(token=bad):
                page = self._assert_refused(bad, "invalid")
                self.assertIn("This payment link is not valid", page)

    def test_another_payers_invoice_is_never_shown(self):
        # signed with our key over the payer and another customer's invoice (a bug, say):
        # the invoice is not the payer's, so the link shows nothing
        token = self._signed(self.portal_customer, [self.inv_open.id, self.inv_other.id], int(time.time()) + 3600)
        self._assert_refused(token, "invalid")
        # the other customer's own link shows its invoice only, to pay by that customer
        response = self._open(self._token(self.inv_other))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.inv_other.name, response.text)
        for invoice in self.pair | self.inv_sub:
            self.assertNotIn(invoice.name, response.text)

    def test_expired_link_is_refused_with_a_clear_message(self):
        token = self._signed(self.portal_customer, self.pair.ids, int(time.time()) - 60)
        page = self._assert_refused(token, "expired")
        self.assertIn("This payment link has expired", page)

    def test_validity_is_the_company_setting(self):
        self.env.company.b2b_guest_pay_link_days = 10
        expires = int(self._token(self.inv_open).split("-")[2])
        self.assertAlmostEqual(expires, time.time() + 10 * 86400, delta=60)
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        self.assertEqual(settings.b2b_guest_pay_link_days, 10)

    def test_paid_set_says_already_paid(self):
        token = self._token(self.inv_paid)
        response = self._open(token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("These invoices are already paid", response.text)
        self.assertNotIn('id="o_payment_form"', response.text)
        with self.assertRaises(JsonRpcException):
            self._transaction(token)
        # no link is sent for invoices with nothing to pay
        self.assertFalse(self.inv_paid._b2b_guest_pay_url())

    def test_saved_payment_method_cannot_be_used(self):
        token = self._token(self.pair)
        before = self._transactions()
        for params in (
            {"flow": "token", "token_id": self.saved_token.id, "payment_method_id": None},
            {"token_id": self.saved_token.id},
        ):
            with self.subTest(params=params), self.assertRaises(JsonRpcException):
                self._transaction(token, **params)
        self.assertEqual(self._transactions(), before)

    def test_disputed_amount_is_not_charged(self):
        self.env["b2b.invoice.dispute"].create(
            {"move_id": self.inv_overdue.id, "reason": "quantity", "amount": 50.0, "description": "missing"}
        )
        token = self._token(self.pair)
        result = self._transaction(token)
        tx = self.env["payment.transaction"].search([("reference", "=", result["reference"])])
        self.assertEqual(tx.amount, 250.0)

    def test_mixed_currencies_are_refused_with_a_clear_message(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        invoice_usd = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.portal_customer.id,
                "currency_id": usd.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 70.0, "tax_ids": []})
                ],
            }
        )
        invoice_usd.action_post()
        token = self._token(self.inv_open | invoice_usd)
        response = self._open(token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_b2b_guest_pay_error", response.text)
        self.assertIn("different currencies", response.text)
        self.assertNotIn('id="o_payment_form"', response.text)
        before = self._transactions()
        with self.assertRaises(JsonRpcException):
            self._transaction(token)
        self.assertEqual(self._transactions(), before)

    def test_logged_in_portal_user_sees_the_same_page(self):
        # a portal user opening the link is not shown its saved methods nor other invoices
        self.authenticate(self.accountant.login, self.accountant.login)
        response = self.url_open(f"{GUEST}/{self._token(self.inv_open)}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.inv_open.name, response.text)
        self.assertNotIn(self.inv_overdue.name, response.text)
        self.assertNotIn("SAVED-4242", response.text)

    # ------------------------------------------------------------------
    # Emails
    # ------------------------------------------------------------------
    def _mails_of(self, message):
        return self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])

    def test_invoice_email_has_the_pay_now_link_for_customers(self):
        self.portal_customer.lang = "fr_FR"
        contact = self.portal_users["accountant"].partner_id
        contact.lang = "fr_FR"
        contact.flush_recordset()
        self.inv_open.message_subscribe(partner_ids=self.billing.partner_id.ids)
        message = (
            self.inv_open.with_user(self.billing)
            .with_context(mail_notify_force_send=False)
            .message_post(
                body="Votre facture",
                partner_ids=contact.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
            )
        )
        mails = self._mails_of(message)
        customer_mail = mails.filtered(lambda mail: contact in mail.recipient_ids)
        self.assertTrue(customer_mail)
        # the page opens in the recipient's language too (a visitor has no other)
        self.assertIn(f"/fr{GUEST}/{self.portal_customer.id}-{self.inv_open.id}-", customer_mail.body_html)
        self.assertIn("Payer maintenant", customer_mail.body_html)
        for mail in mails - customer_mail:
            self.assertNotIn(GUEST, mail.body_html, "internal users get no guest link")
        # a paid invoice's email has no link
        message = self.inv_paid.with_user(self.billing).message_post(
            body="Votre facture", partner_ids=contact.ids, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertNotIn(GUEST, "".join(self._mails_of(message).mapped("body_html")))

    def test_invoice_sent_by_billing_has_the_pay_now_link(self):
        # Odoo's own Send button, as the billing user, with Odoo's invoice template
        self.portal_customer.write({"lang": "fr_FR", "email": "compta@pguest.example.com"})
        self.portal_customer.flush_recordset()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_user(self.billing)
            .with_context(active_model="account.move", active_ids=self.inv_open.ids)
            .create({"sending_methods": ["email"]})
        )
        wizard.action_send_and_print(allow_fallback_pdf=True)
        mails = self.env["mail.mail"].sudo().search([("model", "=", "account.move"), ("res_id", "=", self.inv_open.id)])
        customer_mail = mails.filtered(lambda mail: self.portal_customer in mail.recipient_ids)
        self.assertTrue(customer_mail)
        token = customer_mail.body_html.split(f"{GUEST}/", 1)[1].split('"', 1)[0]
        status, invoices = self.env["account.move"]._b2b_guest_pay_check(token)
        self.assertEqual((status, invoices), ("open", self.inv_open))
        self.assertIn("Payer maintenant", customer_mail.body_html)

    def test_payment_in_progress_is_not_charged_twice(self):
        token = self._token(self.pair)
        result = self._transaction(token)
        tx = self.env["payment.transaction"].search([("reference", "=", result["reference"])])
        # the provider says the payment is pending (a second tab, a slow bank)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": tx.reference, "payment_details": "4242", "simulated_state": "pending"},
        )
        self.assertEqual(tx.state, "pending")
        response = self._open(token)
        self.assertIn("Payment being processed", response.text)
        self.assertNotIn('id="o_payment_form"', response.text)
        before = self._transactions()
        with self.assertRaises(JsonRpcException):
            self._transaction(token)
        self.assertEqual(self._transactions(), before)

    def test_two_tabs_at_once_told_payment_in_progress(self):
        """Two tabs of the link posting at the same moment: the second chose the reference of
        the first's transaction, not yet visible: told a payment is in progress, not the
        database's uniqueness error, and nothing more written."""
        token = self._token(self.pair)
        first = self._transaction(token)
        Transaction = type(self.env["payment.transaction"])
        before = self._transactions()
        self.authenticate(None, None)
        params = payment_form_params(self.provider, self.payment_method, landing_route="/my/elsewhere")
        with patch.object(Transaction, "_compute_reference", lambda self, *args, **kwargs: first["reference"]):
            response = self.url_open(
                f"{GUEST}/{token}/transaction",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
                headers={"Content-Type": "application/json"},
            )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn("already being processed", error["message"])
        self.assertNotIn("unique", error["message"].lower())
        self.assertEqual(self._transactions(), before)

    def test_statement_email_links_every_open_invoice_of_the_payer(self):
        # the email goes to the customer's accountant, in the accountant's language
        self.portal_customer.lang = "fr_FR"
        self.accountant.partner_id.lang = "fr_FR"
        self.env["report.b2b_customer_portal.report_statement"].with_user(self.billing)._b2b_action_send_statement(
            self.portal_customer
        )
        message = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.portal_customer.id)], order="id desc", limit=1
        )
        token = message.body.split(f"{GUEST}/", 1)[1].split('"', 1)[0]
        status, invoices = self.env["account.move"]._b2b_guest_pay_check(token)
        self.assertEqual(status, "open")
        self.assertEqual(invoices, self.inv_open | self.inv_overdue | self.inv_sub)
        # the subsidiary is billed but pays nothing itself: its statement has no link
        self.assertFalse(self.subsidiary._b2b_guest_pay_url())
        self.assertIn("Payer maintenant", message.body)
        self.assertIn(f"/fr{GUEST}/", message.body)
        response = self._open(token)
        self.assertIn("Payer vos factures", self.url_open(f"/fr{GUEST}/{token}").text)
        self.assertIn("Pay your invoices", response.text)

    def test_statement_link_is_capped_to_the_first_due(self):
        # a link carries its invoice ids: a payer with thousands of open invoices gets a link
        # over those due first (patched to 2 here instead of 200)
        self.patch(res_partner_guest_pay, "GUEST_PAY_MAX_INVOICES", 2)
        url = self.portal_customer._b2b_guest_pay_url()
        status, invoices = self.env["account.move"]._b2b_guest_pay_check(url.split(f"{GUEST}/", 1)[1])
        self.assertEqual((status, invoices), ("open", self.inv_overdue | self.inv_open))

    def test_confirmation_page_of_a_guest_payment(self):
        """A guest's confirmation page links back to the link only when the link is valid and
        covers what was paid; the transaction's own token is what opens it."""
        token = self._token(self.pair)
        self._open(token)
        tx = self.env["payment.transaction"].search([("reference", "=", self._transaction(token)["reference"])])
        done, query = tx.landing_route.split("?", 1)
        self.assertEqual(done, f"{GUEST}/{token}/done")
        self.assertIn(f'href="{GUEST}/{token}"', self.url_open(tx.landing_route).text)
        # the transaction's token is the access right
        tx_id = query.split("&", 1)[0]
        self.assertEqual(self.url_open(f"{done}?{tx_id}&access_token=forged").status_code, 404)
        # a tampered link, or one that does not cover what was paid: no link back
        for other in (token[:-1] + ("0" if token[-1] != "0" else "1"), self._token(self.inv_open)):
            response = self.url_open(f"{GUEST}/{other}/done?{query}")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("o_b2b_pay_done_back", response.text)
            self.assertNotIn('href="/my/invoices"', response.text)
        # the logged-in selection's confirmation page, opened by a visitor: no link either
        response = self.url_open(f"/my/invoices/pay/done?{query}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_b2b_pay_done_back", response.text)
        self.assertNotIn('href="/my/invoices"', response.text)

    def test_pay_from_the_guest_link_in_a_browser(self):
        self.authenticate(None, None)
        token = self._token(self.pair)
        self.start_tour(f"{GUEST}/{token}", "b2b_customer_portal_invoice_guest_pay")
        for invoice in self.pair:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)
        self.assertEqual(self.env["payment.token"].search_count([]), 1, "no payment method saved")

    def test_pay_from_the_guest_link_on_a_phone(self):
        self.browser_size = "375x667"
        self.test_pay_from_the_guest_link_in_a_browser()

    def test_page_queries_do_not_grow_with_the_invoices(self):
        def invoices(count):
            moves = self.env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.portal_customer.id,
                        "invoice_date": self.today,
                        "invoice_line_ids": [
                            Command.create(
                                {"product_id": self.product.id, "quantity": 1, "price_unit": 10.0, "tax_ids": []}
                            )
                        ],
                    }
                    for _index in range(count)
                ]
            )
            moves.action_post()
            return moves

        self.authenticate(None, None)
        counts = {}
        for count in (2, 20):
            token = self._token(invoices(count))
            self.env.invalidate_all()
            self.url_open(f"{GUEST}/{token}")  # warm up the caches of the first rendering
            counts[count], response = open_counting_queries(self, f"{GUEST}/{token}")
            self.assertIn('id="o_payment_form"', response.text)
        self.assertLessEqual(counts[20], counts[2] + 3, counts)

    def test_link_days_must_be_positive(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env.company.b2b_guest_pay_link_days = 0
            self.env.company.flush_recordset()
