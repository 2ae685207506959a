from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import TransactionCase


class SplitAddressCase(B2bRoleUsersMixin, TransactionCase):
    """A hospital group with three sites and a purchasing cooperative it may bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="split")
        Partner = cls.env["res.partner"]
        cls.cooperative = Partner.create({"name": "GCS Test Achats", "is_company": True})
        cls.group = Partner.create(
            {
                "name": "Groupe Hospitalier Test",
                "is_company": True,
                "street": "1 place de l'Hôpital",
                "zip": "44000",
                "city": "Nantes",
                "country_id": cls.env.ref("base.fr").id,
                "allowed_billed_partner_ids": [(6, 0, cls.cooperative.ids)],
            }
        )
        cls.site_a, cls.site_b, cls.site_c = Partner.create(
            [
                {"name": f"Site {code}", "type": "delivery", "parent_id": cls.group.id, "ref": f"TST-{code}"}
                for code in ("A", "B", "C")
            ]
        )
        cls.buyer = Partner.create({"name": "Buyer Test", "parent_id": cls.group.id})
        cls.stranger = Partner.create({"name": "Clinique Étrangère", "is_company": True, "ref": "TST-X"})
        cls.stranger_site = Partner.create(
            {"name": "Site étranger", "type": "delivery", "parent_id": cls.stranger.id, "ref": "TST-XS"}
        )
        Product = cls.env["product.product"]
        cls.paper, cls.toner, cls.gel = Product.create(
            [
                {"name": "Papier test", "default_code": "T-PAP", "list_price": 5.0, "type": "consu"},
                {"name": "Toner test", "default_code": "T-TON", "list_price": 80.0, "type": "consu"},
                {"name": "Gel test", "default_code": "T-GEL", "list_price": 7.0, "type": "consu"},
            ]
        )
        (cls.paper | cls.toner | cls.gel).write({"invoice_policy": "order"})

    @classmethod
    def _order(cls, lines, user=None, **vals):
        """lines: [(product, qty, {line vals})]; created by ``user`` (his own order) when given."""
        orders = cls.env["sale.order"]
        if user:
            orders = orders.with_user(user)
            vals["user_id"] = user.id
        return orders.create(
            {
                "partner_id": cls.buyer.id,
                "partner_shipping_id": cls.site_a.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty, **extra}) for product, qty, extra in lines
                ],
                **vals,
            }
        )
