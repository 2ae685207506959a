"""Paying many invoices in one payment (issue 15, speed): the post-processing of the transaction,
as the customer's confirmation runs it, takes a number of queries that does not grow with the
invoices and stays within Odoo's register-payment wizard's for the same invoices."""

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from .test_invoice_pay_allocation import B2bInvoicePayCommon

# queries allowed to the booking of 60 invoices beyond that of 20 (their ids in the queries are
# the only difference: nothing should be read or written invoice by invoice)
GROWTH_MARGIN = 10
# what the post-processing does beyond the wizard's booking: the lock and allocation read again,
# the transaction's notes on the invoices and the remittance email
WIZARD_MARGIN = 40


@tagged("post_install", "-at_install")
class TestInvoicePayQueries(B2bInvoicePayCommon, TransactionCase):
    _b2b_prefix = "payq15"

    @classmethod
    def _invoices(cls, count):
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.portal_customer.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_date_due": fields.Date.add(fields.Date.today(), days=30 + index % 7),
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": cls.product.id, "quantity": 1, "price_unit": 100.0 + index, "tax_ids": []}
                        )
                    ],
                }
                for index in range(count)
            ]
        )
        moves.action_post()
        return moves

    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, result

    def _post_process_queries(self, count):
        """Queries of the post-processing of the portal accountant's transaction paying ``count``
        invoices, and the transaction."""
        accountant = self.portal_users["accountant"]
        invoices = self._invoices(count)
        # made by the paying portal user, as the pay route does (in sudo, as that user)
        transaction = self._transaction(invoices, reference=f"PAYQ15-{count}", user=accountant)
        transaction._set_done()  # the provider's notification
        # the payment status page's poll post-processes the customer's transaction in sudo
        queries, _result = self._count_queries(transaction.with_user(accountant).sudo()._post_process)
        self.assertTrue(transaction.is_post_processed)
        self.assertEqual(len(transaction.payment_id), 1)
        self.assertEqual(transaction.payment_id.partner_id, self.portal_customer.commercial_partner_id)
        self.assertEqual(set(invoices.mapped("payment_state")) - {"paid", "in_payment"}, set(), "all settled")
        self.assertTrue(all(invoice.currency_id.is_zero(invoice.amount_residual) for invoice in invoices))
        self.assertEqual(transaction.payment_id.invoice_ids, invoices)
        return queries, transaction

    def _wizard_queries(self, count):
        """Queries of Odoo's register-payment wizard grouping ``count`` invoices into one payment,
        as the billing clerk."""
        invoices = self._invoices(count)

        def register():
            wizard = (
                self.env["account.payment.register"]
                .with_user(self.users["billing"])
                .with_context(active_model="account.move", active_ids=invoices.ids)
                .create({"group_payment": True, "journal_id": self.provider.journal_id.id})
            )
            return wizard._create_payments()

        queries, payment = self._count_queries(register)
        self.assertEqual(len(payment), 1)
        self.assertEqual(set(invoices.mapped("payment_state")) - {"paid", "in_payment"}, set())
        return queries

    def test_post_processing_queries_do_not_grow_with_invoices(self):
        self._post_process_queries(3)  # warms the caches (templates, accounts, sequences)
        small, _transaction = self._post_process_queries(20)
        large, _transaction = self._post_process_queries(60)
        self.assertLessEqual(
            large - small,
            GROWTH_MARGIN,
            f"paying 60 invoices took {large} queries, 20 invoices {small}: something is done invoice by invoice",
        )
        self._wizard_queries(3)
        wizard = self._wizard_queries(60)
        self.assertLessEqual(large, wizard + WIZARD_MARGIN, f"Odoo's register wizard books 60 invoices in {wizard}")
        # what the customer gets stays whole: the remittance email of the payer's accountant
        remittance = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.portal_users["accountant"].partner_id.ids), ("subject", "ilike", "PAYQ15-60")]
        )
        self.assertEqual(len(remittance), 1)

    def test_payment_notes_logged_on_every_invoice(self):
        """The transaction's notes (received, payment posted) are on each invoice, written by the
        transaction's partner when the customer's confirmation posts them, internal (not shown on
        the portal), as Odoo's one message per invoice would be."""
        _queries, transaction = self._post_process_queries(3)
        for invoice in transaction.invoice_ids:
            notes = invoice.message_ids.filtered(lambda message: transaction.reference in (message.body or ""))
            self.assertEqual(len(notes), 2, f"{invoice.name}: received and payment posted")
            self.assertEqual(notes.author_id, transaction.partner_id)
            self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
            self.assertTrue(all(note.is_internal or note.subtype_id.internal for note in notes))
            self.assertIn(transaction.payment_id.name, notes.mapped("body")[0] + notes.mapped("body")[1])
        # the portal accountant of the billed party does not see them on the invoice's portal page
        invoice = transaction.invoice_ids[0]
        visible = (
            self.env["mail.message"]
            .with_user(self.portal_users["accountant"])
            .search([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        )
        self.assertFalse(visible.filtered(lambda message: transaction.reference in (message.body or "")))
