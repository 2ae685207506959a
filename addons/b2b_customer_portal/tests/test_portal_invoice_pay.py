"""/my/invoices/pay (issue 15): the selection's payment page and its transaction route, as each
portal role, another payer's user and a guest; amounts from the server only."""

import json
from unittest.mock import patch

from odoo import fields
from odoo.addons.b2b_customer_portal.tests.common import open_counting_queries, payment_form_params
from odoo.addons.b2b_customer_portal.tests.test_invoice_pay_allocation import B2bInvoicePayCommon
from odoo.tests import HttpCase, JsonRpcException, tagged


@tagged("post_install", "-at_install")
class TestPortalInvoicePay(B2bInvoicePayCommon, HttpCase):
    _b2b_prefix = "pay15h"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._invoice(price=1000.0)
        cls.second = cls._invoice(price=500.0)
        cls.foreign = cls._invoice(partner=cls.other_portal_customer, price=700.0)

    def _login(self, role):
        user = self.portal_users[role]
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _pay_url(self, *invoices):
        return "/my/invoices/pay?invoice_ids=" + ",".join(str(invoice.id) for invoice in invoices)

    def _pay_transaction(self, invoices, **extra):
        return self.make_jsonrpc_request(
            "/my/invoices/pay/transaction/" + ",".join(str(i) for i in invoices.ids), self._transaction_params(**extra)
        )

    def _transaction_params(self, **extra):
        return payment_form_params(self.provider, self.payment_method, **extra)

    def test_accountant_pays_two_invoices(self):
        self._dispute(self.second, 100.0)
        self._login("accountant")
        page = self.url_open(self._pay_url(self.first, self.second))
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_b2b_invoice_pay_table", page.text)
        self.assertIn("1,400.00", page.text, "1,000 + 500 less the 100 disputed")
        self.assertIn("o_payment_form", page.text, "Odoo's payment form")
        # the browser's amount and partner are ignored
        values = self._pay_transaction(
            self.first | self.second, amount=1.0, partner_id=self.other_portal_customer.id, currency_id=False
        )
        transaction = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        self.assertEqual(transaction.amount, 1400.0)
        self.assertEqual(transaction.partner_id, self.portal_customer.commercial_partner_id)
        self.assertEqual(transaction.invoice_ids, self.first | self.second)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": values["reference"], "payment_details": "4242", "simulated_state": "done"},
        )
        transaction._post_process()
        self.assertEqual(self.first.payment_state, self.second.payment_state and self.first.payment_state)
        self.assertEqual(self.first.amount_residual, 0.0)
        self.assertEqual(self.second.amount_residual, 100.0, "the disputed part stays due")
        # the remittance reaches the accountant who paid
        remittance = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.portal_users["accountant"].partner_id.ids),
                ("subject", "ilike", "your payment"),
            ]
        )
        self.assertEqual(len(remittance), 1)
        self.assertIn(self.first.name, remittance.body_html)
        self.assertIn(self.second.name, remittance.body_html)
        self.assertIn("400.00", remittance.body_html)
        done = self.url_open(transaction.landing_route)
        self.assertEqual(done.status_code, 200)
        self.assertIn(self.first.name, done.text)
        self.assertIn("400.00", done.text)
        self.assertIn('href="/my/invoices"', done.text, "back to the invoices")
        self.assertIn("o_b2b_pay_done_back", done.text)
        # the same selection again: nothing left but the disputed amount
        page = self.url_open(self._pay_url(self.first, self.second))
        self.assertIn("nothing left to pay", page.text)

    def test_two_tabs_at_once_told_payment_in_progress(self):
        """Two tabs posting at the same moment: the second chose its reference before the
        first's transaction was visible (the same reference): told the payment is in progress,
        in French, instead of the database's uniqueness error; nothing more written."""
        self.portal_users["accountant"].partner_id.lang = "fr_FR"
        self._login("accountant")
        first = self._pay_transaction(self.first)
        Transaction = type(self.env["payment.transaction"])
        before = self.env["payment.transaction"].search_count([])
        with patch.object(Transaction, "_compute_reference", lambda self, *args, **kwargs: first["reference"]):
            response = self.url_open(
                f"/my/invoices/pay/transaction/{self.first.id}",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": self._transaction_params()}),
                headers={"Content-Type": "application/json"},
            )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        message = error["message"]
        self.assertIn("est déjà en cours de traitement", message)
        self.assertNotIn("unique", message.lower())
        self.assertEqual(self.env["payment.transaction"].search_count([]), before)

    def test_buyer_and_approver_pay_viewer_refused(self):
        for role in ("buyer", "approver"):
            self._login(role)
            self.assertEqual(self.url_open(self._pay_url(self.first)).status_code, 200, role)
        self._login("viewer")
        self.assertEqual(self.url_open(self._pay_url(self.first)).status_code, 403)
        with self.assertRaises(JsonRpcException):
            self._pay_transaction(self.first)
        self.assertFalse(self.first.transaction_ids)

    def test_other_payer_invoice_refused(self):
        self._login("accountant")
        self.assertEqual(self.url_open(self._pay_url(self.first, self.foreign)).status_code, 404)
        with self.assertRaises(JsonRpcException):
            self._pay_transaction(self.first | self.foreign)
        self.assertFalse((self.first | self.foreign).transaction_ids, "nothing written")
        self._login("other_buyer")
        self.assertEqual(self.url_open(self._pay_url(self.first)).status_code, 404)

    def test_page_queries_do_not_grow_with_the_invoices(self):
        few = self.first | self.second | self._invoice(price=10.0)
        many = few | self.env["account.move"].union(*(self._invoice(price=10.0 + i) for i in range(12)))
        self._dispute(self.first, 10.0)
        self._login("accountant")
        self.url_open(self._pay_url(*few))  # warm the caches of the first rendering
        few_queries, _response = open_counting_queries(self, self._pay_url(*few))
        many_queries, response = open_counting_queries(self, self._pay_url(*many))
        self.assertIn(many[-1].name, response.text)
        self.assertLessEqual(many_queries, few_queries + 5, f"{few_queries} for 3 invoices, {many_queries} for 15")

    def test_too_many_invoices_told(self):
        self._login("accountant")
        page = self.url_open("/my/invoices/pay?invoice_ids=" + ",".join(str(i) for i in range(1, 202)))
        self.assertEqual(page.status_code, 200)
        self.assertIn("at most 200 invoices", page.text)
        self.assertIn("Select the invoices to pay", self.url_open("/my/invoices/pay").text)

    def test_guest_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open(self._pay_url(self.first), allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        with self.assertRaises(JsonRpcException):
            self._pay_transaction(self.first)
        self.assertFalse(self.first.transaction_ids)

    def test_mixed_currencies_refused_with_message(self):
        other = self.env["res.currency"].search(
            [("id", "!=", self.env.company.currency_id.id), ("name", "in", ("USD", "EUR"))], limit=1
        )
        other.active = True
        foreign_currency = self._invoice(price=50.0, currency_id=other.id)
        self._login("accountant")
        page = self.url_open(self._pay_url(self.first, foreign_currency))
        self.assertEqual(page.status_code, 200)
        self.assertIn("different currencies", page.text)
        self.assertNotIn("o_payment_form", page.text)

    def test_landing_page_needs_the_transaction_token(self):
        self._login("accountant")
        values = self._pay_transaction(self.first | self.second)
        transaction = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        self.assertEqual(self.url_open(f"/my/invoices/pay/done?tx_id={transaction.id}&access_token=x").status_code, 404)
        self.assertEqual(self.url_open(transaction.landing_route).status_code, 200)

    def test_invoice_list_has_pay_selection(self):
        self._login("accountant")
        self.assertIn("o_b2b_invoice_pay", self.url_open("/my/invoices").text)
        self._login("viewer")
        self.assertNotIn("o_b2b_invoice_pay", self.url_open("/my/invoices").text)

    def _csrf(self, url):
        page = self.url_open(url).text
        marker = 'csrf_token: "'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    def _pay_less(self, invoice, amount, description="Livraison incomplète", csrf=True, selection=None):
        selection = selection or (self.first | self.second)
        data = {
            "invoice_ids": ",".join(str(i) for i in selection.ids),
            "invoice_id": invoice.id,
            "amount": amount,
            "reason": "quantity",
            "description": description,
        }
        if csrf:
            data["csrf_token"] = self._csrf(self._pay_url(*selection))
        return self.url_open("/my/invoices/pay/less", data=data)

    def test_accountant_pays_less_with_a_reason(self):
        self._login("accountant")
        response = self._pay_less(self.first, 600)
        self.assertEqual(response.status_code, 200)
        dispute = self.first.b2b_dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual((dispute.amount, dispute.reason, dispute.state), (400.0, "quantity", "open"))
        self.assertEqual(dispute.raised_by_id, self.portal_users["accountant"].partner_id)
        self.assertIn("1,100.00", response.text, "600 + 500 now asked")
        values = self._pay_transaction(self.first | self.second)
        self.assertEqual(
            self.env["payment.transaction"].search([("reference", "=", values["reference"])]).amount, 1100.0
        )

    def test_pay_less_refused_without_reason_or_role(self):
        self._login("accountant")
        response = self._pay_less(self.first, 600, description=" ")
        self.assertIn("o_b2b_pay_less_error", response.text)
        response = self._pay_less(self.first, 1000)
        self.assertIn("less than", response.text)
        self.assertEqual(self.url_open("/my/invoices/pay/less", data={"invoice_id": self.first.id}).status_code, 400)
        self._login("buyer")
        self.assertNotIn("o_b2b_pay_less", self.url_open(self._pay_url(self.first)).text)
        self.assertEqual(self._pay_less(self.first, 600).status_code, 403)
        self._login("other_buyer")
        self.assertEqual(
            self._pay_less(self.foreign, 100, selection=self.foreign, csrf=False).status_code, 400, "no CSRF"
        )
        self.assertFalse((self.first | self.foreign).b2b_dispute_ids, "nothing written")

    def test_statement_pay_all_open_and_disputed(self):
        self._dispute(self.second, 150.0)
        refund = self._invoice(price=50.0, move_type="out_refund")
        self._login("accountant")
        page = self.url_open("/my/statement").text
        self.assertIn("o_b2b_statement_disputed", page)
        self.assertIn("150.00", page)
        start = page.index('href="/my/invoices/pay?invoice_ids=') + len('href="')
        url = page[start : page.index('"', start)]
        ids = {int(i) for i in url.split("=", 1)[1].split(",")}
        self.assertTrue({self.first.id, self.second.id, refund.id} <= ids)
        self.assertNotIn(self.foreign.id, ids)
        pay_page = self.url_open(url)
        self.assertEqual(pay_page.status_code, 200)
        self.assertIn("1,300.00", pay_page.text, "1,000 + 500 - 150 disputed - 50 credit note")

    def test_statement_pay_all_hidden_when_all_open_is_disputed(self):
        self._dispute(self.first, 1000.0)
        self._login("accountant")
        page = self.url_open("/my/statement").text
        self.assertIn("o_b2b_statement_pay_all", page, "the second invoice is still to pay")
        self._dispute(self.second, 500.0)
        page = self.url_open("/my/statement").text
        self.assertIn("o_b2b_statement_disputed", page)
        self.assertNotIn("o_b2b_statement_pay_all", page, "everything open is disputed: nothing to pay")


@tagged("post_install", "-at_install")
class TestPortalDisputedNotCharged(B2bInvoicePayCommon, HttpCase):
    """Odoo's own "Pay" of one invoice and "pay all overdue" never charge a disputed amount."""

    _b2b_prefix = "pay15d"

    def _login(self, role):
        user = self.portal_users[role]
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _odoo_transaction(self, route, **params):
        values = self.make_jsonrpc_request(
            route,
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "token_id": None,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/my/invoices",
                "is_validation": False,
                **params,
            },
        )
        return self.env["payment.transaction"].search([("reference", "=", values["reference"])])

    def test_single_invoice_pay_caps_at_undisputed(self):
        self.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        invoice = self._invoice(price=1000.0)
        self._dispute(invoice, 300.0)
        self._login("accountant")
        page = self.url_open(f"/my/invoices/{invoice.id}?payment=True").text
        self.assertIn("700.00", page)
        with self.assertRaises(JsonRpcException, msg="the disputed 300 is not charged: 1,000 is not offered"):
            self._odoo_transaction(f"/invoice/transaction/{invoice.id}", access_token=None, amount=1000.0)
        self.assertFalse(invoice.transaction_ids)
        transaction = self._odoo_transaction(f"/invoice/transaction/{invoice.id}", access_token=None, amount=700.0)
        self.assertEqual(transaction.amount, 700.0, "the disputed 300 is not charged")
        # wholly disputed: nothing to pay
        other = self._invoice(price=200.0)
        self._dispute(other, 200.0)
        self.assertFalse(other._has_to_be_paid())
        self.assertTrue(self._invoice(price=10.0)._has_to_be_paid())

    def test_overdue_pays_what_is_due_less_disputes(self):
        self.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        contact = self.portal_users["accountant"].partner_id
        past = fields.Date.add(fields.Date.today(), days=-5)
        late = self._invoice(partner=contact, price=1000.0, invoice_date_due=past)
        late_disputed = self._invoice(partner=contact, price=500.0, invoice_date_due=past)
        self._dispute(late_disputed, 200.0)
        self._login("accountant")
        page = self.url_open("/my/invoices/overdue")
        self.assertEqual(page.status_code, 200)
        self.assertIn("1,300.00", page.text)
        transaction = self._odoo_transaction("/invoice/transaction/overdue", payment_reference="OVERDUE", amount=1500.0)
        self.assertEqual(transaction.amount, 1300.0)
        self.assertEqual(transaction.invoice_ids, late | late_disputed)


@tagged("post_install", "-at_install")
class TestPortalInvoicePayTour(B2bInvoicePayCommon, HttpCase):
    _b2b_prefix = "pay15t"

    def test_tour_pay_two_invoices(self):
        first = self._invoice(price=1000.0)
        second = self._invoice(price=500.0)
        accountant = self.portal_users["accountant"]
        self.start_tour("/my/invoices", "b2b_customer_portal_invoice_pay", login=accountant.login)
        transaction = first.transaction_ids
        self.assertEqual(transaction.invoice_ids, first | second)
        self.assertEqual(transaction.state, "done")
        self.assertEqual((first.amount_residual, second.amount_residual), (0.0, 0.0))
        self.assertEqual(len(transaction.payment_id), 1)
