from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestReviewActivity(CreditCase):
    def test_review_activity_in_the_managers_language_without_the_order_twice(self):
        """The credit manager's to-do reads « S00013 : Examen du crédit » in their list (the
        activity names its order): the summary does not repeat the order's name and is in the
        manager's language, whoever confirmed the order."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_credit_hold"], ["fr_FR"], overwrite=True)
        self.credit_manager.lang = "fr_FR"
        self.salesman.lang = "en_US"
        order = self._order(1500, user=self.salesman)
        order.with_user(self.salesman).action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        activity = order.activity_ids.filtered(lambda act: act.user_id == self.credit_manager)
        self.assertEqual(activity.summary, "Examen du crédit")
        self.assertNotIn(order.name, activity.summary)
        # what the manager reads of it
        self.assertEqual(activity.with_user(self.credit_manager).res_name, order.name)
