from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MonthlyCase


@tagged("post_install", "-at_install")
class TestLegalChecks(MonthlyCase):
    def _term(self, days, delay_type="days_after"):
        return self.env["account.payment.term"].create(
            {
                "name": f"{days} {delay_type}",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100, "nb_days": days, "delay_type": delay_type})
                ],
            }
        )

    def _invoice(self, term, summary=False):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.gamma.id,
                "invoice_date": "2026-03-10",
                "invoice_payment_term_id": term.id,
                "b2b_summary_invoice": summary,
                "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 100})],
            }
        )

    def test_sixty_days_end_of_month_refused(self):
        invoice = self._invoice(self._term(60, "days_after_end_of_month"))
        with self.assertRaises(UserError) as error:
            invoice.action_post()
        self.assertIn("45 days end of month", str(error.exception))
        self.assertIn("L441-10", str(error.exception))
        self.assertEqual(invoice.state, "draft")

    def test_sixty_one_days_refused_sixty_allowed(self):
        with self.assertRaises(UserError) as error:
            self._invoice(self._term(61)).action_post()
        self.assertIn("60 days", str(error.exception))
        invoice = self._invoice(self._term(60))
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        invoice = self._invoice(self.env.ref("b2b_monthly_invoicing.payment_term_45_days_eom"))
        invoice.action_post()
        self.assertEqual(invoice.state, "posted", "45 days end of month is the legal maximum")

    def test_sixty_day_summary_invoice_refused(self):
        invoice = self._invoice(self._term(60), summary=True)
        with self.assertRaises(UserError) as error:
            invoice.action_post()
        self.assertIn("summary invoice", str(error.exception))
        self.assertIn("45 days", str(error.exception))
        self._invoice(self.env.ref("b2b_monthly_invoicing.payment_term_30_days"), summary=True).action_post()

    def test_checks_can_be_turned_off(self):
        self.env.company.b2b_french_legal_checks = False
        invoice = self._invoice(self._term(90))
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_payment_terms_data_compute_end_of_month(self):
        invoice = self._invoice(self.env.ref("b2b_monthly_invoicing.payment_term_30_days_eom"))
        self.assertEqual(str(invoice.invoice_date_due), "2026-04-30", "end of March + 30 days")
        invoice = self._invoice(self.env.ref("b2b_monthly_invoicing.payment_term_45_days_eom"))
        self.assertEqual(str(invoice.invoice_date_due), "2026-05-15")


@tagged("post_install", "-at_install")
class TestCustomerAddressCheck(B2bRoleUsersMixin, MonthlyCase):
    """A French invoice names its customer's postal address (mandatory mention, EN 16931 BR-10 and
    BR-11): the billing user who posts it is refused when the customer has none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="b2b_address")
        cls.billing = cls.users["billing"]
        cls.nowhere = cls.env["res.partner"].create({"name": "Sans Adresse SARL", "is_company": True})

    def _invoice(self, partner, move_type="out_invoice"):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 100})],
            }
        )

    def test_posting_refused_without_customer_address(self):
        for move_type in ("out_invoice", "out_refund"):
            invoice = self._invoice(self.nowhere, move_type)
            with self.assertRaises(UserError) as error:
                invoice.with_user(self.billing).action_post()
            self.assertIn("Sans Adresse SARL", str(error.exception))
            self.assertIn("postal address", str(error.exception))
            self.assertEqual(invoice.state, "draft")

    def test_incomplete_address_refused_complete_posted(self):
        self.nowhere.write({"street": "3 rue Neuve", "city": "Lyon"})
        invoice = self._invoice(self.nowhere)
        with self.assertRaises(UserError):
            invoice.with_user(self.billing).action_post()
        self.nowhere.write({"zip": "69002", "country_id": self.env.ref("base.fr").id})
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_address_not_required_of_a_private_customer(self):
        """Art. L441-9 governs invoices to businesses: a private person's invoice is not refused."""
        person = self.env["res.partner"].create({"name": "Jean Particulier"})
        invoice = self._invoice(person)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_address_not_required_when_checks_are_off(self):
        self.env.company.b2b_french_legal_checks = False
        invoice = self._invoice(self.nowhere)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
