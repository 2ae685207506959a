from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestNewOrderDomains(B2bRoleUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_newid")
        cls.portal_customer.b2b_credit_policy = "prepay_first"

    def test_new_quotation_of_a_customer_paying_its_first_order_in_advance(self):
        """The quotation form computes the prepayment of a customer paying its first order in
        advance on a new (unsaved) order: its other orders are searched without a domain on the
        new record's id (no "Domains don't support NewId" warning)."""
        with self.assertNoLogs("odoo.domains", level="WARNING"):
            form = Form(self.env["sale.order"].with_user(self.users["salesman"]))
            form.partner_id = self.portal_customer
            self.assertTrue(form.require_payment, "its first order is prepaid")
            self.assertEqual(form.prepayment_percent, 1.0)
