# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.fields import Domain

# the customer's people who follow its replenishment in the portal
B2B_REPLENISHMENT_PORTAL_ROLES = ("buyer", "approver")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Portal scope of the replenishment, as record rule domains
    # (security/b2b_replenishment_portal_security.xml), called on ``user.partner_id``
    # ------------------------------------------------------------------
    def _b2b_portal_replenishment_domain(self):
        """Rules and on-hand counts this portal contact may reach: none but for a buyer or an
        approver; those of its entity's sites, limited for a buyer to its portal sites
        (``b2b_portal_site_ids``, empty = all). Both models carry ``partner_id`` (the customer
        entity) and ``partner_shipping_id`` (the site)."""
        role, entity, sites = self._b2b_portal_scope()
        if role not in B2B_REPLENISHMENT_PORTAL_ROLES:
            return Domain.FALSE
        domain = Domain("partner_id", "=", entity.id)
        if sites:
            domain &= Domain("partner_shipping_id", "in", sites)
        return domain
