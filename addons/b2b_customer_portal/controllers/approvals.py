from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.sale.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

# what the approvals page says after a decision or a refused request (codes, never free text)
APPROVAL_MESSAGES = ("approved", "rejected")
APPROVAL_ERRORS = ("reason", "not_waiting")


class B2bApprovalsPortal(CustomerPortal):
    """The customer's approvers approve or reject the quotations of their entity's buyers that
    wait for their approval. Who may decide is the order's own rule (``action_b2b_approve`` /
    ``action_b2b_reject``); the pages only list what the user may read and ask."""

    @staticmethod
    def _b2b_is_portal_approver():
        user = request.env.user
        return user.share and user.partner_id.b2b_portal_role == "approver"

    def _prepare_approvals_domain(self, partner):
        return [
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
            ("state", "in", ("draft", "sent")),
            ("b2b_approval_state", "=", "to_approve"),
        ]

    @http.route(["/my/approvals", "/my/approvals/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_approvals(self, page=1, message=None, error=None, order_ref=None, **kw):
        if not self._b2b_is_portal_approver():
            raise Forbidden()
        SaleOrder = request.env["sale.order"]
        domain = self._prepare_approvals_domain(request.env.user.partner_id)
        pager = portal_pager(
            url="/my/approvals",
            total=SaleOrder.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        orders = SaleOrder.search(
            domain, order="date_order asc, id", limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "b2b_approvals",
                "default_url": "/my/approvals",
                "pager": pager,
                "orders": orders.sudo(),  # read, like Odoo's own lists, once the rules chose them
                "b2b_message": message if message in APPROVAL_MESSAGES else None,
                "b2b_error": error if error in APPROVAL_ERRORS else None,
                # a name the user may read: shown back, never an arbitrary text
                "b2b_order_ref": SaleOrder.search([("name", "=", order_ref)], limit=1).name if order_ref else None,
            }
        )
        return request.render("b2b_customer_portal.portal_my_approvals", values)

    def _b2b_approval_order(self, order_id):
        """The order, as the user: another customer's order (or none) is not found."""
        if not self._b2b_is_portal_approver():
            raise Forbidden()
        order = request.env["sale.order"].browse(order_id)
        try:
            order.check_access("read")
            order.exists().ensure_one()
        except (AccessError, MissingError, ValueError) as error:
            raise NotFound() from error
        return order

    @staticmethod
    def _b2b_approvals_redirect(**params):
        return request.redirect(f"/my/approvals?{urlencode(params)}")

    @http.route("/my/approvals/<int:order_id>/approve", type="http", auth="user", methods=["POST"], website=True)
    def portal_approval_approve(self, order_id, **kw):
        order = self._b2b_approval_order(order_id)
        try:
            order.action_b2b_approve()
        except UserError:
            return self._b2b_approvals_redirect(error="not_waiting", order_ref=order.name)
        return self._b2b_approvals_redirect(message="approved", order_ref=order.name)

    @http.route("/my/approvals/<int:order_id>/reject", type="http", auth="user", methods=["POST"], website=True)
    def portal_approval_reject(self, order_id, reason=None, **kw):
        order = self._b2b_approval_order(order_id)
        if not (reason or "").strip():
            return self._b2b_approvals_redirect(error="reason", order_ref=order.name)
        try:
            order.action_b2b_reject(reason=reason)
        except UserError:
            return self._b2b_approvals_redirect(error="not_waiting", order_ref=order.name)
        return self._b2b_approvals_redirect(message="rejected", order_ref=order.name)
