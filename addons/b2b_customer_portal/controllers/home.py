from odoo.fields import Domain
from odoo.http import request

from .approvals import B2bApprovalsPortal

IN_PROGRESS_DELIVERY = ("pending", "started", "partial")


class B2bHomePortal(B2bApprovalsPortal):
    """``/my`` by the customer contact's role: quotations to approve (approver), held orders
    (buyer, approver), orders in progress by site (buyer: its sites), invoices to pay
    (accountant, who sees no order entries). Counted in the database, as the user."""

    @staticmethod
    def _b2b_portal_role():
        user = request.env.user
        return user.partner_id.b2b_portal_role if user.share else False

    def _b2b_held_domain(self, partner):
        return [
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
            ("state", "!=", "cancel"),
            ("b2b_credit_hold", "=", True),
        ]

    def _b2b_invoices_to_pay_domain(self, partner):
        entity = partner.commercial_partner_id
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            "|",
            ("partner_id", "child_of", [entity.id]),
            ("payer_id", "child_of", [entity.id]),
        ]

    def _b2b_invoices_to_pay_count(self, partner):
        """The invoices the user reads with something left to pay: what is due on them less
        their open disputes. Counted in the database: the disputed ones (few) read apart."""
        Move = request.env["account.move"]
        domain = Domain(self._b2b_invoices_to_pay_domain(partner))
        count = Move.search_count(domain & Domain("b2b_disputed", "=", False))
        # the user's disputed invoices, found through the record rules, read in superuser mode
        disputed = Move.search(domain & Domain("b2b_disputed", "=", True)).sudo()
        return count + len(
            disputed.filtered(
                lambda move: move.currency_id.compare_amounts(move.amount_residual, move.b2b_dispute_amount) > 0
            )
        )

    def _b2b_held_count(self, partner):
        SaleOrder = request.env["sale.order"]
        if not SaleOrder.has_access("read"):
            return 0
        # the orders the user may read, counted without those waiting for a prepayment (shown
        # as such by the credit pages): the hold's reason is for internal users only
        readable = SaleOrder._search(self._b2b_held_domain(partner))
        return SaleOrder.sudo().search_count([("id", "in", readable), ("b2b_credit_hold_reason", "!=", "prepay")])

    def _b2b_site_progress(self, partner):
        """[{site, count}] of the confirmed orders not fully delivered that have a line delivered
        to one of the user's sites: one grouped query."""
        OrderLine = request.env["sale.order.line"]
        if not OrderLine.has_access("read"):
            return []
        sites = partner._b2b_portal_sites()
        if not sites:
            return []
        groups = OrderLine._read_group(
            [
                ("partner_shipping_id", "in", sites.ids),
                ("order_id.state", "=", "sale"),
                ("order_id.delivery_status", "in", IN_PROGRESS_DELIVERY),
            ],
            groupby=["partner_shipping_id"],
            aggregates=["order_id:count_distinct"],
        )
        return [{"site": site.sudo(), "count": count} for site, count in groups]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        role = self._b2b_portal_role()
        if role == "accountant":
            # the customer's accountant follows invoices and payments, not orders
            for key in ("quotation_count", "order_count"):
                if key in values:
                    values[key] = 0
        if "b2b_approval_count" in counters:
            values["b2b_approval_count"] = (
                request.env["sale.order"].search_count(self._prepare_approvals_domain(partner))
                if role == "approver"
                else 0
            )
        if "b2b_held_count" in counters:
            values["b2b_held_count"] = self._b2b_held_count(partner) if role in ("buyer", "approver") else 0
        if "b2b_invoices_to_pay_count" in counters:
            Move = request.env["account.move"]
            values["b2b_invoices_to_pay_count"] = (
                self._b2b_invoices_to_pay_count(partner) if role == "accountant" and Move.has_access("read") else 0
            )
        if not counters:
            # the page itself: its cards by role
            values["b2b_portal_role"] = role
        if not counters and role in ("buyer", "approver", "viewer"):
            # the page itself (the counters' requests ask for named counts only)
            values["b2b_site_progress"] = self._b2b_site_progress(partner)
        return values
