from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import B2bPartyRolesUsersCase


@tagged("post_install", "-at_install")
class TestInvoicePayer(B2bPartyRolesUsersCase):
    """The salesman takes and invoices his orders (Create Invoice), the billing user checks,
    corrects and posts the invoices, the accountant registers the payer's payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_head_office()
        cls.salesman = cls.users["salesman"]
        cls.billing = cls.users["billing"]

    def _invoice(self, orders):
        return self._invoice_as(self.salesman, orders).with_user(self.billing)

    def _order(self, qty=1.0, **vals):
        return self._order_as(self.salesman, self.buyer, qty=qty, **vals)

    def test_invoice_carries_payer_and_ordering_contact(self):
        invoice = self._invoice(self._order(client_order_ref="PO-4521"))
        self.assertEqual(invoice.partner_id, self.holding, "the billed party is the invoice's customer")
        self.assertEqual(invoice.payer_id, self.treasury)
        self.assertEqual(invoice.b2b_ordering_partner_id, self.buyer)
        self.assertEqual(invoice.ref, "PO-4521")

    def test_receivable_lines_belong_to_payer(self):
        invoice = self._invoice(self._order())
        invoice.action_post()
        term_lines = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertTrue(term_lines)
        self.assertEqual(term_lines.partner_id, self.treasury)
        other_lines = invoice.line_ids - term_lines
        self.assertEqual(other_lines.partner_id, self.holding, "income and tax lines stay on the billed party")

    def test_payer_changed_on_draft_moves_receivable(self):
        invoice = self._invoice(self._order())
        invoice.payer_id = self.holding
        term_lines = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(term_lines.partner_id, self.holding)

    def test_salesman_cannot_change_the_payer_of_an_invoice(self):
        invoice = self._invoice(self._order())
        with self.assertRaises(AccessError):
            invoice.with_user(self.salesman).write({"payer_id": self.holding.id})
        self.assertEqual(invoice.payer_id, self.treasury)

    def test_payer_locked_once_posted(self):
        invoice = self._invoice(self._order())
        invoice.action_post()
        for user in (self.billing, self.users["accountant"]):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                invoice.with_user(user).payer_id = self.holding
        self.assertEqual(invoice.payer_id, self.treasury)

    def test_not_allowed_payer_refused_on_invoice(self):
        invoice = self._invoice(self._order())
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            invoice.payer_id = self.other_customer
            invoice.flush_recordset()

    def test_payment_from_payer_reconciles(self):
        invoice = self._invoice(self._order(qty=3))
        invoice.action_post()
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.users["accountant"])
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertEqual(wizard.partner_id, self.treasury, "the payment is registered from the payer")
        wizard.action_create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))

    def test_two_payers_two_invoices(self):
        order_treasury = self._order()
        order_holding = self._order()
        order_holding.payer_id = self.holding
        invoices = self._invoice(order_treasury | order_holding)
        self.assertEqual(len(invoices), 2, "never grouped across payers")
        self.assertEqual(set(invoices.mapped("payer_id").ids), {self.treasury.id, self.holding.id})
        same_payer = self._order() | self._order()
        self.assertEqual(len(self._invoice(same_payer)), 1, "same parties: one invoice as in Odoo")

    def test_manual_invoice_defaults_to_billed_party_payer(self):
        self.holding.write({"allowed_payer_ids": [(6, 0, self.treasury.ids)], "payer_id": self.treasury.id})
        with Form(
            self.env["account.move"].with_user(self.billing).with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.holding
            with form.invoice_line_ids.new() as line:
                line.product_id = self.product
        invoice = form.save()
        self.assertEqual(invoice.payer_id, self.treasury)

    def test_invoice_email_goes_to_payer_too(self):
        self.treasury.email = "tresorerie@groupe.example"
        self.holding.email = "compta@holding.example"
        invoice = self._invoice(self._order())
        invoice.action_post()
        recipients = invoice._message_get_default_recipients()[invoice.id]["partner_ids"]
        self.assertIn(self.holding.id, recipients)
        self.assertIn(self.treasury.id, recipients)

    def test_invoice_document_shows_parties(self):
        invoice = self._invoice(self._order(client_order_ref="PO-777"))
        invoice.action_post()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.billing)
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Paid by", html)
        self.assertIn(self.treasury.name, html)
        self.assertIn("Ordered by", html)
        self.assertIn(self.buyer.name, html)
        self.assertIn("PO-777", html)
