"""/my/autopay: the payer's accountant saves a payment method (Odoo's payment form in
validation mode: the provider tokenizes it) and turns automatic payment on, changes its terms
or turns it off. Every other user is refused (403)."""

from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.addons.payment import utils as payment_utils
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import float_repr

from ..models.b2b_autopay import B2bAutopayInputError

AUTOPAY_URL = "/my/autopay"


def _b2b_amount_input(amount, currency):
    """An amount as the value of a number input: no trailing zeros (5000, 12.5); empty for zero,
    which means no cap."""
    if not amount:
        return ""
    text = float_repr(currency.round(amount), currency.decimal_places)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _b2b_amount_text(value):
    """A typed amount as Python reads it: spaces (thousands) dropped, a decimal comma read."""
    if not isinstance(value, str):
        return value
    for space in (" ", "\u00a0", "\u202f"):
        value = value.replace(space, "")
    return value.replace(",", ".")


class B2bAutopayPortal(CustomerPortal):
    @staticmethod
    def _b2b_autopay_error_message(code):
        """The message of an error code of the page's redirect; None for an unknown code (the
        page never shows text taken from its URL)."""
        env = request.env
        return {
            "token": env._("Choose a saved payment method."),
            "terms": env._("Accept the terms of automatic payment to turn it on."),
            "trigger": env._("Choose when invoices are charged."),
            "numbers": env._("Days and caps are numbers."),
            "days": env._("The days before the due date go from 0 to 30."),
            "negative": env._("Caps cannot be negative."),
        }.get(code)

    @staticmethod
    def _b2b_autopay_payer():
        """The user's paying entity when the user is its accountant, else None."""
        user = request.env.user
        partner = user.partner_id.sudo()
        if not user._is_portal() or partner.b2b_portal_role != "accountant":
            return None
        return partner.commercial_partner_id

    @staticmethod
    def _b2b_autopay_tokens(payer):
        """Saved payment methods of the payer's contacts (they belong to the payer)."""
        return request.env["payment.token"].sudo().search([("partner_id", "child_of", payer.id)])

    def _b2b_autopay_payment_form_values(self):
        """The context of Odoo's payment form in validation mode (save a payment method),
        landing back here; built from the same payment API as /my/payment_method."""
        partner_sudo = request.env.user.partner_id
        company = request.env.company
        report = {}
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, partner_sudo.id, 0.0, force_tokenization=True, is_validation=True, report=report
            )
        )
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids, partner_sudo.id, force_tokenization=True, report=report
            )
        )
        return {
            "mode": "validation",
            "allow_token_selection": False,
            "allow_token_deletion": False,
            "reference_prefix": payment_utils.singularize_reference_prefix(prefix="V"),
            "partner_id": partner_sudo.id,
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": request.env["payment.token"].sudo(),
            "availability_report": report,
            "transaction_route": "/payment/transaction",
            "landing_route": AUTOPAY_URL,
            "access_token": payment_utils.generate_access_token(partner_sudo.id, None, None),
        }

    @http.route(AUTOPAY_URL, type="http", methods=["GET"], auth="user", website=True, sitemap=False)
    def portal_my_autopay(self, message=None, error=None, **kw):
        payer = self._b2b_autopay_payer()
        if not payer:
            raise Forbidden()
        Autopay = request.env["b2b.autopay"].sudo()
        autopay = Autopay.search(
            [("partner_id", "=", payer.id), ("company_id", "=", request.env.company.id), ("state", "!=", "stopped")],
            limit=1,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "b2b_autopay",
                "payer": payer,
                "autopay": autopay,
                "tokens": self._b2b_autopay_tokens(payer),
                "triggers": Autopay._fields["trigger"]._description_selection(request.env),
                "terms_text": Autopay._b2b_terms_text(),
                "autopay_currency": request.env.company.currency_id,
                "cap_inputs": {
                    cap: _b2b_amount_input(autopay[cap], request.env.company.currency_id)
                    for cap in ("cap_invoice", "cap_month")
                },
                "message": message,
                "error": self._b2b_autopay_error_message(error),
                **self._b2b_autopay_payment_form_values(),
            }
        )
        return request.render("b2b_customer_portal.portal_my_autopay", values)

    @http.route(f"{AUTOPAY_URL}/save", type="http", methods=["POST"], auth="user", website=True, sitemap=False)
    def portal_my_autopay_save(
        self, token_id=None, trigger=None, days_before=None, cap_invoice=None, cap_month=None, accept_terms=None, **kw
    ):
        payer = self._b2b_autopay_payer()
        if not payer:
            raise Forbidden()
        try:
            token = request.env["payment.token"].browse(int(token_id or 0))
        except ValueError:
            token = request.env["payment.token"]
        if not token:
            return request.redirect(f"{AUTOPAY_URL}?{urlencode({'error': 'token'})}")
        if not accept_terms:
            return request.redirect(f"{AUTOPAY_URL}?{urlencode({'error': 'terms'})}")
        try:
            request.env["b2b.autopay"]._b2b_portal_enrol(
                token,
                {
                    "trigger": trigger,
                    "days_before": days_before,
                    "cap_invoice": _b2b_amount_text(cap_invoice),
                    "cap_month": _b2b_amount_text(cap_month),
                },
            )
        except AccessError as error:
            raise Forbidden() from error
        except B2bAutopayInputError as error:
            return request.redirect(f"{AUTOPAY_URL}?{urlencode({'error': error.b2b_code})}")
        return request.redirect(f"{AUTOPAY_URL}?{urlencode({'message': 'saved'})}")

    @http.route(f"{AUTOPAY_URL}/stop", type="http", methods=["POST"], auth="user", website=True, sitemap=False)
    def portal_my_autopay_stop(self, **kw):
        payer = self._b2b_autopay_payer()
        if not payer:
            raise Forbidden()
        autopay = (
            request.env["b2b.autopay"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", payer.id),
                    ("company_id", "=", request.env.company.id),
                    ("state", "!=", "stopped"),
                ]
            )
        )
        autopay._b2b_portal_stop()
        return request.redirect(f"{AUTOPAY_URL}?{urlencode({'message': 'stopped'})}")
