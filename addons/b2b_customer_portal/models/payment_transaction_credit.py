# pylint: disable=consider-merging-classes-inherited
"""What a portal payment keeps as the payer's credit (issue 15: two tabs never overpay). A
payment booked when its invoices had less left to pay than it brought (paid meanwhile by
another tab, an abandoned payment confirmed late, a disputed amount) settles only what is due;
the rest stays on the payer's account, unreconciled. The billing team gets a "to do" on the
payment (refund it or apply it), and the remittance email and the confirmation page say it."""

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _b2b_allocates_payment(self):
        """Whether the payment of this transaction is allocated invoice by invoice (never more
        than is due on each, never a disputed amount): a payment of several invoices, or of one
        invoice with an open dispute (Odoo would settle the disputed amount with it)."""
        self.ensure_one()
        if self._b2b_is_multi_invoice_payment():
            return True
        return (
            len(self.invoice_ids) == 1
            and self.operation in ("online_redirect", "online_direct", "online_token", "offline")
            and not self.source_transaction_id
            and self.currency_id.compare_amounts(self.amount, 0.0) > 0
            and bool(self.invoice_ids.b2b_dispute_amount)
        )

    def _b2b_kept_as_credit(self):
        """What the transaction's payment left unreconciled on the payer's account (its
        receivable lines' residual, in the transaction's currency): 0 before it is booked."""
        self.ensure_one()
        payment = self.payment_id
        if not payment or not payment.move_id:
            return 0.0
        lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        return max(self.currency_id.round(-sum(lines.mapped("amount_residual_currency"))), 0.0)

    def _create_payment(self, **extra_create_values):
        """Once booked, a payment of the portal's invoices that kept money as the payer's credit
        gets a "to do" for the billing team: refund it or apply it to another invoice."""
        payment = super()._create_payment(**extra_create_values)
        if self.invoice_ids and self.currency_id.compare_amounts(self._b2b_kept_as_credit(), 0.0) > 0:
            self._b2b_schedule_credit_activity(payment)
        return payment

    def _b2b_schedule_credit_activity(self, payment):
        invoice = self.invoice_ids.sorted("id")[:1]
        user = invoice.invoice_user_id or self.env.ref("base.user_admin", raise_if_not_found=False)
        amount = self.currency_id.format(self._b2b_kept_as_credit())
        payment.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id if user else self.env.user.id,
            summary=self.env._("Refund or apply %(amount)s kept as the customer's credit", amount=amount),
            note=self.env._(
                "Payment %(reference)s brought %(amount)s more than was left to pay on %(invoices)s "
                "(paid meanwhile, or disputed): it stays on the customer's account as an outstanding "
                "credit. Refund it or apply it to another invoice.",
                reference=self.reference,
                amount=amount,
                invoices=", ".join(self.invoice_ids.mapped("display_name")),
            ),
        )
