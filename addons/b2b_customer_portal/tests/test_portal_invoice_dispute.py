"""Invoice disputes (issue 15): raised from the invoice page by the accountant and the approver
of the billed party or payer, refused to everyone else, decided in the back office."""

import re

from odoo import Command, fields
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged


class B2bDisputeCommon(B2bRoleUsersMixin):
    _b2b_prefix = "disp"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls._b2b_prefix)
        cls.product = cls.env["product.product"].create({"name": "Ramette litige", "list_price": 100.0})
        cls.invoice = cls._dispute_invoice(cls.portal_customer, price=1000.0)
        cls.other_invoice = cls._dispute_invoice(cls.other_portal_customer, price=500.0)

    @classmethod
    def _dispute_invoice(cls, partner, price=1000.0, **vals):
        # due in a month (not today: in the users' time zone "today" may already be tomorrow)
        vals.setdefault("invoice_date_due", fields.Date.add(fields.Date.today(), days=30))
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_user_id": cls.users["salesman"].id,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product.id, "quantity": 1, "price_unit": price, "tax_ids": []})
                ],
                **vals,
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _raise(cls, invoice=None, amount=200.0, reason="price"):
        invoice = invoice or cls.invoice
        Dispute = cls.env["b2b.invoice.dispute"]
        return Dispute._b2b_portal_raise(
            invoice, cls.portal_users["accountant"].partner_id, reason, amount, "Prix facturé faux"
        )


