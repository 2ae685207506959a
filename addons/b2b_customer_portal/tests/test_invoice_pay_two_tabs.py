"""Two tabs of the payer's accountant paying the same invoices at the same moment (two database
transactions, as two HTTP workers would run them): the invoices are paid once. Each tab either
gets its transaction or is told in French that a payment is in progress or that nothing is left
to pay; when both are paid by the provider (payment_demo) at once, the second payment stays as
the payer's credit, never on an invoice already paid. The fixture is committed by the superuser
and removed after; the tabs act as the accountant through the pay route's own code."""

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.addons.b2b_customer_portal.controllers.invoice_pay import B2bInvoicePayPortal
from odoo.addons.b2b_party_roles.tests.common import run_concurrently
from odoo.addons.http_routing.tests.common import MockRequest
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged

# what the second tab may be told (French): a payment in progress, or nothing left to pay
REFUSALS = ("est déjà en cours de traitement", "plus rien à payer")


@tagged("post_install", "-at_install")
class TestInvoicePayTwoTabs(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if not env["res.lang"]._get_data(code="fr_FR").active:
                env["res.lang"]._activate_lang("fr_FR")
            provider = env.ref("payment.payment_provider_demo")
            method = env.ref("payment_demo.payment_method_demo")
            self.restore = {
                "provider": (provider.state, provider.is_published, provider.company_id.id),
                "method": method.active,
            }
            provider.write({"state": "test", "is_published": True, "company_id": env.company.id})
            # the first batch payment of the year creates the yearly range of its reference's
            # sequence: make this payment the first one, the race that Odoo's snapshots lose
            today = fields.Date.today()
            env.company.batch_payment_sequence_id.date_range_ids.filtered(
                lambda date_range: date_range.date_from <= today <= date_range.date_to
            ).unlink()
            method.active = True
            address = {"street": "1 rue du Test", "zip": "69002", "city": "Lyon", "country_id": env.ref("base.fr").id}
            payer = env["res.partner"].create({"name": "Payeur Deux Onglets SA", "is_company": True, **address})
            contact = env["res.partner"].create(
                {
                    "name": "Comptable Deux Onglets",
                    "parent_id": payer.id,
                    "email": "comptable@deux-onglets.example",
                    "b2b_portal_role": "accountant",
                    "lang": "fr_FR",
                }
            )
            login = f"two_tabs_accountant_{payer.id}"
            accountant = new_test_user(env, login=login, groups="base.group_portal", partner_id=contact.id)
            product = env["product.product"].create({"name": "Article deux onglets"})
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": payer.id,
                        "invoice_date": fields.Date.today(),
                        "invoice_date_due": fields.Date.add(fields.Date.today(), days=30),
                        "invoice_line_ids": [
                            Command.create(
                                {"product_id": product.id, "quantity": 1, "price_unit": price, "tax_ids": []}
                            )
                        ],
                    }
                    for price in (1000.0, 500.0)
                ]
            )
            invoices.action_post()
            self.ids = {
                "payer": payer.id,
                "contact": contact.id,
                "accountant": accountant.id,
                "product": product.id,
                "invoices": invoices.ids,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoices = env["account.move"].browse(self.ids["invoices"])
            transactions = env["payment.transaction"].search([("invoice_ids", "in", invoices.ids)])
            payments = transactions.payment_id | env["account.payment"].search([("partner_id", "=", self.ids["payer"])])
            payments.action_draft()
            payments.move_id.with_context(force_delete=True).unlink()
            payments.unlink()
            transactions.unlink()
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["res.users"].browse(self.ids["accountant"]).active = False
            env["product.product"].browse(self.ids["product"]).active = False
            env["res.partner"].browse([self.ids["contact"], self.ids["payer"]]).active = False
            provider = env.ref("payment.payment_provider_demo")
            state, published, company_id = self.restore["provider"]
            provider.write({"state": state, "is_published": published, "company_id": company_id})
            env.ref("payment_demo.payment_method_demo").active = self.restore["method"]

    def _tab(self, env, barrier):
        """One tab of the accountant posting the pay route of both invoices, retried on a
        serialization error with a fresh snapshot as Odoo's request handling does
        (``odoo.service.model.retrying``, which turns any other database error into a message
        about the database)."""
        for _attempt in range(5):
            try:
                with env.cr.savepoint(flush=False):
                    return self._post_pay_route(env)
            except SerializationFailure:
                env.cr.rollback()
                env.transaction.reset()
        raise AssertionError("still failing after 5 tries")

    def _post_pay_route(self, env):
        """The pay route's code, as the accountant, with the payment form's parameters."""
        env = env(user=self.ids["accountant"], context={"lang": "fr_FR"})
        provider = env.ref("payment.payment_provider_demo").sudo()
        with MockRequest(env, context={"lang": "fr_FR"}):
            return B2bInvoicePayPortal().portal_my_invoices_pay_transaction(
                ",".join(map(str, self.ids["invoices"])),
                provider_id=provider.id,
                payment_method_id=env.ref("payment_demo.payment_method_demo").sudo().id,
                token_id=None,
                flow="direct",
                tokenization_requested=False,
                landing_route="/my/invoices/pay/done",
                is_validation=False,
                amount=1.0,
            )

    @staticmethod
    def _confirm(reference):
        """payment_demo confirms the transaction, then Odoo post-processes it (books the
        payment) as its scheduled action does: a post-processing that loses a race to the
        other one is rolled back and left for the next run."""

        def confirm(env, barrier):
            transaction = env["payment.transaction"].search([("reference", "=", reference)])
            transaction._process("demo", {"reference": reference, "payment_details": "4242", "simulated_state": "done"})
            env.cr.commit()
            barrier.wait()  # both confirmed: post-process at the same moment
            transaction._cron_post_process()
            return transaction.id

        return confirm

    def test_two_tabs_pay_the_invoices_once(self):
        outcomes = run_concurrently(self.registry, self._tab, self._tab)
        references = []
        for outcome in outcomes:
            if isinstance(outcome, dict):
                references.append(outcome["reference"])
            else:
                self.assertIsInstance(outcome, ValidationError, repr(outcome))
                self.assertTrue(any(text in outcome.args[0] for text in REFUSALS), outcome.args[0])
        self.assertTrue(references, "at least one tab pays")

        outcomes = run_concurrently(self.registry, *(self._confirm(reference) for reference in references))
        for outcome in outcomes:
            self.assertIsInstance(outcome, int, repr(outcome))

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            transactions = env["payment.transaction"].search([("reference", "in", references)])
            # what lost the race is post-processed by the next run
            transactions._cron_post_process()
            self.assertEqual(set(transactions.mapped("state")), {"done"})
            self.assertTrue(all(transactions.mapped("is_post_processed")))
            invoices = env["account.move"].browse(self.ids["invoices"])
            self.assertEqual(invoices.mapped("amount_residual"), [0.0, 0.0])
            for invoice in invoices:
                # settled exactly once: what the payments reconciled on it is its total
                term_lines = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
                paid = sum(term_lines.matched_credit_ids.mapped("amount"))
                self.assertAlmostEqual(paid, invoice.amount_total, msg=invoice.name)
            payments = transactions.payment_id
            self.assertEqual(len(payments), len(references))
            self.assertEqual(sum(payments.mapped("amount")), 1500.0 * len(references))
            # a second payment stays whole as the payer's credit (its receivable, unreconciled)
            open_lines = env["account.move.line"].search(
                [
                    ("partner_id", "=", self.ids["payer"]),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ]
            )
            self.assertAlmostEqual(sum(open_lines.mapped("amount_residual")), -1500.0 * (len(references) - 1))
