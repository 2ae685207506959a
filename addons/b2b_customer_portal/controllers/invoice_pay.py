"""/my/invoices/pay: one payment for a selection of invoices (issue 15). The page is Odoo's
payment form for the amount computed on the server (``account.move._b2b_payment_allocation``);
the transaction route recomputes it and never reads an amount from the browser."""

import math
from urllib.parse import urlsplit

from psycopg2 import IntegrityError
from werkzeug.exceptions import NotFound

from odoo import Command, fields, http
from odoo.addons.account_payment.controllers import payment as account_payment_payment
from odoo.addons.account_payment.controllers import portal as account_payment_portal
from odoo.addons.payment import utils as payment_utils
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models.account_move import B2B_PAY_ROLES as PAY_ROLES  # noqa: F401 (imported from here before)
from .autopay import _b2b_amount_text
from .invoices import B2bInvoicesPortal

# invoices one payment may settle
PAY_MAX = 200


class B2bInvoicePayPortal(
    B2bInvoicesPortal, account_payment_portal.PortalAccount, account_payment_payment.PaymentPortal
):
    def _b2b_pay_invoices(self, invoice_ids):
        """The invoices of ``invoice_ids`` as the logged-in user reads them (record rules), in
        sudo; 404 when one is not the user's, 403 when the user's role does not pay."""
        env = request.env
        invoice_ids = list(dict.fromkeys(invoice_ids))
        if not invoice_ids or len(invoice_ids) > PAY_MAX:
            raise request.not_found()
        if not env["account.move"]._b2b_user_may_pay():
            raise AccessError(env._("Your role in the portal does not pay invoices."))
        invoices = env["account.move"].search([("id", "in", invoice_ids)])
        if len(invoices) != len(invoice_ids):
            raise request.not_found()
        invoices.check_access("read")
        return invoices.sudo()

    def _b2b_pay_page_values(self, invoices_sudo, access_token=None):
        """Values of the selection's payment page (template ``portal_invoice_pay``) for
        ``invoices_sudo``, whose access the caller has checked (record rules, or a signed token
        for a guest: then pass that ``access_token``, which the transaction route receives
        back). Raises UserError when the selection cannot be paid (mixed currencies...).
        Shows nothing of the customer beyond the invoices, their amounts and the payment form:
        a guest is offered no saved payment method and no saving of one."""
        payer, currency, allocation, total = invoices_sudo._b2b_prepare_payment()
        company = invoices_sudo.company_id
        # a batch's reference (GROUP/...) is taken from its sequence when the transaction is
        # created, and carried by the payment: the page takes none (one per visit before)
        reference = invoices_sudo.name if len(invoices_sudo) == 1 else False
        Dispute = request.env["b2b.invoice.dispute"]
        partner = request.env.user.partner_id if not request.env.user._is_public() else None
        rows = [
            {
                "invoice": move,
                **allocation[move],
                "can_pay_less": bool(
                    partner
                    and not access_token
                    and allocation[move]["amount"] > 0
                    and Dispute._b2b_portal_can_dispute(move, partner)
                ),
            }
            for move in invoices_sudo.sorted(lambda move: (move.invoice_date_due or move.date, move.id))
        ]
        values = {
            "page_name": "invoice_pay",
            "b2b_pay_rows": rows,
            "b2b_pay_ids": ",".join(str(move_id) for move_id in invoices_sudo.ids),
            "b2b_pay_total": total,
            "b2b_pay_discount": sum(row["epd_discount"] for row in rows),
            "b2b_pay_disputed": sum(row["disputed"] for row in rows),
            "b2b_pay_less_rows": [row for row in rows if row["can_pay_less"]],
            "b2b_dispute_reasons": Dispute._fields["reason"]._description_selection(request.env),
            "payment": {"date": fields.Date.today(), "reference": reference, "amount": total, "currency": currency},
            "amount": total,
            "currency": currency,
        }
        values |= self._get_common_page_view_values(
            invoices_data={
                "partner": payer,
                "company": company,
                "total_amount": total,
                "currency": currency,
                "amount_residual": total,
                "payment_reference": reference,
                "landing_route": "/my/invoices/pay/done",
                "transaction_route": f"/my/invoices/pay/transaction/{values['b2b_pay_ids']}",
            },
            access_token=access_token or payment_utils.generate_access_token(payer.id, total, currency.id),
        )
        if request.env.user._is_public():
            # Odoo's form would offer a guest the payer's saved payment methods, and to save one
            values["tokens_sudo"] = request.env["payment.token"].sudo()
            values["show_tokenize_input_mapping"] = dict.fromkeys(values["show_tokenize_input_mapping"], False)
        return values

    @http.route("/my/invoices/pay", type="http", auth="user", methods=["GET"], website=True, sitemap=False)
    def portal_my_invoices_pay(self, **kw):
        """The payment page of the selected invoices (``invoice_ids=1,2``)."""
        invoice_ids = self._b2b_parse_invoice_ids()
        if invoice_ids is None:
            raise request.not_found()
        if not invoice_ids or len(invoice_ids) > PAY_MAX:
            message = (
                request.env._("Select the invoices to pay.")
                if not invoice_ids
                else request.env._("Select at most %(max)s invoices to pay at once.", max=PAY_MAX)
            )
            values = {"page_name": "invoice_pay", "b2b_pay_error": message}
            return request.render("b2b_customer_portal.portal_invoice_pay", values)
        # a role that does not pay: AccessError, Odoo's 403 page
        invoices_sudo = self._b2b_pay_invoices(invoice_ids)
        try:
            values = self._b2b_pay_page_values(invoices_sudo)
        except UserError as error:
            values = {"page_name": "invoice_pay", "b2b_pay_error": error.args[0], "b2b_pay_rows": []}
        values["b2b_pay_less_done"] = self._b2b_pay_less_done_message(invoices_sudo, kw.get("disputed"))
        return request.render("b2b_customer_portal.portal_invoice_pay", values)

    def _b2b_pay_less_done_message(self, invoices_sudo, dispute_id):
        """What the payer who just paid less reads: the dispute they opened on one of
        ``invoices_sudo`` (read as them: record rules) and that the rest stays payable; None
        for any other id (the text never comes from the address)."""
        dispute_id = self._cast_as_int(dispute_id)
        if not dispute_id:
            return None
        env = request.env
        dispute = env["b2b.invoice.dispute"].search(
            [
                ("id", "=", dispute_id),
                ("move_id", "in", invoices_sudo.ids),
                ("raised_by_id", "=", env.user.partner_id.id),
            ]
        )
        if not dispute:
            return None
        dispute = dispute.sudo()
        return env._(
            "Dispute %(dispute)s opened for %(amount)s on %(invoice)s; the rest remains payable.",
            dispute=dispute.name,
            amount=dispute.currency_id.format(dispute.amount),
            invoice=dispute.move_id.name,
        )

    @http.route("/my/invoices/pay/less", type="http", auth="user", methods=["POST"], website=True, sitemap=False)
    def portal_my_invoices_pay_less(self, invoice_id=None, amount=None, reason=None, description=None, **kw):
        """Pay less on one invoice of the selection: the difference becomes a dispute (reason and
        message required), opened before any transaction; the rest stays payable. Accountant
        and approver of the billed party or payer only (the dispute rules)."""
        env = request.env
        invoice_ids = self._b2b_parse_invoice_ids()
        if not invoice_ids:
            raise request.not_found()
        # a role that does not pay: AccessError, Odoo's 403 page
        invoices_sudo = self._b2b_pay_invoices(invoice_ids)
        invoice_sudo = invoices_sudo.filtered(lambda move: str(move.id) == str(invoice_id))
        partner = env.user.partner_id
        Dispute = env["b2b.invoice.dispute"]
        if not invoice_sudo:
            raise request.not_found()
        if not Dispute._b2b_portal_can_dispute(invoice_sudo, partner):
            raise AccessError(env._("Only the accountant or approver may pay less."))
        error = None
        try:
            amount_value = float(_b2b_amount_text(amount))
        except (TypeError, ValueError):
            amount_value = None
        if amount_value is not None and not math.isfinite(amount_value):
            # nan, inf, 1e400: not an amount (the same reading as the dispute and autopay inputs)
            amount_value = None
        values = invoice_sudo._b2b_payment_allocation()[invoice_sudo]
        currency = invoice_sudo.currency_id
        if amount_value is None or amount_value < 0 or currency.compare_amounts(amount_value, values["amount"]) >= 0:
            error = env._(
                "Enter the amount you pay on %(invoice)s: at least 0 and less than %(due)s.",
                invoice=invoice_sudo.name,
                due=currency.format(values["amount"]),
            )
        elif not (description or "").strip():
            error = env._("Say why you pay less: your message goes to our billing team with the dispute.")
        else:
            # the discount needs the invoice paid in full: paying less gives it up
            base = values["residual"] - values["disputed"] if values["epd_discount"] else values["amount"]
            try:
                with env.cr.savepoint():
                    dispute = Dispute._b2b_portal_raise(
                        invoice_sudo, partner, reason, currency.round(base - amount_value), description.strip()
                    )
            except UserError as exc:
                error = exc.args[0]
        if error:
            values = self._b2b_pay_page_values(invoices_sudo)
            values["b2b_pay_less_error"] = error
            return request.render("b2b_customer_portal.portal_invoice_pay", values)
        return request.redirect(
            "/my/invoices/pay?invoice_ids=" + ",".join(str(i) for i in invoices_sudo.ids) + f"&disputed={dispute.id}"
        )

    @http.route("/my/invoices/pay/transaction/<string:invoice_ids>", type="jsonrpc", auth="user")
    def portal_my_invoices_pay_transaction(self, invoice_ids, access_token=None, **kwargs):
        """Create the transaction of the selection (``invoice_ids``: "1,2", in the route as Odoo's
        payment form posts only its own parameters): the invoices read again as the user, the
        amount recomputed from them (whatever the browser sends), the payer as partner, the
        confirmation page set here (never a landing route from the browser)."""
        try:
            ids = [int(invoice_id) for invoice_id in invoice_ids.split(",") if invoice_id.strip()]
            invoices_sudo = self._b2b_pay_invoices(ids)
        except (AccessError, MissingError, NotFound, ValueError, TypeError):
            raise ValidationError(request.env._("These invoices cannot be paid here.")) from None
        kwargs["landing_route"] = "/my/invoices/pay/done"
        return self._b2b_pay_transaction(invoices_sudo, **kwargs)

    def _b2b_transaction_form_kwargs(self, kwargs):
        """Check and normalise the payment form's parameters of a transaction route in place: a
        clear message for a missing or malformed one (Odoo's ``_create_transaction`` answers an
        internal TypeError), never a validation operation (its amount is the provider's)."""
        env = request.env
        flow = kwargs.get("flow")
        provider_id = self._cast_as_int(kwargs.get("provider_id"))
        token_id = self._cast_as_int(kwargs.get("token_id")) if kwargs.get("token_id") else None
        payment_method_id = (
            self._cast_as_int(kwargs.get("payment_method_id")) if kwargs.get("payment_method_id") else None
        )
        if flow not in ("redirect", "direct", "token") or not provider_id:
            raise ValidationError(env._("Choose a payment method."))
        if flow == "token" and not token_id:
            raise ValidationError(env._("Choose a saved payment method."))
        if flow != "token" and not payment_method_id:
            raise ValidationError(env._("Choose a payment method."))
        kwargs.update(
            provider_id=provider_id,
            token_id=token_id,
            payment_method_id=payment_method_id,
            tokenization_requested=bool(kwargs.get("tokenization_requested")),
            is_validation=False,
        )

    def _b2b_pay_transaction(self, invoices_sudo, **kwargs):
        """Create the transaction of ``invoices_sudo`` (access checked by the caller) and return
        its processing values; kwargs are the payment form's (provider, method, token, flow)."""
        invoices_sudo._b2b_lock_for_payment()
        try:
            payer, currency, _allocation, total = invoices_sudo._b2b_prepare_payment()
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        kwargs.pop("amount", None)
        kwargs.pop("currency_id", None)
        kwargs.pop("partner_id", None)
        kwargs.pop("payment_reference", None)
        kwargs.pop("csrf_token", None)
        self._validate_transaction_kwargs(kwargs)
        self._b2b_transaction_form_kwargs(kwargs)
        company = invoices_sudo.company_id
        reference = company.get_next_batch_payment_communication() if len(invoices_sudo) > 1 else None
        kwargs.update(
            amount=total,
            currency_id=currency.id,
            partner_id=payer.id,
            reference_prefix=reference,
        )
        try:
            with request.env.cr.savepoint():
                tx_sudo = self._create_transaction(
                    custom_create_values={"invoice_ids": [Command.set(invoices_sudo.ids)]},
                    **kwargs,
                )
                tx_sudo.flush_recordset()
        except IntegrityError:
            # another tab created the same transaction reference at the same moment (its row
            # not yet visible when the reference was chosen): its payment is in progress
            raise ValidationError(
                request.env._(
                    "A payment of %(invoices)s is already being processed: wait for it before paying again.",
                    invoices=", ".join(invoices_sudo.mapped("name")),
                )
            ) from None
        # the landing page is opened with the transaction's own token
        self._update_landing_route(tx_sudo, payment_utils.generate_access_token(payer.id, total, currency.id))
        return tx_sudo._get_processing_values()

    @http.route("/my/invoices/pay/done", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def portal_my_invoices_pay_done(self, tx_id=None, access_token=None, **kw):
        """What the transaction paid, invoice by invoice (the landing page after paying), with
        a link back to the invoices for a logged-in user; none for a visitor (the invoice list
        would only ask them to log in; a guest link's own page links back to it)."""
        tx_sudo = self._b2b_pay_done_transaction(tx_id, access_token)
        back_url = "/my/invoices" if not request.env.user._is_public() else None
        return self._b2b_render_pay_done(tx_sudo, back_url)

    def _b2b_pay_done_transaction(self, tx_id, access_token):
        """The transaction of a confirmation page, in sudo: 404 unless ``access_token`` is its own."""
        tx_id = self._cast_as_int(tx_id)
        tx_sudo = request.env["payment.transaction"].sudo().browse(tx_id).exists() if tx_id else None
        if not tx_sudo or not payment_utils.check_access_token(
            access_token, tx_sudo.partner_id.id, tx_sudo.amount, tx_sudo.currency_id.id
        ):
            raise request.not_found()
        return tx_sudo

    def _b2b_render_pay_done(self, tx_sudo, back_url, **values):
        values = {
            "page_name": "invoice_pay_done",
            "tx_sudo": tx_sudo,
            "b2b_paid_rows": tx_sudo._b2b_paid_per_invoice(),
            "b2b_credit": tx_sudo._b2b_kept_as_credit(),
            "b2b_back_url": back_url,
            **values,
        }
        return request.render("b2b_customer_portal.portal_invoice_pay_done", values)

    # ------------------------------------------------------------------
    # Every transaction created from the portal: saved payment methods, landing route
    # ------------------------------------------------------------------
    @staticmethod
    def _b2b_may_use_token(token_sudo):
        """Whether the logged-in portal user may pay with the saved payment method
        ``token_sudo``: the contact who saved it, or the payer's accountant for a payment method
        of the payer itself. Odoo accepts any token of the user's commercial entity: a buyer
        would charge the accountant's card (the automatic payment one). Internal users keep
        Odoo's rule; a visitor uses none."""
        user = request.env.user
        if not user.share:
            return True
        partner = user.partner_id
        return not user._is_public() and (
            token_sudo.partner_id == partner
            or (partner.b2b_portal_role == "accountant" and token_sudo.partner_id == partner.commercial_partner_id)
        )

    def _create_transaction(
        self,
        provider_id,
        payment_method_id,
        token_id,
        amount,
        currency_id,
        partner_id,
        flow,
        tokenization_requested,
        landing_route,
        reference_prefix=None,
        is_validation=False,
        custom_create_values=None,
        **kwargs,
    ):
        """Before Odoo creates any transaction from a request: a saved payment method only as
        ``_b2b_may_use_token`` allows, a landing route on this site only (the customer is sent
        there with the transaction's token)."""
        env = request.env
        if flow == "token":
            token_sudo = env["payment.token"].sudo().browse(self._cast_as_int(token_id)).exists()
            if not token_sudo or not self._b2b_may_use_token(token_sudo):
                raise AccessError(env._("Only the contact who saved this payment method may pay with it."))
        # a page of this site: no scheme nor host (Odoo gives "#" to a draft invoice's link)
        route = (landing_route or "").strip()
        parts = urlsplit(route)
        if parts.scheme or parts.netloc or route.startswith("//") or "\\" in route:
            raise ValidationError(env._("The payment's return page must be a page of this site."))
        return super()._create_transaction(
            provider_id=provider_id,
            payment_method_id=payment_method_id,
            token_id=token_id,
            amount=amount,
            currency_id=currency_id,
            partner_id=partner_id,
            flow=flow,
            tokenization_requested=tokenization_requested,
            landing_route=landing_route,
            reference_prefix=reference_prefix,
            is_validation=is_validation,
            custom_create_values=custom_create_values,
            **kwargs,
        )

    def _get_common_page_view_values(self, invoices_data, access_token=None, **kwargs):
        """Odoo's invoice payment forms offer only the saved payment methods the user may use."""
        values = super()._get_common_page_view_values(invoices_data, access_token=access_token, **kwargs)
        if "tokens_sudo" in values:
            values["tokens_sudo"] = values["tokens_sudo"].filtered(self._b2b_may_use_token)
        return values

    # ------------------------------------------------------------------
    # Odoo's own payment of one invoice and of the overdue ones: who pays, never the disputed
    # amount, only an amount Odoo offers, not twice
    # ------------------------------------------------------------------
    def _invoice_get_page_view_values(self, invoice, access_token, payment=False, amount=None, **kwargs):
        # Odoo reads the invoice as the superuser (``_document_check_access``): read in sudo as
        # the user who opens it, its Pay now (``_has_to_be_paid``) follows the user's role
        invoice = invoice.with_user(request.env.user).sudo()
        values = super()._invoice_get_page_view_values(invoice, access_token, payment=payment, amount=amount, **kwargs)
        invoice_sudo = invoice.sudo()
        if "amount_due" in values and invoice_sudo.b2b_dispute_amount:
            due = invoice_sudo._b2b_payment_allocation()[invoice_sudo]["amount"]
            values["amount_due"] = due
            values["next_amount_to_pay"] = min(values.get("next_amount_to_pay") or due, due)
            values["show_epd"] = False
        return values

    # website: a guest paying from the invoice's link has no language of their own; the route
    # answers in the page's (the frontend_lang cookie), as the guest link's route does
    @http.route(website=True)
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        """Odoo takes the amount of one invoice's payment from the page: for a logged-in portal
        user it must be one the page offers (``_b2b_offered_amounts``: a disputed amount is not
        payable, it is capped at what is due less the disputes), paying less goes through "pay
        less" (a reason and a dispute); for a visitor or Odoo's payment link, Odoo's amount up to
        what is due less the disputes (``_b2b_check_undisputed_amount``).
        Refused to a user whose portal role does not pay, and while a payment of the invoice is
        in progress (the invoice locked: two tabs are served one after the other). The invoice's
        access (record rules or its token) is checked first, as Odoo does: nothing of an
        invoice is told, nor locked, to whoever may not see it."""
        env = request.env
        if not env["account.move"]._b2b_user_may_pay():
            raise ValidationError(env._("Your role in the portal does not pay invoices."))
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except MissingError:
            raise
        except AccessError as error:
            raise ValidationError(env._("The access token is invalid.")) from error
        if invoice_sudo:
            invoice_sudo._b2b_lock_for_payment()
            in_progress = invoice_sudo._b2b_payment_in_progress()
            if in_progress:
                raise ValidationError(in_progress._b2b_payment_in_progress_message())
            if env.user._is_public() or not env.user.share:
                # a visitor with the invoice's link, or Odoo's payment link of the back office
                # (which may ask a partial amount it signed: the route cannot tell it from
                # another): Odoo's amount, but a disputed amount is never payable
                self._b2b_check_undisputed_amount(invoice_sudo, kwargs)
                return super().invoice_transaction(invoice_id, access_token, **kwargs)
            offered = self._b2b_offered_amounts(invoice_sudo)
            currency = invoice_sudo.currency_id
            if not offered:
                raise ValidationError(env._("There is nothing left to pay on this invoice for now."))
            amount = self._cast_as_float(kwargs.get("amount"))
            if amount is None and invoice_sudo.b2b_dispute_amount:
                amount = max(offered)
            if amount is None or not any(currency.compare_amounts(amount, value) == 0 for value in offered):
                raise ValidationError(
                    env._(
                        "Pay one of the amounts offered for %(invoice)s (%(amounts)s). To pay less, "
                        "use Pay less from the invoice list and say why.",
                        invoice=invoice_sudo.name,
                        amounts=", ".join(currency.format(value) for value in sorted(offered)),
                    )
                )
            kwargs["amount"] = amount
        return super().invoice_transaction(invoice_id, access_token, **kwargs)

    @staticmethod
    def _b2b_check_undisputed_amount(invoice_sudo, kwargs):
        """Refuse in ``kwargs`` (a one-invoice payment's parameters) an amount above what is due on
        ``invoice_sudo`` less its open disputes; none given: that amount."""
        disputed = invoice_sudo.b2b_dispute_amount
        if not disputed:
            return
        currency = invoice_sudo.currency_id
        payable = currency.round(max(invoice_sudo.amount_residual - disputed, 0.0))
        if currency.is_zero(payable):
            raise ValidationError(request.env._("There is nothing left to pay on this invoice for now."))
        amount = B2bInvoicePayPortal._cast_as_float(kwargs.get("amount"))
        if amount is None:
            kwargs["amount"] = payable
        elif currency.compare_amounts(amount, payable) > 0:
            raise ValidationError(
                request.env._(
                    "You can pay at most %(amount)s on %(invoice)s: the rest is disputed.",
                    amount=currency.format(payable),
                    invoice=invoice_sudo.name,
                )
            )

    @staticmethod
    def _b2b_offered_amounts(invoice_sudo):
        """The amounts Odoo's invoice page offers to pay on ``invoice_sudo`` (account_payment's
        ``_get_invoice_next_payment_values``): the amount due (less its early-payment discount
        in time), the whole residual, the next or overdue installments; with an open dispute,
        only what is due less the disputed amount (the installment asked now, or the whole
        rest). A set of positive amounts, empty when nothing is payable."""
        currency = invoice_sudo.currency_id
        values = invoice_sudo._b2b_payment_allocation()[invoice_sudo]
        if values["disputed"]:
            amounts = {values["amount"], values["residual"] - values["disputed"]}
        elif currency.is_zero(values["amount"]):
            amounts = set()
        else:
            next_payment = invoice_sudo._get_invoice_next_payment_values()
            amounts = {
                values["amount"],
                values["residual"],
                next_payment.get("amount_due") or 0.0,
                next_payment.get("next_amount_to_pay") or 0.0,
            }
        return {currency.round(amount) for amount in amounts if currency.compare_amounts(amount, 0.0) > 0}

    def _overdue_invoices_get_page_view_values(self, overdue_invoices, **kwargs):
        """Odoo charges the overdue invoices at their total: here at what is due on each, less
        its disputes (``_b2b_payment_allocation``)."""
        if not request.env["account.move"]._b2b_user_may_pay():
            # the page is sent back to the invoices when it has no payment to show
            return {"page_name": "overdue_invoices"}
        values = super()._overdue_invoices_get_page_view_values(overdue_invoices, **kwargs)
        if "payment" in values:
            total = self._b2b_overdue_total(overdue_invoices)
            values["payment"]["amount"] = total
            values["amount"] = total
        return values

    def _get_overdue_invoice_count(self):
        """No "Pay overdue" button nor "Invoices to pay" card for a user whose role does not pay."""
        if not request.env["account.move"]._b2b_user_may_pay():
            return 0
        return super()._get_overdue_invoice_count()

    def _b2b_overdue_total(self, overdue_invoices):
        invoices_sudo = overdue_invoices.sudo()
        allocation = invoices_sudo._b2b_payment_allocation()
        return invoices_sudo.currency_id[:1].round(invoices_sudo._b2b_payment_total(allocation))

    @http.route()
    def overdue_invoices_transaction(self, payment_reference, **kwargs):
        if not request.env["account.move"]._b2b_user_may_pay():
            raise ValidationError(request.env._("Your role in the portal does not pay invoices."))
        if not request.env.user._is_public():
            overdue_invoices = request.env["account.move"].search(self._get_overdue_invoices_domain())
            if not overdue_invoices:
                # Odoo's route fails on an empty list (an IndexError): say it
                raise ValidationError(request.env._("You have no overdue invoice to pay."))
            if len(overdue_invoices.currency_id) == 1:
                total = self._b2b_overdue_total(overdue_invoices)
                if overdue_invoices.currency_id.compare_amounts(total, 0.0) <= 0:
                    raise ValidationError(request.env._("There is nothing left to pay on the selected invoices."))
                kwargs["amount"] = total
        return super().overdue_invoices_transaction(payment_reference, **kwargs)
