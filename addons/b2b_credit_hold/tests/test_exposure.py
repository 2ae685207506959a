from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestExposure(B2bRoleUsersMixin, CreditCase):
    """The salesman takes and confirms the orders, the billing clerk enters invoices and
    registers payments, the accountant invoices the orders and the credit manager reads
    the figures; the superuser only sets up customers, currencies and companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_exposure")
        cls.salesman = cls.users["salesman"]
        cls.billing = cls.users["billing"]
        cls.accountant = cls.users["accountant"]
        cls.credit_manager = cls.users["credit_manager"]

    def _order(self, amount, partner=None, user=None, **vals):
        return super()._order(amount, partner=partner, user=user or self.salesman, **vals)

    def _posted_invoice(self, amount, days_overdue=0, partner=None, user=None):
        return super()._posted_invoice(amount, days_overdue, partner, user=user or self.billing)

    def _pay(self, invoice, amount=None, date=None, user=None):
        return super()._pay(invoice, amount, date, user=user or self.billing)

    def test_exposure_figures_by_hand(self):
        # open receivable: 1,200 invoiced, 200 paid -> 1,000, of which all overdue
        invoice = self._posted_invoice(1200, days_overdue=5)
        self._pay(invoice, amount=200)
        # confirmed, not invoiced: 500 EUR
        self.customer.credit_limit = 10**6
        self._order(500).with_user(self.salesman).action_confirm()
        # confirmed in USD at 2 USD per EUR: 400 USD -> 200 EUR
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", usd.id)]).unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": usd.id, "rate": 2.0, "name": fields.Date.today(), "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        order_usd = self._order(400, pricelist_id=pricelist.id)
        self.assertEqual(order_usd.currency_id, usd)
        order_usd.with_user(self.salesman).action_confirm()
        # a partly invoiced order: 300 ordered, 100 invoiced (draft) -> 200 to invoice + 100 draft
        partial = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.contact.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 3, "price_unit": 100}),
                    ],
                }
            )
        )
        partial.action_confirm()
        # the accountant invoices it with the Create Invoice wizard
        self.env["sale.advance.payment.inv"].with_user(self.accountant).with_context(
            active_model="sale.order", active_ids=partial.ids
        ).create({"advance_payment_method": "delivered"}).create_invoices()
        draft = partial.with_user(self.accountant).invoice_ids
        draft.invoice_line_ids.quantity = 1
        # a draft invoice entered by hand: 300
        self.env["account.move"].with_user(self.billing).create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 300, "tax_ids": []})],
            }
        )
        # the credit manager reads the figures
        partner = self.customer.with_user(self.credit_manager).with_company(self.company)
        partner.invalidate_recordset()
        self.assertAlmostEqual(partner.b2b_receivable_amount, 1000.0)
        self.assertAlmostEqual(partner.b2b_overdue_amount, 1000.0)
        self.assertAlmostEqual(partner.b2b_to_invoice_amount, 500.0 + 200.0 + 200.0)
        self.assertAlmostEqual(partner.b2b_draft_invoice_amount, 100.0 + 300.0)
        self.assertAlmostEqual(partner.b2b_credit_exposure, 2300.0)
        self.assertAlmostEqual(partner.b2b_credit_available, 10**6 - 2300.0)
        self.assertEqual(
            self.contact.with_user(self.credit_manager).b2b_credit_exposure,
            2300.0,
            "contacts show their entity's figures",
        )
        Partner = self.env["res.partner"].with_user(self.credit_manager)
        self.assertIn(partner, Partner.search([("b2b_credit_alert", "=", False), ("id", "=", partner.id)]))
        partner.credit_limit = 2000
        partner.invalidate_recordset()
        self.assertIn(partner, Partner.search([("b2b_credit_alert", "=", True)]))

    def test_exposure_is_by_payer(self):
        payer = self.env["res.partner"].create({"name": "Trésorerie", "is_company": True})
        self.customer.write({"allowed_payer_ids": [Command.set(payer.ids)], "payer_id": payer.id, "credit_limit": 0})
        payer.credit_limit = 1000
        payer.b2b_credit_policy = "block"
        self._order(600).with_user(self.salesman).action_confirm()
        self.assertEqual(
            payer.with_user(self.credit_manager).b2b_credit_exposure, 600.0, "the payer carries the exposure"
        )
        self.assertEqual(self.customer.with_user(self.credit_manager).b2b_credit_exposure, 0.0)
        order = self._order(600)
        order.with_user(self.salesman).action_confirm()
        self.assertTrue(order.b2b_credit_hold, "the payer's limit applies")

    def test_click_through(self):
        invoice = self._posted_invoice(100)
        action = self.customer.with_user(self.credit_manager).action_b2b_open_receivables()
        lines = self.env["account.move.line"].with_user(self.credit_manager).search(action["domain"])
        self.assertEqual(lines.move_id, invoice)

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "Autre société", "currency_id": self.company.currency_id.id})
        self.credit_manager.company_ids |= other
        self._posted_invoice(5000)
        customer = self.customer.with_user(self.credit_manager)
        self.assertEqual(customer.with_company(other).b2b_credit_exposure, 0.0)
        self.assertEqual(customer.with_company(self.company).b2b_credit_exposure, 5000.0)
        self.assertFalse(customer.with_company(other).b2b_credit_policy, "policy set in one company only")
        self.assertFalse(customer.with_company(other).credit_limit)
