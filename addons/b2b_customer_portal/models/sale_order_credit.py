"""Credit in the portal: the payer's available credit and overdue amount, for the payer
entity's approvers and accountants only, and what confirming a quotation will do.

The credit fields of b2b_credit_hold stay for internal users (no portal user reads them by
RPC): the figures are computed here in sudo, after checking who reads them, with
b2b_credit_hold's own methods."""

# one file per capability of the portal (the addon's layout), hence several sale.order classes
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

PORTAL_CREDIT_ROLES = ("approver", "accountant")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Who sees which payer's credit
    # ------------------------------------------------------------------
    @api.model
    def _b2b_portal_credit_entity(self):
        """The customer entity whose credit the current user may see in the portal (its own,
        for a portal approver or accountant), else an empty recordset."""
        user = self.env.user
        contact = user.partner_id
        if user._is_portal() and not contact.is_company and contact.b2b_portal_role in PORTAL_CREDIT_ROLES:
            return contact.commercial_partner_id
        return self.env["res.partner"]

    @api.model
    def _b2b_portal_payer_credit_summary(self, payer, company=None):
        """Credit figures of the ``payer`` entity, in company currency, when the current user
        may see them (an approver or accountant of this very entity), else an empty dict:
        ``{payer, currency, limit, exposure, available (None without limit), overdue,
        oldest_overdue_days, manual_hold}``. One query, whatever the number of documents."""
        payer = payer.commercial_partner_id
        if not payer or payer != self._b2b_portal_credit_entity():
            return {}
        company = company or self.env.company
        entity = payer.with_company(company).sudo()
        values = entity._b2b_credit_figures(company)[payer.id]
        exposure = entity._b2b_exposure(values)
        limit = entity.credit_limit
        oldest = values["oldest_overdue"]
        return {
            "payer": payer,
            "currency": company.currency_id,
            "limit": limit,
            "exposure": exposure,
            # a limit of 0 is no limit (b2b_credit_hold)
            "available": limit - exposure if limit else None,
            "overdue": values["overdue"],
            "oldest_overdue_days": (fields.Date.context_today(self) - oldest).days if oldest else 0,
            # put on hold by the credit manager: every order waits for credit control, whatever
            # the figures say (they would read as if nothing stood in the way)
            "manual_hold": bool(entity.b2b_manual_hold),
        }

    @api.model
    def _b2b_portal_home_credit_summary(self):
        """The /my card's figures: the current user's entity's credit when the user may see it
        and the entity pays its own orders (a subsidiary paid by its group shows none: its
        credit is its payer's)."""
        entity = self._b2b_portal_credit_entity()
        if not entity:
            return {}
        entity_sudo = entity.sudo()
        if entity_sudo._b2b_default_payer(entity_sudo.billed_partner_id) != entity:
            return {}
        return self._b2b_portal_payer_credit_summary(entity)

    # ------------------------------------------------------------------
    # On a quotation
    # ------------------------------------------------------------------
    def _b2b_portal_confirmation_outcome(self):
        """What confirming this quotation would do now, in the words of the portal:
        ``confirmed``, ``held`` (credit review), ``prepayment`` (to be paid online in full
        first), or False when it is not up to the customer (not a quotation, waiting for or
        rejected by the approver). Mirrors b2b_credit_hold's check (``_b2b_credit_check``)
        with its building blocks, without its lock: a page never serializes credit checks."""
        self.ensure_one()
        order = self.sudo()
        if order.state not in ("draft", "sent") or order.b2b_approval_state in ("to_approve", "rejected"):
            return False
        paid = order.currency_id.compare_amounts(order.amount_paid, order.amount_total) >= 0
        if order.b2b_credit_hold:
            return "prepayment" if order.b2b_credit_hold_reason == "prepay" and not paid else "held"
        company = order.company_id
        payer = order._b2b_credit_payer()
        entity = payer.with_company(company).sudo()
        if entity.b2b_manual_hold:
            return "held"
        if order._b2b_prepayment_required():
            return "confirmed" if paid else "prepayment"
        policy = entity.b2b_credit_policy or "none"
        if policy in ("none", "warn") and not entity.b2b_overdue_block:
            return "confirmed"
        values = entity._b2b_credit_figures(company)[payer.id]
        exposure = entity._b2b_exposure(values) + order.amount_total / (order.currency_rate or 1.0)
        if entity._b2b_overdue_blocking(values, company):
            return "held"
        if policy in ("block", "prepay_first") and entity._b2b_over_limit(exposure, company):
            return "held"
        return "confirmed"

    def _b2b_portal_credit_summary(self):
        """The payer's credit figures for the current user (see res.partner's), else {}."""
        self.ensure_one()
        order = self.sudo()
        return self._b2b_portal_payer_credit_summary(order._b2b_credit_payer(), order.company_id)
