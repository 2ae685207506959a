from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import B2bPartyRolesUsersCase


@tagged("post_install", "-at_install")
class TestPartnerQueryCount(B2bPartyRolesUsersCase):
    """The customer rules of the six addons on contacts (role checks, portal sites, statement
    setting, record rules on the cache) add a bounded number of queries to creating, editing
    and reading contacts, whatever their number: Odoo's own suites create many of them."""

    def _count(self, operation):
        self.env.flush_all()
        self.env.invalidate_all()
        # every count starts with cold caches (writing a role clears the access rules' cache)
        self.env.registry.clear_all_caches()
        before = self.env.cr.sql_log_count
        operation()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _contact_queries(self, count):
        """Queries of a sales manager creating ``count`` contacts of the subsidiary (customer
        roles set), changing their role, then reading them as in a list."""
        Partner = self.env["res.partner"].with_user(self.users["sales_manager"])
        contacts = Partner.browse()

        def create():
            nonlocal contacts
            contacts = Partner.create(
                [
                    {
                        "name": f"Contact {index}",
                        "parent_id": self.subsidiary.id,
                        "email": f"contact{index}@filiale.example",
                        "b2b_portal_role": "buyer",
                    }
                    for index in range(count)
                ]
            )

        queries = {"create": self._count(create)}
        queries["write"] = self._count(lambda: contacts.write({"b2b_portal_role": "viewer", "phone": "0102030405"}))
        queries["read"] = self._count(
            lambda: contacts.read(["display_name", "b2b_portal_role", "b2b_can_edit_roles", "commercial_partner_id"])
        )
        self.assertEqual(set(contacts.mapped("b2b_portal_role")), {"viewer"})
        return queries

    def test_contacts_queries_do_not_grow_with_their_number(self):
        few, many = self._contact_queries(10), self._contact_queries(50)
        # a few more for 50 (Odoo's own batching), never one per contact
        self.assertLessEqual(many["write"] - few["write"], 5, "editing contacts: not one query per contact")
        self.assertLessEqual(many["read"] - few["read"], 5, "reading contacts: not one query per contact")
        # Odoo itself makes one query per new contact (same without the six addons)
        self.assertLessEqual(many["create"] - few["create"], 40, "creating contacts: nothing per contact of ours")

    def test_salesman_may_not_set_roles_in_bulk(self):
        """The bulk path is no way around the role check: a salesman is refused, nothing created."""
        # a salesman who may create contacts (partner manager), not set their customer role
        Partner = self.env["res.partner"].with_user(self.salesman)
        before = self.env["res.partner"].search_count([("parent_id", "=", self.subsidiary.id)])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Partner.create(
                [
                    {"name": f"Contact {index}", "parent_id": self.subsidiary.id, "b2b_portal_role": "approver"}
                    for index in range(10)
                ]
            )
        self.assertEqual(self.env["res.partner"].search_count([("parent_id", "=", self.subsidiary.id)]), before)
