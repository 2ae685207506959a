from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalOrderPage(HttpCase):
    def test_portal_order_page_shows_line_delivery_addresses(self):
        customer = self.env["res.partner"].create({"name": "Portail Multisite SA", "is_company": True})
        site_a, site_b = self.env["res.partner"].create(
            [
                {"name": "Entrepôt Nord", "type": "delivery", "parent_id": customer.id},
                {"name": "Entrepôt Sud", "type": "delivery", "parent_id": customer.id},
            ]
        )
        product = self.env["product.product"].create({"name": "Carton", "type": "consu", "list_price": 3})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "partner_shipping_id": site_a.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5}),
                    Command.create({"product_id": product.id, "product_uom_qty": 7, "partner_shipping_id": site_b.id}),
                ],
            }
        )
        order.action_confirm()
        response = self.url_open(f"/my/orders/{order.id}?access_token={order._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("b2b_line_delivery", page)
        self.assertIn("Entrepôt Nord", page)
        self.assertIn("Entrepôt Sud", page)
