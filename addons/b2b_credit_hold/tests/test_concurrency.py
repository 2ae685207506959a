from odoo import Command, api
from odoo.addons.b2b_party_roles.tests.common import run_concurrently
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestConcurrentConfirmation(BaseCase):
    """Two users confirm, at the same moment and in two transactions, two orders of one
    payer that together exceed its limit: exactly one is confirmed, the other held.
    The data are committed (each thread has its own transaction): the superuser sets
    them up and cleans them up, the salesman confirms his orders in each thread."""

    SALESMAN_LOGIN = "b2b_credit_concurrency_salesman"

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            # a salesman who sees his own orders only (kept, inactive, between runs)
            salesman = env["res.users"].with_context(active_test=False).search([("login", "=", self.SALESMAN_LOGIN)])
            if salesman:
                salesman.active = True
            else:
                salesman = new_test_user(env, login=self.SALESMAN_LOGIN, groups="sales_team.group_sale_salesman")
            customer = env["res.partner"].create(
                {"name": "Concurrent Payer", "is_company": True, "credit_limit": 1000.0, "b2b_credit_policy": "block"}
            )
            product = env["product.product"].create(
                {"name": "Concurrent item", "type": "consu", "taxes_id": [Command.clear()]}
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "user_id": salesman.id,
                        "order_line": [Command.create({"product_id": product.id, "price_unit": 600})],
                    }
                    for _ in range(2)
                ]
            )
            self.ids = {
                "customer": customer.id,
                "product": product.id,
                "orders": orders.ids,
                "salesman": salesman.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.ids["orders"])
            orders.picking_ids.action_cancel()
            orders._action_cancel()
            orders.unlink()
            env["product.product"].browse(self.ids["product"]).active = False
            env["res.partner"].browse(self.ids["customer"]).active = False
            env["res.users"].browse(self.ids["salesman"]).active = False

    def test_two_confirmations_at_the_limit(self):
        def confirm(order_id):
            def run(env, barrier):
                env = env(user=self.ids["salesman"])
                retrying(lambda: env["sale.order"].browse(order_id).action_confirm(), env)

            return run

        outcomes = run_concurrently(self.registry, *(confirm(order_id) for order_id in self.ids["orders"]))
        self.assertEqual(outcomes, [None, None], "both confirmations end without error")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.ids["orders"])
            self.assertEqual(sorted(orders.mapped("state")), ["draft", "sale"], "exactly one passes")
            held = orders.filtered("b2b_credit_hold")
            self.assertEqual(len(held), 1)
            self.assertEqual(held.state, "draft")
            self.assertEqual(held.b2b_credit_hold_reason, "limit")
            self.assertEqual(held.b2b_credit_hold_exposure, 1200.0)
