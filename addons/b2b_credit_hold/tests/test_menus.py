from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMenus(B2bRoleUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_menu")

    def _first_action_of_app(self, user, app_xmlid):
        """The action the web client opens when the user clicks the app: the first menu with
        an action, depth first, in the menus' order."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)

        def first_action(menu_id):
            menu = menus[menu_id]
            if menu["action_id"]:
                return menu["action_model"], menu["action_id"]
            for child_id in menu["children"]:
                found = first_action(child_id)
                if found:
                    return found
            return None

        return first_action(self.env.ref(app_xmlid).id)

    def test_sales_app_opens_quotations(self):
        quotations = self.env.ref("sale.action_quotations_with_onboarding")
        for role in ("salesman", "sales_manager", "credit_manager"):
            with self.subTest(role=role):
                self.assertEqual(
                    self._first_action_of_app(self.users[role], "sale.sale_menu_root"),
                    ("ir.actions.act_window", quotations.id),
                )
