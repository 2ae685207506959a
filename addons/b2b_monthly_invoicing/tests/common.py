from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import TransactionCase


class MonthlyDataMixin:
    """Two monthly customers, one per-order customer, consumables invoiced on delivery."""

    @classmethod
    def _setup_monthly_data(cls):
        Partner = cls.env["res.partner"]
        # a postal address: French legal checks refuse to post an invoice to a customer without one
        country_fr = cls.env.ref("base.fr")
        cls.address = {"street": "5 quai Perrache", "zip": "69002", "city": "Lyon", "country_id": country_fr.id}
        cls.alpha = Partner.create(
            {
                "name": "Alpha Mensuel SA",
                "is_company": True,
                "company_registry": "81234567600017",
                "lang": "fr_FR",
                **cls.address,
            }
        )
        cls.beta = Partner.create({"name": "Beta Mensuel SARL", "is_company": True, **cls.address})
        cls.gamma = Partner.create({"name": "Gamma Commande SAS", "is_company": True, **cls.address})
        (cls.alpha | cls.beta).write({"b2b_invoicing_policy": "monthly"})
        cls.gamma.b2b_invoicing_policy = "per_order"
        cls.alpha_site = Partner.create(
            {"name": "Alpha site B", "type": "delivery", "parent_id": cls.alpha.id, **cls.address, "street": "8 rue B"}
        )
        Product = cls.env["product.product"]
        cls.paper, cls.toner = Product.create(
            [
                {"name": "Papier", "type": "consu", "list_price": 5.0, "invoice_policy": "delivery"},
                {"name": "Toner", "type": "consu", "list_price": 80.0, "invoice_policy": "delivery"},
            ]
        )
        # The cut-off day counts deliveries in the company's time zone: "today" is the company's
        # day too, also when UTC and Paris are on different dates (23:00-24:00 UTC)
        cls.env.company.partner_id.tz = "Europe/Paris"
        cls.today = fields.Date.context_today(cls.env["res.partner"].with_context(tz="Europe/Paris"))

    @classmethod
    def _delivered_order(cls, partner, lines, days_ago=0, **vals):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines],
                **vals,
            }
        )
        order.action_confirm()
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            picking.button_validate()
            picking.date_done = datetime.now() - timedelta(days=days_ago)
        return order

    @classmethod
    def _run(cls, **vals):
        run = cls.env["b2b.invoicing.run"].create({"date_cutoff": cls.today, **vals})
        run.action_run()
        return run


class MonthlyCase(MonthlyDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_monthly_data()


class MonthlyUsersCase(B2bRoleUsersMixin, MonthlyCase):
    """Monthly customers and one user per real role (``cls.users``, ``cls.portal_users``):
    the fixtures are built as the superuser, every action is run ``with_user``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="b2b_monthly")
