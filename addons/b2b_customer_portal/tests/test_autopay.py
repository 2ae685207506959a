"""Automatic payment (issue 15): the payer's accountant turns it on; everyone else is refused;
billing users follow it in the back office; the daily run announces, charges once per payer and
day (disputes skipped, caps kept, credits netted), emails, and pauses after 3 failures or when
the user who turned it on is archived."""

import re
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


class B2bAutopayCommon(B2bRoleUsersMixin):
    _b2b_prefix = "apay"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls._b2b_prefix)
        Partner = cls.env["res.partner"]
        cls.today = fields.Date.context_today(cls.env["b2b.autopay"])
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test"})
        cls.accountant = cls.portal_users["accountant"]
        other_contact = Partner.create(
            {
                "name": f"Other Accountant {cls._b2b_prefix}",
                "parent_id": cls.other_portal_customer.id,
                "email": f"{cls._b2b_prefix}.other.accountant@customer.example",
                "b2b_portal_role": "accountant",
            }
        )
        cls.other_accountant = new_test_user(
            cls.env,
            login=f"{cls._b2b_prefix}_portal_other_acc",
            groups="base.group_portal",
            partner_id=other_contact.id,
        )
        cls.token = cls._token(cls.accountant.partner_id)
        cls.other_token = cls._token(other_contact)
        cls.product = cls.env["product.product"].create({"name": "Ramette autopay", "list_price": 100.0})

    @classmethod
    def _token(cls, partner, state="done"):
        return cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.env.ref("payment_demo.payment_method_demo").id,
                "partner_id": partner.id,
                "payment_details": "4242",
                "provider_ref": f"demo-{partner.id}",
                "demo_simulated_state": state,
            }
        )

    @classmethod
    def _invoice(cls, price, partner=None, days_ago=10, due_in=-1, move_type="out_invoice"):
        invoice = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.portal_customer).id,
                "invoice_date": cls.today - timedelta(days=days_ago),
                "invoice_date_due": cls.today + timedelta(days=due_in),
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product.id, "quantity": 1, "price_unit": price, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _enrol(self, user=None, token=None, **values):
        values = {"trigger": "due_date", **values}
        return (
            self.env["b2b.autopay"]
            .with_user(user or self.accountant)
            ._b2b_portal_enrol(token or self.token, values)
            .sudo()
        )


