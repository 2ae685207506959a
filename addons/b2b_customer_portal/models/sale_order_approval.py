# one file per capability of the portal (the addon's layout), hence several sale.order classes
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.tools import format_date


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # What stops the customer from accepting or paying a quotation in the portal
    # ------------------------------------------------------------------
    def _b2b_portal_blocking_reason(self):
        """Why the customer cannot accept, sign or pay this quotation now, or False:

        - ``to_approve``: it waits for an approver of the customer;
        - ``rejected``: an approver of the customer rejected it;
        - ``held``: it is held for credit review (a credit manager decides).

        An order held for prepayment is not blocked: paying it is what releases it.
        """
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return False
        if self.b2b_approval_state in ("to_approve", "rejected"):
            return self.b2b_approval_state
        # the hold's reason is for internal users: read it, not show it
        if self.b2b_credit_hold and self.sudo().b2b_credit_hold_reason != "prepay":
            return "held"
        return False

    def _has_to_be_signed(self):
        # a signature that cannot confirm the order is not asked for (nor offered)
        return super()._has_to_be_signed() and not self._b2b_portal_blocking_reason()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._b2b_portal_blocking_reason()

    def _b2b_portal_blocking_message(self):
        """The plain words the portal shows (and answers) when the customer cannot accept or
        pay this quotation: who must act and since when."""
        self.ensure_one()
        reason = self._b2b_portal_blocking_reason()
        if not reason:
            return ""
        order = self.sudo()
        entity = order._b2b_customer_entity()
        if reason == "to_approve":
            approvers = order._b2b_portal_approvers()
            return self.env._(
                "This quotation is waiting for approval by %(approvers)s (approver of %(customer)s) "
                "since %(date)s. It can be accepted once approved.",
                approvers=", ".join(approvers.mapped("name")) or self.env._("an approver"),
                customer=entity.display_name,
                date=order._b2b_portal_format_date(order._b2b_approval_requested_on()),
            )
        if reason == "rejected":
            return self.env._(
                "This quotation was rejected by %(user)s on %(date)s: %(reason)s",
                user=order.b2b_approval_user_id.name or entity.display_name,
                date=order._b2b_portal_format_date(order.b2b_approval_date),
                reason=order.b2b_rejection_reason or "",
            )
        return self.env._(
            "This order is held for credit review by %(company)s since %(date)s: our credit "
            "department will contact you. It cannot be accepted or paid online meanwhile.",
            company=order.company_id.name,
            date=order._b2b_portal_format_date(order.b2b_credit_hold_date or order.write_date),
        )

    def _b2b_portal_approval_message(self):
        """The approver's decision on an approved order, as the portal shows it (a rejection is
        told by the blocking message)."""
        self.ensure_one()
        order = self.sudo()
        if order.b2b_approval_state != "approved" or not order.b2b_approval_user_id:
            return ""
        return self.env._(
            "Approved by %(user)s on %(date)s.",
            user=order.b2b_approval_user_id.name,
            date=order._b2b_portal_format_date(order.b2b_approval_date),
        )

    def _b2b_portal_format_date(self, value):
        """A datetime as a date, in the reading user's language and time zone."""
        if not value:
            return ""
        return format_date(self.env, fields.Datetime.context_timestamp(self, value).date())

    def _b2b_portal_approvers(self):
        """Contacts of the order's customer entity who may approve it in the portal."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("b2b_portal_role", "=", "approver"),
                ],
                limit=5,
                order="name",
            )
        )

    def _b2b_approval_requested_on(self):
        """When the order last started waiting for approval: the last change of its approval
        state in the chatter's tracking, else its creation (the state is computed at creation
        without a tracking value)."""
        self.ensure_one()
        field = self.env["ir.model.fields"]._get(self._name, "b2b_approval_state")
        tracking = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        return tracking.mail_message_id.date or self.create_date

    # ------------------------------------------------------------------
    # The ordering contact hears of the decision (the chatter already has it)
    # ------------------------------------------------------------------
    def action_b2b_approve(self):
        res = super().action_b2b_approve()
        self._b2b_notify_approval_decision()
        return res

    def action_b2b_reject(self, reason=None):
        res = super().action_b2b_reject(reason=reason)
        if res is True:  # decided; without a reason, the wizard opens and calls us again
            self._b2b_notify_approval_decision()
        return res

    def _b2b_notify_approval_decision(self):
        """Email the ordering contact the approver's decision, in the contact's language.
        Sent without a chatter message: the decision is already logged as a note."""
        template = self.env.ref("b2b_customer_portal.mail_template_b2b_approval_decision", raise_if_not_found=False)
        if not template:
            return
        for order in self.sudo():
            if order.partner_id.email:
                template.sudo().send_mail(order.id, email_layout_xmlid="mail.mail_notification_light")
