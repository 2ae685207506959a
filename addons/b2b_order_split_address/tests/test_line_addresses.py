from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SplitAddressCase


@tagged("post_install", "-at_install")
class TestLineAddresses(SplitAddressCase):
    """The salesman takes the orders and sets the lines' addresses."""

    def setUp(self):
        super().setUp()
        self.salesman = self.users["salesman"]

    def test_lines_default_from_header_and_follow_it(self):
        order = self._order(
            [(self.paper, 1, {}), (self.toner, 1, {"partner_shipping_id": self.site_b.id})], user=self.salesman
        )
        line_default, line_manual = order.order_line
        self.assertEqual(line_default.partner_shipping_id, self.site_a)
        self.assertEqual(line_default.partner_invoice_id, order.partner_invoice_id)
        self.assertEqual(line_manual.partner_shipping_id, self.site_b)
        order.partner_shipping_id = self.site_c
        self.assertEqual(line_default.partner_shipping_id, self.site_c, "follows the header")
        self.assertEqual(line_manual.partner_shipping_id, self.site_b, "set by hand: kept")

    def test_form_edit_of_line_address_is_kept(self):
        order = self._order([(self.paper, 1, {})], user=self.salesman)
        with Form(order) as form, form.order_line.edit(0) as line:
            line.partner_shipping_id = self.site_b
        form.partner_shipping_id = self.site_c
        form.save()
        self.assertEqual(order.order_line.partner_shipping_id, self.site_b)

    def test_invoice_address_line_follows_header_billed_party(self):
        order = self._order([(self.paper, 1, {})], user=self.salesman)
        order.partner_invoice_id = self.cooperative
        self.assertEqual(order.order_line.partner_invoice_id, self.cooperative)
        self.assertEqual(order.order_line.payer_id, order.payer_id)

    def test_delivery_address_of_another_customer_refused(self):
        with self.assertRaises(ValidationError) as error:
            self._order([(self.paper, 1, {"partner_shipping_id": self.stranger_site.id})], user=self.salesman)
        self.assertIn(self.stranger_site.display_name, str(error.exception))
        self.assertIn(self.group.name, str(error.exception))
        self.assertFalse(self.env["sale.order"].search([("partner_id", "=", self.buyer.id)]), "nothing saved")

    def test_invoice_address_not_allowed_refused(self):
        order = self._order([(self.paper, 1, {})], user=self.salesman)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            order.order_line.partner_invoice_id = self.stranger
            order.order_line.flush_recordset()

    def test_line_payer_follows_its_billed_party(self):
        order = self._order(
            [(self.paper, 1, {}), (self.toner, 1, {"partner_invoice_id": self.cooperative.id})], user=self.salesman
        )
        self.assertEqual(order.order_line[0].payer_id, self.group)
        self.assertEqual(order.order_line[1].payer_id, self.cooperative)