@tagged("post_install", "-at_install")
class TestAutopayEnrol(B2bAutopayCommon, TransactionCase):
    def test_accountant_turns_it_on(self):
        autopay = self._enrol(trigger="before_due", days_before="5", cap_invoice="800", cap_month="2000")
        self.assertEqual(autopay.partner_id, self.portal_customer, "the mandate is the payer entity's")
        self.assertEqual(autopay.state, "active")
        self.assertEqual(autopay.enrolled_user_id, self.accountant)
        self.assertTrue(autopay.enrolled_date)
        self.assertEqual(autopay.terms_version, "2026-11")
        self.assertIn("charge the payment method", autopay.terms_text)
        self.assertEqual((autopay.trigger, autopay.days_before), ("before_due", 5))
        self.assertEqual((autopay.cap_invoice, autopay.cap_month), (800.0, 2000.0))
        self.assertEqual(autopay.notice_days, 3)
        self.assertIn("turned on by", autopay.message_ids[0].body)
        self.assertEqual(autopay.message_ids[0].author_id, self.accountant.partner_id)
        # changing the terms keeps one mandate per payer and records the new acceptance
        again = self._enrol(trigger="posting")
        self.assertEqual(again, autopay)
        self.assertEqual(autopay.trigger, "posting")
        self.assertEqual(self.env["b2b.autopay"].search_count([("partner_id", "=", self.portal_customer.id)]), 1)
        # turned off from the portal
        autopay.with_user(self.accountant)._b2b_portal_stop()
        self.assertEqual(autopay.state, "stopped")

    def test_other_roles_refused(self):
        for role in ("buyer", "approver", "viewer", "other_buyer"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._enrol(user=self.portal_users[role])
        # another payer's accountant cannot use this payer's card, nor this one the other's
        with self.assertRaises(AccessError):
            self._enrol(user=self.other_accountant, token=self.token)
        with self.assertRaises(AccessError):
            self._enrol(token=self.other_token)
        for role in ("billing", "salesman"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._enrol(user=self.users[role])
        self.assertFalse(self.env["b2b.autopay"].search([]).filtered(lambda a: a.partner_id in self.portal_customer))
        # the accountant cannot stop another payer's mandate
        other = self._enrol(user=self.other_accountant, token=self.other_token)
        with self.assertRaises(AccessError):
            other.with_user(self.accountant)._b2b_portal_stop()
        self.assertEqual(other.state, "active")

    def test_bad_terms_refused(self):
        for values in (
            {"trigger": "before_due", "days_before": "31"},
            {"trigger": "before_due", "days_before": "-1"},
            {"trigger": "weekly"},
            {"cap_invoice": "-5"},
            {"cap_month": "lots"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                self._enrol(**values)
        self.assertFalse(self.env["b2b.autopay"].search([("partner_id", "=", self.portal_customer.id)]))

    def test_one_mandate_per_payer(self):
        autopay = self._enrol()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env["b2b.autopay"].create(
                {"partner_id": self.portal_customer.id, "token_id": self.token.id, "trigger": "due_date"}
            )
        autopay.with_user(self.accountant)._b2b_portal_stop()
        # a stopped mandate does not prevent turning it on again
        self.assertNotEqual(self._enrol(), autopay)

    def test_back_office(self):
        autopay = self._enrol()
        billing = self.users["billing"]
        Autopay = self.env["b2b.autopay"].with_user(billing)
        self.assertEqual(Autopay.search([("partner_id", "=", self.portal_customer.id)]), autopay)
        autopay.with_user(billing).action_b2b_pause()
        self.assertEqual(autopay.state, "paused")
        self.assertIn("Paused by", autopay.pause_reason)
        autopay.with_user(billing).action_b2b_resume()
        self.assertEqual(autopay.state, "active")
        # control fields only move through the actions
        with self.assertRaises(AccessError):
            autopay.with_user(billing).write({"state": "paused"})
        with self.assertRaises(AccessError):
            autopay.with_user(billing).write({"cap_month": 1.0})
        # a salesman, a stock user and portal users do not see mandates
        for user in (self.users["salesman"], self.users["stock_user"], self.accountant, self.portal_users["buyer"]):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["b2b.autopay"].with_user(user).search([])
        with self.assertRaises(AccessError):
            autopay.with_user(self.users["credit_manager"]).action_b2b_stop()
        self.assertEqual(autopay.state, "active")
        autopay.with_user(billing).message_post(body="Called the customer")
        autopay.with_user(billing).action_b2b_stop()
        self.assertEqual(autopay.state, "stopped")

    def test_back_office_no_cap(self):
        """A cap of zero is no cap: the form says so instead of showing 0.00, the list leaves the cell empty."""
        Autopay = self.env["b2b.autopay"].with_user(self.users["billing"])
        views = Autopay.get_views([(False, "list"), (False, "form")])["views"]
        self.assertIn("o_b2b_autopay_no_cap", views["form"]["arch"])
        self.assertRegex(views["form"]["arch"], r'name="cap_invoice"[^>]*invisible="not cap_invoice"')
        self.assertRegex(views["list"]["arch"], r'name="cap_month"[^>]*invisible="not cap_month"')


@tagged("post_install", "-at_install")
class TestAutopayCharge(B2bAutopayCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a subsidiary billed for its orders whose invoices the portal customer pays
        cls.subsidiary = cls.env["res.partner"].create(
            {
                "name": "Filiale Autopay",
                "is_company": True,
                "street": "3 rue du Test",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "allowed_payer_ids": [Command.set(cls.portal_customer.ids)],
                "payer_id": cls.portal_customer.id,
            }
        )

    def _mails_to(self, partner, autopay):
        return autopay.message_ids.filtered(lambda message: partner in message.partner_ids)

    def _day_run(self, autopay, day):
        """The cron's step for one payer on ``day``: charge, then announce (no commit)."""
        transaction = autopay._b2b_run(day)
        autopay._b2b_announce(day)
        return transaction

    def test_subject_in_french(self):
        """French puts a space before the colon of the email's subject."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_customer_portal"], ["fr_FR"], overwrite=True)
        self.portal_customer.lang = "fr_FR"
        self._invoice(1000.0)
        autopay = self._enrol()
        self.assertTrue(autopay._b2b_announce(self.today))
        self.assertEqual(autopay.message_ids[0].subject, f"{autopay.company_id.name} : Paiement automatique à venir")

    def test_charge_once_per_day(self):
        invoice = self._invoice(1000.0, partner=self.subsidiary)
        disputed = self._invoice(500.0)
        self.env["b2b.invoice.dispute"]._b2b_portal_raise(
            disputed, self.accountant.partner_id, "price", 200.0, "Prix faux"
        )
        later = self._invoice(700.0, due_in=10)
        autopay = self._enrol()
        # nothing charged before it was announced
        self.assertFalse(autopay._b2b_run(self.today))
        self.assertTrue(autopay._b2b_announce(self.today))
        announcement = autopay.message_ids[0]
        self.assertIn(self.accountant.partner_id, announcement.partner_ids)
        self.assertIn(invoice.name, announcement.body)
        self.assertNotIn(later.name, announcement.body)
        self.assertFalse(autopay._b2b_announce(self.today), "announced once")
        self.assertFalse(autopay._b2b_run(self.today), "not charged the day it was announced (a second run)")

        day = self.today + timedelta(days=1)
        transaction = autopay._b2b_run(day)
        self.assertEqual(
            transaction.reference, f"AUTOPAY-{autopay.company_id.id}-{self.portal_customer.id}-{day:%Y%m%d}"
        )
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.amount, 1300.0, "the disputed 200 are not charged")
        self.assertEqual(transaction.partner_id, self.portal_customer)
        self.assertEqual(transaction.payment_id.partner_id, self.portal_customer, "booked to the payer")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(disputed.amount_residual, 200.0)
        self.assertEqual(later.payment_state, "not_paid")
        self.assertNotIn(invoice, autopay.announced_invoice_ids, "paid: no longer listed")
        self.assertIn(disputed, autopay.announced_invoice_ids, "partly paid: still listed")
        receipt = self._mails_to(self.accountant.partner_id, autopay)[0]
        self.assertIn(transaction.reference, receipt.body)
        # a rerun the same day, or the next day, charges nothing again
        self.assertFalse(autopay._b2b_run(day))
        self.assertFalse(autopay._b2b_run(day + timedelta(days=1)))
        self.assertEqual(autopay.transaction_ids, transaction)

    def test_caps(self):
        big = self._invoice(600.0)
        first = self._invoice(400.0, due_in=-3)
        second = self._invoice(400.0, due_in=-2)
        third = self._invoice(400.0, due_in=-1)
        autopay = self._enrol(cap_invoice="500", cap_month="1000")
        autopay._b2b_announce(self.today)
        announcement = autopay.message_ids[0]
        self.assertIn(big.name, announcement.body)
        self.assertIn("over the cap per invoice", announcement.body)
        self.assertIn("over the cap of the month", announcement.body)
        day = self.today + timedelta(days=1)
        transaction = autopay._b2b_run(day)
        self.assertEqual(transaction.amount, 800.0)
        self.assertEqual(transaction.invoice_ids, first | second)
        self.assertEqual((big | third).mapped("payment_state"), ["not_paid", "not_paid"])
        # the month's cap is used: the next day charges nothing more this month
        if (day + timedelta(days=1)).month == day.month:
            self.assertFalse(autopay._b2b_run(day + timedelta(days=1)))

    def test_failures_pause(self):
        self._invoice(300.0)
        autopay = self._enrol(token=self._token(self.accountant.partner_id, state="error"))
        autopay._b2b_announce(self.today)
        for offset in (1, 2, 3):
            transaction = autopay._b2b_run(self.today + timedelta(days=offset))
            self.assertEqual(transaction.state, "error")
            self.assertEqual(autopay.failure_count, offset)
        self.assertEqual(autopay.state, "paused")
        mails = self._mails_to(self.accountant.partner_id, autopay)
        self.assertEqual(len(mails.filtered(lambda m: "could not charge" in m.body)), 3)
        self.assertIn("Automatic payment of your invoices is paused", mails[0].body)
        self.assertFalse(autopay._b2b_run(self.today + timedelta(days=4)), "paused: nothing charged")

    def test_pending_answer_later(self):
        invoice = self._invoice(300.0)
        autopay = self._enrol(token=self._token(self.accountant.partner_id, state="pending"))
        autopay._b2b_announce(self.today)
        mails_before = len(self._mails_to(self.accountant.partner_id, autopay))
        day = self.today + timedelta(days=1)
        transaction = autopay._b2b_run(day)
        self.assertEqual(transaction.state, "pending")
        self.assertEqual(len(self._mails_to(self.accountant.partner_id, autopay)), mails_before, "no receipt yet")
        # pending: held, not charged again the next day
        self.assertFalse(autopay._b2b_run(day + timedelta(days=1)))
        # the provider confirms later; Odoo's post-processing books it and the payer gets a receipt
        transaction._set_done()
        transaction._post_process()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(transaction.payment_id.partner_id, self.portal_customer)
        receipt = self._mails_to(self.accountant.partner_id, autopay)[0]
        self.assertIn(transaction.reference, receipt.body)
        self.assertIn("was charged", receipt.body)
        transaction._post_process()
        self.assertEqual(self._mails_to(self.accountant.partner_id, autopay)[0], receipt, "one receipt")

    def test_enrolling_user_archived(self):
        self._invoice(300.0)
        autopay = self._enrol()
        autopay._b2b_announce(self.today)
        self.accountant.active = False
        self.assertFalse(autopay._b2b_run(self.today + timedelta(days=1)))
        self.assertEqual(autopay.state, "paused")
        self.assertIn("archived", autopay.pause_reason)
        self.assertIn(self.accountant.partner_id, autopay.message_ids[0].partner_ids)

    def test_credit_after_charge_nets_next_charge(self):
        invoice = self._invoice(1000.0)
        autopay = self._enrol()
        autopay._b2b_announce(self.today)
        day = self.today + timedelta(days=1)
        first = autopay._b2b_run(day)
        self.assertEqual(invoice.payment_state, "paid")
        # a part of the charged invoice is credited: an outstanding credit of 300
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Retour"})
        )
        credit_note = self.env["account.move"].browse(reversal.reverse_moves()["res_id"])
        credit_note.invoice_line_ids.price_unit = 300.0
        credit_note.action_post()
        self.assertEqual(credit_note.amount_residual, 300.0)
        later = self._invoice(800.0, days_ago=5)
        autopay._b2b_announce(day)
        second = autopay._b2b_run(day + timedelta(days=1))
        self.assertNotEqual(second, first)
        self.assertEqual(second.amount, 500.0, "800 due less the 300 credited")
        self.assertEqual(later.payment_state, "paid")
        self.assertEqual(credit_note.payment_state, "paid")

    def test_interrupted_run_resumes(self):
        invoice = self._invoice(450.0)
        autopay = self._enrol()
        autopay._b2b_announce(self.today)
        day = self.today + timedelta(days=1)
        draft = autopay._b2b_prepare_transaction(day)
        self.assertEqual(draft.state, "draft")
        # the provider call crashes after the draft was committed
        demo_tx = type(self.env["payment.transaction"])
        with (
            patch.object(demo_tx, "_send_payment_request", side_effect=RuntimeError("worker killed")),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            autopay._b2b_charge(draft)
        self.assertEqual(draft.state, "draft")
        # the rerun resumes the same transaction: one charge, one payment
        resumed = autopay._b2b_run(day)
        self.assertEqual(resumed, draft)
        self.assertEqual(draft.state, "done")
        self.assertFalse(autopay._b2b_run(day))
        self.assertEqual(autopay.transaction_ids, draft)
        self.assertEqual(len(invoice.matched_payment_ids | invoice._get_reconciled_payments()), 1)
        self.assertEqual(invoice.payment_state, "paid")

    def test_resumed_draft_of_a_paid_invoice_not_charged(self):
        invoice = self._invoice(450.0)
        autopay = self._enrol()
        autopay._b2b_announce(self.today)
        day = self.today + timedelta(days=1)
        draft = autopay._b2b_prepare_transaction(day)
        # the run stops after the draft; meanwhile the customer pays the invoice another way
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {}
        )._create_payments()
        self.assertEqual(invoice.payment_state, self.env["account.move"]._get_invoice_in_payment_state())
        self.assertEqual(autopay._b2b_run(day), draft, "the run resumes the draft...")
        self.assertEqual(draft.state, "cancel", "...and does not charge it")
        self.assertFalse(draft.payment_id)
        self.assertEqual(autopay.failure_count, 0)
        self.assertFalse(autopay._b2b_run(day + timedelta(days=1)))

    def test_scheduled_action(self):
        invoice = self._invoice(250.0)
        autopay = self._enrol()
        cron = self.env.ref("b2b_customer_portal.ir_cron_b2b_autopay")
        self.assertEqual(cron.user_id, self.env.ref("base.user_root"))
        Cron = type(self.env["ir.cron"])
        with patch.object(Cron, "_commit_progress", return_value=float("inf")) as commit:
            # first run announces, the run of the next day (frozen today + 1) charges
            self.env["b2b.autopay"].with_user(cron.user_id)._cron_b2b_autopay()
            self.assertIn(invoice, autopay.announced_invoice_ids)
            self.assertEqual(invoice.payment_state, "not_paid")
            autopay.announced_invoice_ids = [Command.link(invoice.id)]
            with patch.object(fields.Date, "context_today", return_value=self.today + timedelta(days=1)):
                self.env["b2b.autopay"].with_user(cron.user_id)._cron_b2b_autopay()
        self.assertTrue(commit.called)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(autopay.transaction_ids.payment_id.partner_id, self.portal_customer)


@tagged("post_install", "-at_install")
class TestAutopayPortal(B2bAutopayCommon, HttpCase):
    _b2b_prefix = "apayh"

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _csrf(self):
        response = self.url_open("/my")
        return re.search(r'csrf_token: "([^"]+)"', response.text).group(1)

    def _save(self, token=None, **data):
        data = {
            "csrf_token": self._csrf(),
            "token_id": (token or self.token).id,
            "trigger": "before_due",
            "days_before": "4",
            "cap_invoice": "900",
            "cap_month": "",
            "accept_terms": "1",
            **data,
        }
        return self.url_open("/my/autopay/save", data=data, allow_redirects=False)

    def _mandates(self):
        return self.env["b2b.autopay"].search(
            [("partner_id", "in", (self.portal_customer | self.other_portal_customer).ids)]
        )

    def test_accountant_page_and_enrolment(self):
        self._login(self.accountant)
        page = self.url_open("/my/autopay")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_b2b_autopay_form", page.text)
        self.assertIn('<li class="breadcrumb-item active">Automatic Payment</li>', page.text)
        self.assertIn(f'value="{self.token.id}"', page.text)
        self.assertNotIn(f'value="{self.other_token.id}"', page.text, "another payer's card is not offered")
        # Odoo's payment form saves a new payment method, landing back here
        self.assertIn('data-mode="validation"', page.text)
        self.assertIn("/my/autopay", page.text)
        response = self._save()
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=saved", response.headers["Location"])
        autopay = self._mandates()
        self.assertEqual(autopay.partner_id, self.portal_customer)
        self.assertEqual((autopay.trigger, autopay.days_before, autopay.cap_invoice), ("before_due", 4, 900.0))
        self.assertEqual(autopay.enrolled_user_id, self.accountant)
        page = self.url_open("/my/autopay?message=saved")
        self.assertIn("o_b2b_autopay_stop", page.text)
        response = self.url_open("/my/autopay/stop", data={"csrf_token": self._csrf()}, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(autopay.state, "stopped")

    def test_last_charges_listed(self):
        self._invoice(300.0)
        autopay = self._enrol()
        autopay._b2b_announce(self.today)
        transaction = autopay._b2b_run(self.today + timedelta(days=1))
        self._login(self.accountant)
        page = self.url_open("/my/autopay").text
        self.assertIn("o_b2b_autopay_history", page)
        self.assertIn(transaction.reference, page)
        # another payer's accountant does not see them
        self._login(self.other_accountant)
        self.assertNotIn(transaction.reference, self.url_open("/my/autopay").text)

    def test_bad_input_writes_nothing(self):
        self._login(self.accountant)
        for data, code in (
            ({"accept_terms": ""}, "terms"),
            ({"days_before": "45"}, "days"),
            ({"cap_invoice": "-1"}, "negative"),
            ({"token_id": "abc"}, "token"),
            ({"trigger": "never"}, "trigger"),
            ({"cap_month": "nan"}, "numbers"),
            ({"cap_month": "1e400"}, "numbers"),
            ({"cap_month": "inf"}, "numbers"),
            ({"cap_invoice": "-inf"}, "numbers"),
            ({"cap_invoice": "1e15"}, "numbers"),
        ):
            with self.subTest(data=data):
                response = self._save(**data)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith(f"/my/autopay?error={code}"))
        self.assertFalse(self._mandates())

    def test_state_in_french(self):
        """The state badge reads « Activé » in French (« On » was translated as in « On <date> »)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_customer_portal"], ["fr_FR"], overwrite=True)
        self.accountant.partner_id.lang = "fr_FR"
        self._login(self.accountant)
        page = self.url_open("/my/autopay").text
        self.assertRegex(page, r"o_b2b_autopay_state\">\s*Désactivé\s*<")
        self.assertIn('<li class="breadcrumb-item active">Paiement automatique</li>', page)
        self.assertIn('placeholder="Aucun plafond"', page)
        self._enrol()
        page = self.url_open("/my/autopay").text
        self.assertRegex(page, r"o_b2b_autopay_state\">\s*Activé\s*<")
        self.assertIn("Plafond", page)

    def test_caps_on_the_page(self):
        """Caps read as amounts (5000, not 5000.0), an empty cap reads « No cap » and saves as none;
        a typed 5 000,50 is read as 5000.50."""
        self._enrol(cap_invoice=5000.0)
        self._login(self.accountant)
        page = self.url_open("/my/autopay").text
        self.assertRegex(page, r'name="cap_invoice" class="form-control" placeholder="No cap" value="5000"')
        self.assertRegex(page, r'name="cap_month" class="form-control" placeholder="No cap" value=""')
        self.assertNotIn("5000.0", page)
        response = self._save(cap_invoice="5 000,50", cap_month="")
        self.assertIn("message=saved", response.headers["Location"])
        autopay = self._mandates()
        self.assertEqual((autopay.cap_invoice, autopay.cap_month), (5000.5, 0.0))
        self.assertIn('value="5000.5"', self.url_open("/my/autopay").text)

    def test_error_codes_only(self):
        """The page shows the message of a known error code, never text taken from its URL."""
        self._login(self.accountant)
        page = self.url_open("/my/autopay?error=negative").text
        self.assertIn("o_b2b_autopay_error", page)
        self.assertIn("Caps cannot be negative.", page)
        page = self.url_open("/my/autopay?error=Call+us+at+555-0100+to+confirm+your+card").text
        self.assertNotIn("o_b2b_autopay_error", page)
        self.assertNotIn("Call us at", page)

    def test_refused(self):
        for role in ("buyer", "approver", "viewer", "other_buyer"):
            with self.subTest(role=role):
                self._login(self.portal_users[role])
                self.assertEqual(self.url_open("/my/autopay").status_code, 403)
                self.assertEqual(self._save().status_code, 403)
        # another payer's accountant has its own page, but cannot enrol with this payer's card
        self._login(self.other_accountant)
        page = self.url_open("/my/autopay")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(f'value="{self.token.id}"', page.text)
        self.assertEqual(self._save(token=self.token).status_code, 403)
        self.assertFalse(self._mandates())
        # a billing user is not a customer's accountant
        self._login(self.users["billing"])
        self.assertEqual(self.url_open("/my/autopay").status_code, 403)
        # without CSRF, and as a guest
        self._login(self.accountant)
        response = self.url_open(
            "/my/autopay/save",
            data={"token_id": self.token.id, "trigger": "due_date", "accept_terms": "1"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.authenticate(None, None)
        response = self.url_open("/my/autopay", allow_redirects=False)
        self.assertIn(response.status_code, (303, 302))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self._mandates())

    def test_tour_save_card_and_turn_on(self):
        (self.token | self.other_token).active = False
        self.start_tour("/my/autopay", "b2b_customer_portal_autopay", login=self.accountant.login)
        autopay = self._mandates()
        self.assertEqual(autopay.partner_id, self.portal_customer)
        self.assertEqual((autopay.trigger, autopay.days_before, autopay.cap_month), ("before_due", 5, 20000.0))
        # the card saved through the provider's form belongs to the payer
        self.assertNotIn(autopay.token_id, self.token | self.other_token)
        self.assertEqual(autopay.token_id.partner_id.commercial_partner_id, self.portal_customer)
        self.assertEqual(autopay.token_id.provider_id, self.provider)

    def test_tour_on_a_phone(self):
        self.browser_size = "375x667"
        self.test_tour_save_card_and_turn_on()

    def test_home_card(self):
        self._login(self.accountant)
        self.assertIn('href="/my/autopay"', self.url_open("/my").text)
        self._login(self.portal_users["buyer"])
        self.assertNotIn('href="/my/autopay"', self.url_open("/my").text)
