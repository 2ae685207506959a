"""Two runs of the automatic payment at once (two database transactions, as two cron workers
would be) charge a payer's invoice once. The fixture is committed by the superuser and removed
after; the runs are the scheduled action's own steps, as OdooBot."""

from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.addons.b2b_party_roles.tests.common import run_concurrently
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestAutopayConcurrency(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["b2b.autopay"])
            provider = env.ref("payment.payment_provider_demo")
            provider_state = provider.state
            if provider_state == "disabled":
                provider.state = "test"
            payer = env["res.partner"].create(
                {
                    "name": "Concurrent Autopay Payer",
                    "is_company": True,
                    "street": "1 rue du Test",
                    "zip": "69002",
                    "city": "Lyon",
                    "country_id": env.ref("base.fr").id,
                }
            )
            product = env["product.product"].create({"name": "Concurrent autopay item"})
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": payer.id,
                    "invoice_date": today - timedelta(days=10),
                    "invoice_date_due": today - timedelta(days=1),
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "quantity": 1, "price_unit": 640.0, "tax_ids": []})
                    ],
                }
            )
            invoice.action_post()
            token = env["payment.token"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
                    "partner_id": payer.id,
                    "payment_details": "4242",
                    "provider_ref": "demo-concurrent",
                    "demo_simulated_state": "done",
                }
            )
            autopay = env["b2b.autopay"].create(
                {
                    "partner_id": payer.id,
                    "token_id": token.id,
                    "trigger": "due_date",
                    "enrolled_user_id": env.ref("base.user_admin").id,
                    "announced_invoice_ids": [Command.link(invoice.id)],
                }
            )
            self.ids = {
                "provider_state": provider_state,
                "payer": payer.id,
                "product": product.id,
                "invoice": invoice.id,
                "token": token.id,
                "autopay": autopay.id,
                "day": today + timedelta(days=1),
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            autopay = env["b2b.autopay"].browse(self.ids["autopay"])
            transactions = autopay.transaction_ids
            payments = transactions.payment_id
            payments.action_draft()
            payments.move_id.with_context(force_delete=True).unlink()
            payments.unlink()
            transactions.unlink()
            autopay.unlink()
            env["payment.token"].browse(self.ids["token"]).unlink()
            invoice = env["account.move"].browse(self.ids["invoice"])
            invoice.button_draft()
            invoice.with_context(force_delete=True).unlink()
            env["product.product"].browse(self.ids["product"]).active = False
            env["res.partner"].browse(self.ids["payer"]).active = False
            if self.ids["provider_state"] == "disabled":
                env.ref("payment.payment_provider_demo").state = "disabled"

    def test_two_runs_charge_once(self):
        """The two runs go step by step (each ``barrier.wait()`` is a step both reach)."""
        day = self.ids["day"]

        def first(env, barrier):
            run1 = env["b2b.autopay"].browse(self.ids["autopay"])
            draft = run1._b2b_prepare_transaction(day)
            self.assertEqual(draft.state, "draft")
            barrier.wait()  # 1: the second run tries while this one holds the lock
            barrier.wait()
            env.cr.commit()
            barrier.wait()  # 2: the second run tries, then resumes the committed draft
            barrier.wait()
            # while the second run charges it, this one may not
            self.assertFalse(run1._b2b_charge(draft))
            env.cr.rollback()
            barrier.wait()  # 3: the second run charges
            barrier.wait()
            # after the charge, this run charges nothing again
            self.assertFalse(run1._b2b_prepare_transaction(day))
            self.assertFalse(run1._b2b_charge(draft))
            barrier.wait()  # 4: nor does the second one
            return draft.id

        def second(env, barrier):
            run2 = env["b2b.autopay"].browse(self.ids["autopay"])
            barrier.wait()
            # the second run meets the first one's lock: it skips the payer
            self.assertFalse(run2._b2b_prepare_transaction(day))
            barrier.wait()
            barrier.wait()
            # still in a transaction started before the draft was committed, the second run
            # does not see it: the unique reference refuses a second draft
            self.assertFalse(run2._b2b_prepare_transaction(day))
            env.cr.rollback()
            # in a fresh transaction, it resumes the committed draft
            resumed = run2._b2b_prepare_transaction(day)
            barrier.wait()
            barrier.wait()
            self.assertTrue(run2._b2b_charge(resumed))
            env.cr.commit()
            barrier.wait()
            barrier.wait()
            self.assertFalse(run2._b2b_run(day))
            return resumed.id

        outcomes = run_concurrently(self.registry, first, second)
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
        self.assertEqual(outcomes[1], outcomes[0], "the second run resumes the first one's draft")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            transactions = (
                env["payment.transaction"]
                .search([("reference", "=like", "AUTOPAY-%")])
                .filtered(lambda tx: tx.partner_id.id == self.ids["payer"])
            )
            self.assertEqual(len(transactions), 1)
            self.assertEqual(transactions.state, "done")
            self.assertEqual(len(transactions.payment_id), 1)
            invoice = env["account.move"].browse(self.ids["invoice"])
            self.assertEqual(invoice.payment_state, "paid")
            self.assertEqual(transactions.payment_id.partner_id.id, self.ids["payer"])
