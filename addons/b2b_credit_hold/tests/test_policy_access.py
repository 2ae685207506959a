from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditPolicyAccess(B2bRoleUsersMixin, CreditCase):
    """A payer's credit limit and policy are the credit managers' decisions, tracked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_pol")
        # salesmen usually may create and edit contacts
        cls.users["salesman"].group_ids += cls.env.ref("base.group_partner_manager")
        cls.users["billing"].group_ids += cls.env.ref("base.group_partner_manager")

    def test_salesman_cannot_change_credit_policy(self):
        customer = self.customer.with_user(self.users["salesman"])
        self.assertEqual(customer.b2b_credit_policy, "block", "salesmen read the policy")
        forged = {
            "b2b_credit_policy": "none",
            "b2b_overdue_block": True,
            "b2b_overdue_grace_days": 365,
            "b2b_manual_hold": True,
            "b2b_hold_note": "forged",
        }
        for name, value in forged.items():
            with self.subTest(field=name), self.assertRaises(AccessError):
                customer.write({name: value})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.users["salesman"]).create(
                {"name": "Client Sans Contrôle", "is_company": True, "b2b_credit_policy": "none"}
            )
        # contacts and their ordinary fields stay the salesman's
        customer.write({"phone": "+33 4 00 00 00 00", "b2b_credit_policy": "block"})
        contact = (
            self.env["res.partner"]
            .with_user(self.users["salesman"])
            .create({"name": "Nouveau Contact", "parent_id": self.customer.id})
        )
        self.assertEqual(contact.commercial_partner_id, self.customer)
        self.assertEqual(self.customer.b2b_credit_policy, "block")

    def test_billing_user_cannot_change_credit_limit(self):
        customer = self.customer.with_user(self.users["billing"])
        self.assertEqual(customer.credit_limit, 1000.0, "billing users read the limit")
        with self.assertRaises(AccessError):
            customer.write({"credit_limit": 10**6})
        with self.assertRaises(AccessError):
            customer.write({"use_partner_credit_limit": False})
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_credit_manager_changes_limit_and_policy_tracked(self):
        manager = self.users["credit_manager"]
        self.assertFalse(manager.has_group("account.group_account_invoice"), "no accounting rights")
        customer = self.customer.with_user(manager)
        self.assertEqual(customer.credit_limit, 1000.0, "credit managers read the limit")
        customer.write({"credit_limit": 5000.0, "b2b_credit_policy": "warn", "b2b_overdue_grace_days": 30})
        customer.write({"b2b_manual_hold": True, "b2b_hold_note": "Procédure collective"})
        self.env.cr.precommit.run()
        self.assertEqual(self.customer.credit_limit, 5000.0)
        tracked = self.customer.message_ids.tracking_value_ids.field_id.mapped("name")
        for name in ("credit_limit", "b2b_credit_policy", "b2b_overdue_grace_days", "b2b_manual_hold", "b2b_hold_note"):
            self.assertIn(name, tracked, f"{name} change is in the chatter")
        self.assertIn(manager.partner_id, self.customer.message_ids.filtered("tracking_value_ids").author_id)