@tagged("post_install", "-at_install")
class TestInvoiceDisputeRules(B2bDisputeCommon, TransactionCase):
    def test_invoice_disputed_amount(self):
        dispute = self._raise(amount=200.0)
        self.assertEqual(dispute.state, "open")
        self.assertTrue(dispute.name.startswith("DISP/"))
        self.assertEqual(self.invoice.b2b_dispute_amount, 200.0)
        self.assertTrue(self.invoice.b2b_disputed)
        # a partial dispute never blocks the whole invoice
        self.assertFalse(self.invoice.payment_state == "blocked")
        self.assertEqual(
            self.env["account.move"].search([("b2b_disputed", "=", True), ("id", "in", self.invoice.ids)]),
            self.invoice,
        )
        self.assertFalse(
            self.env["account.move"].search([("b2b_disputed", "=", False), ("id", "in", self.invoice.ids)])
        )
        # the assignee (the invoice's salesperson) has it to review
        self.assertEqual(dispute.user_id, self.users["salesman"])
        self.assertEqual(dispute.activity_ids.user_id, self.users["salesman"])
        # the contact who raised it follows it: decisions reach it
        self.assertIn(self.portal_users["accountant"].partner_id, dispute.message_partner_ids)

    def test_amount_over_due_refused(self):
        self._raise(amount=800.0)
        with self.assertRaises(UserError):
            self._raise(amount=200.01)
        with self.assertRaises(UserError):
            self._raise(amount=0.0)
        self.assertEqual(self.invoice.b2b_dispute_amount, 800.0)

    def test_portal_users_read_disputes_of_their_invoices(self):
        dispute = self._raise()
        other = self._raise(invoice=self.other_invoice, amount=10.0)
        Dispute = self.env["b2b.invoice.dispute"]
        for role in ("buyer", "approver", "accountant", "viewer"):
            user = self.portal_users[role]
            self.assertEqual(Dispute.with_user(user).search([]), dispute, role)
        self.assertEqual(Dispute.with_user(self.portal_users["other_buyer"]).search([]), other)
        with self.assertRaises(AccessError):
            Dispute.with_user(self.portal_users["accountant"]).create(
                {"move_id": self.invoice.id, "reason": "price", "amount": 10.0}
            )
        with self.assertRaises(AccessError):
            dispute.with_user(self.portal_users["accountant"]).write({"amount": 1.0})

    def test_who_may_dispute(self):
        Dispute = self.env["b2b.invoice.dispute"]
        allowed = {
            role: Dispute._b2b_portal_can_dispute(self.invoice, self.portal_users[role].partner_id)
            for role in ("buyer", "approver", "accountant", "viewer", "other_buyer")
        }
        self.assertEqual(
            allowed, {"buyer": False, "approver": True, "accountant": True, "viewer": False, "other_buyer": False}
        )

    def test_payer_accountant_disputes_invoice_it_pays(self):
        self.other_portal_customer.allowed_payer_ids = [Command.set(self.portal_customer.ids)]
        paid_for = self._dispute_invoice(self.other_portal_customer, price=400.0, payer_id=self.portal_customer.id)
        Dispute = self.env["b2b.invoice.dispute"]
        accountant = self.portal_users["accountant"]
        self.assertTrue(Dispute._b2b_portal_can_dispute(paid_for, accountant.partner_id))
        # the billed customer's buyer may not dispute it
        self.assertFalse(Dispute._b2b_portal_can_dispute(paid_for, self.portal_users["other_buyer"].partner_id))
        dispute = self._raise(invoice=paid_for, amount=400.0)
        # the payer's people and the billed customer's people read it
        self.assertEqual(Dispute.with_user(accountant).search([]), dispute)
        self.assertEqual(Dispute.with_user(self.portal_users["other_buyer"]).search([]), dispute)

    def test_billing_user_reviews_and_rejects(self):
        dispute = self._raise()
        billing = self.users["billing"]
        dispute_as_billing = dispute.with_user(billing)
        dispute_as_billing.action_review()
        self.assertEqual(dispute.state, "in_review")
        with self.assertRaises(UserError):
            dispute_as_billing.action_reject()
        self.assertEqual(dispute.state, "in_review")
        dispute_as_billing.resolution_note = "Prix conforme au contrat"
        dispute_as_billing.action_reject()
        self.assertEqual(dispute.state, "rejected")
        self.assertFalse(self.invoice.b2b_disputed)
        # the customer's follower is notified of the decision
        notified = dispute.message_ids.filtered(
            lambda m: self.portal_users["accountant"].partner_id in m.notified_partner_ids
        )
        self.assertTrue(notified.filtered(lambda m: "rejected" in m.body or "rejet" in m.body))

    def test_back_office_queue_and_report(self):
        self._raise(amount=200.0, reason="price")
        self._raise(invoice=self.other_invoice, amount=50.0, reason="damaged")
        billing = self.users["billing"]
        Dispute = self.env["b2b.invoice.dispute"].with_user(billing)
        action = self.env["ir.actions.actions"]._for_xml_id("b2b_customer_portal.b2b_invoice_dispute_action")
        views = Dispute.get_views([(False, mode) for mode in ("list", "form", "search", "pivot", "graph")])
        self.assertEqual(set(views["views"]), {"list", "form", "search", "pivot", "graph"})
        self.assertEqual(action["res_model"], "b2b.invoice.dispute")
        # the report: amounts by reason and customer
        groups = Dispute._read_group([], ["reason", "partner_id"], ["amount:sum", "__count"])
        self.assertEqual(
            sorted((reason, partner.id, amount, count) for reason, partner, amount, count in groups),
            sorted([("damaged", self.other_portal_customer.id, 50.0, 1), ("price", self.portal_customer.id, 200.0, 1)]),
        )
        # the queue's menu is the billing users', not the stock user's
        menu = self.env.ref("b2b_customer_portal.menu_b2b_customer_portal_disputes")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(billing)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.users["stock_user"])._visible_menu_ids())
        # the invoice list filter "Disputed"
        self.assertEqual(
            self.env["account.move"].with_user(billing).search([("b2b_disputed", "=", True)]),
            self.invoice | self.other_invoice,
        )

    def test_state_only_through_buttons(self):
        dispute = self._raise()
        with self.assertRaises(UserError):
            dispute.with_user(self.users["billing"]).write({"state": "resolved"})
        self.assertEqual(dispute.state, "open")

    def test_salesman_reads_disputes_of_own_invoices(self):
        dispute = self._raise()
        salesman = self.users["salesman"]
        self.assertEqual(self.env["b2b.invoice.dispute"].with_user(salesman).search([]), dispute)
        with self.assertRaises(AccessError):
            dispute.with_user(salesman).action_review()
        self.assertEqual(dispute.state, "open")
        self.invoice.invoice_user_id = self.users["sales_manager"]
        self.assertFalse(self.env["b2b.invoice.dispute"].with_user(salesman).search([]))
        # the stock user has no access at all
        with self.assertRaises(AccessError):
            self.env["b2b.invoice.dispute"].with_user(self.users["stock_user"]).search([])

    def test_resolve_by_credit_note(self):
        dispute = self._raise(amount=200.0)
        billing = self.users["billing"]
        action = dispute.with_user(billing).action_resolve_credit_note()
        self.assertEqual(action["res_model"], "account.move.reversal")
        wizard = (
            self.env["account.move.reversal"]
            .with_user(billing)
            .with_context(**action["context"])
            .create({"reason": dispute.name, "journal_id": self.invoice.journal_id.id})
        )
        wizard.refund_moves()
        self.assertEqual(dispute.state, "resolved")
        credit_note = dispute.credit_note_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(self.invoice.state, "posted")
        self.assertFalse(self.invoice.b2b_disputed)

    def test_resolve_by_credit_note_and_new_invoice(self):
        dispute = self._raise(amount=1000.0, reason="quantity")
        billing = self.users["billing"]
        action = dispute.with_user(billing).action_resolve_credit_note_new_invoice()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(billing)
            .with_context(**action["context"])
            .create({"reason": dispute.name, "journal_id": self.invoice.journal_id.id})
        )
        wizard.modify_moves()
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(sorted(dispute.credit_note_ids.mapped("move_type")), ["out_invoice", "out_refund"])
        self.assertEqual(self.invoice.payment_state, "reversed")

    def test_reversal_of_another_invoice_refused(self):
        dispute = self._raise()
        billing = self.users["billing"]
        action = dispute.with_user(billing).action_resolve_credit_note()
        context = {**action["context"], "active_ids": self.other_invoice.ids}
        wizard = (
            self.env["account.move.reversal"]
            .with_user(billing)
            .with_context(**context)
            .create({"reason": "x", "journal_id": self.invoice.journal_id.id})
        )
        with self.assertRaises(UserError):
            wizard.refund_moves()
        self.assertEqual(dispute.state, "open")

    def test_disputed_amount_not_overdue(self):
        past = fields.Date.subtract(fields.Date.today(), days=60)
        late = self._dispute_invoice(self.portal_customer, price=300.0, invoice_date=past, invoice_date_due=past)
        customer = self.portal_customer.with_user(self.users["credit_manager"])
        company = self.env.company

        def overdue():
            customer.invalidate_recordset()
            figures = customer._b2b_credit_figures(company)[self.portal_customer.id]
            return figures["overdue"], figures["oldest_overdue"]

        self.assertEqual(overdue(), (300.0, past))
        self._raise(invoice=late, amount=100.0)
        self.assertEqual(overdue(), (200.0, past))
        self._raise(invoice=late, amount=200.0)
        # all of it disputed: nothing overdue, no oldest overdue date
        self.assertEqual(overdue(), (0.0, None))
        self.assertEqual(customer.b2b_overdue_amount, 0.0)
        # the not yet due invoice's dispute changes nothing
        self._raise(amount=50.0)
        self.assertEqual(overdue(), (0.0, None))
        company.b2b_dispute_excluded_from_overdue = False
        self.assertEqual(overdue(), (300.0, past))


