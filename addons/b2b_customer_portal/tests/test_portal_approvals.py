from odoo import Command, http
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import HttpCase, tagged


class B2bApprovalPortalCase(B2bRoleUsersMixin, HttpCase):
    """A customer with an approval limit of 500: the salesman takes its buyer's order of 600
    (waiting for approval) and one of 300 (no approval needed); another customer's buyer has
    an order of 600 waiting too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls._b2b_prefix)
        for customer in (cls.portal_customer, cls.other_portal_customer):
            customer.with_user(cls.users["sales_manager"]).b2b_approval_limit = 500.0
        cls.product = cls.env["product.product"].create(
            {"name": "Ramette portail", "default_code": "RAM-P", "list_price": 100.0, "type": "consu"}
        )
        cls.buyer = cls.portal_users["buyer"]
        cls.approver = cls.portal_users["approver"]
        cls.order = cls._b2b_order(cls.buyer.partner_id, 6)
        cls.small_order = cls._b2b_order(cls.buyer.partner_id, 3)
        cls.other_order = cls._b2b_order(cls.portal_users["other_buyer"].partner_id, 6)

    @classmethod
    def _b2b_order(cls, contact, qty, **vals):
        """An order taken by the salesman for ``contact`` (a quotation sent to the customer)."""
        order = (
            cls.env["sale.order"]
            .with_user(cls.users["salesman"])
            .create(
                {
                    "partner_id": contact.id,
                    "user_id": cls.users["salesman"].id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
                    **vals,
                }
            )
        )
        return order

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _csrf_token(self, url="/my/approvals"):
        """The token of the approvals page's forms, as the browser would send it."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]


