from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOrderType(B2bRoleUsersMixin, TransactionCase):
    """How an order came in (``b2b_order_type``): standard by default and when copied (order
    again), express when Express Invoice confirms it, quick for a quick entry into an empty
    quotation, EDI for files (tested in test_order_import). Filterable in the back office."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="ordtype")
        cls.salesman = cls.users["salesman"]
        cls.env.company.external_report_layout_id = cls.env.ref("web.external_layout_standard")
        cls.product = cls.env["product.product"].create(
            {"name": "Ramette type", "default_code": "TYP-A4", "type": "consu", "list_price": 5.0}
        )

    def _quotation(self, lines=True):
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.portal_customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 3})]
                    if lines
                    else [],
                }
            )
        )

    def test_selection_has_every_addon_value(self):
        selection = dict(
            self.env["sale.order"]
            .with_user(self.salesman)
            .fields_get(["b2b_order_type"])["b2b_order_type"]["selection"]
        )
        expected = {"standard", "express", "quick", "edi"}
        # b2b_replenishment (which depends on this addon) adds its own when installed
        if "b2b_replenishment" in self.env["ir.module.module"]._installed():
            expected.add("replenishment")
        self.assertEqual(set(selection), expected)

    def test_new_order_is_standard(self):
        self.assertEqual(self._quotation().b2b_order_type, "standard")

    def test_express_invoice_makes_an_express_order(self):
        order = self._quotation()
        order.with_user(self.salesman).action_b2b_express_invoice()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.with_user(self.salesman).b2b_order_type, "express")

    def test_express_invoice_of_a_confirmed_order_keeps_its_type(self):
        order = self._quotation()
        order.with_user(self.salesman).action_confirm()
        order.with_user(self.salesman).action_b2b_express_invoice()
        self.assertTrue(order.invoice_ids)
        self.assertEqual(order.b2b_order_type, "standard", "not a phone or counter order confirmed by it")

    def test_refused_express_invoice_leaves_the_type(self):
        order = self._quotation()
        with self.assertRaises(AccessError):
            order.with_user(self.users["stock_user"]).action_b2b_express_invoice()
        self.assertEqual((order.state, order.b2b_order_type), ("draft", "standard"))

    def test_copy_is_standard(self):
        order = self._quotation()
        order.with_user(self.salesman).action_b2b_express_invoice()
        again = order.with_user(self.salesman).copy()
        self.assertEqual(again.b2b_order_type, "standard", "order again gives a standard order")

    def test_quick_entry_into_an_empty_quotation(self):
        order = self._quotation(lines=False)
        wizard = (
            self.env["b2b.quick.entry"].with_user(self.salesman).create({"order_id": order.id, "raw_lines": "TYP-A4;4"})
        )
        wizard.action_apply()
        self.assertEqual(order.order_line.product_uom_qty, 4.0)
        self.assertEqual(order.with_user(self.salesman).b2b_order_type, "quick")

    def test_quick_entry_into_a_quotation_with_lines_keeps_its_type(self):
        order = self._quotation()
        wizard = (
            self.env["b2b.quick.entry"].with_user(self.salesman).create({"order_id": order.id, "raw_lines": "TYP-A4;4"})
        )
        wizard.action_apply()
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(order.b2b_order_type, "standard")

    def test_portal_user_cannot_set_the_type(self):
        order = self._quotation()
        order.sudo().partner_id = self.portal_users["buyer"].partner_id
        with self.assertRaises(AccessError):
            order.with_user(self.portal_users["buyer"]).write({"b2b_order_type": "edi"})
        self.assertEqual(order.b2b_order_type, "standard")

    def test_back_office_filters_and_groups_by_type(self):
        express = self._quotation()
        express.with_user(self.salesman).action_b2b_express_invoice()
        standard = self._quotation()
        Order = self.env["sale.order"].with_user(self.salesman)
        search = Order.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("'group_by': 'b2b_order_type'", search)
        self.assertIn('name="b2b_order_type"', search)
        for name in ("b2b_standard_orders", "b2b_express_orders", "b2b_quick_orders", "b2b_edi_orders"):
            self.assertIn(f'filter name="{name}"', search)
        lists = Order.get_views([(self.env.ref("sale.view_quotation_tree").id, "list")])["views"]["list"]["arch"]
        self.assertIn('name="b2b_order_type"', lists)
        mine = [("id", "in", (express | standard).ids)]
        self.assertEqual(Order.search([*mine, ("b2b_order_type", "=", "express")]), express)
        groups = dict(Order._read_group(mine, ["b2b_order_type"], ["__count"]))
        self.assertEqual(groups, {"express": 1, "standard": 1})
