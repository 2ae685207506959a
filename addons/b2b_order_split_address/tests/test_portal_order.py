from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalOrderPage(B2bRoleUsersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="splitportal")
        cls.site_a, cls.site_b = cls.portal_sites
        product = cls.env["product.product"].create({"name": "Carton", "type": "consu", "list_price": 3})
        # the salesman takes the customer's order, shipped to two of its sites, and confirms it
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.users["salesman"])
            .create(
                {
                    "partner_id": cls.portal_customer.id,
                    "partner_shipping_id": cls.site_a.id,
                    "user_id": cls.users["salesman"].id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 5}),
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 7, "partner_shipping_id": cls.site_b.id}
                        ),
                    ],
                }
            )
        )
        cls.order.action_confirm()

    def test_portal_order_page_shows_line_delivery_addresses(self):
        buyer = self.portal_users["buyer"]
        self.authenticate(buyer.login, buyer.login)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn(self.order.name, page, "the buyer's own order page, not a redirection")
        self.assertIn("b2b_line_delivery", page)
        self.assertIn(self.site_a.name, page)
        self.assertIn(self.site_b.name, page)

    def test_portal_order_page_refused_to_another_customer(self):
        other_buyer = self.portal_users["other_buyer"]
        self.authenticate(other_buyer.login, other_buyer.login)
        response = self.url_open(f"/my/orders/{self.order.id}", allow_redirects=False)
        self.assertIn(response.status_code, (303, 403, 404), "redirected away or refused")
        self.assertNotIn(self.site_b.name, response.text)
