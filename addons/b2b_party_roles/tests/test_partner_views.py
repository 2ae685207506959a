from lxml import etree

from odoo.tests import TransactionCase, tagged

from .common import B2bRoleUsersMixin


@tagged("post_install", "-at_install")
class TestPartnerViews(B2bRoleUsersMixin, TransactionCase):
    """The customer role of a contact is a badge of its own on its card, not text glued to
    its job title."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="pviews")

    def _arch(self, user, view_type):
        views = self.env["res.partner"].with_user(user).get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _assert_badge(self, field):
        self.assertEqual(field.get("widget"), "badge")
        self.assertFalse(field.getparent().xpath("field[@name='function']"), "not in the job title's line")

    def test_contact_cards_on_the_customer_form(self):
        form = self._arch(self.users["salesman"], "form")
        fields = form.xpath("//field[@name='child_ids']/kanban//field[@name='b2b_portal_role']")
        self.assertEqual(len(fields), 1)
        self._assert_badge(fields[0])

    def test_contact_kanban_and_list(self):
        for view_type in ("kanban", "list"):
            with self.subTest(view_type=view_type):
                arch = self._arch(self.users["salesman"], view_type)
                fields = arch.xpath("//field[@name='b2b_portal_role']")
                self.assertEqual(len(fields), 1)
                self._assert_badge(fields[0])
        # what the salesman reads on the card of the customer's approver
        approver = self.portal_users["approver"].partner_id.with_user(self.users["salesman"])
        self.assertEqual(approver.read(["b2b_portal_role"])[0]["b2b_portal_role"], "approver")

    def test_customer_role_read_only_for_salesman(self):
        """Who approves is the sales managers' decision (refused on the server): the salesman
        reads the role, the sales manager edits it."""
        for user, readonly in ((self.users["salesman"], True), (self.users["sales_manager"], False)):
            form = self._arch(user, "form")
            for field in form.xpath("//field[@name='b2b_portal_role']"):
                if field.get("widget") == "badge":
                    continue
                with self.subTest(user=user.login):
                    self.assertEqual(field.get("readonly"), "not b2b_can_edit_roles")
            partner = self.portal_users["buyer"].partner_id.with_user(user)
            self.assertEqual(partner.b2b_can_edit_roles, not readonly)
