"""/my/replenishment: the customer's buyers and approvers follow the replenishment rules of
their sites, declare their on-hand counts, pause and resume rules, and validate, change or
skip the proposals waiting for them. Which rules and proposals a user may reach is decided by
the record rules (security/b2b_replenishment_portal_security.xml); every decision is made by
a model method that checks it again (models/*_portal.py)."""

from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models.b2b_replenishment_rule_portal import format_portal_quantity

# what the page says after a decision (codes, never free text from the URL)
REPLENISHMENT_MESSAGES = ("validated", "held", "skipped", "count", "paused", "resumed")
PORTAL_ROLES = ("buyer", "approver")


class B2bReplenishmentPortal(CustomerPortal):
    """Pages of the customer's replenishment, for its buyers (their sites) and approvers."""

    @staticmethod
    def _b2b_replenishment_allowed():
        user = request.env.user
        return user.share and user.partner_id.b2b_portal_role in PORTAL_ROLES

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "b2b_replenishment_count" in counters:
            values["b2b_replenishment_count"] = (
                request.env["sale.order"].search_count(request.env["sale.order"]._b2b_portal_proposal_domain())
                if self._b2b_replenishment_allowed()
                else 0
            )
        if not counters:
            # the page itself: the way in to the rules, shown even when no proposal waits
            values["b2b_replenishment_rule_count"] = (
                request.env["b2b.replenishment.rule"].search_count([]) if self._b2b_replenishment_allowed() else 0
            )
        return values

    def _prepare_b2b_replenishment_values(self, message=None, error=None, error_target=None):
        Rule = request.env["b2b.replenishment.rule"]
        SaleOrder = request.env["sale.order"]
        rules = Rule.search([], order="partner_shipping_id, product_id, id")
        proposals = SaleOrder.search(SaleOrder._b2b_portal_proposal_domain(), order="date_order, id")
        # counts the user may read (record rules), latest of each rule: one query
        last_counts = rules._b2b_portal_last_counts()
        # the names the page shows, read for all the rules and lines at once
        lines = proposals.sudo().order_line
        (rules.sudo().product_id | lines.product_id).mapped("display_name")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "b2b_replenishment",
                # read, like Odoo's own lists, once the record rules chose them
                "rules": rules.sudo(),
                "proposals": proposals.sudo(),
                "last_counts": last_counts,
                "proposal_quantities": proposals.sudo().order_line._b2b_portal_proposal_quantities(),
                "b2b_message": message if message in REPLENISHMENT_MESSAGES else None,
                "b2b_error": error,
                "b2b_error_target": error_target,
                "b2b_format_qty": lambda value: format_portal_quantity(request.env, value),
            }
        )
        return values

    @http.route("/my/replenishment", type="http", auth="user", website=True)
    def portal_my_replenishment(self, message=None, **kw):
        if not self._b2b_replenishment_allowed():
            raise Forbidden()
        return request.render(
            "b2b_replenishment.portal_my_replenishment", self._prepare_b2b_replenishment_values(message=message)
        )

    def _b2b_replenishment_error(self, error, target):
        """The page again, with what was refused and why; nothing was written."""
        values = self._prepare_b2b_replenishment_values(error=error.args[0], error_target=target)
        return request.render("b2b_replenishment.portal_my_replenishment", values, status=400)

    @staticmethod
    def _b2b_replenishment_redirect(**params):
        return request.redirect(f"/my/replenishment?{urlencode(params)}")

    def _b2b_portal_record(self, model, record_id):
        """The record, as the user: another customer's or another site's (or none) is not found."""
        if not self._b2b_replenishment_allowed():
            raise Forbidden()
        record = request.env[model].browse(record_id)
        try:
            record.check_access("read")
            record.exists().ensure_one()
        except (AccessError, MissingError, ValueError) as error:
            raise NotFound() from error
        return record

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @http.route("/my/replenishment/rule/<int:rule_id>/count", type="http", auth="user", methods=["POST"], website=True)
    def portal_replenishment_count(self, rule_id, quantity=None, count_date=None, **kw):
        rule = self._b2b_portal_record("b2b.replenishment.rule", rule_id)
        try:
            rule._b2b_portal_declare_count(quantity, count_date)
        except (UserError, ValidationError) as error:
            return self._b2b_replenishment_error(error, f"rule-{rule.id}")
        return self._b2b_replenishment_redirect(message="count")

    @http.route("/my/replenishment/rule/<int:rule_id>/pause", type="http", auth="user", methods=["POST"], website=True)
    def portal_replenishment_pause(self, rule_id, resume_date=None, reason=None, **kw):
        rule = self._b2b_portal_record("b2b.replenishment.rule", rule_id)
        try:
            rule._b2b_portal_pause(resume_date, reason)
        except (UserError, ValidationError) as error:
            return self._b2b_replenishment_error(error, f"rule-{rule.id}")
        return self._b2b_replenishment_redirect(message="paused")

    @http.route("/my/replenishment/rule/<int:rule_id>/resume", type="http", auth="user", methods=["POST"], website=True)
    def portal_replenishment_resume(self, rule_id, **kw):
        rule = self._b2b_portal_record("b2b.replenishment.rule", rule_id)
        try:
            rule._b2b_portal_resume()
        except (UserError, ValidationError) as error:
            return self._b2b_replenishment_error(error, f"rule-{rule.id}")
        return self._b2b_replenishment_redirect(message="resumed")

    # ------------------------------------------------------------------
    # Proposals
    # ------------------------------------------------------------------
    @http.route(
        "/my/replenishment/proposal/<int:order_id>/validate",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_replenishment_validate(self, order_id, **kw):
        order = self._b2b_portal_record("sale.order", order_id)
        # quantities as typed, by line id: the model checks every one (numbers, bounds, lines)
        quantities = {key[len("qty_") :]: value for key, value in kw.items() if key.startswith("qty_")}
        try:
            outcome = order._b2b_portal_validate_proposal(quantities)
        except (UserError, ValidationError) as error:
            return self._b2b_replenishment_error(error, f"proposal-{order.id}")
        return self._b2b_replenishment_redirect(message=outcome)

    @http.route(
        "/my/replenishment/proposal/<int:order_id>/skip", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_replenishment_skip(self, order_id, **kw):
        order = self._b2b_portal_record("sale.order", order_id)
        try:
            order._b2b_portal_skip_proposal()
        except (UserError, ValidationError) as error:
            return self._b2b_replenishment_error(error, f"proposal-{order.id}")
        return self._b2b_replenishment_redirect(message="skipped")
