from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

# What a portal user's scope is made of. The addon's record rules read them on the user's
# contact and entity, and Odoo caches rule domains per user: writing them clears that cache.
B2B_PORTAL_SCOPE_FIELDS = ("b2b_portal_role", "b2b_portal_site_ids", "b2b_portal_subsidiary_orders")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- scope of a person working for the customer (set by sales managers) ---
    b2b_portal_site_ids = fields.Many2many(
        "res.partner",
        "b2b_partner_portal_site_rel",
        "partner_id",
        "site_id",
        string="Portal Sites",
        domain="[('type', '=', 'delivery'), ('commercial_partner_id', '=', commercial_partner_id)]",
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
        return self.search([("commercial_partner_id", "=", entity.id), ("type", "=", "delivery")])

    def _b2b_portal_sites(self):
        """Sites this contact may order for and follow: the active ones of its own list (none
        when they are all archived: archiving a site never widens a contact's scope), else, with
        no list, all its entity's."""
        self.ensure_one()
        own = self.with_context(active_test=False).b2b_portal_site_ids
        return own.filtered("active") if own else self._b2b_portal_entity_sites()

    # ------------------------------------------------------------------
    # Portal scope, as record rule domains (see security/b2b_customer_portal_security.xml)
    # ------------------------------------------------------------------
    # Called on ``user.partner_id`` by the addon's global rules for share users. They
    # narrow Odoo's portal group rules (``partner_id child_of`` the user's entity), so
    # they only say what is cut. Relations are followed with ``any!``: the scope is
    # decided here, not by the comodels' own rules (which refer back to these ones).

    def _b2b_portal_scope(self):
        """(role, entity, site ids) of this portal contact; empty sites = all its entity's."""
        self.ensure_one()
        partner = self.sudo()
        role = partner.b2b_portal_role or "buyer"
        # archived sites included: a contact limited to a site that is archived stays limited
        # to it (its list read without them was empty, which means all the entity's sites)
        sites = partner.with_context(active_test=False).b2b_portal_site_ids.ids if role in ("buyer", "viewer") else []
        return role, partner.commercial_partner_id, sites

    def _b2b_portal_order_domain(self):
        """Orders this portal contact may see: none for an accountant; else its entity's
        orders (its subsidiaries' too when its head office allows it), limited for a buyer
        or viewer with sites to the orders it placed or with a line or the header delivered
        to one of its sites (the whole order is then visible). Never the quotations a
        salesperson is still preparing (drafts not made in the portal, not through the
        customer's approval, not held): RPC gives what the pages list
        (``sale.order._b2b_portal_visible_domain``). Such a draft stays reachable by its
        access token (the link of the "send by email" message)."""
        role, entity, sites = self._b2b_portal_scope()
        if role == "accountant":
            return Domain.FALSE
        # "state = draft and ..." rather than the visible drafts' domain alone: Odoo writes an OR
        # sorted by field name, the state then came last, and PostgreSQL read the addon's
        # columns (the last of each order's row, costly to reach) for every order; now only for
        # drafts (speed, issue 14)
        domain = Domain("state", "!=", "draft") | (
            Domain("state", "=", "draft") & Domain(self.env["sale.order"]._b2b_portal_visible_domain())
        )
        if not entity.b2b_portal_subsidiary_orders:
            # the orders of the entity's own contacts, as a filter on the array of their ids
            # (computed once per query, never cached: a new contact counts at once), not as a
            # join to the contacts, with which PostgreSQL sorted all the customer's orders
            # instead of walking the order date index (speed, issue 14: /my/orders/page/50)
            entity_id = entity.id
            domain &= Domain.custom(
                to_sql=lambda model, alias, query: SQL(
                    "%s = ANY(ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id = %s))",
                    model._field_to_sql(alias, "partner_id", query),
                    entity_id,
                )
            )
        if sites:
            domain &= Domain.OR(
                [
                    Domain("partner_id", "=", self.id),
                    Domain("partner_shipping_id", "in", sites),
                    Domain("order_line", "any!", [("partner_shipping_id", "in", sites)]),
                ]
            )
        return domain

    def _b2b_portal_order_line_domain(self):
        """Lines of the orders this portal contact may see (whole orders)."""
        return Domain("order_id", "any!", self._b2b_portal_order_domain())

    def _b2b_portal_picking_domain(self):
        """Transfers of an order: those of the orders this portal contact may see, for a
        buyer or viewer with sites only those to its sites (all of the orders it placed).
        Transfers without an order are left to Odoo's own rule."""
        _role, _entity, sites = self._b2b_portal_scope()
        of_orders = Domain("sale_id", "any!", self._b2b_portal_order_domain())
        if sites:
            of_orders &= Domain("partner_id", "in", sites) | Domain("sale_id", "any!", [("partner_id", "=", self.id)])
        return Domain("sale_id", "=", False) | of_orders

    def _b2b_portal_invoice_domain(self):
        """Invoices of this portal contact's entity: addressed to it (Odoo's rule), or paid by
        it. Odoo's ``child_of`` rules also show a head office its subsidiaries' own invoices:
        only those it is billed for or pays stay visible. Every role sees them (an invoice is
        billed to the entity, not to a site)."""
        _role, entity, _sites = self._b2b_portal_scope()
        return Domain("commercial_partner_id", "=", entity.id) | Domain(
            "payer_id", "any!", [("commercial_partner_id", "=", entity.id)]
        )

    def _b2b_portal_invoice_line_domain(self):
        """Lines of the invoices this portal contact may see."""
        return Domain("move_id", "any!", self._b2b_portal_invoice_domain())

    # ------------------------------------------------------------------
    # Back office: sites are the entity's delivery addresses; sales managers set them
    # ------------------------------------------------------------------
    @api.model
    def _b2b_managed_fields(self):
        return (*super()._b2b_managed_fields(), "b2b_portal_site_ids", "b2b_portal_subsidiary_orders")

    @api.constrains("b2b_portal_site_ids", "parent_id")
    def _check_b2b_portal_site_ids(self):
        for partner in self:
            foreign = partner.b2b_portal_site_ids.filtered(
                lambda site, partner=partner: site.type != "delivery"
                or site.commercial_partner_id != partner.commercial_partner_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "The portal sites of %(contact)s must be delivery addresses of %(customer)s: %(sites)s is not.",
                        contact=partner.display_name,
                        customer=partner.commercial_partner_id.display_name,
                        sites=", ".join(foreign.mapped("display_name")),
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if any(fname in vals for fname in B2B_PORTAL_SCOPE_FIELDS):
            # record rule domains are cached per user (ir.rule._compute_domain)
            self.env.registry.clear_cache()
        if "b2b_credit_policy" in vals:
            # whether its open quotations wait for a prepayment (their portal status)
            self.env["sale.order"]._b2b_recompute_portal_status_of_payers(self.commercial_partner_id)
        return res
