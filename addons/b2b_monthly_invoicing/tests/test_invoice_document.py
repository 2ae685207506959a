import subprocess
from xml.etree import ElementTree

from odoo.tests import HttpCase, tagged

from .common import MonthlyDataMixin


@tagged("post_install", "-at_install")
class TestInvoiceDocument(MonthlyDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        company = cls.env.company
        company.write({"email": "factures@fournisseur.example", "phone": "+33 4 78 00 00 00", "vat": "FR19812345676"})
        cls.env["res.partner.bank"].create(
            {
                "partner_id": company.partner_id.id,
                "acc_number": "FR7630006000011234567890189",
                "allow_out_payment": True,
            }
        )
        cls._setup_monthly_data()
        order_1 = cls._delivered_order(cls.alpha, [(cls.paper, 10), (cls.toner, 14)], days_ago=9)
        order_2 = cls._delivered_order(cls.alpha, [(cls.paper, 6)], days_ago=2)
        cls.pickings = (order_1 | order_2).picking_ids
        cls.invoice = cls._run().invoice_ids
        cls.invoice.invoice_payment_term_id = cls.env.ref("b2b_monthly_invoicing.payment_term_30_days")
        cls.invoice.action_post()

    def test_mentions_and_amount_in_words_in_pdf(self):
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", self.invoice.ids)
        )
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        flat = " ".join(text.split())
        self.assertIn(self.invoice.name, flat)
        self.assertIn("40 €", flat, "fixed recovery indemnity")
        self.assertIn("L441-10", flat)
        self.assertIn("812345676", flat, "the customer's SIREN")
        for picking in self.pickings:
            self.assertIn(picking.name, flat, "delivery notes covered by the summary invoice")
        words = self.invoice.currency_id.with_context(lang="fr_FR").amount_to_text(self.invoice.amount_total)
        self.assertIn(" ".join(words.split()[:3]), flat, "amount in words, in the customer's language")
        self.assertIn("Euros", words)

    def test_facturx_totals_and_lines_match(self):
        xml, errors = self.env["account.edi.xml.cii"]._export_invoice(self.invoice)
        self.assertFalse(errors)
        root = ElementTree.fromstring(xml)
        ns = {
            "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        }
        grand_total = float(
            root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount", ns).text
        )
        self.assertAlmostEqual(grand_total, self.invoice.amount_total)
        tax_basis = float(
            root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxBasisTotalAmount", ns).text
        )
        self.assertAlmostEqual(tax_basis, self.invoice.amount_untaxed)
        items = root.findall(".//ram:IncludedSupplyChainTradeLineItem", ns)
        product_lines = self.invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(len(items), len(product_lines))
