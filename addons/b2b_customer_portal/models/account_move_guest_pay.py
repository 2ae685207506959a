# pylint: disable=consider-merging-classes-inherited
"""The guest "Pay now" link: a URL signed over exactly one payer and a set of its invoices
(one invoice in the invoice email, every open invoice of the payer on the statement email),
valid until the set is paid or for the company's number of days; no login."""

import time

from odoo import api, models
from odoo.tools.misc import consteq, hmac

GUEST_PAY_SCOPE = "b2b_customer_portal.guest_pay"
GUEST_PAY_ROUTE = "/my/invoices/pay/guest"
# payment states of an invoice that still has something to pay
GUEST_PAY_OPEN_STATES = ("not_paid", "partial")
# invoices one link may cover: their ids are in the URL (about 8 characters each), which mail
# clients and proxies cut beyond a few kilobytes
GUEST_PAY_MAX_INVOICES = 200


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------
    @api.model
    def _b2b_guest_pay_signature(self, payer_id, invoice_ids, expires):
        """HMAC keyed with the database secret over the payer, the sorted invoice ids and the
        expiry: adding, removing or changing any of them gives another signature."""
        message = (int(payer_id), tuple(sorted(int(invoice_id) for invoice_id in invoice_ids)), int(expires))
        return hmac(self.env(su=True), GUEST_PAY_SCOPE, message)

    def _b2b_guest_pay_token(self):
        """The token of the guest link over exactly these invoices (all of one payer): the
        payer, the ids, the expiry (now + the company's link validity) and the signature,
        as ``<payer>-<id>.<id>-<expiry>-<signature>``."""
        invoices = self.sudo()
        payers = {invoice._b2b_receivable_partner() for invoice in invoices}
        if not invoices or len(payers) != 1 or len(invoices.company_id) != 1 or len(invoices) > GUEST_PAY_MAX_INVOICES:
            raise ValueError("A guest pay link covers at most 200 invoices of one payer and one company")
        payer = payers.pop()
        expires = int(time.time()) + invoices.company_id.b2b_guest_pay_link_days * 86400
        ids = sorted(invoices.ids)
        signature = self._b2b_guest_pay_signature(payer.id, ids, expires)
        return f"{payer.id}-{'.'.join(map(str, ids))}-{expires}-{signature}"

    def _b2b_guest_pay_url(self):
        """Absolute URL of the guest link over these invoices, or False when none of them has
        anything left to pay (no link to a page that would only say "already paid"). The page
        opens in the language of the environment (the email's recipient): a visitor has no
        other."""
        invoices = self.sudo()._b2b_guest_pay_payable()
        if not invoices:
            return False
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "")
        prefix = f"/{lang.url_code}" if lang and len(self.env["res.lang"].get_installed()) > 1 else ""
        return f"{invoices[:1].get_base_url()}{prefix}{GUEST_PAY_ROUTE}/{invoices._b2b_guest_pay_token()}"

    def _b2b_guest_pay_payable(self):
        """The invoices of these that a guest link may cover: posted customer invoices with
        something left to pay."""
        return self.filtered(
            lambda move: move.state == "posted"
            and move.move_type == "out_invoice"
            and move.payment_state in GUEST_PAY_OPEN_STATES
            and not move.currency_id.is_zero(move.amount_residual)
        )

    # ------------------------------------------------------------------
    # Checking
    # ------------------------------------------------------------------
    @api.model
    def _b2b_guest_pay_check(self, token):
        """Read a guest link token: ``(status, invoices)`` with ``invoices`` in superuser mode
        (the link is the access right) and ``status`` one of

        - ``invalid``: malformed, signature not matching (tampered), or an invoice gone or no
          longer the payer's: nothing is shown;
        - ``expired``: signed by us but past its expiry;
        - ``paid``: nothing left to pay on any invoice of the set;
        - ``open``: some invoices of the set still to pay.
        """
        Move = self.env["account.move"].sudo()
        parts = (token or "").split("-")
        if len(parts) != 4 or not all(part.isdigit() for part in parts[:1] + parts[2:3]):
            return "invalid", Move
        payer_id, ids_part, expires, signature = parts
        id_parts = ids_part.split(".")
        if not all(part.isdigit() for part in id_parts) or len(set(id_parts)) != len(id_parts):
            return "invalid", Move
        ids = [int(part) for part in id_parts]
        if not consteq(signature, self._b2b_guest_pay_signature(payer_id, ids, expires)):
            return "invalid", Move
        invoices = Move.browse(ids).exists()
        if len(invoices) != len(ids) or any(
            invoice.move_type != "out_invoice"
            or invoice.state != "posted"
            or invoice._b2b_receivable_partner().id != int(payer_id)
            for invoice in invoices
        ):
            return "invalid", Move
        if int(expires) < time.time():
            return "expired", invoices
        if not invoices._b2b_guest_pay_payable():
            return "paid", invoices
        return "open", invoices

    # ------------------------------------------------------------------
    # Invoice email
    # ------------------------------------------------------------------
    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        """The customer recipients of an open invoice's email get a "Pay now" button (the
        guest link over this invoice), shown by our extension of the mail layout; internal
        users do not."""
        groups = super()._notify_get_recipients_groups(message, model_description, msg_vals=msg_vals)
        if self.move_type != "out_invoice" or not self._b2b_guest_pay_payable():
            return groups
        url = self._b2b_guest_pay_url()
        for group_name, _group_func, group_data in groups:
            if group_name != "user":
                group_data["b2b_guest_pay_url"] = url
        return groups
