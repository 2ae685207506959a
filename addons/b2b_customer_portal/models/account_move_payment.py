# pylint: disable=consider-merging-classes-inherited
"""What a payment made now settles on each invoice of a selection (issue 15): the amount Odoo
would ask for each invoice alone, less what the customer disputes, credit notes netted."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# a draft transaction (started, not confirmed by the provider) blocks another payment of its
# invoices this long: two tabs never both pay, an abandoned payment can be retried
B2B_PAY_DRAFT_BLOCKS = "15 minutes"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _b2b_payment_allocation(self):
        """Per move of ``self``, what a payment made now settles on it.

        Call it on the invoices and credit notes of one payer, in sudo once the caller has
        checked the user's access (record rules, signed token), and read the result by move::

            allocation = invoices_sudo._b2b_payment_allocation()
            allocation[invoice]["amount"]   # what to charge for it now (invoice currency)

        Each value is a dict:

        - ``amount``: for a customer invoice, what Odoo asks for it alone
          (``_get_invoice_next_payment_values``: the residual, the overdue or next installment,
          or the residual less the early-payment discount) less its open disputes (held back
          from the installment asked now)
          (``b2b_dispute_amount``: not payable while disputed); for a credit note, minus its
          residual (it nets); 0 when nothing is payable (draft, paid, blocked, other types);
        - ``residual``: the move's amount residual (invoice currency, unsigned);
        - ``disputed``: the disputed amount held back;
        - ``epd_discount``: the early-payment discount granted when ``amount`` is paid in full
          (0 when none; never with a dispute: the discount needs the whole invoice paid);
        - ``epd_line``: the payment term line the discount applies to (empty recordset if none).

        The sum of the amounts is what the payer pays for the selection
        (``_b2b_payment_total``). Nothing is written.
        """
        result = {}
        empty_line = self.env["account.move.line"]
        for move in self:
            currency = move.currency_id
            values = {
                "amount": 0.0,
                "residual": move.amount_residual,
                "disputed": 0.0,
                "epd_discount": 0.0,
                "epd_line": empty_line,
            }
            result[move] = values
            if (
                move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
                or currency.is_zero(move.amount_residual)
            ):
                continue
            if move.move_type == "out_refund":
                values["amount"] = -move.amount_residual
                continue
            if move.move_type != "out_invoice":
                continue
            next_payment = move._get_invoice_next_payment_values()
            disputed = min(move.b2b_dispute_amount, move.amount_residual)
            values["disputed"] = disputed
            state = next_payment.get("installment_state")
            if state == "epd" and currency.is_zero(disputed):
                values["amount"] = next_payment["amount_due"]
                values["epd_discount"] = next_payment["epd_discount_amount_currency"]
                values["epd_line"] = next_payment["epd_line"]
                continue
            if state in ("next", "overdue"):
                due_now = next_payment["next_amount_to_pay"]
            else:
                due_now = move.amount_residual
            # what is disputed is held back from what is asked now (the installment due first)
            values["amount"] = currency.round(max(min(due_now, move.amount_residual) - disputed, 0.0))
        return result

    @api.model
    def _b2b_payment_total(self, allocation):
        """The amount of one payment of ``allocation`` (a ``_b2b_payment_allocation`` result)."""
        return sum(values["amount"] for values in allocation.values())

    def _b2b_payment_in_progress(self):
        """The moves of ``self`` already in a payment not yet booked: a transaction pending or
        authorized by its provider, done and not yet post-processed, or started from a payment
        form (draft) in the last 15 minutes (``B2B_PAY_DRAFT_BLOCKS``: a payment abandoned at
        the provider can be made again after that; a token or automatic payment's draft is
        charged at once) (one query)."""
        if not self.ids:
            return self.browse()
        self.env["payment.transaction"].flush_model(["state", "is_post_processed", "provider_id", "operation"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT rel.invoice_id
                  FROM account_invoice_transaction_rel rel
                  JOIN payment_transaction tx ON tx.id = rel.transaction_id
                  JOIN payment_provider provider ON provider.id = tx.provider_id
                 WHERE rel.invoice_id IN %s
                   AND provider.code NOT IN ('none', 'custom')
                   AND (
                        tx.state IN ('pending', 'authorized')
                        OR (tx.state = 'done' AND NOT tx.is_post_processed)
                        OR (
                            tx.state = 'draft'
                            AND tx.operation IN ('online_redirect', 'online_direct')
                            AND tx.create_date > (now() AT TIME ZONE 'UTC') - %s::interval
                        )
                   )
                """,
                tuple(self.ids),
                B2B_PAY_DRAFT_BLOCKS,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _b2b_lock_for_payment(self):
        """Lock the rows of the moves being paid: two payments of the same invoice are allocated
        one after the other, the second one reading what the first left.

        The rows are touched, not only locked: Odoo's transactions read a snapshot taken when
        they began (repeatable read), and a row another transaction only locked, then committed,
        lets the second one go on with its old snapshot (not seeing the first one's transaction,
        nor the batch reference's yearly range it created: a database error on the first batch
        payment of a year). A row it updated makes the second one fail with a serialization
        error, which Odoo retries with a fresh snapshot."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move SET write_date = write_date
                     WHERE id IN (SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR UPDATE)
                    """,
                    tuple(self.ids),
                )
            )

    def _b2b_prepare_payment(self):
        """Check that ``self`` (invoices and credit notes, in sudo, access already checked) can be
        paid in one payment now and return ``(payer, currency, allocation, total)``; raise a
        UserError saying why not (nothing written). ``payer`` is the commercial entity of the
        receivables, to which the transaction and the payment belong."""
        moves = self.filtered(lambda move: move.move_type in ("out_invoice", "out_refund"))
        if not moves or moves != self:
            raise UserError(self.env._("Select customer invoices to pay."))
        if len(moves.currency_id) > 1:
            raise UserError(
                self.env._(
                    "The selected invoices are in different currencies (%(currencies)s): pay each currency separately.",
                    currencies=", ".join(moves.currency_id.mapped("name")),
                )
            )
        if len(moves.company_id) > 1:
            raise UserError(self.env._("The selected invoices belong to different companies: pay them separately."))
        payers = moves.mapped(lambda move: move._b2b_receivable_partner())
        if len(payers) > 1:
            raise UserError(self.env._("The selected invoices are paid by different payers: pay them separately."))
        in_progress = moves._b2b_payment_in_progress()
        if in_progress:
            raise UserError(in_progress._b2b_payment_in_progress_message())
        allocation = moves._b2b_payment_allocation()
        total = moves.currency_id.round(self._b2b_payment_total(allocation))
        if moves.currency_id.compare_amounts(total, 0.0) <= 0:
            raise UserError(self.env._("There is nothing left to pay on the selected invoices."))
        return payers, moves.currency_id, allocation, total

    def _has_to_be_paid(self):
        """An invoice whose whole amount due is disputed is not offered for payment, nor any
        invoice to a portal user whose role does not pay (``_b2b_user_may_pay``: the viewer)."""
        return (
            super()._has_to_be_paid()
            and self._b2b_user_may_pay()
            and (
                not self.b2b_dispute_amount
                or self.currency_id.compare_amounts(self.sudo()._b2b_payment_allocation()[self.sudo()]["amount"], 0.0)
                > 0
            )
        )
