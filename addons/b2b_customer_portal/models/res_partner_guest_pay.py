# pylint: disable=consider-merging-classes-inherited
from odoo import models

from .account_move_guest_pay import GUEST_PAY_OPEN_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _b2b_guest_pay_url(self, company=None):
        """The guest "Pay now" link of the statement email: every open invoice this customer
        entity pays in ``company`` (default: the current one), or False when none is open."""
        self.ensure_one()
        entity = self.commercial_partner_id
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
                    ("payer_id.commercial_partner_id", "=", entity.id),
                ]
            )
            .filtered(lambda invoice: invoice._b2b_receivable_partner() == entity)
        )
        return invoices._b2b_guest_pay_url()