@tagged("post_install", "-at_install")
class TestInvoiceDisputePortal(B2bDisputeCommon, HttpCase):
    _b2b_prefix = "disph"

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _csrf(self):
        response = self.url_open("/my")
        return re.search(r'csrf_token: "([^"]+)"', response.text).group(1)

    def _post(self, invoice, **data):
        return self.url_open(f"/my/invoices/{invoice.id}/dispute", data=data, allow_redirects=False)

    def _disputes(self):
        return self.env["b2b.invoice.dispute"].search([])

    def test_accountant_disputes_part(self):
        user = self.portal_users["accountant"]
        self._login(user)
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn('id="b2b_dispute_form"', page.text)
        response = self.url_open(
            f"/my/invoices/{self.invoice.id}/dispute",
            data={
                "csrf_token": self._csrf(),
                "scope": "part",
                "amount": "150,50",
                "reason": "damaged",
                "message": "Cartons abîmés",
            },
            files={"attachments": ("photo.txt", b"abime", "text/plain")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        dispute = self._disputes()
        self.assertEqual(len(dispute), 1)
        self.assertEqual(
            (dispute.move_id, dispute.amount, dispute.reason, dispute.raised_by_id, dispute.state),
            (self.invoice, 150.5, "damaged", user.partner_id, "open"),
        )
        self.assertEqual(dispute.description, "Cartons abîmés")
        self.assertEqual(dispute.attachment_ids.mapped("name"), ["photo.txt"])
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn("o_b2b_disputed_badge", page.text)
        self.assertIn(dispute.name, page.text)

    def test_approver_disputes_whole(self):
        self._login(self.portal_users["approver"])
        response = self._post(self.invoice, csrf_token=self._csrf(), scope="whole", reason="not_received")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._disputes().amount, 1000.0)

    def test_bad_amount_writes_nothing(self):
        self._login(self.portal_users["accountant"])
        token = self._csrf()
        for amount in ("1000.01", "0", "-5", "abc", "nan", "inf", "-inf", "1e400"):
            response = self._post(self.invoice, csrf_token=token, scope="part", amount=amount, reason="price")
            self.assertEqual(response.status_code, 303)
            self.assertIn("dispute_error=amount", response.headers["Location"])
        response = self._post(self.invoice, csrf_token=token, scope="whole", reason="nonsense")
        self.assertIn("dispute_error=reason", response.headers["Location"])
        self.assertFalse(self._disputes())

    def test_refused_roles(self):
        for role in ("buyer", "viewer"):
            self._login(self.portal_users[role])
            page = self.url_open(f"/my/invoices/{self.invoice.id}")
            self.assertNotIn('id="b2b_dispute_form"', page.text)
            response = self._post(self.invoice, csrf_token=self._csrf(), scope="whole", reason="price")
            self.assertEqual(response.status_code, 403, role)
        self._login(self.portal_users["other_buyer"])
        response = self._post(self.invoice, csrf_token=self._csrf(), scope="whole", reason="price")
        self.assertEqual(response.status_code, 404)
        # the accountant of a customer disputing another customer's invoice
        self._login(self.portal_users["accountant"])
        response = self._post(self.other_invoice, csrf_token=self._csrf(), scope="whole", reason="price")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._disputes())

    def test_guest_and_csrf(self):
        self.authenticate(None, None)
        response = self._post(self.invoice, scope="whole", reason="price")
        # a guest is sent to the login page (or refused), never to the invoice
        self.assertIn(response.status_code, (303, 400, 403))
        if response.status_code == 303:
            self.assertIn("/web/login", response.headers["Location"])
        self._login(self.portal_users["accountant"])
        response = self._post(self.invoice, scope="whole", reason="price")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._disputes())

    def test_tour_raise_dispute(self):
        self.start_tour(
            f"/my/invoices/{self.invoice.id}",
            "b2b_customer_portal_dispute",
            login=self.portal_users["accountant"].login,
        )
        dispute = self._disputes()
        self.assertEqual((dispute.amount, dispute.reason), (120.0, "quantity"))

    def test_tour_raise_dispute_on_a_phone(self):
        self.browser_size = "375x667"
        self.test_tour_raise_dispute()
