# pylint: disable=consider-merging-classes-inherited
"""Automatic payment transactions (issue 15): the provider's final answer, given at once or
later (pending first), emails the payer a receipt or the failure."""

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        answered = self.filtered(lambda tx: not tx.is_post_processed and tx.state in ("done", "cancel", "error"))
        mandates = self.env["b2b.autopay"]._b2b_of_transactions(answered) if answered else {}
        result = super()._post_process()
        for transaction, autopay in mandates.items():
            autopay._b2b_after_charge(transaction)
        return result
