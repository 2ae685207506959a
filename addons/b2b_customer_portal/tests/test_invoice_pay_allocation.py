"""Paying several invoices in one payment (issue 15): what is due on each invoice now, and the
transaction's payment allocated invoice by invoice (discounts, disputes, credit notes, two tabs)."""

from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


class B2bInvoicePayCommon(B2bRoleUsersMixin):
    _b2b_prefix = "pay15"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls._b2b_prefix)
        cls.product = cls.env["product.product"].create({"name": "Ramette paiement", "list_price": 100.0})
        cls.epd_term = cls.env["account.payment.term"].create(
            {
                "name": "2% 10 jours, net 30",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30})],
            }
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "is_published": True, "company_id": cls.env.company.id})
        cls.payment_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.payment_method.active = True

    @classmethod
    def _invoice(cls, partner=None, price=1000.0, move_type="out_invoice", **vals):
        if "invoice_payment_term_id" not in vals:
            vals.setdefault("invoice_date_due", fields.Date.add(fields.Date.today(), days=30))
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.portal_customer).id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product.id, "quantity": 1, "price_unit": price, "tax_ids": []})
                ],
                **vals,
            }
        )
        move.action_post()
        return move

    @classmethod
    def _dispute(cls, invoice, amount):
        return cls.env["b2b.invoice.dispute"]._b2b_portal_raise(
            invoice, cls.portal_users["accountant"].partner_id, "price", amount, "Prix faux"
        )

    def _transaction(self, moves, amount=None, reference=None, user=None):
        """A demo transaction of ``moves`` as the pay route makes it: as superuser (a fixture),
        or made by the paying portal ``user`` as the route does (in sudo, as that user)."""
        payer, currency, _allocation, total = moves._b2b_prepare_payment()
        Transaction = self.env["payment.transaction"]
        if user:
            Transaction = Transaction.with_user(user).sudo()
        return Transaction.create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "reference": reference or f"PAY15-{moves[0].id}-{len(moves)}-{amount or total}",
                "amount": amount if amount is not None else total,
                "currency_id": currency.id,
                "partner_id": payer.id,
                "operation": "online_direct",
                "invoice_ids": [Command.set(moves.ids)],
            }
        )

    def _age(self, transaction, minutes=16):
        """Make ``transaction`` started ``minutes`` ago: a draft older than 15 minutes no longer
        blocks another payment of its invoices (abandoned at the provider, it may still be
        confirmed later)."""
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = create_date - %s * interval '1 minute' WHERE id = %s",
            [minutes, transaction.id],
        )
        transaction.invalidate_recordset(["create_date"])
        return transaction

    def _pay(self, transaction):
        transaction._set_done()
        transaction._post_process()
        return transaction.payment_id


