from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLineFiscalPosition(B2bRoleUsersMixin, TransactionCase):
    """A French customer with a site in Lyon and one in Brussels, which may bill its
    Belgian entity (EU VAT number), sold by a French company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="splitfp")
        cls.company = cls.env.company
        cls.company.vat = "FR23334175221"
        Partner = cls.env["res.partner"]
        france, belgium = cls.env.ref("base.fr"), cls.env.ref("base.be")
        cls.belgian_entity = Partner.create(
            {"name": "Entité Belge SA", "is_company": True, "vat": "BE0477472701", "country_id": belgium.id}
        )
        cls.customer = Partner.create(
            {
                "name": "Groupe Français FP",
                "is_company": True,
                "vat": "FR40303265045",
                "country_id": france.id,
                "allowed_billed_partner_ids": [(6, 0, cls.belgian_entity.ids)],
            }
        )
        cls.site_lyon, cls.site_brussels = Partner.create(
            [
                {"name": "Site Lyon", "type": "delivery", "parent_id": cls.customer.id, "country_id": france.id},
                {"name": "Site Bruxelles", "type": "delivery", "parent_id": cls.customer.id, "country_id": belgium.id},
            ]
        )
        Product = cls.env["product.product"]
        cls.paper, cls.toner = Product.create(
            [
                {"name": "Papier FP", "list_price": 10.0, "type": "consu", "invoice_policy": "order"},
                {"name": "Toner FP", "list_price": 100.0, "type": "consu", "invoice_policy": "order"},
            ]
        )
        chart = cls.env["account.chart.template"].with_company(cls.company)
        cls.domestic = chart.ref("fiscal_position_template_domestic")
        cls.intra_eu = chart.ref("fiscal_position_template_intraeub2b")
        cls.vat_20 = chart.ref("tva_normale")
        cls.vat_intra_0 = chart.ref("tva_sale_good_intra_0")

    def _quotation(self, user, **toner_vals):
        """The user's quotation: paper follows the header (Lyon), toner gets ``toner_vals``."""
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "partner_shipping_id": self.site_lyon.id,
                    "user_id": user.id,
                    "order_line": [
                        (0, 0, {"product_id": self.paper.id, "product_uom_qty": 10}),
                        (0, 0, {"product_id": self.toner.id, "product_uom_qty": 1, **toner_vals}),
                    ],
                }
            )
        )

    def test_line_billed_and_delivered_abroad_is_taxed_as_its_invoice(self):
        salesman = self.users["salesman"]
        self.assertEqual(self.paper.taxes_id, self.vat_20)
        order = self._quotation(
            salesman, partner_invoice_id=self.belgian_entity.id, partner_shipping_id=self.site_brussels.id
        )
        paper_line, toner_line = order.order_line
        expected = (
            self.env["account.fiscal.position"]
            .with_company(self.company)
            ._get_fiscal_position(self.belgian_entity, delivery=self.site_brussels)
        )
        self.assertEqual(expected, self.intra_eu, "what Odoo decides for an invoice to that entity delivered there")
        self.assertEqual(order.fiscal_position_id, self.domestic)
        self.assertEqual(paper_line.fiscal_position_id, self.domestic, "follows the order's position")
        self.assertEqual(paper_line.tax_ids, self.vat_20)
        self.assertEqual(toner_line.fiscal_position_id, self.intra_eu)
        self.assertEqual(toner_line.tax_ids, self.vat_intra_0)
        self.assertAlmostEqual(order.amount_untaxed, 200.0)
        self.assertAlmostEqual(order.amount_tax, 20.0, msg="only the French line bears French VAT")

        # the line goes back to the order's addresses: it is taxed as the order again
        toner_line.with_user(salesman).write(
            {"partner_invoice_id": order.partner_invoice_id.id, "partner_shipping_id": self.site_lyon.id}
        )
        self.assertEqual(toner_line.fiscal_position_id, self.domestic)
        self.assertEqual(toner_line.tax_ids, self.vat_20)
        self.assertAlmostEqual(order.amount_tax, 40.0)
        # and abroad again, from the line only
        toner_line.with_user(salesman).write(
            {"partner_invoice_id": self.belgian_entity.id, "partner_shipping_id": self.site_brussels.id}
        )
        self.assertEqual(toner_line.tax_ids, self.vat_intra_0)

    def test_header_fiscal_position_set_by_hand_is_kept_by_following_lines(self):
        salesman = self.users["salesman"]
        order = self._quotation(salesman)
        order.with_user(salesman).fiscal_position_id = self.intra_eu
        self.assertEqual(order.order_line.fiscal_position_id, self.intra_eu)
        order.with_user(salesman).action_update_taxes()
        self.assertEqual(order.order_line.tax_ids, self.vat_intra_0, "Odoo's own Update Taxes maps them")

    def test_invoices_split_per_fiscal_position(self):
        billing = self.users["billing"]
        order = self._quotation(
            billing, partner_invoice_id=self.belgian_entity.id, partner_shipping_id=self.site_brussels.id
        )
        order.with_user(billing).action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(billing)
            .create({"advance_payment_method": "delivered", "sale_order_ids": order.ids})
        )
        wizard.create_invoices()
        invoices = order.invoice_ids
        self.assertEqual(len(invoices), 2)
        french = invoices.filtered(lambda invoice: invoice.partner_id == order.partner_invoice_id)
        belgian = invoices.filtered(lambda invoice: invoice.partner_id == self.belgian_entity)
        self.assertEqual(french.fiscal_position_id, self.domestic)
        self.assertEqual(french.invoice_line_ids.tax_ids, self.vat_20)
        self.assertEqual(belgian.fiscal_position_id, self.intra_eu)
        self.assertEqual(belgian.invoice_line_ids.product_id, self.toner)
        self.assertEqual(belgian.invoice_line_ids.tax_ids, self.vat_intra_0)
        self.assertAlmostEqual(belgian.amount_tax, 0.0)
        self.assertAlmostEqual(sum(invoices.mapped("amount_total")), order.amount_total)

    def test_same_billed_party_two_positions_two_invoices(self):
        billing = self.users["billing"]
        order = self._quotation(
            billing, partner_invoice_id=self.belgian_entity.id, partner_shipping_id=self.site_brussels.id
        )
        paper_line = order.order_line.filtered(lambda line: line.product_id == self.paper)
        paper_line.with_user(billing).partner_invoice_id = self.belgian_entity
        # billed to the Belgian entity but delivered in France: French VAT
        self.assertEqual(paper_line.fiscal_position_id, self.domestic)
        self.assertEqual(paper_line.tax_ids, self.vat_20)
        order.with_user(billing).action_confirm()
        invoices = order.with_user(billing)._create_invoices()
        self.assertEqual(len(invoices), 2, "one billed party, two fiscal positions: two invoices")
        self.assertEqual(invoices.partner_id, self.belgian_entity)
        self.assertEqual(
            {(invoice.fiscal_position_id, invoice.invoice_line_ids.product_id) for invoice in invoices},
            {(self.domestic, self.paper), (self.intra_eu, self.toner)},
        )

    def test_confirmed_order_is_never_taxed_again(self):
        salesman = self.users["salesman"]
        order = self._quotation(
            salesman, partner_invoice_id=self.belgian_entity.id, partner_shipping_id=self.site_brussels.id
        )
        order.with_user(salesman).action_confirm()
        total = order.amount_total
        toner_line = order.order_line.filtered(lambda line: line.product_id == self.toner)
        toner_line.with_user(salesman).partner_shipping_id = self.site_lyon
        order.with_user(salesman).partner_shipping_id = self.site_brussels
        self.assertEqual(toner_line.fiscal_position_id, self.intra_eu, "kept with the taxes it mapped")
        self.assertEqual(toner_line.tax_ids, self.vat_intra_0)
        self.assertAlmostEqual(order.amount_total, total)

    def test_several_orders_invoiced_together_per_fiscal_position(self):
        billing = self.users["billing"]
        belgian = {"partner_invoice_id": self.belgian_entity.id, "partner_shipping_id": self.site_brussels.id}
        orders = self._quotation(billing, **belgian) | self._quotation(billing, **belgian)
        orders.with_user(billing).action_confirm()
        invoices = orders.with_user(billing)._create_invoices()
        self.assertEqual(len(invoices), 2, "orders grouped as Odoo does, never across fiscal positions")
        by_position = {invoice.fiscal_position_id: invoice for invoice in invoices}
        self.assertEqual(set(by_position), {self.domestic, self.intra_eu})
        self.assertEqual(len(by_position[self.intra_eu].invoice_line_ids.filtered("product_id")), 2)
        self.assertEqual(by_position[self.intra_eu].invoice_line_ids.filtered("product_id").tax_ids, self.vat_intra_0)
        self.assertAlmostEqual(sum(invoices.mapped("amount_total")), sum(orders.mapped("amount_total")))

    def test_quotation_form_maps_taxes_as_the_line_changes(self):
        salesman = self.users["salesman"]
        order = self._quotation(salesman)
        with Form(order.with_user(salesman)) as form, form.order_line.edit(1) as line:
            line.partner_invoice_id = self.belgian_entity
            line.partner_shipping_id = self.site_brussels
            self.assertEqual(list(line.tax_ids), [self.vat_intra_0], "seen before saving")
        self.assertEqual(order.order_line[1].tax_ids, self.vat_intra_0)
        self.assertAlmostEqual(order.amount_tax, 20.0)
