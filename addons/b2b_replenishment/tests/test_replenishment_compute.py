"""What each mode orders, from hand-built delivery history and declared on-hand counts:
consumption, stock level, periodic; packaging rounding; quantities in progress; the
schedule (lead time aware), pause and resume; bad input refused with nothing written."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import B2bReplenishmentCase


@tagged("post_install", "-at_install")
class TestReplenishmentCompute(B2bReplenishmentCase):
    def _qty(self, rule):
        return rule._get_quantities(self.today)[rule.id]

    @freeze_time("2026-11-20 10:00:00")
    def test_consumption_quantity(self):
        # 60 delivered over the last 30 days (and 100 long before the window, not counted):
        # 2 a day; one week period + 3 safety days = 10 days: 20, less 4 on hand counted
        # yesterday (projected: 4 - 2 = 2): 18, rounded up to boxes of 5: 20
        self._deliver(30, days_ago=5)
        self._deliver(30, days_ago=20)
        self._deliver(100, days_ago=60)
        self._deliver(50, days_ago=3, site=self.grenoble)  # another site: not counted
        rule = self._rule(mode="consumption", consumption_days=30, safety_days=3, packaging_uom_id=self.box.id)
        self._count(4, days_ago=1)
        figures = self._qty(rule)
        self.assertAlmostEqual(figures["daily"], 2.0)
        self.assertAlmostEqual(figures["on_hand"], 2.0, places=3)
        self.assertAlmostEqual(figures["raw"], 18.0, places=3)
        self.assertEqual(figures["qty"], 20.0)
        # without the packaging: the unit's rounding only
        rule.packaging_uom_id = False
        self.assertEqual(self._qty(rule)["qty"], 18.0)

    def test_consumption_lead_time_and_in_progress(self):
        self._deliver(70, days_ago=10)  # 70 over a 35-day window: 2 a day
        self.paper.sale_delay = 3
        self.env.company.security_lead = 1
        rule = self._rule(mode="consumption", consumption_days=35)
        # (3 + 1 lead days + 7 period days) x 2 = 22, nothing counted
        self.assertAlmostEqual(self._qty(rule)["qty"], 22.0)
        # an order still to deliver for this site counts as in progress
        order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "partner_shipping_id": self.lyon.id,
                "order_line": [(0, 0, {"product_id": self.paper.id, "product_uom_qty": 15})],
            }
        )
        order.action_confirm()
        figures = self._qty(rule)
        self.assertEqual(figures["in_progress"], 15.0)
        self.assertEqual(figures["qty"], 7.0)
        # once delivered it is no longer in progress (and counts as consumption)
        order.picking_ids.move_ids.quantity = 15
        order.picking_ids.button_validate()
        self.assertEqual(self._qty(rule)["in_progress"], 0.0)

    @freeze_time("2026-11-20 10:00:00")
    def test_deliveries_after_count(self):
        self._deliver(20, days_ago=8)
        rule = self._rule(mode="consumption", consumption_days=10)  # 2 a day over 10 days
        self._count(6, days_ago=10)  # before the delivery of 20: 6 + 20 - 2 x 10 = 6 today
        self.assertAlmostEqual(self._qty(rule)["on_hand"], 6.0, places=3)

    def test_stock_level_quantity(self):
        rule = self._rule(mode="stock", min_qty=10, max_qty=50)
        # never counted: nothing ordered
        self.assertEqual(self._qty(rule)["qty"], 0.0)
        self.assertIsNone(self._qty(rule)["on_hand"])
        self._count(30)
        self.assertEqual(self._qty(rule)["qty"], 0.0)  # above the minimum
        self._count(8)
        self.assertEqual(self._qty(rule)["qty"], 42.0)  # topped up to the maximum
        rule.packaging_uom_id = self.box
        self.assertEqual(self._qty(rule)["qty"], 45.0)

    def test_periodic_quantity_and_schedule(self):
        self.paper.sale_delay = 2
        start = self.today + timedelta(days=10)
        rule = self._rule(quantity=12, start_date=start, interval_number=2, interval_type="week")
        self.assertEqual(self._qty(rule)["qty"], 12.0)
        # first delivery at the start date, ordered 2 days before (customer lead time)
        self.assertEqual(rule.next_period_date, start)
        self.assertEqual(rule.next_date, start - timedelta(days=2))
        # a start in the past: the first period whose order date is still ahead
        rule.start_date = self.today - timedelta(days=15)
        self.assertEqual(rule.next_period_date, self.today - timedelta(days=15) + timedelta(weeks=4))

    def test_pause_and_resume(self):
        rule = self._rule(start_date=self.today)
        resume = self.today + timedelta(days=20)
        rule.with_user(self.salesman).action_pause(resume, "Fermeture annuelle")
        self.assertEqual(rule.state, "paused")
        self.assertEqual(rule.pause_reason, "Fermeture annuelle")
        # paused: not run
        run = self._run()
        self.assertFalse(rule.period_ids)
        self.assertEqual(run.rule_count, 0)
        # on its resume date it resumes by itself, its next period ahead of that date
        self._run(date=resume)
        self.assertEqual(rule.state, "active")
        self.assertFalse(rule.pause_until)
        # the pause cannot be lifted by writing it
        with self.assertRaises(UserError):
            rule.with_user(self.salesman).write({"state": "paused"})
        with self.assertRaises(UserError):
            rule.with_user(self.salesman).write({"next_period_date": self.today})
        with self.assertRaises(UserError):
            rule.with_user(self.salesman).action_pause(self.today - timedelta(days=1))

    def test_bad_input_refused(self):
        Rule = self.env["b2b.replenishment.rule"].with_user(self.salesman)
        # a site of another customer
        with self.assertRaisesRegex(ValidationError, "is not a site of"), self.cr.savepoint():
            Rule.create(self._rule_vals(site=self.other_site))
        # a buyer of another customer
        with self.assertRaisesRegex(ValidationError, "is not a contact of"), self.cr.savepoint():
            Rule.create(self._rule_vals(buyer_id=self.portal_users["other_buyer"].partner_id.id))
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.cr.savepoint():
            Rule.create(self._rule_vals(mode="consumption", safety_days=-1))
        with self.assertRaisesRegex(ValidationError, "above the minimum"), self.cr.savepoint():
            Rule.create(self._rule_vals(mode="stock", min_qty=10, max_qty=5))
        self.assertFalse(Rule.search([("partner_id", "=", self.customer.id)]))
        # counts: negative, in the future
        Count = self.env["b2b.replenishment.count"].with_user(self.salesman)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.cr.savepoint():
            Count.create({"partner_shipping_id": self.lyon.id, "product_id": self.paper.id, "quantity": -1})
        with self.assertRaisesRegex(ValidationError, "future"), self.cr.savepoint():
            Count.create(
                {
                    "partner_shipping_id": self.lyon.id,
                    "product_id": self.paper.id,
                    "quantity": 1,
                    "date": self.today + timedelta(days=3),
                }
            )
        self.assertFalse(Count.search([("partner_shipping_id", "=", self.lyon.id)]))
        # who declared a count is a fact, not input
        count = Count.create(
            {
                "partner_shipping_id": self.lyon.id,
                "product_id": self.paper.id,
                "quantity": 3,
                "declared_by_id": self.manager.id,
                "source": "portal",
            }
        )
        self.assertEqual(count.declared_by_id, self.salesman)
        self.assertEqual(count.source, "backoffice")

    def test_salesman_sees_own_customers_rules_only(self):
        rule = self._rule()
        other_salesman = self.env["res.users"].create(
            {
                "name": "Other salesman",
                "login": "replc_other_salesman",
                "group_ids": [(6, 0, self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        Rule = self.env["b2b.replenishment.rule"]
        self.assertEqual(Rule.with_user(self.salesman).search([("id", "=", rule.id)]), rule)
        self.assertFalse(Rule.with_user(other_salesman).search([("id", "=", rule.id)]))
        with self.assertRaises(AccessError):
            rule.with_user(other_salesman).action_pause()
        self.assertEqual(rule.state, "active")
        self.assertEqual(Rule.with_user(self.manager).search([("id", "=", rule.id)]), rule)
        # a salesman does not delete rules (archive them); portal users have no back-office access
        with self.assertRaises(AccessError):
            rule.with_user(self.salesman).unlink()
        with self.assertRaises(AccessError):
            rule.with_user(self.portal_users["other_buyer"]).read(["quantity"])

    def test_smart_buttons_customer_and_product(self):
        rule = self._rule()
        self._rule(site=self.grenoble)
        customer = self.customer.with_user(self.salesman)
        self.assertEqual(customer.b2b_replenishment_rule_count, 2)
        self.assertEqual(self.lyon.with_user(self.salesman).b2b_replenishment_rule_count, 2, "its customer's rules")
        action = customer.action_b2b_view_replenishment_rules()
        self.assertEqual(
            self.env["b2b.replenishment.rule"].with_user(self.salesman).search(action["domain"]),
            rule | rule.search([("partner_shipping_id", "=", self.grenoble.id)]),
        )
        template = self.paper.product_tmpl_id.with_user(self.salesman)
        self.assertEqual(template.b2b_replenishment_rule_count, 2)
        self.assertEqual(self.toner.product_tmpl_id.with_user(self.salesman).b2b_replenishment_rule_count, 0)
        action = template.action_b2b_view_replenishment_rules()
        self.assertEqual(len(self.env["b2b.replenishment.rule"].with_user(self.salesman).search(action["domain"])), 2)

    def test_rules_of_another_company(self):
        other_company = self.env["res.company"].create({"name": "Autre société réappro"})
        rule = self.env["b2b.replenishment.rule"].create({**self._rule_vals(), "company_id": other_company.id})
        Rule = self.env["b2b.replenishment.rule"]
        self.assertFalse(Rule.with_user(self.salesman).search([("id", "=", rule.id)]))
        self.assertFalse(Rule.with_user(self.manager).search([("id", "=", rule.id)]))
        with self.assertRaises(AccessError):
            rule.with_user(self.manager).read(["quantity"])
        # the run of this company leaves it to the run of its own
        run = self._run()
        self.assertEqual(run.rule_count, 0)
        self.assertFalse(rule.period_ids)
