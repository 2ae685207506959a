from odoo import api, fields
from odoo.addons.b2b_party_roles.tests.common import run_concurrently
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestConcurrentRuns(BaseCase):
    """Two runs at the same moment, in two transactions (the scheduled action and a sales
    manager's Run Now): every due rule is ordered once, by one of them. The data are
    committed (each thread has its own transaction): the superuser sets them up and
    cleans them up."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            Partner = env["res.partner"]
            product = env["product.product"].create({"name": "Concurrent refill", "type": "consu", "sale_delay": 0})
            rules = env["b2b.replenishment.rule"]
            customers = Partner
            for index in range(3):
                customer = Partner.create({"name": f"Concurrent replenished {index}", "is_company": True})
                site = Partner.create({"name": "Site", "type": "delivery", "parent_id": customer.id})
                buyer = Partner.create({"name": "Buyer", "parent_id": customer.id})
                customers |= customer
                rules |= rules.create(
                    {
                        "partner_id": customer.id,
                        "partner_shipping_id": site.id,
                        "buyer_id": buyer.id,
                        "product_id": product.id,
                        "quantity": 5.0,
                        "company_id": env.company.id,
                        "start_date": fields.Date.context_today(rules),
                    }
                )
            last_run = env["b2b.replenishment.run"].search([], limit=1, order="id desc")
            self.ids = {"product": product.id, "rules": rules.ids, "customers": customers.ids, "run": last_run.id or 0}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            rules = env["b2b.replenishment.rule"].browse(self.ids["rules"])
            orders = rules.order_line_ids.order_id
            orders._action_cancel()
            orders.unlink()
            env["b2b.replenishment.run"].search([("id", ">", self.ids["run"])]).unlink()
            rules.unlink()
            env["product.product"].browse(self.ids["product"]).active = False
            customers = env["res.partner"].browse(self.ids["customers"])
            (customers | customers.child_ids).active = False

    def test_two_runs_at_once(self):
        def run(env, barrier):
            Run = env["b2b.replenishment.run"]
            Run.create({"date": fields.Date.context_today(Run)})._run_replenishment()

        self.assertEqual(run_concurrently(self.registry, run, run), [None, None], "both runs end without error")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            rules = env["b2b.replenishment.rule"].browse(self.ids["rules"])
            for rule in rules:
                self.assertEqual(len(rule.period_ids), 1, "one period per rule")
                self.assertEqual(len(rule.order_line_ids), 1, "ordered once")
            self.assertEqual(len(rules.order_line_ids.order_id), 3)
            runs = env["b2b.replenishment.run"].search([("id", ">", self.ids["run"])])
            self.assertEqual(len(runs), 2)
            self.assertEqual(sum(runs.mapped("rule_count")), 3, "each rule run by one of them")
            self.assertFalse(sum(runs.mapped("failed_count")), "no run failed on the other's work")