@tagged("post_install", "-at_install")
class TestInvoicePayAllocation(B2bInvoicePayCommon, TransactionCase):
    def test_allocation_residual_dispute_credit_note(self):
        invoice = self._invoice(price=1000.0)
        disputed = self._invoice(price=500.0)
        self._dispute(disputed, 120.0)
        refund = self._invoice(price=300.0, move_type="out_refund")
        paid = self._invoice(price=50.0)
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {}
        )._create_payments()
        allocation = (invoice | disputed | refund | paid)._b2b_payment_allocation()
        self.assertEqual(allocation[invoice]["amount"], 1000.0)
        self.assertEqual(allocation[disputed]["amount"], 380.0, "the disputed amount is not payable")
        self.assertEqual(allocation[disputed]["disputed"], 120.0)
        self.assertEqual(allocation[refund]["amount"], -300.0, "a credit note nets")
        self.assertEqual(allocation[paid]["amount"], 0.0)
        self.assertEqual(self.env["account.move"]._b2b_payment_total(allocation), 1080.0)

    def test_allocation_early_payment_discount(self):
        invoice = self._invoice(price=1000.0, invoice_payment_term_id=self.epd_term.id)
        values = invoice._b2b_payment_allocation()[invoice]
        self.assertEqual(values["amount"], 980.0)
        self.assertEqual(values["epd_discount"], 20.0)
        # disputed: the invoice will not be paid in full, no discount
        self._dispute(invoice, 100.0)
        invoice.invalidate_recordset(["b2b_dispute_amount"])
        values = invoice._b2b_payment_allocation()[invoice]
        self.assertEqual(values["amount"], 900.0)
        self.assertEqual(values["epd_discount"], 0.0)

    def test_prepare_refuses_mixed_currencies_payers_and_nothing_due(self):
        eur = self.env.company.currency_id
        other = self.env["res.currency"].search([("id", "!=", eur.id), ("name", "in", ("USD", "EUR"))], limit=1)
        other.active = True
        invoice = self._invoice()
        foreign = self._invoice(currency_id=other.id)
        with self.assertRaisesRegex(UserError, "different currencies"):
            (invoice | foreign)._b2b_prepare_payment()
        with self.assertRaisesRegex(UserError, "different payers"):
            (invoice | self._invoice(partner=self.other_portal_customer))._b2b_prepare_payment()
        refund = self._invoice(price=2000.0, move_type="out_refund")
        with self.assertRaisesRegex(UserError, "nothing left to pay"):
            (invoice | refund)._b2b_prepare_payment()
        payer, currency, _allocation, total = invoice._b2b_prepare_payment()
        self.assertEqual(payer, self.portal_customer.commercial_partner_id)
        self.assertEqual((currency, total), (eur, 1000.0))

    def test_one_payment_two_discounts_and_a_credit_note(self):
        first = self._invoice(price=1000.0, invoice_payment_term_id=self.epd_term.id)
        second = self._invoice(price=500.0, invoice_payment_term_id=self.epd_term.id)
        refund = self._invoice(price=100.0, move_type="out_refund")
        transaction = self._transaction(first | second | refund)
        self.assertEqual(transaction.amount, 980.0 + 490.0 - 100.0)
        payment = self._pay(transaction)
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.amount, 1370.0)
        self.assertEqual(payment.partner_id, self.portal_customer.commercial_partner_id)
        for move in first | second | refund:
            self.assertTrue(move.currency_id.is_zero(move.amount_residual), f"{move.name} is settled")
            self.assertIn(move.payment_state, ("paid", "in_payment"))
        # the discounts are booked as Odoo books them (20 + 10)
        discount_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type not in ("asset_receivable", "asset_cash", "asset_current")
        )
        self.assertEqual(sum(discount_lines.mapped("balance")), 30.0)
        self.assertTrue(
            payment.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        )

    def test_disputed_part_stays_open(self):
        # due first: paid in date order without allocation, it would be settled in full
        disputed = self._invoice(price=1000.0, invoice_date_due=fields.Date.add(fields.Date.today(), days=10))
        other = self._invoice(price=400.0)
        self._dispute(disputed, 250.0)
        transaction = self._transaction(disputed | other)
        self.assertEqual(transaction.amount, 1150.0)
        self._pay(transaction)
        self.assertEqual(disputed.amount_residual, 250.0, "the disputed amount is still owed")
        self.assertEqual(disputed.payment_state, "partial")
        self.assertEqual(other.amount_residual, 0.0)

    def test_amount_exceeding_allocation_stays_on_account(self):
        """Two tabs: both transactions created before either is paid (the first one started more
        than 15 minutes before); the second one finds the invoices settled and keeps its money
        as the payer's outstanding credit."""
        first = self._invoice(price=300.0)
        second = self._invoice(price=200.0)
        tab_1 = self._age(self._transaction(first | second, reference="PAY15-TAB1"))
        tab_2 = self._transaction(first | second, reference="PAY15-TAB2")
        self._pay(tab_1)
        self.assertEqual((first | second).mapped("amount_residual"), [0.0, 0.0])
        payment = self._pay(tab_2)
        self.assertEqual((first | second).mapped("amount_residual"), [0.0, 0.0], "never overpaid")
        receivable = payment.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(sum(receivable.mapped("amount_residual")), -500.0, "an outstanding credit of the payer")
        self.assertEqual(receivable.partner_id, self.portal_customer.commercial_partner_id)

    def test_partial_second_tab_settles_what_is_left(self):
        first = self._invoice(price=300.0)
        second = self._invoice(price=200.0, invoice_date_due=fields.Date.add(fields.Date.today(), days=40))
        tab_2 = self._age(self._transaction(first | second, reference="PAY15-BOTH"))
        self._pay(self._transaction(first, reference="PAY15-ONE"))
        self._pay(tab_2)
        self.assertEqual(second.amount_residual, 0.0)
        self.assertEqual(first.amount_residual, 0.0)
        self.assertEqual(tab_2.payment_id.amount, 500.0)

    def test_payment_in_progress_refused(self):
        invoice = self._invoice(price=300.0)
        transaction = self._transaction(invoice | self._invoice(price=10.0))
        transaction._set_pending()
        with self.assertRaisesRegex(UserError, "already being processed"):
            invoice._b2b_prepare_payment()
        transaction._set_done()
        with self.assertRaisesRegex(UserError, "already being processed"):
            invoice._b2b_prepare_payment()
        transaction._post_process()
        with self.assertRaisesRegex(UserError, "nothing left to pay"):
            invoice._b2b_prepare_payment()

    def test_remittance_in_the_payers_language(self):
        accountant = self.portal_users["accountant"]
        accountant.partner_id.lang = "fr_FR"
        first, second = self._invoice(price=300.0), self._invoice(price=200.0)
        # made by the paying portal user, as the transaction route does (in sudo, as that user)
        transaction = self._transaction(first | second, reference="PAY15-FR", user=accountant)
        self._pay(transaction)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", accountant.partner_id.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn("votre paiement", mail.subject)
        self.assertIn("Il a été affecté comme suit", mail.body_html)
        self.assertIn(first.name, mail.body_html)
        # a payment made by the back office (or the automatic payment) sends none
        other = self._transaction(self._invoice(price=10.0) | self._invoice(price=20.0), reference="PAY15-BO")
        self._pay(other)
        self.assertEqual(self.env["mail.mail"].search_count([("subject", "ilike", "PAY15-BO")]), 0)
