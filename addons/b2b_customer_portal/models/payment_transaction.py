"""One payment for several invoices (issue 15): Odoo books a transaction's payment against all
its invoices at once and grants an early-payment discount only when the amount matches one
invoice; a transaction of several invoices is allocated here, invoice by invoice."""

from odoo import SUPERUSER_ID, Command, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _b2b_is_multi_invoice_payment(self):
        self.ensure_one()
        return (
            len(self.invoice_ids) > 1
            and self.operation in ("online_redirect", "online_direct", "online_token", "offline")
            and not self.source_transaction_id
            and self.currency_id.compare_amounts(self.amount, 0.0) > 0
        )

    def _create_payment(self, **extra_create_values):
        """Book one payment to the payer and reconcile every invoice of the transaction for its
        own amount (``account.move._b2b_payment_allocation``, read again now, under lock).

        Credit notes of the transaction net first; invoices are then settled by due date, each up
        to what is due on it now (with its early-payment discount when paid in full, less what
        it disputes). What the transaction brought beyond that (the invoice was paid meanwhile
        in another tab) stays on the payment as the payer's outstanding credit: no invoice is
        ever overpaid. A transaction of one invoice is Odoo's own, unless the invoice is disputed
        (``_b2b_allocates_payment``: Odoo would settle the disputed amount)."""
        self.ensure_one()
        if not self._b2b_allocates_payment():
            return super()._create_payment(**extra_create_values)

        currency = self.currency_id
        company = self.provider_id.company_id
        moves = self.invoice_ids.filtered(lambda move: move.state == "posted" and move.currency_id == currency)
        moves._b2b_lock_for_payment()
        moves.invalidate_recordset(["amount_residual", "payment_state"])
        allocation = moves._b2b_payment_allocation()
        plan = self._b2b_allocate(moves, allocation)

        payer = moves[:1]._b2b_receivable_partner() if moves else self.partner_id.commercial_partner_id
        payment_method_line = self.provider_id.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == self.provider_id
        )
        targets = self._b2b_receivable_targets(plan)
        receivable_vals = [
            self._b2b_receivable_line_vals(account, amount, payer, company, name)
            for name, account, amount, _lines in targets
        ]
        # the payment's own receivable line holds what is left unallocated; when nothing is, it
        # is the first target's line (no empty line)
        default_target = targets[0] if targets and currency.is_zero(plan["unallocated"]) else None
        if default_target:
            receivable_vals.pop(0)
        terms_account = moves.line_ids.filtered(lambda line: line.display_type == "payment_term")[:1].account_id
        payment = self.env["account.payment"].create(
            {
                "amount": self.amount,
                "payment_type": "inbound",
                "currency_id": currency.id,
                "partner_id": payer.id,
                "partner_type": "customer",
                "journal_id": self.provider_id.journal_id.id,
                "company_id": company.id,
                "payment_method_line_id": payment_method_line.id,
                "payment_token_id": self.token_id.id,
                "payment_transaction_id": self.id,
                "memo": f"{self.reference} - {self.provider_reference or ''}",
                "destination_account_id": terms_account.id,
                "write_off_line_vals": self._b2b_epd_write_off_vals(plan) + receivable_vals,
                **extra_create_values,
            }
        )
        payment.action_post()
        self.payment_id = payment

        receivable_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        lines_by_name = {line.name: line for line in receivable_lines}
        reconciliation_plan = []
        for target in targets:
            name, _account, _amount, document_lines = target
            payment_line = lines_by_name.get(name)
            if target is default_target:
                payment_line = receivable_lines.filtered(
                    lambda line: line.name not in {vals["name"] for vals in receivable_vals}
                )
            reconciliation_plan.append(payment_line + document_lines.filtered(self._b2b_open_term_line))
        if reconciliation_plan:
            # Reconciling changes no invoice line that the invoices' dynamic lines (taxes, terms,
            # discounts) are computed from: as in Odoo's register wizard, whose payment lines
            # carry this context, they are not synchronised again (a query per invoice line).
            self.env["account.move.line"].with_context(skip_invoice_sync=True)._reconcile_plan(reconciliation_plan)
        # linked once reconciled, as the register wizard does: linked before, each write of the
        # payment's creation and posting recomputed the invoices' payment state and the payment's
        payment.invoice_ids = self.invoice_ids
        return payment

    @staticmethod
    def _b2b_open_term_line(line):
        return line.display_type == "payment_term" and not line.reconciled

    def _b2b_allocate(self, moves, allocation):
        """Split the transaction's amount over ``moves``: credit notes net first, then invoices
        by due date, each up to its allocated amount. Returns a dict: ``settled`` [(invoice,
        amount paid on it)], ``epd`` {invoice: (discount granted, its payment term line)}, ``refunds`` (credit notes
        used), ``credit_used`` (their total used), ``unallocated``."""
        currency = self.currency_id
        refunds = moves.filtered(lambda move: allocation[move]["amount"] < 0)
        credit = -sum(allocation[move]["amount"] for move in refunds)
        available = self.amount + credit
        settled, epd = [], {}
        invoices = moves.filtered(lambda move: allocation[move]["amount"] > 0).sorted(
            lambda move: (move.invoice_date_due or move.date, move.id)
        )
        for invoice in invoices:
            values = allocation[invoice]
            if currency.compare_amounts(available, 0.0) <= 0:
                break
            if currency.compare_amounts(available, values["amount"]) >= 0:
                amount = values["amount"]
                if values["epd_discount"]:
                    epd[invoice] = (values["epd_discount"], values["epd_line"])
            else:
                # not enough left for the discounted amount: a partial payment has no discount
                amount = available
            settled.append((invoice, currency.round(amount)))
            available = currency.round(available - amount)
        paid_on_invoices = sum(amount for _invoice, amount in settled)
        credit_used = currency.round(min(credit, paid_on_invoices))
        return {
            "settled": settled,
            "epd": epd,
            "refunds": refunds,
            "credit_used": credit_used,
            "unallocated": currency.round(self.amount - (paid_on_invoices - credit_used)),
        }

    def _b2b_receivable_targets(self, plan):
        """The payment's receivable lines, as [(label, account, amount in the transaction's
        currency, the documents' lines it is reconciled with)]: one per receivable account for
        the invoices settled in full (with their discounts: reconciled with all of them at once,
        as Odoo's register wizard does), one per invoice settled in part (exactly its amount, so
        that it receives no more), one for the credit notes used."""
        currency = self.currency_id
        targets = []
        full = {}
        for invoice, amount in plan["settled"]:
            gross = amount + plan["epd"].get(invoice, (0.0,))[0]
            account = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")[:1].account_id
            if currency.compare_amounts(gross, invoice.amount_residual) == 0:
                full.setdefault(account, []).append((invoice, gross))
            else:
                targets.append((f"{self.reference} - {invoice.name}", account, -gross, invoice.line_ids))
        for account, settled in full.items():
            invoices = self.env["account.move"].union(*(invoice for invoice, _gross in settled))
            name = f"{self.reference} - {account.code or account.name} ({len(invoices)})"
            targets.insert(0, (name, account, -sum(gross for _invoice, gross in settled), invoices.line_ids))
        if not currency.is_zero(plan["credit_used"]):
            refunds = plan["refunds"]
            account = refunds.line_ids.filtered(lambda line: line.display_type == "payment_term")[:1].account_id
            targets.append((f"{self.reference} - {refunds[0].name}", account, plan["credit_used"], refunds.line_ids))
        return targets

    def _b2b_receivable_line_vals(self, account, amount_currency, payer, company, name):
        return {
            "name": name,
            "account_id": account.id,
            "partner_id": payer.id,
            "currency_id": self.currency_id.id,
            "amount_currency": amount_currency,
            "balance": self.currency_id._convert(amount_currency, company.currency_id, company),
        }

    def _b2b_epd_write_off_vals(self, plan):
        """The early-payment discount lines of the invoices paid in full in time, as Odoo's
        register-payment wizard makes them for a group payment."""
        if not plan["epd"]:
            return []
        epd_values = []
        open_balance = 0.0
        for _discount, line in plan["epd"].values():
            epd_values.append(
                {"aml": line, "amount_currency": -line.amount_residual_currency, "balance": -line.amount_residual}
            )
            open_balance += line.amount_residual - line.discount_balance
        early_payment_values = self.env["account.move"]._get_invoice_counterpart_amls_for_early_payment_discount(
            epd_values, open_balance
        )
        write_off_line_vals = []
        for aml_values_list in early_payment_values.values():
            write_off_line_vals += aml_values_list
        return write_off_line_vals

    def _b2b_paid_per_invoice(self):
        """[{name, amount}] of what the transaction's payment settled on each of its invoices (the
        reconciliations of the payment), or, while it has no payment (processing, or pending
        like a wire transfer still to make), what it is to pay on each: the allocation its
        payment would make now (credit notes netted as negative amounts)."""
        self.ensure_one()
        sign = {"out_invoice": 1, "out_refund": -1}
        if not self.payment_id:
            return self._b2b_to_pay_per_invoice()
        paid = dict.fromkeys(self.invoice_ids, 0.0)
        payment_lines = self.payment_id.move_id.line_ids
        for partial in payment_lines.matched_debit_ids | payment_lines.matched_credit_ids:
            for line in partial.debit_move_id | partial.credit_move_id:
                if line.move_id in paid:
                    paid[line.move_id] += partial.debit_amount_currency * sign.get(line.move_id.move_type, 1)
        # an invoice the payment settled nothing on (paid by another payment meanwhile: the
        # money is kept as credit, ``_b2b_kept_as_credit``) is not listed as paid
        currency = self.currency_id
        return [{"name": move.name, "amount": amount} for move, amount in paid.items() if not currency.is_zero(amount)]

    def _b2b_to_pay_per_invoice(self):
        if not self._b2b_is_multi_invoice_payment():
            return [{"name": move.name, "amount": self.amount} for move in self.invoice_ids]
        moves = self.invoice_ids.filtered(lambda move: move.state == "posted" and move.currency_id == self.currency_id)
        allocation = moves._b2b_payment_allocation()
        plan = self._b2b_allocate(moves, allocation)
        to_pay = dict(plan["settled"])
        for refund in plan["refunds"]:
            to_pay[refund] = allocation[refund]["amount"]
        return [{"name": move.name, "amount": to_pay.get(move, 0.0)} for move in self.invoice_ids]

    def _get_communication(self):
        """The communication a wire transfer (``payment_custom``) asks for: a payment of several
        invoices is identified by its own reference (the batch payment's), not by its first
        invoice's payment reference."""
        if len(self) == 1 and self._b2b_is_multi_invoice_payment():
            return self.reference
        return super()._get_communication()

    def _get_invoices_to_notify(self):
        """A payment of several invoices logs its messages on them in one batch
        (``_log_message_on_linked_documents``), not one ``message_post`` per invoice."""
        if self._b2b_is_multi_invoice_payment():
            return self.env["account.move"]
        return super()._get_invoices_to_notify()

    def _log_message_on_linked_documents(self, message):
        """Log the transaction's messages (initiated, received, payment posted) on all the invoices of
        a payment of several invoices at once: the same note on each, by the same author as Odoo's
        (``account_payment``: the current user for the superuser or a back-office action, else the
        transaction's partner), without the per-invoice notification step a note has no recipient
        for."""
        super()._log_message_on_linked_documents(message)
        if not self._b2b_is_multi_invoice_payment():
            return
        if self.env.uid == SUPERUSER_ID or self.env.context.get("payment_backend_action"):
            author = self.env.user.partner_id
        else:
            author = self.partner_id
        invoices = self.invoice_ids
        invoices._message_log_batch(bodies=dict.fromkeys(invoices.ids, message), author_id=author.id)

    def _post_process(self):
        """Email the portal user who paid the remittance: what was settled on each invoice."""
        result = super()._post_process()
        template = self.env.ref("b2b_customer_portal.mail_template_b2b_invoice_remittance", raise_if_not_found=False)
        for tx in self:
            payer_user = tx.create_uid
            if (
                template
                and tx.state == "done"
                and tx.payment_id
                and tx.invoice_ids
                and payer_user.share
                and not payer_user._is_public()
                and payer_user.partner_id.email
            ):
                template.sudo().send_mail(
                    tx.id, email_values={"recipient_ids": [Command.link(payer_user.partner_id.id)]}
                )
        return result