@tagged("post_install", "-at_install")
class TestPortalApprovals(B2bApprovalPortalCase):
    _b2b_prefix = "apprv"

    def test_fixture_states(self):
        self.assertEqual(self.order.b2b_approval_state, "to_approve")
        self.assertEqual(self.small_order.b2b_approval_state, "not_required")
        self.assertEqual(self.other_order.b2b_approval_state, "to_approve")

    def test_approver_lists_the_entity_quotations_waiting(self):
        self._login(self.approver)
        response = self.url_open("/my/approvals")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertNotIn(self.small_order.name, response.text, "no approval needed")
        self.assertNotIn(self.other_order.name, response.text, "another customer's")
        self.assertIn(self.buyer.partner_id.name, response.text, "who ordered it")

    def test_approver_approves_buyer_told_by_email_logged_once(self):
        self._login(self.approver)
        token = self._csrf_token()
        notes_before = len(self.order.message_ids)
        response = self.url_open(f"/my/approvals/{self.order.id}/approve", data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("approved", response.url)
        self.assertIn(self.order.name, response.text)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "approved")
        self.assertEqual(self.order.b2b_approval_user_id, self.approver)
        # in the chatter: the approval's own note, and the email sent to the buyer; no other post
        new_messages = self.order.message_ids[: len(self.order.message_ids) - notes_before]
        notes = new_messages.filtered(lambda m: m.message_type == "notification" and "approved by" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        emails = new_messages.filtered(lambda m: m.message_type == "email_outgoing")
        self.assertEqual(len(emails), 1)
        self.assertFalse(new_messages.filtered(lambda m: m.message_type == "comment"))
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.buyer.partner_id.ids)], limit=1)
        self.assertTrue(mail, "the buyer is told by email")
        self.assertIn(self.order.name, mail.subject)
        self.assertIn("approved", mail.body_html)
        # the salesman can now confirm it
        self.order.with_user(self.users["salesman"]).action_confirm()
        self.assertEqual(self.order.state, "sale")

    def test_approver_rejects_with_reason(self):
        self._login(self.approver)
        token = self._csrf_token()
        response = self.url_open(
            f"/my/approvals/{self.order.id}/reject", data={"csrf_token": token, "reason": "Budget épuisé"}
        )
        self.assertEqual(response.status_code, 200)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "rejected")
        self.assertEqual(self.order.b2b_rejection_reason, "Budget épuisé")
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.buyer.partner_id.ids)], limit=1)
        self.assertIn("Budget épuisé", mail.body_html)
        self.assertIn("rejected", mail.subject)

    def test_french_buyer_gets_the_email_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_customer_portal"], ["fr_FR"], overwrite=True)
        self.buyer.partner_id.lang = "fr_FR"
        self.order.with_user(self.approver).action_b2b_approve()
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.buyer.partner_id.ids)], limit=1)
        self.assertIn("approuvée", mail.subject)
        self.assertIn("approuvée par", mail.body_html)

    def test_reject_without_reason_writes_nothing(self):
        self._login(self.approver)
        token = self._csrf_token()
        for reason in ("", "   "):
            response = self.url_open(
                f"/my/approvals/{self.order.id}/reject", data={"csrf_token": token, "reason": reason}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("error=reason", response.url)
            self.assertIn("give the reason", response.text)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "to_approve")
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.buyer.partner_id.ids)]))

    def test_missing_csrf_writes_nothing(self):
        self._login(self.approver)
        for action in ("approve", "reject"):
            response = self.url_open(f"/my/approvals/{self.order.id}/{action}", data={"reason": "no token"})
            self.assertEqual(response.status_code, 400, action)
            response = self.url_open(
                f"/my/approvals/{self.order.id}/{action}", data={"reason": "bad", "csrf_token": "forged"}
            )
            self.assertEqual(response.status_code, 400, action)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "to_approve")

    def test_get_does_not_decide(self):
        self._login(self.approver)
        response = self.url_open(f"/my/approvals/{self.order.id}/approve")
        self.assertIn(response.status_code, (403, 404, 405))
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "to_approve")

    def test_another_customers_order_is_not_found(self):
        self._login(self.approver)
        token = self._csrf_token()
        for action in ("approve", "reject"):
            response = self.url_open(
                f"/my/approvals/{self.other_order.id}/{action}", data={"csrf_token": token, "reason": "not ours"}
            )
            self.assertEqual(response.status_code, 404, action)
        response = self.url_open("/my/approvals/999999999/approve", data={"csrf_token": token})
        self.assertEqual(response.status_code, 404)
        self.other_order.invalidate_recordset()
        self.assertEqual(self.other_order.b2b_approval_state, "to_approve")

    def test_order_not_waiting_is_refused_with_a_message(self):
        # sent to the customer: a salesperson's draft is out of the approver's reach (scope rule)
        self.small_order.action_quotation_sent()
        self._login(self.approver)
        token = self._csrf_token()
        response = self.url_open(f"/my/approvals/{self.small_order.id}/approve", data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("error=not_waiting", response.url)
        self.assertIn("no longer waiting for approval", response.text)
        self.small_order.invalidate_recordset()
        self.assertEqual(self.small_order.b2b_approval_state, "not_required")
        self.assertFalse(self.small_order.b2b_approval_user_id)

    def test_other_roles_are_refused(self):
        for role in ("buyer", "accountant", "viewer", "other_buyer"):
            with self.subTest(role=role):
                self._login(self.portal_users[role])
                self.assertEqual(self.url_open("/my/approvals").status_code, 403)
                token = http.Request.csrf_token(self)
                response = self.url_open(f"/my/approvals/{self.order.id}/approve", data={"csrf_token": token})
                self.assertEqual(response.status_code, 403)
                response = self.url_open(
                    f"/my/approvals/{self.order.id}/reject", data={"csrf_token": token, "reason": "me"}
                )
                self.assertEqual(response.status_code, 403)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "to_approve")

    def test_guest_is_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open("/my/approvals")
        self.assertIn("/web/login", response.url)
        response = self.url_open(f"/my/approvals/{self.order.id}/approve", data={"csrf_token": "x"})
        self.assertTrue(response.status_code == 400 or "/web/login" in response.url, response.url)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "to_approve")

    def test_approvals_on_home_for_the_approver_only(self):
        counters = ["b2b_approval_count", "quotation_count"]
        self._login(self.approver)
        result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(result["b2b_approval_count"], 1)
        for role in ("buyer", "accountant", "viewer", "other_buyer"):
            with self.subTest(role=role):
                self._login(self.portal_users[role])
                result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
                self.assertEqual(result["b2b_approval_count"], 0)

    def test_approvals_tour(self):
        """In Chromium: the approver approves the buyer's quotation over the limit, then the
        buyer reads that it was approved on the order page."""
        self.order.name = "B2B-TOUR-APPROVAL"
        self.start_tour("/my/approvals", "b2b_customer_portal_approve", login=self.approver.login)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.b2b_approval_state, "approved")
        self.start_tour(self.order.get_portal_url(), "b2b_customer_portal_buyer_sees_approval", login=self.buyer.login)
