# pylint: disable=consider-merging-classes-inherited
from odoo import models

from .account_move_guest_pay import GUEST_PAY_MAX_INVOICES, GUEST_PAY_OPEN_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _b2b_guest_pay_url(self, company=None):
        """The guest "Pay now" link of the statement email: the open invoices this customer
        entity pays (as the payer of their receivables) in ``company`` (default: the current
        one), the first ``GUEST_PAY_MAX_INVOICES`` by due date (a link carries its invoice ids:
        it must stay a usable URL), or False when none is open."""
        self.ensure_one()
        company = company or self.env.company
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", GUEST_PAY_OPEN_STATES),
                    ("company_id", "=", company.id),
                    ("payer_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ],
                order="invoice_date_due, id",
                limit=GUEST_PAY_MAX_INVOICES,
            )
        )
        return invoices._b2b_guest_pay_url()
