"""Money and security defects of the invoice payments found by an outsider trying the demo
(issue 15), each tested as the user who did it and the one who must be refused: a saved card
used by another contact, the viewer paying, an amount nobody offered, a landing route off the
site, malformed amounts and parameters, the same invoice charged twice."""

import json

from odoo import fields
from odoo.addons.b2b_customer_portal.models.account_move_guest_pay import GUEST_PAY_ROUTE
from odoo.addons.b2b_customer_portal.tests.common import payment_form_params
from odoo.addons.b2b_customer_portal.tests.test_invoice_pay_allocation import B2bInvoicePayCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInvoicePaySecurity(B2bInvoicePayCommon, HttpCase):
    _b2b_prefix = "paysec"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        cls.first = cls._invoice(price=1000.0)
        cls.second = cls._invoice(price=500.0)

    def _login(self, role):
        user = self.portal_users[role]
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _params(self, **extra):
        params = payment_form_params(self.provider, self.payment_method, **extra)
        return {key: value for key, value in params.items() if value != "<missing>"}

    def _rpc(self, url, **params):
        """Post a transaction route as the payment form does: (result, error) with the error's
        exception name and message (what the customer reads)."""
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": self._params(**params)}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        if "error" in body:
            return None, (body["error"]["data"]["name"], body["error"]["data"]["message"])
        return body["result"], None

    def _pay_route(self, *invoices):
        return "/my/invoices/pay/transaction/" + ",".join(str(invoice.id) for invoice in invoices)

    def _tx(self, result):
        return self.env["payment.transaction"].search([("reference", "=", result["reference"])])

    def _count(self):
        return self.env["payment.transaction"].search_count([])

    def _token(self, partner):
        return self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "partner_id": partner.id,
                "payment_details": "4242",
                "provider_ref": f"paysec-{partner.id}",
                "demo_simulated_state": "done",
            }
        )

    # ------------------------------------------------------------------
    # 5. landing route from the browser
    # ------------------------------------------------------------------
    def test_landing_route_is_the_servers(self):
        self._login("accountant")
        result, error = self._rpc(self._pay_route(self.first), landing_route="https://evil.example/x")
        self.assertFalse(error)
        transaction = self._tx(result)
        self.assertTrue(transaction.landing_route.startswith("/my/invoices/pay/done?tx_id="))
        self.assertNotIn("evil", transaction.landing_route)
        # Odoo's own route of one invoice: a landing route off the site is refused, nothing written
        before = self._count()
        for landing in ("https://evil.example/x", "//evil.example/x", "/\\evil.example"):
            _result, error = self._rpc(
                f"/invoice/transaction/{self.second.id}", access_token=None, amount=500.0, landing_route=landing
            )
            self.assertTrue(error, landing)
        self.assertEqual(self._count(), before)

    # ------------------------------------------------------------------
    # 8. missing or repeated parameters
    # ------------------------------------------------------------------
    def test_missing_token_and_repeated_ids(self):
        self._login("accountant")
        result, error = self._rpc(self._pay_route(self.first, self.first), token_id="<missing>")
        self.assertFalse(error, "no token_id in a direct payment: not needed")
        self.assertEqual(self._tx(result).invoice_ids, self.first, "23,23 is invoice 23 once")
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.second.id},{self.second.id}")
        self.assertEqual(page.status_code, 200)
        before = self._count()
        _result, error = self._rpc(self._pay_route(self.second), flow="token", token_id="<missing>")
        self.assertEqual(error[0], "odoo.exceptions.ValidationError")
        self.assertIn("saved payment method", error[1])
        _result, error = self._rpc(self._pay_route(self.second), flow="<missing>", provider_id="<missing>")
        self.assertEqual(error[0], "odoo.exceptions.ValidationError")
        self.assertNotIn("TypeError", error[1])
        _result, error = self._rpc("/my/invoices/pay/transaction/abc,")
        self.assertEqual(error[0], "odoo.exceptions.ValidationError")
        self.assertEqual(self._count(), before, "nothing written")

    # ------------------------------------------------------------------
    # 6. pay less with nan / inf
    # ------------------------------------------------------------------
    def _csrf(self, url):
        page = self.url_open(url).text
        marker = 'csrf_token: "'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    def test_pay_less_non_finite_amounts(self):
        self.portal_users["accountant"].partner_id.lang = "fr_FR"
        self._login("accountant")
        url = f"/my/invoices/pay?invoice_ids={self.first.id}"
        csrf = self._csrf(url)
        for amount in ("nan", "inf", "-inf", "1e400", "NaN"):
            response = self.url_open(
                "/my/invoices/pay/less",
                data={
                    "invoice_ids": str(self.first.id),
                    "invoice_id": self.first.id,
                    "amount": amount,
                    "reason": "quantity",
                    "description": "Manque",
                    "csrf_token": csrf,
                },
            )
            self.assertEqual(response.status_code, 200, amount)
            self.assertIn("o_b2b_pay_less_error", response.text, amount)
            self.assertIn("Saisissez le montant", response.text, amount)
        self.assertFalse(self.first.b2b_dispute_ids, "nothing written")

    # ------------------------------------------------------------------
    # 2. another contact's saved payment method
    # ------------------------------------------------------------------
    def test_buyer_cannot_charge_the_accountants_card(self):
        card = self._token(self.portal_users["accountant"].partner_id)
        payer_card = self._token(self.portal_customer)
        self._login("buyer")
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.first.id}")
        self.assertNotIn(f'data-payment-option-id="{card.id}"', page.text)
        before = self._count()
        for token in (card, payer_card):
            _result, error = self._rpc(self._pay_route(self.first), flow="token", token_id=token.id)
            self.assertEqual(error[0], "odoo.exceptions.AccessError", token.partner_id.name)
            _result, error = self._rpc(
                f"/invoice/transaction/{self.first.id}",
                access_token=None,
                amount=1000.0,
                flow="token",
                token_id=token.id,
                landing_route=self.first.get_portal_url(),
            )
            self.assertEqual(error[0], "odoo.exceptions.AccessError")
        self.assertEqual(self._count(), before, "nothing written")
        self.assertFalse(self.first.transaction_ids)
        # the accountant pays with the card saved, and with the payer's own
        self._login("accountant")
        result, error = self._rpc(self._pay_route(self.first), flow="token", token_id=card.id)
        self.assertFalse(error)
        self.assertEqual(self._tx(result).token_id, card)
        self.assertEqual(self._tx(result).state, "done")
        result, error = self._rpc(self._pay_route(self.second), flow="token", token_id=payer_card.id)
        self.assertFalse(error)
        # another customer's buyer: never
        self._login("other_buyer")
        other_invoice = self._invoice(partner=self.other_portal_customer, price=50.0)
        _result, error = self._rpc(self._pay_route(other_invoice), flow="token", token_id=card.id)
        self.assertEqual(error[0], "odoo.exceptions.AccessError")
        self.assertFalse(other_invoice.transaction_ids)

    # ------------------------------------------------------------------
    # 3. the viewer pays nothing, by any path
    # ------------------------------------------------------------------
    def test_viewer_refused_on_every_pay_path(self):
        self._login("viewer")
        page = self.url_open(f"/my/invoices/{self.first.id}")
        self.assertEqual(page.status_code, 200, "the viewer reads the invoice")
        self.assertNotIn("Pay Now", page.text)
        self.assertNotIn("o_payment_form", page.text)
        invoices = self.url_open("/my/invoices").text
        self.assertNotIn(f"/my/invoices/{self.first.id}?payment=True", invoices.replace("&amp;", "&"))
        before = self._count()
        _result, error = self._rpc(f"/invoice/transaction/{self.first.id}", access_token=None, amount=1000.0)
        self.assertTrue(error)
        _result, error = self._rpc("/invoice/transaction/overdue", payment_reference="X", amount=1000.0)
        self.assertTrue(error)
        self.assertEqual(self._count(), before, "nothing written")
        overdue = self.url_open("/my/invoices/overdue", allow_redirects=False)
        self.assertEqual(overdue.status_code, 303)
        # an overdue invoice: no "Pay overdue" for the viewer, on the list nor on /my
        self._invoice(price=80.0, invoice_date_due=fields.Date.add(fields.Date.today(), days=-5))
        self.assertNotIn("/my/invoices/overdue", self.url_open("/my/invoices").text)
        # the card of /my shows once its count is above 0
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["overdue_invoice_count"]})
        self.assertEqual(counters["overdue_invoice_count"], 0)
        # the buyer pays on Odoo's invoice page, and is offered the overdue ones
        self._login("buyer")
        self.assertIn("/my/invoices/overdue", self.url_open("/my/invoices").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["overdue_invoice_count"]})
        self.assertEqual(counters["overdue_invoice_count"], 1)
        page = self.url_open(f"/my/invoices/{self.first.id}")
        self.assertIn("Pay Now", page.text)
        self.assertIn("o_payment_form", page.text)
        result, error = self._rpc(f"/invoice/transaction/{self.first.id}", access_token=None, amount=1000.0)
        self.assertFalse(error)
        self.assertEqual(self._tx(result).amount, 1000.0)

    # ------------------------------------------------------------------
    # 4. only an amount Odoo offers, not while a payment is in progress
    # ------------------------------------------------------------------
    def test_single_invoice_amount_must_be_offered(self):
        invoice = self._invoice(price=1000.0)
        self.portal_users["accountant"].partner_id.lang = "fr_FR"
        self._login("accountant")
        before = self._count()
        for amount in (1.0, 999.99, 1000.01, None):
            _result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=amount)
            self.assertEqual(error and error[0], "odoo.exceptions.ValidationError", amount)
        self.assertIn("Payer moins", error[1])
        self.assertEqual(self._count(), before, "nothing written")
        result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=1000.0)
        self.assertFalse(error)
        self.assertEqual(self._tx(result).amount, 1000.0)
        # started a moment ago: a second payment is refused, saying since when
        _result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=1000.0)
        self.assertIn("a été commencé à", error[1])
        self.assertEqual(len(invoice.transaction_ids), 1)

    def test_disputed_invoice_offers_only_the_undisputed_amount(self):
        invoice = self._invoice(price=1000.0)
        self._dispute(invoice, 99.0)
        self._login("accountant")
        _result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=1000.0)
        self.assertTrue(error, "the disputed 99 is not payable")
        result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=901.0)
        self.assertFalse(error)
        self.assertEqual(self._tx(result).amount, 901.0)

    # ------------------------------------------------------------------
    # 1. the same invoices charged twice: a second transaction refused while one is recent
    # ------------------------------------------------------------------
    def test_second_transaction_refused_while_the_first_is_recent(self):
        self.portal_users["accountant"].partner_id.lang = "fr_FR"
        self._login("accountant")
        first, error = self._rpc(self._pay_route(self.first, self.second))
        self.assertFalse(error)
        before = self._count()
        _result, error = self._rpc(self._pay_route(self.first, self.second))
        self.assertEqual(error[0], "odoo.exceptions.ValidationError")
        self.assertIn("a été commencé à", error[1])
        self.assertIn("est déjà en cours de traitement", error[1])
        self.assertEqual(self._count(), before, "nothing written")
        page = self.url_open(f"/my/invoices/pay?invoice_ids={self.first.id},{self.second.id}")
        self.assertIn("a été commencé à", page.text)
        self.assertNotIn("o_payment_form", page.text)
        # abandoned at the provider: it can be made again 15 minutes later
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = create_date - interval '16 minutes' WHERE id = %s",
            [self._tx(first).id],
        )
        self.env["payment.transaction"].invalidate_model(["create_date"])
        _result, error = self._rpc(self._pay_route(self.first, self.second))
        self.assertFalse(error)

    # ------------------------------------------------------------------
    # 7. the batch reference: taken once, by the transaction, carried by the payment
    # ------------------------------------------------------------------
    def test_pay_page_takes_no_batch_reference(self):
        sequence = self.env.company.batch_payment_sequence_id
        # the first number of the year creates its range: take one so that the range exists
        self.env.company.get_next_batch_payment_communication()

        def next_number():
            sequence.invalidate_recordset()
            current = sequence._get_current_sequence()
            current.invalidate_recordset()
            return current.number_next_actual

        self._login("accountant")
        before = next_number()
        url = f"/my/invoices/pay?invoice_ids={self.first.id},{self.second.id}"
        for _visit in range(3):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertIn("o_payment_form", page.text)
        self.assertEqual(next_number(), before, "visiting the page takes no number")
        result, error = self._rpc(self._pay_route(self.first, self.second))
        self.assertFalse(error)
        self.assertEqual(next_number(), before + 1, "the transaction takes one")
        transaction = self._tx(result)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": transaction.reference, "payment_details": "4242", "simulated_state": "done"},
        )
        transaction._post_process()
        self.assertTrue(transaction.payment_id.memo.startswith(transaction.reference))
        done = self.url_open(transaction.landing_route)
        self.assertIn(transaction.reference, done.text, "the number shown is the payment's")

    # ------------------------------------------------------------------
    # 1. booking: never beyond what is due nor against a disputed amount; the rest is the
    # payer's credit, with a "to do" for the billing team, said in the email and on the page
    # ------------------------------------------------------------------
    def _age(self, transaction, minutes=16):
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = create_date - %s * interval '1 minute' WHERE id = %s",
            [minutes, transaction.id],
        )
        transaction.invalidate_recordset(["create_date"])

    def _confirm(self, transaction):
        transaction._process("demo", {"reference": transaction.reference, "simulated_state": "done"})
        transaction._post_process()
        return transaction.payment_id

    def _credit_activity(self, payment):
        return self.env["mail.activity"].search([("res_model", "=", "account.payment"), ("res_id", "=", payment.id)])

    def test_second_payment_kept_as_credit_said_and_followed_up(self):
        accountant = self.portal_users["accountant"]
        accountant.partner_id.lang = "fr_FR"
        self._login("accountant")
        result, _error = self._rpc(self._pay_route(self.first, self.second))
        first_tab = self._tx(result)
        # started more than 15 minutes ago (abandoned at the provider, confirmed late)
        self._age(first_tab)
        result, error = self._rpc(self._pay_route(self.first, self.second))
        self.assertFalse(error)
        second_tab = self._tx(result)
        first_payment = self._confirm(first_tab)
        self.assertFalse(self._credit_activity(first_payment), "nothing kept: nothing to do")
        self.assertEqual(first_tab._b2b_kept_as_credit(), 0.0)
        payment = self._confirm(second_tab)
        self.assertEqual((self.first | self.second).mapped("amount_residual"), [0.0, 0.0], "never overpaid")
        self.assertEqual(second_tab._b2b_kept_as_credit(), 1500.0)
        activity = self._credit_activity(payment)
        self.assertEqual(len(activity), 1)
        self.assertIn("1", activity.summary)
        remittance = self.env["mail.mail"].search(
            [("recipient_ids", "in", accountant.partner_id.ids), ("subject", "ilike", second_tab.reference)]
        )
        self.assertEqual(len(remittance), 1)
        self.assertIn("conservé comme avoir sur votre compte", remittance.body_html)
        # the invoices it settled nothing on are not listed as paid 0,00: one row, the credit
        self.assertNotIn(self.first.name, remittance.body_html)
        self.assertNotIn(self.second.name, remittance.body_html)
        self.assertIn("Conservé comme avoir sur votre compte", remittance.body_html)
        done = self.url_open(second_tab.landing_route)
        table = done.text.split("o_b2b_pay_done_table", 1)[1].split("</table>", 1)[0]
        self.assertNotIn(self.first.name, table)
        self.assertIn("o_b2b_pay_done_credit_row", table)
        self.assertIn('o_b2b_pay_done_credit"', done.text)
        credit = done.text.split('o_b2b_pay_done_credit"', 1)[1][:500]
        self.assertIn("1\xa0500,00", credit)
        self.assertIn("conservé comme avoir sur votre compte", credit)
        done_first = self.url_open(first_tab.landing_route)
        self.assertNotIn("o_b2b_pay_done_credit", done_first.text)

    def test_invoice_route_tells_nothing_without_access(self):
        """Odoo's one-invoice route: a visitor with a wrong token and another customer's buyer
        are told the token is invalid, never the invoice's number, amounts or a payment in
        progress, and nothing is written (the invoice is not locked either)."""
        invoice = self._invoice(price=450.0)
        self._login("accountant")
        _result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=450.0)
        self.assertFalse(error)
        before = self._count()
        written = invoice.write_date
        for login in (None, "other_buyer"):
            if login:
                self._login(login)
            else:
                self.authenticate(None, None)
            for amount in (1.0, 450.0):
                _result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token="bogus", amount=amount)
                self.assertTrue(error, login)
                self.assertNotIn(invoice.name, error[1])
                self.assertNotIn("450", error[1])
        self.assertEqual(self._count(), before, "nothing written")
        invoice.invalidate_recordset(["write_date"])
        self.assertEqual(invoice.write_date, written, "not locked by an outsider")

    def test_guest_told_in_the_pages_language(self):
        """A guest paying from the invoice's link (or Odoo's payment link, which may ask a
        partial amount) pays Odoo's amount, but never the disputed part; answered in the
        language of the French page, and not told to use Pay less (a guest has no list)."""
        invoice = self._invoice(price=5000.0)
        self._dispute(invoice, 1000.0)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.authenticate(None, None)
        self.opener.cookies["frontend_lang"] = "fr_FR"
        token = invoice._portal_ensure_token()
        before = self._count()
        _result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=token, amount=4500.0)
        self.assertIn("Vous pouvez payer au plus", error[1])
        self.assertNotIn("Payer moins", error[1])
        self.assertEqual(self._count(), before, "nothing written")
        result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=token, amount=1500.0)
        self.assertFalse(error)
        self.assertEqual(self._tx(result).amount, 1500.0, "a partial amount of a link stays possible")

    def test_overdue_route_with_nothing_overdue(self):
        """Odoo's overdue route fails on an empty list: the payer is told there is nothing."""
        self._login("other_buyer")
        _result, error = self._rpc("/invoice/transaction/overdue", payment_reference="X")
        self.assertEqual(error[0], "odoo.exceptions.ValidationError")
        self.assertIn("no overdue invoice", error[1])

    def test_wire_transfer_instructions_written_at_install(self):
        """Installed in the same run as account_payment, Odoo's wire transfer had no instructions:
        the customer who chose it was given no bank account."""
        provider = self.env.ref("payment.payment_provider_transfer", raise_if_not_found=False)
        if not provider or "custom_mode" not in provider._fields:
            self.skipTest("payment_custom (wire transfer) is not installed")
        self.assertTrue(provider.with_context(lang="en_US").pending_msg)
        self.assertIn("transfer details", provider.with_context(lang="en_US").pending_msg)

    def test_second_payment_never_settles_a_disputed_amount(self):
        invoice = self._invoice(price=999.0)
        dispute = self._dispute(invoice, 99.0)
        self._login("accountant")
        result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=900.0)
        self.assertFalse(error)
        first_tab = self._tx(result)
        self._age(first_tab)
        result, error = self._rpc(f"/invoice/transaction/{invoice.id}", access_token=None, amount=900.0)
        self.assertFalse(error)
        second_tab = self._tx(result)
        self._confirm(first_tab)
        self.assertEqual(invoice.amount_residual, 99.0)
        payment = self._confirm(second_tab)
        self.assertEqual(invoice.amount_residual, 99.0, "the disputed 99 is still owed, not settled")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(dispute.state, "open")
        self.assertEqual(second_tab._b2b_kept_as_credit(), 900.0)
        self.assertEqual(len(self._credit_activity(payment)), 1)

    def test_guest_link_second_payment_refused_while_the_first_is_recent(self):
        """The guest link: a second transaction (a second reference, FAC/...-1) of the same
        invoice is refused while the first one is recent, saying since when; nothing written."""
        invoice = self._invoice(price=640.80)
        token = invoice._b2b_guest_pay_token()
        self.authenticate(None, None)
        result, error = self._rpc(f"{GUEST_PAY_ROUTE}/{token}/transaction", landing_route="/elsewhere")
        self.assertFalse(error)
        self.assertEqual(self._tx(result).amount, 640.80)
        before = self._count()
        _result, error = self._rpc(f"{GUEST_PAY_ROUTE}/{token}/transaction")
        self.assertEqual(error[0], "odoo.exceptions.ValidationError")
        self.assertIn("was started at", error[1])
        self.assertEqual(self._count(), before, "nothing written")
        page = self.url_open(f"{GUEST_PAY_ROUTE}/{token}")
        self.assertNotIn("o_payment_form", page.text)
        self.assertIn("was started at", page.text)
