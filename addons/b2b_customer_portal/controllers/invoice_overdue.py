"""Odoo's /my/invoices/overdue ("Pay overdue" on the invoice list and on its /my card) for a
portal user: the overdue invoices of the user's list (the same as its overdue filter and
count, see invoices.py), paid on the selection's payment page, which asks what is due on each
less its disputes and books the payment to the payer. Odoo's own page would take only the
invoices addressed to the logged-in contact, at their total."""

from odoo import http
from odoo.http import request

from .invoice_pay import PAY_MAX, B2bInvoicePayPortal


class B2bInvoiceOverduePortal(B2bInvoicePayPortal):
    @http.route()
    def portal_my_overdue_invoices(self, access_token=None, **kw):
        if not self._b2b_overdue_in_scope():
            return super().portal_my_overdue_invoices(access_token=access_token, **kw)
        Move = request.env["account.move"]
        if not Move.has_access("read"):
            return request.redirect("/my")
        if not Move._b2b_user_may_pay():
            # a role that does not pay (the viewer): back to the invoices, as Odoo's page does
            return request.redirect("/my/invoices")
        # the user's overdue invoices (record rules), read in superuser mode once found
        overdue = Move.search(self._b2b_overdue_domain(), order="invoice_date_due, id").sudo()
        payable = overdue.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.currency_id.compare_amounts(move.amount_residual, move.b2b_dispute_amount) > 0
        )
        if not payable:
            return request.redirect("/my/invoices?status=overdue")
        # one payment is in one currency: the company's first (the others stay in the list)
        company_currency = request.env.company.currency_id
        currency = company_currency if company_currency in payable.currency_id else payable[0].currency_id
        ids = payable.filtered(lambda move: move.currency_id == currency).ids[:PAY_MAX]
        return request.redirect("/my/invoices/pay?invoice_ids=" + ",".join(str(move_id) for move_id in ids))
