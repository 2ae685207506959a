# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .b2b_replenishment_rule_portal import parse_portal_quantity
from .res_partner_portal import B2B_REPLENISHMENT_PORTAL_ROLES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Portal: proposals waiting for the customer's buyer
    # ------------------------------------------------------------------
    @api.model
    def _b2b_portal_visible_domain(self):
        # the replenishment proposals made for the customer are followed in the portal (the
        # portal scope rule applies this domain: RPC gives what the pages give)
        return Domain.OR([super()._b2b_portal_visible_domain(), [("b2b_order_type", "=", "replenishment")]])

    @api.model
    def _b2b_portal_proposal_domain(self):
        """Replenishment proposals waiting for the buyer's validation (searched as the user:
        the record rules keep those of its entity and sites)."""
        proposed = self.env["b2b.replenishment.period"].sudo()._search([("state", "=", "proposed")])
        return (
            Domain("b2b_order_type", "=", "replenishment")
            & Domain("state", "in", ("draft", "sent"))
            & Domain(
                "order_line",
                "any!",
                Domain("id", "in", proposed.subselect(SQL.identifier(proposed.table, "order_line_id"))),
            )
        )

    def _b2b_portal_proposal_check(self):
        """Refuse unless the current user is a portal buyer or approver who may read this order
        and the rules of its lines, and the order still waits for validation."""
        self.ensure_one()
        user = self.env.user
        if not (user.share and user.partner_id.b2b_portal_role in B2B_REPLENISHMENT_PORTAL_ROLES):
            raise AccessError(self.env._("Only the customer's buyers and approvers validate its replenishment."))
        self.check_access("read")
        lines = self.sudo().order_line.filtered("b2b_replenishment_rule_id")
        lines.b2b_replenishment_rule_id.with_env(self.env).check_access("read")
        if not self.search_count(Domain("id", "=", self.id) & self._b2b_portal_proposal_domain()):
            raise UserError(self.env._("%(order)s no longer waits for your validation.", order=self.sudo().name))
        return lines

    def _b2b_portal_validate_proposal(self, quantities):
        """Validate the proposal with the buyer's quantities (``{line id: text}``, as typed;
        lines not given keep theirs): each a number between 0 and the line's maximum, else a
        UserError and nothing is written. The order is then confirmed like any order
        (approval and credit control apply). Returns ``validated`` or ``held`` (waiting for
        approval or credit review)."""
        lines = self._b2b_portal_proposal_check()
        by_id = {str(line.id): line for line in lines}
        unknown = set(quantities) - set(by_id)
        if unknown:
            raise UserError(self.env._("These quantities are not lines of the proposal."))
        new_quantities = {}
        for key, text in quantities.items():
            line = by_id[key]
            quantity = parse_portal_quantity(self.env, text, line.product_id.display_name)
            if line.product_uom_id.compare(quantity, line.product_uom_qty):
                new_quantities[line] = quantity
        lines._b2b_check_replenishment_qty(new_quantities)
        if all(new_quantities.get(line, line.product_uom_qty) == 0 for line in lines):
            raise UserError(self.env._("Every quantity is 0: skip this replenishment instead."))
        order = self.sudo()
        contact = self.env.user.partner_id
        changes = ", ".join(
            f"{line.product_id.display_name}: {quantity:g} {line.product_uom_id.name}"
            for line, quantity in new_quantities.items()
        )
        body = self.env._("Replenishment validated in the portal by %(contact)s.", contact=contact.name)
        if changes:
            body += " " + self.env._("Quantities changed: %(changes)s.", changes=changes)
        # all or nothing: a confirmation refused (prepayment, ...) keeps the proposal as it was
        with self.env.cr.savepoint():
            for line, quantity in new_quantities.items():
                line.sudo().product_uom_qty = quantity
            order.message_post(body=body, author_id=contact.id, subtype_xmlid="mail.mt_note")
            if order.b2b_approval_state == "to_approve":
                # above the customer's approval limit Odoo refuses to confirm it: validated by
                # the buyer, it waits for the customer's approver (/my/approvals), held
                order._b2b_replenishment_lines().filtered(lambda line: line.product_uom_qty <= 0)._b2b_skip_period()
                self.env["b2b.replenishment.period"].sudo().search(
                    [("order_line_id", "in", order.order_line.ids), ("state", "=", "proposed")]
                ).write({"state": "held"})
            else:
                order._b2b_replenishment_validate()
        return "validated" if order.state == "sale" else "held"

    def _b2b_portal_skip_proposal(self):
        """Skip this replenishment: its periods are not proposed again; the quotation is cancelled."""
        self._b2b_portal_proposal_check()
        order = self.sudo()
        contact = self.env.user.partner_id
        with self.env.cr.savepoint():
            order.message_post(
                body=self.env._("Replenishment skipped in the portal by %(contact)s.", contact=contact.name),
                author_id=contact.id,
                subtype_xmlid="mail.mt_note",
            )
            order._b2b_replenishment_skip()
        return True

    # ------------------------------------------------------------------
    # Emails to the buyer and confirmation after its silence (ir_cron_replenishment_buyer)
    # ------------------------------------------------------------------
    @api.model
    def _cron_b2b_replenishment_buyer(self):
        """Tell buyers of coming and ready proposals; confirm the proposals left unanswered
        for the company's delay. Each step only takes what it has not done yet: rerun safely."""
        self.env["b2b.replenishment.rule"]._b2b_send_proposal_notices()
        self._b2b_send_proposal_ready()
        self._b2b_confirm_silent_proposals()

    @api.model
    def _b2b_send_proposal_ready(self):
        """Email each buyer its proposals made since the last time (once per proposal)."""
        Period = self.env["b2b.replenishment.period"].sudo()
        periods = Period.search(
            [("state", "=", "proposed"), ("b2b_ready_sent", "=", False), ("order_line_id", "!=", False)]
        )
        orders = periods.order_line_id.order_id.filtered(lambda order: order.state in ("draft", "sent"))
        template = self.env.ref("b2b_replenishment.mail_template_replenishment_ready")
        for order in orders:
            template.send_mail(order.id, email_layout_xmlid="mail.mail_notification_light")
        periods.b2b_ready_sent = True

    @api.model
    def _b2b_confirm_silent_proposals(self):
        """Confirm, as proposed, the proposals of companies that ask it after their delay."""
        now = fields.Datetime.now()
        Period = self.env["b2b.replenishment.period"].sudo()
        for company in self.env["res.company"].sudo().search([("b2b_replenishment_auto_confirm_days", ">", 0)]):
            limit = now - timedelta(days=company.b2b_replenishment_auto_confirm_days)
            periods = Period.search(
                [
                    ("state", "=", "proposed"),
                    ("company_id", "=", company.id),
                    ("order_line_id", "!=", False),
                    ("create_date", "<=", limit),
                ]
            )
            for order in periods.order_line_id.order_id.filtered(lambda order: order.state in ("draft", "sent")):
                order.message_post(
                    body=self.env._(
                        "Replenishment confirmed automatically: the buyer did not answer within %(days)s days.",
                        days=company.b2b_replenishment_auto_confirm_days,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                order._b2b_replenishment_validate()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _b2b_portal_proposal_quantities(self):
        """{line id: (proposed, maximum)} of these replenishment lines, in the line's unit: the
        quantity the run proposed and the most the buyer may order. Two searches in all."""
        lines = self.sudo()
        maximums = lines._b2b_replenishment_max_qty()
        periods = self.env["b2b.replenishment.period"].sudo().search([("order_line_id", "in", lines.ids)])
        return {
            period.order_line_id.id: (
                period.rule_id.product_id.uom_id._compute_quantity(
                    period.proposed_qty, period.order_line_id.product_uom_id
                ),
                maximums.get(period.order_line_id.id, 0.0),
            )
            for period in periods
        }
