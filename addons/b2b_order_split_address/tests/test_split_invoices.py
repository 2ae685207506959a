from odoo.tests import tagged

from .common import SplitAddressCase


@tagged("post_install", "-at_install")
class TestSplitInvoices(SplitAddressCase):
    """The salesman takes and confirms the orders; the accountant invoices them."""

    def setUp(self):
        super().setUp()
        self.salesman = self.users["salesman"]
        self.accountant = self.users["accountant"]

    def _confirm_and_invoice(self, orders):
        """Confirm ``orders`` as the salesman, then the Create Invoice wizard as the accountant."""
        orders.with_user(self.salesman).action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.accountant)
            .create({"advance_payment_method": "delivered", "sale_order_ids": orders.ids})
        )
        wizard.create_invoices()
        return orders.with_user(self.accountant).invoice_ids

    def test_two_invoice_addresses_two_invoices(self):
        order = self._order(
            [
                (self.paper, 10, {}),
                (self.toner, 2, {"partner_invoice_id": self.cooperative.id, "partner_shipping_id": self.site_b.id}),
                (self.gel, 5, {}),
            ],
            user=self.salesman,
        )
        invoices = self._confirm_and_invoice(order)
        self.assertEqual(len(invoices), 2)
        group_invoice = invoices.filtered(lambda inv: inv.partner_id == order.partner_invoice_id)
        coop_invoice = invoices.filtered(lambda inv: inv.partner_id == self.cooperative)
        self.assertEqual(set(group_invoice.invoice_line_ids.product_id.ids), {self.paper.id, self.gel.id})
        self.assertEqual(coop_invoice.invoice_line_ids.product_id, self.toner)
        self.assertEqual(group_invoice.payer_id, self.group)
        self.assertEqual(coop_invoice.payer_id, self.cooperative)
        self.assertEqual(coop_invoice.invoice_line_ids.b2b_delivery_partner_id, self.site_b)
        self.assertEqual(sum(invoices.mapped("amount_untaxed")), order.amount_untaxed, "nothing lost")
        self.assertTrue(all(line.qty_to_invoice == 0 for line in order.order_line))

    def test_sections_follow_their_lines(self):
        order = self._order([(self.paper, 1, {})], user=self.salesman)
        self.env["sale.order.line"].with_user(self.salesman).create(
            [
                {"order_id": order.id, "display_type": "line_section", "name": "Site B", "sequence": 20},
                {
                    "order_id": order.id,
                    "product_id": self.toner.id,
                    "product_uom_qty": 1,
                    "partner_invoice_id": self.cooperative.id,
                    "sequence": 21,
                },
            ]
        )
        invoices = self._confirm_and_invoice(order)
        coop_invoice = invoices.filtered(lambda inv: inv.partner_id == self.cooperative)
        self.assertIn(
            "Site B",
            coop_invoice.invoice_line_ids.filtered(lambda line: line.display_type == "line_section").mapped("name"),
        )
        other = invoices - coop_invoice
        self.assertNotIn("Site B", other.invoice_line_ids.mapped("name"))

    def test_several_orders_invoiced_together_lose_nothing(self):
        orders = self._order(
            [(self.paper, 10, {}), (self.toner, 2, {"partner_invoice_id": self.cooperative.id})], user=self.salesman
        ) | self._order(
            [(self.gel, 3, {}), (self.toner, 1, {"partner_invoice_id": self.cooperative.id})], user=self.salesman
        )
        invoices = self._confirm_and_invoice(orders)
        self.assertEqual(len(invoices), 2, "one per billed party, orders grouped as Odoo does")
        self.assertAlmostEqual(sum(invoices.mapped("amount_total")), sum(orders.mapped("amount_total")))
        self.assertEqual(len(invoices.invoice_line_ids.filtered(lambda line: line.display_type == "product")), 4)
        coop_invoice = invoices.filtered(lambda inv: inv.partner_id == self.cooperative)
        self.assertEqual(coop_invoice.invoice_line_ids.sale_line_ids.order_id, orders)

    def test_delivery_address_printed_on_invoice_line(self):
        order = self._order(
            [(self.paper, 10, {}), (self.toner, 2, {"partner_shipping_id": self.site_b.id})], user=self.salesman
        )
        invoice = self._confirm_and_invoice(order)
        invoice.action_post()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertEqual(invoice.partner_shipping_id, self.site_a, "printed as the invoice's shipping address")
        self.assertEqual(
            html.count("Delivered to:"), 1, "only the line shipped elsewhere than the address the invoice prints"
        )
        self.assertIn(self.site_b.name, html)
        self.assertIn(self.site_a.name, html)
        self.assertNotRegex(html, r",\s*,", "no empty address parts")
