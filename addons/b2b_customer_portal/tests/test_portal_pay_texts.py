"""What the payer reads (issue 15): the confirmation page of a wire transfer (bank details and
the communication to give, what is to pay rather than "paid 0,00"), the pay pages' messages,
breadcrumbs and refusals, the guest link's messages in the page's language, as the user who
reads them (the page as the portal user or the guest, the email in French)."""

import json
from datetime import timedelta

from odoo.addons.payment import utils as payment_utils
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import payment_form_params
from .test_autopay import B2bAutopayCommon
from .test_invoice_pay_allocation import B2bInvoicePayCommon
from .test_portal_invoice_dispute import B2bDisputeCommon

GUEST = "/my/invoices/pay/guest"


@tagged("post_install", "-at_install")
class TestPortalPayTexts(B2bInvoicePayCommon, HttpCase):
    _b2b_prefix = "paytxt"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["b2b_customer_portal", "payment_custom"], ["fr_FR"], overwrite=True
        )
        cls.first = cls._invoice(price=4000.0)
        cls.second = cls._invoice(price=2000.0)
        cls.accountant = cls.portal_users["accountant"]
        cls.accountant.partner_id.lang = "fr_FR"

    def _login(self, role):
        user = self.portal_users[role]
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _pay_url(self, *invoices):
        return "/my/invoices/pay?invoice_ids=" + ",".join(str(invoice.id) for invoice in invoices)

    def _transfer_provider(self):
        """Odoo's wire transfer (payment_custom, installed in the test database though not a
        dependency), its pending message naming the company's bank account."""
        if self.env["ir.module.module"]._get("payment_custom").state != "installed":
            self.skipTest("payment_custom (wire transfer) is not installed")
        provider = self.env.ref("payment.payment_provider_transfer")
        provider.write({"state": "enabled", "is_published": True, "company_id": self.env.company.id})
        bank_account = self.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": self.env.company.partner_id.id}
        )
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.env.company), ("type", "=", "bank")], limit=1
        )
        journal.bank_account_id = bank_account
        provider.journal_id = journal
        provider.with_context(lang="fr_FR").action_recompute_pending_msg()
        method = self.env.ref("payment_custom.payment_method_wire_transfer")
        method.active = True
        return provider, method

    def _pay_by_transfer(self, route, **extra):
        provider, method = self._transfer_provider()
        values = self.make_jsonrpc_request(
            route,
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "token_id": None,
                "flow": "redirect",
                "tokenization_requested": False,
                "landing_route": "/my/invoices/pay/done",
                "is_validation": False,
                **extra,
            },
        )
        transaction = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        # what /payment/custom/process does when the payer confirms the transfer
        transaction._set_pending()
        return transaction

    def _assert_transfer_instructions(self, transaction, page):
        self.assertEqual(page.status_code, 200)
        text = page.text
        self.assertEqual(transaction.state, "pending")
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", text, "the bank account to pay to")
        self.assertIn("Communication", text)
        self.assertIn(f"<span>{transaction.reference}</span>", text, "the transaction's reference to give")
        self.assertIn("À payer", text)
        self.assertNotIn(">Payé<", text)
        self.assertIn("4\N{NO-BREAK SPACE}000,00", text, "what is to pay on the first invoice")
        self.assertIn("2\N{NO-BREAK SPACE}000,00", text)
        self.assertNotIn("0,00\N{NO-BREAK SPACE}€</span></td>", text.replace("\N{NO-BREAK SPACE}000,00", ""))

    def test_wire_transfer_of_a_selection_shows_bank_details(self):
        self._login("accountant")
        selection = self.first | self.second
        transaction = self._pay_by_transfer("/my/invoices/pay/transaction/" + ",".join(map(str, selection.ids)))
        page = self.url_open(transaction.landing_route)
        self._assert_transfer_instructions(transaction, page)
        self.assertNotIn(f"<span>{self.first.payment_reference}</span>", page.text, "not the first invoice's")

    def test_paid_selection_shows_what_was_paid(self):
        transaction = self._transaction(self.first | self.second)
        self._login("accountant")
        token = payment_utils.generate_access_token(
            transaction.partner_id.id, transaction.amount, transaction.currency_id.id, env=self.env
        )
        url = f"/my/invoices/pay/done?tx_id={transaction.id}&access_token={token}"
        page = self.url_open(url).text
        self.assertIn("Votre paiement est en cours de traitement", page)
        self.assertIn("À payer", page)
        self._pay(transaction)
        page = self.url_open(url).text
        self.assertIn("Merci pour votre paiement", page)
        self.assertIn(">Payé<", page)
        self.assertNotIn("À payer", page)
        self.assertIn("4\N{NO-BREAK SPACE}000,00", page)

    def test_wire_transfer_from_a_guest_link_shows_bank_details(self):
        self.portal_customer.lang = "fr_FR"
        token = (self.first | self.second)._b2b_guest_pay_token()
        self.authenticate(None, None)
        self.url_open(f"{GUEST}/{token}")
        transaction = self._pay_by_transfer(f"{GUEST}/{token}/transaction")
        # a visitor reads the page in the language of its address (the email's link)
        page = self.url_open("/fr" + transaction.landing_route)
        self._assert_transfer_instructions(transaction, page)

    def _csrf(self, url):
        page = self.url_open(url).text
        marker = 'csrf_token: "'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    def test_pay_less_confirmed_reason_chosen(self):
        """Paying less tells the dispute opened and that the rest stays payable; the reason has
        no default (« Choisissez un motif »); the message is the server's, never the address's."""
        self._login("accountant")
        url = self._pay_url(self.first, self.second)
        page = self.url_open(url).text
        self.assertIn('<option value="" selected="selected" disabled="disabled">Choisissez un motif</option>', page)
        data = {
            "csrf_token": self._csrf(url),
            "invoice_ids": f"{self.first.id},{self.second.id}",
            "invoice_id": self.first.id,
            "amount": "3000",
            "description": "Livraison incomplète",
        }
        # no reason chosen: told, nothing written
        response = self.url_open("/my/invoices/pay/less", data=data)
        self.assertIn("Choisissez le motif de la contestation.", response.text)
        self.assertFalse(self.first.b2b_dispute_ids)
        response = self.url_open("/my/invoices/pay/less", data={**data, "reason": "quantity"})
        dispute = self.first.b2b_dispute_ids
        self.assertEqual(dispute.amount, 1000.0)
        self.assertIn(f"disputed={dispute.id}", response.url)
        self.assertIn(
            f"Contestation {dispute.name} ouverte pour 1\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}€ sur "
            f"{self.first.name}\N{NO-BREAK SPACE}; le reste reste à payer.",
            response.text,
        )
        # another user, or another selection, reading the same address: no message
        self._login("approver")
        self.assertNotIn("o_b2b_pay_less_done", self.url_open(url + f"&disputed={dispute.id}").text)
        self._login("accountant")
        self.assertNotIn(
            "o_b2b_pay_less_done", self.url_open(self._pay_url(self.second) + f"&disputed={dispute.id}").text
        )

    def test_viewer_refused_with_the_portal_403_page(self):
        self._login("viewer")
        response = self.url_open(self._pay_url(self.first))
        self.assertEqual(response.status_code, 403)
        self.assertIn("<html", response.text, "Odoo's error page, not plain text")
        self._login("buyer")
        self.assertEqual(
            self.url_open(
                "/my/invoices/pay/less",
                data={
                    "csrf_token": self._csrf(self._pay_url(self.first)),
                    "invoice_ids": str(self.first.id),
                    "invoice_id": self.first.id,
                    "amount": "10",
                    "reason": "price",
                    "description": "x",
                },
            ).status_code,
            403,
        )
        self.assertFalse(self.first.b2b_dispute_ids, "nothing written")

    def test_pay_pages_breadcrumbs(self):
        self._login("accountant")
        page = self.url_open(self._pay_url(self.first, self.second)).text
        self.assertIn('<li class="breadcrumb-item"><a href="/my/invoices">Factures</a></li>', page)
        self.assertIn('<li class="breadcrumb-item active">Payer</li>', page)
        transaction = self._transaction(self.first | self.second)
        token = payment_utils.generate_access_token(
            transaction.partner_id.id, transaction.amount, transaction.currency_id.id, env=self.env
        )
        done = self.url_open(f"/my/invoices/pay/done?tx_id={transaction.id}&access_token={token}").text
        self.assertIn('<li class="breadcrumb-item"><a href="/my/invoices">Factures</a></li>', done)
        self.assertIn('<li class="breadcrumb-item active">Paiement</li>', done)
        # a visitor with the transaction's link: not sent to the invoices (the login page)
        self.authenticate(None, None)
        done = self.url_open(f"/my/invoices/pay/done?tx_id={transaction.id}&access_token={token}").text
        self.assertNotIn('href="/my/invoices"', done)

    def _guest_error(self, token, **params):
        """The message the guest page's dialog shows for the transaction route's refusal."""
        values = payment_form_params(self.provider, self.payment_method, **params)
        before = self.env["payment.transaction"].search_count([])
        response = self.url_open(
            f"{GUEST}/{token}/transaction",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": values}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(self.env["payment.transaction"].search_count([]), before, "nothing written")
        return response.json()["error"]["data"]["message"]

    def test_guest_link_messages_in_the_pages_language(self):
        """A visitor has no language: the guest route answers in the language of the page they
        opened (French here), not in English."""
        self.authenticate(None, None)
        token = (self.first | self.second)._b2b_guest_pay_token()
        self.assertEqual(self.url_open(f"/fr{GUEST}/{token}").status_code, 200)
        saved = self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "partner_id": self.portal_customer.id,
                "payment_details": "4242",
                "provider_ref": "paytxt-saved",
            }
        )
        self.assertEqual(
            self._guest_error(token, flow="token", token_id=saved.id),
            "Les moyens de paiement enregistrés ne peuvent pas être utilisés depuis un lien de paiement.",
        )
        self._dispute(self.first, 4000.0)
        self._dispute(self.second, 2000.0)
        self.assertIn("Il ne reste rien à payer", self._guest_error(token))
        expired = self.env["account.move"]._b2b_guest_pay_signature(self.portal_customer.id, self.first.ids, 1)
        self.assertEqual(
            self._guest_error(f"{self.portal_customer.id}-{self.first.id}-1-{expired}"),
            "Ce lien de paiement a expiré",
        )


