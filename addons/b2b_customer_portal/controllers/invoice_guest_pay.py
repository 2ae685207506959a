"""The guest "Pay now" link (/my/invoices/pay/guest/<token>): pay, without logging in, exactly
the invoices a signed link covers (one invoice from its email, or every open invoice of a
payer from the statement email). The token is the only access right: it is checked on every
request before anything is read in superuser mode. The page shows those invoices and the
payment form, nothing else of the customer (no saved payment methods, none saved)."""

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.account_move_guest_pay import GUEST_PAY_ROUTE
from .invoice_pay import B2bInvoicePayPortal


class B2bInvoiceGuestPay(B2bInvoicePayPortal):
    def _b2b_guest_pay_refusal(self, status):
        """What a refused link says: (title, message)."""
        env = request.env
        if status == "expired":
            return (
                env._("This payment link has expired"),
                env._(
                    "For your security, payment links are valid for a limited time. Please ask us "
                    "for a new link, or log in to your customer portal to pay your invoices."
                ),
            )
        return (
            env._("This payment link is not valid"),
            env._(
                "The link may be incomplete or altered. Please open it again from the email we "
                "sent you, or ask us for a new one."
            ),
        )

    def _b2b_guest_pay_amounts(self, invoices_sudo):
        """What the link pays now, computed on the server from the invoices by the payment core
        of the logged-in multi-invoice payment (``account.move._b2b_prepare_payment``: Odoo's
        amount for each invoice alone, less what the customer disputes): {'lines': [{'invoice',
        'amount', 'state'}], 'to_pay' (invoices charged), 'amount', 'currency', 'error'}. An
        invoice whose payment is still being processed is shown so and not charged again."""
        payable = invoices_sudo._b2b_guest_pay_payable()
        in_progress = payable._b2b_payment_in_progress()
        amounts, error, total = {}, False, 0.0
        currency = invoices_sudo.currency_id[:1]
        if payable - in_progress:
            try:
                _payer, currency, allocation, total = (payable - in_progress)._b2b_prepare_payment()
            except UserError as exc:
                error = exc.args[0]
            else:
                amounts = {invoice: values["amount"] for invoice, values in allocation.items()}
        lines, to_pay = [], invoices_sudo.browse()
        for invoice in invoices_sudo.sorted(lambda move: (move.invoice_date_due or move.date, move.id)):
            amount = amounts.get(invoice, invoice.amount_residual if error and invoice in payable else 0.0)
            if invoice not in payable:
                state = "paid"
            elif invoice in in_progress:
                state = "processing"
            elif error or invoice.currency_id.is_zero(amount):
                state = "disputed" if invoice.b2b_disputed else "open"
            else:
                state = "open"
                to_pay |= invoice
            lines.append({"invoice": invoice, "amount": amount, "state": state})
        if not error and not to_pay:
            error = (
                in_progress._b2b_payment_in_progress_message()
                if in_progress
                else request.env._("Nothing is left to pay on these invoices for now.")
            )
        return {"lines": lines, "to_pay": to_pay, "amount": total, "currency": currency, "error": error}

    def _b2b_guest_pay_payment_values(self, token, invoices_sudo, pay):
        """Values of Odoo's payment form (``payment.form``) for a guest: the payer's compatible
        providers and methods, never a saved token nor the tokenization checkbox."""
        payer = invoices_sudo[:1]._b2b_receivable_partner()
        company = invoices_sudo.company_id[:1]
        availability_report = {}
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, payer.id, pay["amount"], currency_id=pay["currency"].id, report=availability_report
            )
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids, payer.id, currency_id=pay["currency"].id, report=availability_report
            )
        )
        url = f"{GUEST_PAY_ROUTE}/{token}"
        return {
            "res_company": company,
            "amount": pay["amount"],
            "currency": pay["currency"],
            "partner_id": payer.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": request.env["payment.token"].sudo().browse(),
            "allow_token_selection": False,
            "show_tokenize_input_mapping": dict.fromkeys(providers_sudo.ids, False),
            "availability_report": availability_report,
            "transaction_route": f"{url}/transaction",
            "landing_route": url,
            "access_token": False,
        }

    @http.route(
        f"{GUEST_PAY_ROUTE}/<string:token>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def portal_invoice_guest_pay(self, token, **kw):
        status, invoices_sudo = request.env["account.move"]._b2b_guest_pay_check(token)
        values = {"no_breadcrumbs": True, "page_name": "b2b_guest_pay", "b2b_guest_pay_status": status}
        if status in ("invalid", "expired"):
            title, message = self._b2b_guest_pay_refusal(status)
            values.update({"b2b_guest_pay_title": title, "b2b_guest_pay_message": message})
            return request.render("b2b_customer_portal.portal_invoice_guest_pay_refused", values, status=403)
        pay = self._b2b_guest_pay_amounts(invoices_sudo)
        values.update({"b2b_guest_pay": pay, "b2b_guest_pay_company": invoices_sudo.company_id[:1]})
        if status == "open" and not pay["error"]:
            values.update(self._b2b_guest_pay_payment_values(token, invoices_sudo, pay))
        return request.render("b2b_customer_portal.portal_invoice_guest_pay", values)

    # website: a visitor has no language of their own; the route answers in the page's (the
    # frontend_lang cookie the page set), as Odoo's frontend JSON routes do
    @http.route(f"{GUEST_PAY_ROUTE}/<string:token>/transaction", type="jsonrpc", auth="public", website=True)
    def portal_invoice_guest_pay_transaction(self, token, **kwargs):
        """Create the draft transaction of a guest link and return its processing values,
        through the logged-in selection's payment (``_b2b_pay_transaction``: amounts, payer,
        reference and confirmation page from the invoices, never from the browser) over the
        invoices of the signed link still to pay. No saved payment method is used nor created:
        Odoo would accept any token of the payer's entity. Its messages are in the language
        of the page the payer reads."""
        env = request.env
        status, invoices_sudo = env["account.move"]._b2b_guest_pay_check(token)
        if status in ("invalid", "expired"):
            raise ValidationError(self._b2b_guest_pay_refusal(status)[0])
        # two tabs paying the same invoices: the second reads what the first left
        invoices_sudo._b2b_lock_for_payment()
        pay = self._b2b_guest_pay_amounts(invoices_sudo)
        if status == "paid" or pay["error"]:
            raise ValidationError(pay["error"] or env._("Nothing is left to pay on these invoices for now."))
        if kwargs.get("flow") not in ("redirect", "direct") or kwargs.get("token_id"):
            raise ValidationError(env._("Saved payment methods cannot be used from a payment link."))
        # the form's access token and landing page are not used: the link is the access right,
        # the confirmation page is the link's own (the selection's, with a way back to the link)
        kwargs.pop("access_token", None)
        kwargs.update(
            {
                "token_id": None,
                "tokenization_requested": False,
                "is_validation": False,
                "landing_route": f"{GUEST_PAY_ROUTE}/{token}/done",
            }
        )
        return self._b2b_pay_transaction(pay["to_pay"], **kwargs)

    @http.route(
        f"{GUEST_PAY_ROUTE}/<string:token>/done",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_invoice_guest_pay_done(self, token, tx_id=None, access_token=None, **kw):
        """The confirmation page of a payment made from a guest link (the transaction's own
        token is the access right), linking back to the link's page while the link is valid
        and covers what the transaction paid; without a link otherwise."""
        tx_sudo = self._b2b_pay_done_transaction(tx_id, access_token)
        status, invoices_sudo = request.env["account.move"]._b2b_guest_pay_check(token)
        back_url = None
        if status in ("open", "paid") and tx_sudo.invoice_ids <= invoices_sudo:
            back_url = f"{GUEST_PAY_ROUTE}/{token}"
        return self._b2b_render_pay_done(tx_sudo, back_url, no_breadcrumbs=True, b2b_back_to_link=True)
