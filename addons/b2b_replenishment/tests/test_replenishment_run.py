"""The daily run: one order per customer, site and validation; automatic rules confirmed
(over the credit limit: a held quotation, counted as in progress next time); buyer
proposals validated, changed within bounds, skipped; idempotent (rerun, interrupted run);
a failing customer logged without stopping the others; a rule whose product is archived
reported on the rule and to the salesperson."""

import ast
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.b2b_replenishment_run import B2bReplenishmentRun
from .common import B2bReplenishmentCase


@tagged("post_install", "-at_install")
class TestReplenishmentRun(B2bReplenishmentCase):
    def test_orders_per_customer_site_and_validation(self):
        paper_auto = self._rule(validation="auto", quantity=10)
        toner_auto = self._rule(product=self.toner, validation="auto", quantity=2)
        grenoble_auto = self._rule(site=self.grenoble, validation="auto", quantity=5)
        toner_buyer = self._rule(site=self.grenoble, product=self.toner, validation="buyer", quantity=3)
        run = self._run()
        self.assertEqual((run.rule_count, run.order_count, run.proposal_count, run.failed_count), (4, 2, 1, 0))
        lyon_order = self._orders(paper_auto)
        self.assertEqual(lyon_order, self._orders(toner_auto), "one order for the site's automatic rules")
        self.assertEqual(lyon_order.state, "sale")
        self.assertEqual(lyon_order.b2b_order_type, "replenishment")
        self.assertEqual(lyon_order.partner_id, self.buyer, "the buyer is the ordering contact")
        self.assertEqual(lyon_order.partner_shipping_id, self.lyon)
        self.assertEqual(
            {(line.product_id, line.product_uom_qty, line.b2b_replenishment_rule_id) for line in lyon_order.order_line},
            {(self.paper, 10.0, paper_auto), (self.toner, 2.0, toner_auto)},
        )
        self.assertEqual(self._orders(grenoble_auto).state, "sale")
        proposal = self._orders(toner_buyer)
        self.assertNotEqual(proposal, self._orders(grenoble_auto), "buyer and automatic rules: two orders")
        self.assertEqual(proposal.state, "draft")
        self.assertEqual(paper_auto.period_ids.state, "confirmed")
        self.assertEqual(toner_buyer.period_ids.state, "proposed")
        self.assertEqual(toner_buyer.period_ids.proposed_qty, 3.0)
        # moved to the next week; a second run the same day orders nothing
        self.assertEqual(paper_auto.last_period_date, self.today)
        self.assertEqual(paper_auto.next_period_date, self.today + timedelta(weeks=1))
        again = self._run()
        self.assertEqual(again.rule_count, 0)
        self.assertEqual(len(self._orders(paper_auto | toner_auto | grenoble_auto | toner_buyer)), 3)
        # the rule shows its orders
        self.assertEqual(paper_auto.order_count, 1)

    def test_over_credit_limit_held_and_in_progress(self):
        self._deliver(70, days_ago=10)  # 2 a day over 35 days
        rule = self._rule(mode="consumption", consumption_days=35, validation="auto")
        self.customer.write({"credit_limit": 1.0, "b2b_credit_policy": "block"})
        self._run()
        order = self._orders(rule)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.b2b_credit_hold)
        self.assertEqual(order.order_line.product_uom_qty, 14.0)
        self.assertEqual(rule.period_ids.state, "held")
        # next week: the 14 held are in progress, nothing more is ordered
        next_week = self.today + timedelta(weeks=1)
        self._run(date=next_week)
        self.assertEqual(len(rule.period_ids), 2)
        latest = rule.period_ids.sorted("period_date")[-1]
        self.assertEqual(latest.state, "nothing")
        self.assertEqual(self._orders(rule), order)

    def test_buyer_proposal_validated_changed_skipped(self):
        paper = self._rule(quantity=10)
        toner = self._rule(product=self.toner, quantity=2)
        self._run()
        proposal = self._orders(paper)
        paper_line = proposal.order_line.filtered(lambda line: line.product_id == self.paper)
        toner_line = proposal.order_line - paper_line
        # the buyer may order up to 3 times the proposed quantity
        lines = paper_line | toner_line
        with self.assertRaisesRegex(UserError, "between 0 and 30"):
            lines._b2b_check_replenishment_qty({paper_line: 31.0})
        with self.assertRaisesRegex(UserError, "between 0 and 6"):
            lines._b2b_check_replenishment_qty({toner_line: -1.0})
        lines._b2b_check_replenishment_qty({paper_line: 30.0, toner_line: 0.0})
        # the toner is skipped this time, the paper validated by the salesman for the buyer
        toner_line.with_user(self.salesman).product_uom_qty = 0
        proposal.with_user(self.salesman).action_b2b_validate_proposal()
        self.assertEqual(proposal.state, "sale")
        self.assertEqual(proposal.order_line.product_id, self.paper)
        self.assertEqual(paper.period_ids.state, "confirmed")
        self.assertEqual(paper.period_ids.ordered_qty, 10.0)
        self.assertEqual(toner.period_ids.state, "skipped")
        # another salesman cannot act on it
        other = self.env["res.users"].create(
            {
                "name": "Other salesman",
                "login": "replc_other_run_salesman",
                "group_ids": [(6, 0, self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        self._run(date=self.today + timedelta(weeks=1))
        second = self._orders(paper) - proposal
        with self.assertRaises(AccessError):
            second.with_user(other).action_b2b_skip_proposal()
        self.assertEqual(second.state, "draft")
        second.with_user(self.salesman).action_b2b_skip_proposal()
        self.assertEqual(second.state, "cancel")
        self.assertEqual(set(paper.period_ids.mapped("state")), {"confirmed", "skipped"})
        # a skipped period is not proposed again
        self._run(date=self.today + timedelta(weeks=1))
        self.assertEqual(len(paper.period_ids), 2)

    def test_interrupted_run_resumed_without_duplicates_or_gaps(self):
        lyon = self._rule(quantity=10)
        other_buyer = self.portal_users["other_buyer"].partner_id
        other = self.env["b2b.replenishment.rule"].create(
            {
                **self._rule_vals(site=self.other_site, quantity=4),
                "partner_id": self.other_portal_customer.id,
                "buyer_id": other_buyer.id,
            }
        )
        first = self.env["b2b.replenishment.run"].create({"date": self.today})
        groups = first._get_due_customer_groups(self.today)
        self.assertEqual(len(groups), 2)
        # the first batch was done (and committed) when the run stopped
        first._run_batch(groups[:1], self.today)
        done_rule = lyon if lyon.id in groups[0] else other
        self.assertEqual(len(done_rule.period_ids), 1)
        # the rerun does the rest, and nothing twice
        rerun = self._run()
        self.assertEqual(rerun.rule_count, 1)
        self.assertEqual(len(lyon.period_ids), 1)
        self.assertEqual(len(other.period_ids), 1)
        self.assertEqual(len(self._orders(lyon)), 1)
        self.assertEqual(len(self._orders(other)), 1)

    def test_failing_customer_logged_others_ordered(self):
        lyon = self._rule(quantity=10)
        other = self.env["b2b.replenishment.rule"].create(
            {
                **self._rule_vals(site=self.other_site, quantity=4),
                "partner_id": self.other_portal_customer.id,
                "buyer_id": self.portal_users["other_buyer"].partner_id.id,
            }
        )
        prepare = B2bReplenishmentRun._prepare_order_vals

        def failing(run, rules, claimed, quantities):
            if rules.partner_id == self.other_portal_customer:
                raise ValueError("Boom for the other customer")
            return prepare(run, rules, claimed, quantities)

        with patch.object(B2bReplenishmentRun, "_prepare_order_vals", failing):
            run = self._run()
        self.assertEqual(run.failed_count, 1)
        self.assertEqual(run.log_ids.partner_id, self.other_portal_customer)
        self.assertIn("Boom", run.log_ids.message)
        self.assertEqual(len(self._orders(lyon)), 1)
        self.assertFalse(other.period_ids, "nothing half-done for the failing customer")
        # fixed: the next run orders it
        self._run()
        self.assertEqual(len(self._orders(other)), 1)
        self.assertEqual(len(self._orders(lyon)), 1)

    def test_archived_product_reported(self):
        rule = self._rule(quantity=10)
        self.paper.active = False
        self._run()
        self.assertFalse(rule.period_ids)
        self.assertIn("archived", rule.problem)
        activity = rule.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        # reported once, not every day
        self._run()
        self.assertEqual(len(rule.activity_ids), 1)
        # sold again: ordered by the next run, problem cleared
        self.paper.active = True
        self._run()
        self.assertEqual(len(rule.period_ids), 1)
        self.assertFalse(rule.problem)

    def test_run_now_sales_manager_only(self):
        self._rule(quantity=10)
        Run = self.env["b2b.replenishment.run"]
        before = Run.search([], limit=1, order="id desc").id or 0
        with self.assertRaises(AccessError):
            Run.with_user(self.salesman).action_run_now()
        self.assertFalse(Run.search([("id", ">", before)]))
        action = Run.with_user(self.manager).action_run_now()
        self.assertEqual(Run.browse(action["res_id"]).rule_count, 1)

    def test_auto_order_over_approval_limit_waits_for_approver(self):
        self.customer.b2b_approval_limit = 10.0
        rule = self._rule(validation="auto", quantity=10)  # 10 x 5.00 = 50.00, over the limit
        run = self._run()
        self.assertEqual(run.failed_count, 0)
        order = self._orders(rule)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.b2b_approval_state, "to_approve")
        self.assertEqual(rule.period_ids.state, "held")

    def test_scheduled_action_commits_progress_per_batch(self):
        rule = self._rule(quantity=10)
        cron = self.env.ref("b2b_replenishment.ir_cron_replenishment")
        self.assertEqual(cron.code.strip(), "model._cron_replenishment()")
        calls = []
        IrCron = type(self.env["ir.cron"])
        # the commit itself is Odoo's (forbidden in tests): count the calls instead
        with patch.object(IrCron, "_commit_progress", lambda cron, processed=0, **kw: calls.append(processed)):
            self.env["b2b.replenishment.run"]._cron_replenishment()
        self.assertEqual(len(rule.period_ids), 1)
        self.assertIn(1, calls, "progress committed after the batch of its one customer")

    def test_back_office_screens_as_salesman(self):
        auto = self._rule(validation="auto", quantity=10)
        buyer = self._rule(site=self.grenoble, quantity=3)
        self._run()
        Order = self.env["sale.order"].with_user(self.salesman)
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_replenishment.sale_order_action_proposals")
        domain = ast.literal_eval(action["domain"])
        self.assertEqual(Order.search(domain), self._orders(buyer), "only proposals waiting for the buyer")
        self.assertTrue(self._orders(buyer).with_user(self.salesman).b2b_replenishment_waiting)
        self.assertFalse(self._orders(auto).with_user(self.salesman).b2b_replenishment_waiting)
        # every screen of the menu opens for the salesman
        for model in ("b2b.replenishment.rule", "b2b.replenishment.period", "b2b.replenishment.run"):
            views = self.env[model].with_user(self.salesman).get_views([(False, "list"), (False, "search")])
            self.assertTrue(views["views"]["list"]["arch"])
        self.env["b2b.replenishment.rule"].with_user(self.salesman).get_views([(False, "form")])
        self.env["b2b.replenishment.period"].with_user(self.salesman).get_views([(False, "pivot"), (False, "graph")])
        groups = (
            self.env["b2b.replenishment.period"]
            .with_user(self.salesman)
            ._read_group([("partner_id", "=", self.customer.id)], ["partner_shipping_id"], ["proposed_qty:sum"])
        )
        self.assertEqual(dict(groups), {self.lyon: 10.0, self.grenoble: 3.0})

    def test_run_named_in_the_readers_language(self):
        self._rule(validation="auto", quantity=10)
        run = self._run()
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_replenishment"], ["fr_FR"], overwrite=True)
        self.salesman.lang = "fr_FR"
        day = run.date
        french = run.with_user(self.salesman).with_context(lang="fr_FR")
        self.assertEqual(french.name, f"Réapprovisionnement du {day.strftime('%d/%m/%Y')}")
        self.assertEqual(french.display_name, french.name)
        english = run.with_user(self.salesman).with_context(lang="en_US")
        self.assertEqual(english.name, f"Replenishment {day.strftime('%m/%d/%Y')}")
        # the demo rule's chatter names the model in French too
        model = self.env["ir.model"].with_context(lang="fr_FR")._get("b2b.replenishment.rule")
        self.assertEqual(model.name, "Règle de réapprovisionnement client")

    def test_period_already_claimed_not_ordered_again_rule_moves_on(self):
        rule = self._rule(quantity=10)
        # a period of this date already exists (claimed by an earlier run)
        self.env["b2b.replenishment.period"].create(
            {
                "rule_id": rule.id,
                "period_date": rule.next_period_date,
                "company_id": rule.company_id.id,
                "partner_id": rule.partner_id.id,
                "partner_shipping_id": rule.partner_shipping_id.id,
                "product_id": rule.product_id.id,
                "state": "skipped",
            }
        )
        run = self._run()
        self.assertEqual(run.rule_count, 0)
        self.assertFalse(self._orders(rule))
        self.assertEqual(rule.next_period_date, self.today + timedelta(weeks=1), "not due for ever")

    def test_forecast_on_the_form(self):
        rule = self._rule(quantity=12)
        self.assertEqual(rule.with_user(self.salesman).forecast_qty, 12.0)
        new = self.env["b2b.replenishment.rule"].with_user(self.salesman).new(self._rule_vals(quantity=7))
        self.assertEqual(new.forecast_qty, 0.0)

    def test_held_order_released_or_rejected_by_credit_manager(self):
        lyon = self._rule(validation="auto", quantity=10)
        grenoble = self._rule(site=self.grenoble, validation="auto", quantity=10)
        self.customer.write({"credit_limit": 1.0, "b2b_credit_policy": "block"})
        self._run()
        self.assertEqual((lyon | grenoble).period_ids.mapped("state"), ["held", "held"])
        credit_manager = self.users["credit_manager"]
        self._orders(lyon).with_user(credit_manager).action_b2b_credit_release(reason="Paiement reçu")
        self.assertEqual(self._orders(lyon).state, "sale")
        self.assertEqual(lyon.period_ids.state, "confirmed")
        self.assertEqual(lyon.period_ids.ordered_qty, 10.0)
        self._orders(grenoble).with_user(credit_manager).action_b2b_credit_reject(reason="Encours dépassé")
        self.assertEqual(self._orders(grenoble).state, "cancel")
        self.assertEqual(grenoble.period_ids.state, "skipped")