@tagged("post_install", "-at_install")
class TestAutopayEmailTexts(B2bAutopayCommon, TransactionCase):
    """The automatic payment emails as the French payer's accountant reads them, sent by the
    daily run (OdooBot) or a billing user: French all through, signed by no user."""

    _b2b_prefix = "paytxtap"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["b2b_customer_portal"], ["fr_FR"], overwrite=True)
        cls.portal_customer.lang = "fr_FR"
        cls.accountant.partner_id.lang = "fr_FR"
        # the daily run is OdooBot's, in English
        cls.odoobot = cls.env.ref("base.user_root")
        cls.odoobot.lang = "en_US"

    def _emails(self, autopay):
        """The emails the accountant receives, newest first, as rendered for them."""
        messages = autopay.message_ids.filtered(lambda message: self.accountant.partner_id in message.partner_ids)
        return self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)], order="id desc")

    def _assert_no_user_signature(self, email):
        self.assertEqual(email.author_id, self.env.company.partner_id, "sent as the company")
        self.assertNotIn("System", email.body_html)
        self.assertNotIn("-- <br>", email.body_html)
        self.assertNotIn("OdooBot", email.body_html)

    def test_announcement_in_french_signed_by_no_user(self):
        big = self._invoice(600.0)
        disputed = self._invoice(300.0)
        self.env["b2b.invoice.dispute"]._b2b_portal_raise(
            disputed, self.accountant.partner_id, "price", 300.0, "Prix faux"
        )
        self._invoice(100.0)
        autopay = self._enrol(cap_invoice="500")
        self.assertTrue(autopay.with_user(self.odoobot).with_context(lang="en_US")._b2b_announce(self.today))
        email = self._emails(autopay)[0]
        # French typography: a no-break space before the colon
        self.assertIn(f"{big.name}&nbsp;: au-delà du plafond par facture", email.body_html)
        self.assertIn(f"{disputed.name}&nbsp;: contestée", email.body_html)
        for english in ("over the cap", "disputed"):
            self.assertNotIn(english, email.body_html)
        self._assert_no_user_signature(email)

    def test_failure_and_pause_in_french_signed_by_no_user(self):
        self._invoice(300.0)
        autopay = self._enrol(token=self._token(self.accountant.partner_id, state="error"))
        run = autopay.with_user(self.odoobot).with_context(lang="en_US")
        run._b2b_announce(self.today)
        for offset in (1, 2, 3):
            run._b2b_run(self.today + timedelta(days=offset))
        self.assertEqual(autopay.state, "paused")
        paused = self._emails(autopay)[0]
        self.assertIn("3 débits échoués d'affilée.", paused.body_html)
        self.assertNotIn("failed charges", paused.body_html)
        for email in self._emails(autopay):
            self._assert_no_user_signature(email)

    def test_paused_by_a_billing_user_in_the_payers_language(self):
        autopay = self._enrol()
        billing = self.users["billing"]
        billing.lang = "en_US"
        autopay.with_user(billing).with_context(lang="en_US").action_b2b_pause()
        email = self._emails(autopay)[0]
        self.assertIn(f"Mis en pause par {billing.name}", email.body_html)
        self._assert_no_user_signature(email)


