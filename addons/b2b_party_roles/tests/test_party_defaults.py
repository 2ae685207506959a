from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import B2bPartyRolesCase


@tagged("post_install", "-at_install")
class TestPartyDefaults(B2bPartyRolesCase):
    def test_no_configuration_keeps_odoo_behaviour(self):
        order = self._create_order(self.buyer)
        self.assertEqual(order.partner_invoice_id.id, self.buyer.address_get(["invoice"])["invoice"])
        self.assertEqual(order.payer_id, self.subsidiary, "without configuration the customer pays")

    def test_cascade_customer_payer_first(self):
        self._configure_head_office()
        order = self._create_order(self.buyer)
        self.assertEqual(order.partner_id, self.buyer, "the ordering contact stays the customer")
        self.assertEqual(order.partner_invoice_id, self.holding, "invoiced to the default billed party")
        self.assertEqual(order.payer_id, self.treasury, "the customer's own payer comes first")

    def test_cascade_billed_party_payer_then_billed_party(self):
        self.subsidiary.write(
            {"allowed_billed_partner_ids": [(6, 0, self.holding.ids)], "billed_partner_id": self.holding.id}
        )
        order = self._create_order(self.buyer)
        self.assertEqual(order.payer_id, self.holding, "no payer anywhere: the billed party pays")
        self.holding.write({"allowed_payer_ids": [(6, 0, self.treasury.ids)], "payer_id": self.treasury.id})
        order = self._create_order(self.buyer)
        self.assertEqual(order.payer_id, self.treasury, "then the billed party's payer")

    def test_changing_billed_party_recomputes_payer(self):
        self.subsidiary.write({"allowed_billed_partner_ids": [(6, 0, self.holding.ids)]})
        order = self._create_order(self.buyer)
        self.assertEqual(order.payer_id, self.subsidiary)
        order.partner_invoice_id = self.holding
        self.assertEqual(order.payer_id, self.holding)

    def test_refuse_not_allowed_billed_party_on_order(self):
        orders_before = self.env["sale.order"].search_count([])
        with self.assertRaises(ValidationError) as error:
            self._create_order(self.buyer, partner_invoice_id=self.other_customer.id)
        message = str(error.exception)
        self.assertIn(self.other_customer.name, message)
        self.assertIn(self.subsidiary.name, message)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before, "nothing saved")

    def test_refuse_not_allowed_payer_on_order(self):
        order = self._create_order(self.buyer)
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            order.payer_id = self.other_customer
            order.flush_recordset()
        self.assertIn(self.other_customer.name, str(error.exception))
        self.assertIn(self.subsidiary.name, str(error.exception))
        order.invalidate_recordset()
        self.assertEqual(order.payer_id, self.subsidiary, "the payer was not changed")

    def test_refuse_not_allowed_defaults_on_partner(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.subsidiary.billed_partner_id = self.other_customer
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.subsidiary.payer_id = self.other_customer
        self.subsidiary.invalidate_recordset()
        self.assertFalse(self.subsidiary.billed_partner_id)
        self.assertFalse(self.subsidiary.payer_id)

    def test_own_addresses_are_always_allowed(self):
        invoice_address = self.env["res.partner"].create(
            {"name": "Service comptable", "type": "invoice", "parent_id": self.subsidiary.id}
        )
        order = self._create_order(self.buyer)
        self.assertEqual(order.partner_invoice_id, invoice_address)
        order.partner_invoice_id = self.subsidiary
        order.flush_recordset()

    def test_viewer_cannot_order(self):
        with self.assertRaises(ValidationError) as error:
            self._create_order(self.viewer)
        self.assertIn("viewer", str(error.exception))

    def test_only_sales_managers_edit_roles_configuration(self):
        with self.assertRaises(AccessError):
            self.subsidiary.with_user(self.salesman).write({"allowed_billed_partner_ids": [(6, 0, self.holding.ids)]})
        with self.assertRaises(AccessError):
            self.subsidiary.with_user(self.salesman).write({"b2b_approval_limit": 10.0})
        self.assertFalse(self.subsidiary.allowed_billed_partner_ids)
        # a salesman still edits everything else, and creates contacts
        self.subsidiary.with_user(self.salesman).write({"phone": "+33 1 00 00 00 00"})
        self.env["res.partner"].with_user(self.salesman).create(
            {"name": "New contact", "parent_id": self.subsidiary.id}
        )
        # a sales manager edits the configuration
        self.subsidiary.with_user(self.sales_manager).write(
            {"allowed_billed_partner_ids": [(6, 0, self.holding.ids)], "billed_partner_id": self.holding.id}
        )
        self.assertEqual(self.subsidiary.billed_partner_id, self.holding)

    def test_defaults_are_per_company(self):
        self._configure_head_office()
        other_company = self.env["res.company"].create(
            {"name": "Autre Société B2B", "currency_id": self.company.currency_id.id}
        )
        subsidiary_elsewhere = self.subsidiary.with_company(other_company)
        self.assertFalse(subsidiary_elsewhere.billed_partner_id, "billed party set in one company only")
        self.assertFalse(subsidiary_elsewhere.payer_id, "payer set in one company only")
        self.assertEqual(self.subsidiary.with_company(self.company).payer_id, self.treasury)
        order = (
            self.env["sale.order"]
            .with_company(other_company)
            .create({"partner_id": self.buyer.id, "company_id": other_company.id})
        )
        self.assertEqual(order.partner_invoice_id.id, self.buyer.address_get(["invoice"])["invoice"])
        self.assertEqual(order.payer_id, self.subsidiary)
