from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import B2bPartyRolesUsersCase


@tagged("post_install", "-at_install")
class TestPartyDefaults(B2bPartyRolesUsersCase):
    """The sales manager configures who is invoiced and who pays for a customer; the salesman
    takes orders, which follow that configuration, and cannot change it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman_user = cls.users["salesman"]
        cls.manager = cls.users["sales_manager"]

    def _order(self, partner=None, **vals):
        return self._order_as(self.salesman_user, partner or self.buyer, **vals)

    def _configure(self, partner, vals):
        partner.with_user(self.manager).write(vals)

    def test_no_configuration_keeps_odoo_behaviour(self):
        order = self._order()
        self.assertEqual(order.partner_invoice_id.id, self.buyer.address_get(["invoice"])["invoice"])
        self.assertEqual(order.payer_id, self.subsidiary, "without configuration the customer pays")

    def test_cascade_customer_payer_first(self):
        self._configure(
            self.subsidiary,
            {
                "allowed_billed_partner_ids": [(6, 0, self.holding.ids)],
                "billed_partner_id": self.holding.id,
                "allowed_payer_ids": [(6, 0, self.treasury.ids)],
                "payer_id": self.treasury.id,
            },
        )
        order = self._order()
        self.assertEqual(order.partner_id, self.buyer, "the ordering contact stays the customer")
        self.assertEqual(order.partner_invoice_id, self.holding, "invoiced to the default billed party")
        self.assertEqual(order.payer_id, self.treasury, "the customer's own payer comes first")

    def test_cascade_billed_party_payer_then_billed_party(self):
        self._configure(
            self.subsidiary,
            {"allowed_billed_partner_ids": [(6, 0, self.holding.ids)], "billed_partner_id": self.holding.id},
        )
        order = self._order()
        self.assertEqual(order.payer_id, self.holding, "no payer anywhere: the billed party pays")
        self._configure(self.holding, {"allowed_payer_ids": [(6, 0, self.treasury.ids)], "payer_id": self.treasury.id})
        order = self._order()
        self.assertEqual(order.payer_id, self.treasury, "then the billed party's payer")

    def test_changing_billed_party_recomputes_payer(self):
        self._configure(self.subsidiary, {"allowed_billed_partner_ids": [(6, 0, self.holding.ids)]})
        order = self._order()
        self.assertEqual(order.payer_id, self.subsidiary)
        order.partner_invoice_id = self.holding
        self.assertEqual(order.payer_id, self.holding)

    def test_refuse_not_allowed_billed_party_on_order(self):
        orders_before = self.env["sale.order"].search_count([])
        with self.assertRaises(ValidationError) as error:
            self._order(partner_invoice_id=self.other_customer.id)
        message = str(error.exception)
        self.assertIn(self.other_customer.name, message)
        self.assertIn(self.subsidiary.name, message)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before, "nothing saved")

    def test_refuse_not_allowed_payer_on_order(self):
        order = self._order()
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            order.payer_id = self.other_customer
            order.flush_recordset()
        self.assertIn(self.other_customer.name, str(error.exception))
        self.assertIn(self.subsidiary.name, str(error.exception))
        order.invalidate_recordset()
        self.assertEqual(order.payer_id, self.subsidiary, "the payer was not changed")

    def test_refuse_not_allowed_defaults_on_partner(self):
        subsidiary = self.subsidiary.with_user(self.manager)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            subsidiary.billed_partner_id = self.other_customer
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            subsidiary.payer_id = self.other_customer
        self.subsidiary.invalidate_recordset()
        self.assertFalse(self.subsidiary.billed_partner_id)
        self.assertFalse(self.subsidiary.payer_id)

    def test_own_addresses_are_always_allowed(self):
        invoice_address = self.env["res.partner"].create(
            {"name": "Service comptable", "type": "invoice", "parent_id": self.subsidiary.id}
        )
        order = self._order()
        self.assertEqual(order.partner_invoice_id, invoice_address)
        order.partner_invoice_id = self.subsidiary
        order.flush_recordset()
        self.assertEqual(order.partner_invoice_id, self.subsidiary)

    def test_viewer_cannot_order(self):
        viewer = self.portal_users["viewer"]
        with self.assertRaises(ValidationError) as error:
            self._order(partner=viewer.partner_id)
        self.assertIn("viewer", str(error.exception))
        with self.assertRaises(AccessError):
            self._order_as(viewer, viewer.partner_id)
        # a buyer of the same customer orders
        self.assertTrue(self._order(partner=self.portal_users["buyer"].partner_id))

    def test_only_sales_managers_edit_roles_configuration(self):
        configuration = {
            "allowed_billed_partner_ids": [(6, 0, self.holding.ids)],
            "billed_partner_id": self.holding.id,
            "allowed_payer_ids": [(6, 0, self.treasury.ids)],
            "payer_id": self.treasury.id,
            "b2b_approval_limit": 10.0,
        }
        # self.salesman: a salesman who may also create and edit contacts
        refused = (
            self.salesman,
            *(self.users[role] for role in ("salesman", "billing", "accountant", "credit_manager")),
        )
        for user in refused:
            for name, value in configuration.items():
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError):
                    self.subsidiary.with_user(user).write({name: value})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Filiale Bis", "is_company": True, "parent_id": self.holding.id, "b2b_approval_limit": 1.0}
            )
        self.assertFalse(self.subsidiary.allowed_billed_partner_ids)
        self.assertFalse(self.subsidiary.payer_id)
        self.assertFalse(self.subsidiary.b2b_approval_limit)
        # a salesman still edits everything else, and creates contacts
        self.subsidiary.with_user(self.salesman).write({"phone": "+33 1 00 00 00 00"})
        self.env["res.partner"].with_user(self.salesman).create(
            {"name": "New contact", "parent_id": self.subsidiary.id}
        )
        # a sales manager edits the configuration
        self._configure(self.subsidiary, configuration)
        self.assertEqual(self.subsidiary.billed_partner_id, self.holding)
        self.assertEqual(self.subsidiary.payer_id, self.treasury)
        self.assertEqual(self.subsidiary.b2b_approval_limit, 10.0)

    def test_defaults_are_per_company(self):
        self._configure_head_office()
        other_company = self.env["res.company"].create(
            {"name": "Autre Société B2B", "currency_id": self.company.currency_id.id}
        )
        self.salesman_user.company_ids |= other_company
        subsidiary_elsewhere = self.subsidiary.with_user(self.salesman_user).with_company(other_company)
        self.assertFalse(subsidiary_elsewhere.billed_partner_id, "billed party set in one company only")
        self.assertFalse(subsidiary_elsewhere.payer_id, "payer set in one company only")
        self.assertEqual(self.subsidiary.with_user(self.salesman_user).payer_id, self.treasury)
        order = (
            self.env["sale.order"]
            .with_user(self.salesman_user)
            .with_company(other_company)
            .create({"partner_id": self.buyer.id, "company_id": other_company.id})
        )
        self.assertEqual(order.partner_invoice_id.id, self.buyer.address_get(["invoice"])["invoice"])
        self.assertEqual(order.payer_id, self.subsidiary)
