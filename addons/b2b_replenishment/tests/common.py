from datetime import timedelta

from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import TransactionCase
from odoo.tools import SQL


class B2bReplenishmentCase(B2bRoleUsersMixin, TransactionCase):
    """The portal customer's two sites (Lyon, Grenoble), its buyer, a paper sold by the
    unit with a box of 5 as packaging, and a toner. The salesman follows the customer.
    ``_deliver`` builds delivery history (done deliveries dated in the past)."""

    _b2b_prefix = "replc"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls._b2b_prefix)
        cls.salesman = cls.users["salesman"]
        cls.manager = cls.users["sales_manager"]
        cls.customer = cls.portal_customer
        cls.customer.user_id = cls.salesman
        cls.lyon, cls.grenoble = cls.portal_sites
        cls.buyer = cls.portal_users["buyer"].partner_id
        cls.other_site = cls.env["res.partner"].create(
            {"name": "Site Autre", "type": "delivery", "parent_id": cls.other_portal_customer.id}
        )
        unit = cls.env.ref("uom.product_uom_unit")
        cls.box = cls.env["uom.uom"].create(
            {"name": f"Box of 5 ({cls._b2b_prefix})", "relative_factor": 5.0, "relative_uom_id": unit.id}
        )
        cls.paper = cls.env["product.product"].create(
            {
                "name": "Ramette réappro",
                "default_code": "RAM-C",
                "list_price": 5.0,
                "type": "consu",
                "sale_delay": 0,
                "uom_ids": [Command.set(cls.box.ids)],
            }
        )
        cls.toner = cls.env["product.product"].create(
            {"name": "Toner réappro", "default_code": "TON-C", "list_price": 40.0, "type": "consu", "sale_delay": 0}
        )
        cls.env.company.security_lead = 0.0
        cls.today = fields.Date.context_today(cls.env["b2b.replenishment.run"])

    @classmethod
    def _rule_vals(cls, site=None, product=None, **vals):
        return {
            "partner_id": cls.customer.id,
            "partner_shipping_id": (site or cls.lyon).id,
            "buyer_id": cls.buyer.id,
            "product_id": (product or cls.paper).id,
            "mode": "periodic",
            "quantity": 10.0,
            "interval_number": 1,
            "interval_type": "week",
            "start_date": cls.today,
            **vals,
        }

    def _rule(self, user=None, **vals):
        return self.env["b2b.replenishment.rule"].with_user(user or self.salesman).create(self._rule_vals(**vals))

    def _deliver(self, qty, days_ago, site=None, product=None):
        """A confirmed order for ``site`` whose delivery of ``qty`` was done ``days_ago`` days ago."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "partner_shipping_id": (site or self.lyon).id,
                "order_line": [Command.create({"product_id": (product or self.paper).id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        when = fields.Datetime.now() - timedelta(days=days_ago)
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE stock_move SET date = %s WHERE picking_id = %s", when, picking.id))
        self.env.invalidate_all()
        return order

    def _count(self, qty, days_ago=0, site=None, product=None):
        count = (
            self.env["b2b.replenishment.count"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_shipping_id": (site or self.lyon).id,
                    "product_id": (product or self.paper).id,
                    "quantity": qty,
                }
            )
        )
        when = fields.Datetime.now() - timedelta(days=days_ago)
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE b2b_replenishment_count SET date = %s WHERE id = %s", when, count.id))
        self.env.invalidate_all()
        return count

    def _run(self, date=None):
        """The daily run, as the scheduled action does it (without its commits)."""
        run = self.env["b2b.replenishment.run"].create({"date": date or self.today})
        run._run_replenishment()
        return run

    def _orders(self, rules):
        return self.env["sale.order.line"].search([("b2b_replenishment_rule_id", "in", rules.ids)]).order_id
