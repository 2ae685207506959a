from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import B2bPartyRolesUsersCase


@tagged("post_install", "-at_install")
class TestApproval(B2bPartyRolesUsersCase):
    """The salesman takes a buyer's order; above the customer's limit, an approver of the
    customer (portal) or a sales manager approves or rejects it, then the salesman confirms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subsidiary.with_user(cls.users["sales_manager"]).b2b_approval_limit = 500.0
        cls.salesman_user = cls.users["salesman"]
        cls.buyer_user = new_test_user(
            cls.env, login="b2b_buyer_portal", groups="base.group_portal", partner_id=cls.buyer.id
        )
        cls.approver_user = new_test_user(
            cls.env, login="b2b_approver_portal", groups="base.group_portal", partner_id=cls.approver.id
        )
        other_approver = cls.env["res.partner"].create(
            {"name": "Olga Other Approver", "parent_id": cls.other_customer.id, "b2b_portal_role": "approver"}
        )
        cls.other_approver_user = new_test_user(
            cls.env, login="b2b_other_approver", groups="base.group_portal", partner_id=other_approver.id
        )

    def _order(self, qty, partner=None, user=None):
        return self._order_as(user or self.salesman_user, partner or self.buyer, qty=qty)

    def test_under_limit_no_approval(self):
        order = self._order(qty=5)  # 500.00: not above the limit
        self.assertEqual(order.b2b_approval_state, "not_required")
        order.with_user(self.salesman_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_above_limit_needs_approval_and_blocks_confirmation(self):
        order = self._order(qty=6)
        self.assertEqual(order.b2b_approval_state, "to_approve")
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman_user).action_confirm()
        self.assertIn("approval", str(error.exception))
        self.assertEqual(order.state, "draft")

    def test_growing_order_needs_approval(self):
        order = self._order(qty=2)
        self.assertEqual(order.b2b_approval_state, "not_required")
        order.with_user(self.salesman_user).order_line.product_uom_qty = 8
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_buyer_cannot_approve(self):
        order = self._order(qty=6)
        with self.assertRaises(AccessError):
            order.with_user(self.buyer_user).action_b2b_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.buyer_user).action_b2b_reject(reason="no")
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_approver_of_another_customer_cannot_approve(self):
        order = self._order(qty=6)
        with self.assertRaises(AccessError):
            order.with_user(self.other_approver_user).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_salesman_cannot_approve_but_manager_can(self):
        order = self._order(qty=6)
        for role in ("salesman", "billing", "accountant", "credit_manager", "stock_user"):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    order.with_user(self.users[role]).action_b2b_approve()
                with self.assertRaises(AccessError):
                    order.with_user(self.users[role]).action_b2b_reject(reason="no")
        self.assertEqual(order.b2b_approval_state, "to_approve")
        order.with_user(self.users["sales_manager"]).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "approved")
        order.with_user(self.salesman_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_viewer_and_accountant_of_the_customer_cannot_approve(self):
        order = self._order(qty=6)
        accountant = self.env["res.partner"].create(
            {"name": "Ana Accountant", "parent_id": self.subsidiary.id, "b2b_portal_role": "accountant"}
        )
        for contact in (self.viewer, accountant):
            user = new_test_user(
                self.env,
                login=f"b2b_approval_{contact.b2b_portal_role}",
                groups="base.group_portal",
                partner_id=contact.id,
            )
            with self.subTest(role=contact.b2b_portal_role), self.assertRaises(AccessError):
                order.with_user(user).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_approver_of_another_customer_cannot_reject(self):
        order = self._order(qty=6)
        with self.assertRaises(AccessError):
            order.with_user(self.portal_users["approver"]).action_b2b_reject(reason="not ours")
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_approver_approves_and_it_is_logged(self):
        order = self._order(qty=6)
        order.with_user(self.approver_user).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "approved")
        self.assertEqual(order.b2b_approval_user_id, self.approver_user)
        self.assertTrue(order.b2b_approval_date)
        message = order.message_ids[0]
        self.assertIn("approved by", message.body)
        self.assertIn(self.approver_user.name, message.body)
        self.assertEqual(message.author_id, self.approver)
        order.with_user(self.salesman_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_approved_order_growing_needs_new_approval(self):
        order = self._order(qty=6)
        order.with_user(self.approver_user).action_b2b_approve()
        order.with_user(self.salesman_user).order_line.product_uom_qty = 5.5
        self.assertEqual(order.b2b_approval_state, "approved", "a smaller amount stays covered")
        order.with_user(self.salesman_user).order_line.product_uom_qty = 9
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_reject_with_reason_logged_and_blocks(self):
        order = self._order(qty=6)
        action = order.with_user(self.users["sales_manager"]).action_b2b_reject()
        self.assertEqual(action["res_model"], "b2b.approval.reject.wizard")
        wizard = (
            self.env["b2b.approval.reject.wizard"]
            .with_user(self.users["sales_manager"])
            .create({"order_ids": [(6, 0, order.ids)], "reason": "Budget épuisé ce trimestre"})
        )
        wizard.action_reject()
        self.assertEqual(order.b2b_approval_state, "rejected")
        self.assertEqual(order.b2b_rejection_reason, "Budget épuisé ce trimestre")
        self.assertIn("Budget épuisé ce trimestre", order.message_ids[0].body)
        with self.assertRaises(UserError):
            order.with_user(self.salesman_user).action_confirm()
        # the buyer revises the order: it goes back to approval
        order.with_user(self.salesman_user).order_line.product_uom_qty = 7
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_reject_requires_reason(self):
        order = self._order(qty=6)
        with self.assertRaises(UserError):
            order.with_user(self.approver_user).action_b2b_reject(reason="   ")
        self.assertEqual(order.b2b_approval_state, "to_approve")

    def test_order_by_company_itself_or_approver_needs_no_approval(self):
        self.assertEqual(self._order(qty=50, partner=self.subsidiary).b2b_approval_state, "not_required")
        self.assertEqual(self._order(qty=50, partner=self.approver).b2b_approval_state, "not_required")

    def test_approval_fields_not_writable(self):
        """The approval is a decision: a salesman cannot forge it by writing its fields."""
        order = self._order(qty=6, user=self.salesman)
        forged = {
            "b2b_approval_state": "approved",
            "b2b_approved_amount": 10**6,
            "b2b_approval_user_id": self.salesman.id,
            "b2b_approval_date": "2026-01-01 00:00:00",
            "b2b_rejection_reason": "forged",
        }
        for name, value in forged.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                order.write({name: value})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.buyer.id, "b2b_approval_state": "approved"}
            )
        self.assertEqual(order.b2b_approval_state, "to_approve")
        with self.assertRaises(UserError):
            order.action_confirm()
        # the approver's action still records the approval
        order.with_user(self.approver_user).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "approved")
        self.assertEqual(order.b2b_approved_amount, 600.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_only_sales_managers_make_an_approver(self):
        """Who approves is the customer's configuration, like its approval limit: a salesman
        with contact rights cannot make a buyer an approver (who would then approve above the
        limit), neither by writing the role nor by a default in the context."""
        order = self._order(qty=6)
        with self.assertRaises(AccessError):
            self.buyer.with_user(self.salesman).write({"b2b_portal_role": "approver"})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Fake Approver", "parent_id": self.subsidiary.id, "b2b_portal_role": "approver"}
            )
        contact = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .with_context(default_b2b_portal_role="approver", default_b2b_approval_limit=10**6)
            .create({"name": "Context Approver", "parent_id": self.subsidiary.id})
        )
        self.assertEqual(contact.b2b_portal_role, "buyer", "a context default is not a decision")
        self.assertFalse(contact.b2b_approval_limit)
        self.assertEqual(self.buyer.b2b_portal_role, "buyer")
        with self.assertRaises(AccessError):
            order.with_user(self.buyer_user).action_b2b_approve()
        # a salesman still creates buyers and edits contacts
        new_buyer = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "New Buyer", "parent_id": self.subsidiary.id, "b2b_portal_role": "buyer"})
        )
        new_buyer.with_user(self.salesman).write({"function": "Purchaser"})
        # the sales manager decides who approves
        self.buyer.with_user(self.users["sales_manager"]).write({"b2b_portal_role": "approver"})
        order.with_user(self.buyer_user).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "approved")
