from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.addons.account.controllers.portal import PortalAccount
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

# what the invoice page says after a dispute request (codes, never free text from the URL)
DISPUTE_MESSAGES = ("raised",)
DISPUTE_ERRORS = ("amount", "reason", "file")
DISPUTE_MAX_FILES = 5
DISPUTE_MAX_FILE_SIZE = 10 * 1024 * 1024


class B2bInvoiceDisputePortal(PortalAccount):
    """The accountant and the approver of the entity billed for or paying an invoice dispute it,
    whole or in part, from the invoice page; everyone who sees the invoice sees its disputes."""

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        user = request.env.user
        Dispute = request.env["b2b.invoice.dispute"]
        disputes = Dispute
        can_dispute = False
        if not user._is_public() and invoice.move_type == "out_invoice":
            # read as the user: the record rules decide which disputes are shown
            disputes = Dispute.search([("move_id", "=", invoice.id)]) if Dispute.has_access("read") else Dispute
            can_dispute = user.share and Dispute._b2b_portal_can_dispute(invoice, user.partner_id)
        error = kwargs.get("dispute_error")
        values.update(
            {
                "b2b_disputes": disputes.sudo(),
                "b2b_can_dispute": can_dispute,
                "b2b_dispute_due": invoice.sudo().amount_residual - invoice.sudo().b2b_dispute_amount,
                "b2b_dispute_message": kwargs.get("dispute_message")
                if kwargs.get("dispute_message") in DISPUTE_MESSAGES
                else None,
                "b2b_dispute_error": error if error in DISPUTE_ERRORS else None,
                "b2b_dispute_reasons": Dispute._fields["reason"]._description_selection(request.env),
            }
        )
        return values

    def _b2b_dispute_invoice(self, invoice_id):
        """The invoice as the portal user sees it (record rules), or 404."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if not request.env["b2b.invoice.dispute"]._b2b_portal_can_dispute(invoice_sudo, request.env.user.partner_id):
            raise Forbidden()
        return invoice_sudo

    @staticmethod
    def _b2b_dispute_redirect(invoice, **params):
        return request.redirect(f"/my/invoices/{invoice.id}?{urlencode(params)}#b2b_disputes")

    @http.route("/my/invoices/<int:invoice_id>/dispute", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_invoice_dispute(self, invoice_id, reason=None, scope="whole", amount=None, message=None, **kw):
        """Raise a dispute on the invoice: the whole amount due (``scope=whole``) or ``amount``."""
        if not request.env.user.share:
            raise Forbidden()
        invoice_sudo = self._b2b_dispute_invoice(invoice_id)
        partner = request.env.user.partner_id
        Dispute = request.env["b2b.invoice.dispute"]
        if reason not in dict(Dispute._fields["reason"].selection):
            return self._b2b_dispute_redirect(invoice_sudo, dispute_error="reason")
        if scope == "whole":
            value = invoice_sudo.amount_residual - invoice_sudo.b2b_dispute_amount
        else:
            try:
                value = float((amount or "").replace(",", ".").replace(" ", ""))
            except ValueError:
                return self._b2b_dispute_redirect(invoice_sudo, dispute_error="amount")
        files = [upload for upload in request.httprequest.files.getlist("attachments") if upload.filename]
        uploads = []
        for upload in files[: DISPUTE_MAX_FILES + 1]:
            content = upload.read(DISPUTE_MAX_FILE_SIZE + 1)
            if len(files) > DISPUTE_MAX_FILES or len(content) > DISPUTE_MAX_FILE_SIZE:
                return self._b2b_dispute_redirect(invoice_sudo, dispute_error="file")
            uploads.append((upload.filename, content, upload.mimetype))
        try:
            with request.env.cr.savepoint():
                Dispute._b2b_portal_raise(
                    invoice_sudo, partner, reason, value, (message or "").strip(), uploads=uploads
                )
        except (UserError, ValidationError):
            return self._b2b_dispute_redirect(invoice_sudo, dispute_error="amount")
        return self._b2b_dispute_redirect(invoice_sudo, dispute_message="raised")
