from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- scope of a person working for the customer (set by sales managers) ---
    b2b_portal_site_ids = fields.Many2many(
        "res.partner",
        "b2b_partner_portal_site_rel",
        "partner_id",
        "site_id",
        string="Portal Sites",
        help="Delivery addresses of the customer this person orders for and follows in the portal. "
        "Empty: all the customer's sites.",
    )
    # --- setting of a head office (read on its commercial entity) ---
    b2b_portal_subsidiary_orders = fields.Boolean(
        string="Portal: Subsidiaries' Orders",
        help="The head office's portal users also see the orders of its subsidiaries (child "
        "companies). Their invoices billed to or paid by the head office are always visible.",
    )

    def _b2b_portal_entity_sites(self):
        """Delivery sites of this contact's customer entity (its delivery addresses)."""
        self.ensure_one()
        entity = self.commercial_partner_id
        return self.search([("id", "child_of", entity.id), ("type", "=", "delivery")])

    def _b2b_portal_sites(self):
        """Sites this contact may order for and follow: its own list, else all its entity's."""
        self.ensure_one()
        return self.b2b_portal_site_ids or self._b2b_portal_entity_sites()
