"""Quick order and order again: quotations a customer's buyer or approver makes in the portal.

Portal users have no right to create sale orders (Odoo's portal creates its records in
sudo after its own checks, as the payment and signature flows do): the methods below check
who acts and what they may order, then write in sudo only the values the portal may set.
They are private, so no RPC call reaches them."""

# one file per capability of the portal (the addon's layout), hence several sale.order classes
# pylint: disable=consider-merging-classes-inherited
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

PORTAL_ORDERING_ROLES = ("buyer", "approver")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_reorder_report = fields.Text(
        string="Not Ordered Again",
        readonly=True,
        copy=False,
        help="Lines of the original order that this quotation, made by ordering again in the portal, "
        "could not repeat (product archived or no longer sold, site no longer the customer's).",
    )

    # ------------------------------------------------------------------
    # Who may order in the portal, and for which sites
    # ------------------------------------------------------------------
    @api.model
    def _b2b_portal_ordering_contact(self):
        """The current user's contact if the user may order in the portal (a customer's portal
        buyer or approver); AccessError otherwise (viewers, accountants, internal users)."""
        user = self.env.user
        contact = user.partner_id
        if not user._is_portal() or contact.is_company or contact.b2b_portal_role not in PORTAL_ORDERING_ROLES:
            raise AccessError(self.env._("Only the buyers and approvers of a customer can order in the portal."))
        return contact

    @api.model
    def _b2b_portal_can_order(self):
        try:
            self._b2b_portal_ordering_contact()
        except AccessError:
            return False
        return True

    @api.model
    def _b2b_portal_order_sites(self):
        """(sites, default site) the current portal user may order for: the contact's sites,
        else all its customer's delivery addresses; without any, the contact's delivery address."""
        contact = self._b2b_portal_ordering_contact().sudo()
        sites = contact._b2b_portal_sites().filtered("active")
        default_site = contact.browse(contact.address_get(["delivery"])["delivery"])
        if not sites:
            sites = default_site
        if default_site not in sites:
            default_site = sites[:1]
        return sites, default_site

    # ------------------------------------------------------------------
    # Quick order: rows pasted or uploaded in the portal
    # ------------------------------------------------------------------
    @api.model
    def _b2b_portal_quick_order_parse(self, text=None, file_data=None, filename=None, site_id=None):
        """Parse the current portal user's rows with the back-office quick entry's parser.

        :param site_id: id of the site of the rows that name none (one of the user's sites)
        :return: (default site, entries {(product, site): quantity}, errors)"""
        contact = self._b2b_portal_ordering_contact()
        sites, default_site = self._b2b_portal_order_sites()
        if site_id:
            default_site = sites.filtered(lambda site: site.id == site_id)
            if not default_site:
                return default_site, {}, [self.env._("The chosen delivery site is not one of your sites.")]
        entries, errors = (
            self.env["b2b.quick.entry.parser"]
            .sudo()
            ._b2b_parse_rows(
                text=text,
                file_data=file_data,
                filename=filename,
                entity=contact.sudo().commercial_partner_id,
                company=self.env.company,
                default_site=default_site,
                sites=sites,
            )
        )
        return default_site, entries, errors

    @api.model
    def _b2b_portal_line_defaults(self):
        """Values every line the portal creates gets. Odoo looks up analytic distribution
        models line by line (queries per line); when the company has none there is nothing to
        find (the back office's quick entry skips the lookups the same way)."""
        has_models = (
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([("company_id", "in", [False, self.env.company.id])], limit=1)
        )
        return {} if has_models else {"analytic_distribution": False}

    @api.model
    def _b2b_portal_quick_order_vals(self, default_site, entries, client_order_ref=None):
        """Values of the quotation the current portal user's validated rows make: the user is
        the ordering contact; prices come from the customer's pricelist, never from the input."""
        contact = self._b2b_portal_ordering_contact()
        no_analytic = self._b2b_portal_line_defaults()
        return {
            "partner_id": contact.id,
            "partner_shipping_id": default_site.id,
            "client_order_ref": (client_order_ref or "").strip()[:100] or False,
            "b2b_order_type": "quick",
            "b2b_created_in_portal": True,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        **({"partner_shipping_id": site.id} if site != default_site else {}),
                        **no_analytic,
                    }
                )
                for (product, site), quantity in entries.items()
            ],
        }

    @api.model
    def _b2b_portal_quick_order_preview(self, text=None, file_data=None, filename=None, site_id=None):
        """What the quick order would create, priced on the server, without writing anything.

        :return: (order or None, errors): ``order`` is a new (unsaved) quotation in sudo."""
        default_site, entries, errors = self._b2b_portal_quick_order_parse(text, file_data, filename, site_id)
        if errors:
            return None, errors
        return self.sudo().new(self._b2b_portal_quick_order_vals(default_site, entries)), []

    @api.model
    def _b2b_portal_create_quick_order(
        self, text=None, file_data=None, filename=None, site_id=None, client_order_ref=None
    ):
        """Create the quotation of the current portal user's rows; all or nothing (UserError
        listing every bad row). Returns the quotation in sudo."""
        contact = self._b2b_portal_ordering_contact()
        default_site, entries, errors = self._b2b_portal_quick_order_parse(text, file_data, filename, site_id)
        if errors:
            raise UserError(
                self.env._("No quotation was created:") + "\n" + "\n".join(errors),
            )
        order = self.sudo().create(self._b2b_portal_quick_order_vals(default_site, entries, client_order_ref))
        order.message_post(
            body=self.env._("Quick order placed in the portal by %(contact)s.", contact=contact.name),
            author_id=contact.id,
            subtype_xmlid="mail.mt_note",
        )
        return order

    # ------------------------------------------------------------------
    # Order again
    # ------------------------------------------------------------------
    def _b2b_portal_can_reorder(self):
        """True when the current user may order this order again from its portal page."""
        self.ensure_one()
        # the order page may be in sudo (access token): the user's own rights decide
        order = self.with_env(self.env(su=False))
        return self.state in ("sale", "cancel") and order._b2b_portal_can_order() and order.has_access("read")

    def _b2b_portal_reorder(self):
        """A new quotation, for the current portal user, with this order's products,
        quantities and sites at today's prices. Lines that cannot be repeated are listed on it
        (``b2b_reorder_report``). Record rules decide which orders the user may repeat.

        :return: the new quotation in sudo, or False when no line can be repeated"""
        self.ensure_one()
        contact = self._b2b_portal_ordering_contact()
        self.check_access("read")
        if self.state not in ("sale", "cancel"):
            raise UserError(self.env._("Only a confirmed or cancelled order can be ordered again."))
        source = self.sudo()
        sites, default_site = self._b2b_portal_order_sites()
        if source.partner_shipping_id in sites:
            default_site = source.partner_shipping_id
        company = source.company_id
        lines = source.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment and line.product_id
        )
        if "is_delivery" in lines._fields:
            lines = lines.filtered(lambda line: not line.is_delivery)
        lines_vals, missing = [], []
        line_defaults = self.with_company(company)._b2b_portal_line_defaults()
        for line in lines:
            product = line.product_id
            site = line.partner_shipping_id or source.partner_shipping_id
            label = f"{product.display_name} ({line.product_uom_qty:g} {line.product_uom_id.name})"
            if not product.active or not product.product_tmpl_id.active:
                missing.append(self.env._("%(line)s: the product is no longer available", line=label))
            elif not product.sale_ok or product.company_id not in (company, company.browse()):
                missing.append(self.env._("%(line)s: the product is no longer sold", line=label))
            elif site not in sites:
                missing.append(
                    self.env._(
                        "%(line)s: %(site)s is not one of your delivery sites", line=label, site=site.display_name
                    )
                )
            elif line.product_uom_qty > 0:
                vals = {"product_id": product.id, "product_uom_qty": line.product_uom_qty, **line_defaults}
                if line.product_uom_id and line.product_uom_id != product.uom_id:
                    vals["product_uom_id"] = line.product_uom_id.id
                if site != default_site:
                    vals["partner_shipping_id"] = site.id
                lines_vals.append(Command.create(vals))
        if not lines_vals:
            return False
        order = self.sudo().create(
            {
                "partner_id": contact.id,
                "partner_shipping_id": default_site.id,
                "company_id": company.id,
                "b2b_order_type": "standard",
                "b2b_created_in_portal": True,
                "b2b_reorder_report": "\n".join(missing) or False,
                "order_line": lines_vals,
            }
        )
        body = self.env._(
            "Ordered again in the portal by %(contact)s from %(order)s.", contact=contact.name, order=source.name
        )
        if missing:
            body = Markup("%s<br/>%s<ul>%s</ul>") % (
                body,
                self.env._("Not ordered again:"),
                Markup("").join(Markup("<li>%s</li>") % item for item in missing),
            )
        order.message_post(body=body, author_id=contact.id, subtype_xmlid="mail.mt_note")
        return order
