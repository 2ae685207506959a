from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import B2bPartyRolesCase


@tagged("post_install", "-at_install")
class TestPortalAccess(B2bPartyRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_head_office()
        order = cls._create_order(cls.buyer)
        order.action_confirm()
        cls.invoice = order._create_invoices()
        cls.invoice.action_post()
        treasurer = cls.env["res.partner"].create(
            {"name": "Tina Treasurer", "parent_id": cls.treasury.id, "b2b_portal_role": "accountant"}
        )
        cls.payer_user = new_test_user(
            cls.env, login="b2b_payer_portal", groups="base.group_portal", partner_id=treasurer.id
        )
        cls.other_user = new_test_user(
            cls.env, login="b2b_other_portal", groups="base.group_portal", partner_id=cls.other_contact.id
        )

    def test_payer_portal_user_reads_the_invoice_it_pays(self):
        invoice = self.invoice.with_user(self.payer_user)
        invoice.check_access("read")
        self.assertEqual(invoice.name, self.invoice.name)
        self.assertIn(self.invoice, self.env["account.move"].with_user(self.payer_user).search([]))

    def test_other_customer_cannot_read_the_invoice(self):
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.other_user).check_access("read")
        self.assertNotIn(self.invoice, self.env["account.move"].with_user(self.other_user).search([]))

    def test_payer_portal_user_cannot_write(self):
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.payer_user).write({"ref": "hacked"})
