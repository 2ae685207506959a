"""Cross-addon smoke tests: the suite is installed on a French company, the portal
opens in a real browser for a customer's portal user, and a posted invoice renders
as a real PDF (wkhtmltopdf) that carries its number."""

import subprocess

from odoo.tests import HttpCase, TransactionCase, new_test_user

B2B_ADDONS = (
    "b2b_party_roles",
    "b2b_order_split_address",
    "b2b_credit_hold",
    "b2b_monthly_invoicing",
    "b2b_replenishment",
    "b2b_customer_portal",
)


class SuiteTagsMixin:
    """Odoo tags test classes of `odoo.addons.*` modules itself; these cross-addon
    tests live outside any addon, so they carry the tags explicitly."""

    test_tags = {"standard", "post_install", "-at_install"}
    test_module = "b2b_suite"


class TestSuiteInstalled(SuiteTagsMixin, TransactionCase):
    def test_six_addons_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", B2B_ADDONS)])
        self.assertEqual(sorted(modules.mapped("name")), sorted(B2B_ADDONS))
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_french_company(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id.code, "FR")
        self.assertEqual(company.currency_id.name, "EUR")
        self.assertEqual(company.chart_template, "fr")
        self.assertTrue(self.env["res.lang"]._lang_get("fr_FR").active)


class TestPortalAndInvoicePdf(SuiteTagsMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Smoke Test Customer SARL",
                "is_company": True,
                "street": "3 quai Saint-Vincent",
                "zip": "69001",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="smoke.portal@example.com",
            password="smoke.portal@example.com",
            groups="base.group_portal",
            name="Smoke Portal Buyer",
            parent_id=cls.customer.id,
        )

    def test_portal_home_in_browser(self):
        """A customer's portal user logs in and Chromium shows the portal home."""
        code = """
            const home = document.querySelector('.o_portal_my_home');
            if (!home) { throw new Error('portal home not shown'); }
            if (!document.body.innerText.includes('Smoke Portal Buyer')) {
                throw new Error('the portal user is not the one logged in');
            }
            console.log('test successful');
        """
        self.browser_js("/my", code, login=self.portal_user.login)

    def test_posted_invoice_pdf_contains_its_number(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Ramette papier A4", "quantity": 10, "price_unit": 4.9}),
                ],
            }
        )
        invoice.action_post()
        self.assertTrue(invoice.name and invoice.name != "/")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn(invoice.name, text)
        self.assertIn("Smoke Test Customer SARL", text)
