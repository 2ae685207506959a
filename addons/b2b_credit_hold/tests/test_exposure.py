from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestExposure(CreditCase):
    def test_exposure_figures_by_hand(self):
        # open receivable: 1,200 invoiced, 200 paid -> 1,000, of which all overdue
        invoice = self._posted_invoice(1200, days_overdue=5)
        self._pay(invoice, amount=200)
        # confirmed, not invoiced: 500 EUR
        self.customer.credit_limit = 10**6
        self._order(500).action_confirm()
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
        order_usd.action_confirm()
        # a partly invoiced order: 300 ordered, 100 invoiced (draft) -> 200 to invoice + 100 draft
        partial = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 3, "price_unit": 100}),
                ],
            }
        )
        partial.action_confirm()
        draft = partial._create_invoices()
        draft.invoice_line_ids.quantity = 1
        # a draft invoice entered by hand: 300
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 300, "tax_ids": []})],
            }
        )
        partner = self.customer.with_company(self.company)
        partner.invalidate_recordset()
        self.assertAlmostEqual(partner.b2b_receivable_amount, 1000.0)
        self.assertAlmostEqual(partner.b2b_overdue_amount, 1000.0)
        self.assertAlmostEqual(partner.b2b_to_invoice_amount, 500.0 + 200.0 + 200.0)
        self.assertAlmostEqual(partner.b2b_draft_invoice_amount, 100.0 + 300.0)
        self.assertAlmostEqual(partner.b2b_credit_exposure, 2300.0)
        self.assertAlmostEqual(partner.b2b_credit_available, 10**6 - 2300.0)
        self.assertEqual(self.contact.b2b_credit_exposure, 2300.0, "contacts show their entity's figures")
        self.assertIn(
            partner, self.env["res.partner"].search([("b2b_credit_alert", "=", False), ("id", "=", partner.id)])
        )
        partner.credit_limit = 2000
        partner.invalidate_recordset()
        self.assertIn(partner, self.env["res.partner"].search([("b2b_credit_alert", "=", True)]))

    def test_exposure_is_by_payer(self):
        payer = self.env["res.partner"].create({"name": "Trésorerie", "is_company": True})
        self.customer.write({"allowed_payer_ids": [Command.set(payer.ids)], "payer_id": payer.id, "credit_limit": 0})
        payer.credit_limit = 1000
        payer.b2b_credit_policy = "block"
        self._order(600).action_confirm()
        self.assertEqual(payer.b2b_credit_exposure, 600.0, "the payer carries the exposure")
        self.assertEqual(self.customer.b2b_credit_exposure, 0.0)
        order = self._order(600)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold, "the payer's limit applies")

    def test_click_through(self):
        invoice = self._posted_invoice(100)
        action = self.customer.action_b2b_open_receivables()
        lines = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(lines.move_id, invoice)

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "Autre société", "currency_id": self.company.currency_id.id})
        self._posted_invoice(5000)
        self.assertEqual(self.customer.with_company(other).b2b_credit_exposure, 0.0)
        self.assertEqual(self.customer.with_company(self.company).b2b_credit_exposure, 5000.0)
        self.assertFalse(self.customer.with_company(other).b2b_credit_policy, "policy set in one company only")
        self.assertFalse(self.customer.with_company(other).credit_limit)