@tagged("post_install", "-at_install")
class TestAutopayPageTexts(B2bAutopayCommon, HttpCase):
    _b2b_prefix = "paytxtaw"

    def test_caps_help_in_french(self):
        """French typography: no separator left at the edge of a translated term (« EUR; »)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_customer_portal"], ["fr_FR"], overwrite=True)
        self.accountant.partner_id.lang = "fr_FR"
        self.authenticate(self.accountant.login, self.accountant.login + "x" * (8 - len(self.accountant.login)))
        page = self.url_open("/my/autopay").text
        self.assertIn("les montants contestés ne sont jamais débités. Montants en <span>EUR</span>.", page)
        self.assertNotIn("<span>EUR</span>;", page)


@tagged("post_install", "-at_install")
class TestDisputeBackOfficeTexts(B2bDisputeCommon, TransactionCase):
    """The dispute queue as the billing user works it."""

    _b2b_prefix = "paytxtdsp"

    def _assigned_notices(self, dispute, user):
        return self.env["mail.message"].search_count(
            [
                ("model", "=", dispute._name),
                ("res_id", "=", dispute.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )

    def test_review_does_not_assign_the_assignee_again(self):
        dispute = self._raise()
        salesman = self.users["salesman"]
        self.assertEqual(dispute.user_id, salesman)
        notices = self._assigned_notices(dispute, salesman)
        self.assertTrue(notices, "told when the dispute was raised (assignment, activity)")
        dispute.with_user(self.users["billing"]).action_review()
        self.assertEqual(dispute.state, "in_review")
        self.assertEqual(dispute.user_id, salesman)
        self.assertEqual(self._assigned_notices(dispute, salesman), notices, "not told again")

    def test_review_of_an_unassigned_dispute_assigns_the_reviewer(self):
        dispute = self._raise()
        dispute.user_id = False
        billing = self.users["billing"]
        dispute.with_user(billing).action_review()
        self.assertEqual(dispute.user_id, billing)
        # the salesman may not decide
        with self.assertRaises(AccessError):
            self._raise(invoice=self.other_invoice).with_user(self.users["salesman"]).action_review()

    def test_invoice_list_shows_disputed(self):
        """The customer invoices list as the billing user: a Disputed column (shown, optional)
        with the amount disputed on each disputed invoice."""
        self._raise(amount=200.0)
        billing = self.users["billing"]
        Move = self.env["account.move"].with_user(billing)
        view = self.env.ref("account.view_out_invoice_tree")
        arch = Move.get_views([(view.id, "list")])["views"]["list"]["arch"]
        self.assertIn('name="b2b_dispute_amount"', arch)
        self.assertIn('optional="show"', arch.split('name="b2b_dispute_amount"')[1].split("/>")[0])
        rows = Move.web_search_read(
            [("id", "in", (self.invoice | self.other_invoice).ids)],
            {"name": {}, "b2b_disputed": {}, "b2b_dispute_amount": {}},
        )["records"]
        amounts = {row["name"]: (row["b2b_disputed"], row["b2b_dispute_amount"]) for row in rows}
        self.assertEqual(amounts[self.invoice.name], (True, 200.0))
        self.assertEqual(amounts[self.other_invoice.name], (False, 0.0))


@tagged("post_install", "-at_install")
class TestProviderMessagesLanguage(B2bInvoicePayCommon, HttpCase):
    """A database created in French: Odoo wrote the providers' English messages in French, and
    an English invoice page said « Votre paiement a été traité. »."""

    _b2b_prefix = "paytxtlang"

    def test_english_page_says_english(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = self.provider.with_context(lang="fr_FR").default_get(["done_msg"])["done_msg"]
        # as Odoo installs the provider in a French database
        self.provider.with_context(lang="en_US").done_msg = french
        self.provider.with_context(lang="fr_FR").done_msg = french
        self.assertIn(french, self.provider.with_context(lang="en_US").done_msg)
        self.provider._b2b_restore_english_messages()
        self.assertEqual(
            str(self.provider.with_context(lang="en_US").done_msg), "<p>Your payment has been processed.</p>"
        )
        self.assertIn(french, self.provider.with_context(lang="fr_FR").done_msg, "French kept")
        # what the English reader of a paid invoice's page reads
        invoice = self._invoice(price=100.0)
        transaction = self._transaction(invoice)
        self._pay(transaction)
        user = self.portal_users["accountant"]
        user.partner_id.lang = "en_US"
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))
        page = self.url_open(f"/en/my/invoices/{invoice.id}").text
        self.assertIn("Your payment has been processed.", page)
        self.assertNotIn("Votre paiement a été traité", page)
        # a message the company wrote itself is kept
        self.provider.with_context(lang="en_US").done_msg = "<p>Merci !</p>"
        self.provider._b2b_restore_english_messages()
        self.assertEqual(str(self.provider.with_context(lang="en_US").done_msg), "<p>Merci !</p>")
