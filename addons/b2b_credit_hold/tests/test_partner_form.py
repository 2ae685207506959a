from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import Form, tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestPartnerForm(B2bRoleUsersMixin, CreditCase):
    """A new customer is created from the full partner form by sales staff (who, as in a
    real company, may create contacts): the credit figures of an unsaved partner compute."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_form")
        partner_manager = cls.env.ref("base.group_partner_manager")
        for role in ("salesman", "sales_manager"):
            cls.users[role].group_ids += partner_manager

    def _create_company_in_form(self, user, name):
        # the "Company" kind of contact, as the customer list's New button in Sales
        with Form(self.env["res.partner"].with_user(user).with_context(default_is_company=True)) as form:
            form.name = name
            self.assertFalse(form.b2b_credit_exposure)
            self.assertFalse(form.b2b_late_payer)
        partner = form.record
        self.assertTrue(partner.id)
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.name, name)
        return partner

    def test_sales_manager_creates_customer_in_full_form(self):
        self._create_company_in_form(self.users["sales_manager"], "Nouveau Client SAS")

    def test_salesman_creates_customer_in_full_form(self):
        partner = self._create_company_in_form(self.users["salesman"], "Client du Commercial SARL")
        # a contact of the new company, also from the full form
        with Form(self.env["res.partner"].with_user(self.users["salesman"])) as form:
            form.name = "Camille Contact"
            form.parent_id = partner
        self.assertEqual(form.record.commercial_partner_id, partner)

    def test_figures_of_unsaved_partner_read_from_origin(self):
        """Editing an existing customer in a form (a new record with an origin) shows its
        real figures."""
        self._posted_invoice(300)
        edited = self.customer.with_user(self.users["sales_manager"]).new(origin=self.customer)
        self.assertEqual(edited.b2b_receivable_amount, 300.0)
        self.assertEqual(edited.b2b_credit_exposure, 300.0)
        self.assertFalse(edited.b2b_late_payer)
