import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare, float_is_zero

# Disputes that still hold money back: the invoice reads "disputed" while one is here.
B2B_DISPUTE_ACTIVE_STATES = ("open", "in_review")
# Written only by the decisions below (as superuser, after the user's own write access is checked).
B2B_DISPUTE_DECISION_FIELDS = {"state", "resolved_date", "credit_note_ids", "move_id", "raised_by_id"}


class B2bInvoiceDispute(models.Model):
    """A customer's dispute of a posted invoice, or of part of its amount. It is raised from the
    portal by the accountant or approver of the billed party or payer, and decided in the back
    office: resolved by a credit note (and a new invoice), or rejected with a note. A posted
    invoice is never edited."""

    _name = "b2b.invoice.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True, index=True)
    payer_id = fields.Many2one(related="move_id.payer_id", string="Payer", store=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id", string="Currency")
    raised_by_id = fields.Many2one("res.partner", readonly=True, help="The customer's contact who raised the dispute.")
    reason = fields.Selection(
        [
            ("price", "Price"),
            ("quantity", "Quantity"),
            ("damaged", "Damaged Goods"),
            ("not_received", "Not Received"),
            ("duplicate", "Duplicate"),
            ("other", "Other"),
        ],
        required=True,
        tracking=True,
    )
    amount = fields.Monetary(
        string="Disputed Amount",
        required=True,
        tracking=True,
        help="Part of the invoice the customer holds back; the rest stays payable.",
    )
    description = fields.Text(string="Customer's Message")
    attachment_ids = fields.Many2many(
        "ir.attachment", "b2b_invoice_dispute_attachment_rel", "dispute_id", "attachment_id", string="Attachments"
    )
    state = fields.Selection(
        [("open", "Open"), ("in_review", "In Review"), ("resolved", "Resolved"), ("rejected", "Rejected")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user if not self.env.user.share else False,
    )
    resolution_note = fields.Text(tracking=True)
    credit_note_ids = fields.Many2many(
        "account.move",
        "b2b_invoice_dispute_credit_note_rel",
        "dispute_id",
        "move_id",
        string="Credit Notes and New Invoices",
        readonly=True,
        copy=False,
    )
    resolved_date = fields.Datetime(string="Decided On", readonly=True, copy=False)
    age = fields.Integer(string="Age (Days)", compute="_compute_age", help="Days since the dispute was raised.")

    _amount_positive = models.Constraint("CHECK(amount > 0)", "A disputed amount must be positive.")

    @api.depends("create_date", "resolved_date")
    def _compute_age(self):
        now = fields.Datetime.now()
        for dispute in self:
            end = dispute.resolved_date or now
            dispute.age = (end - dispute.create_date).days if dispute.create_date else 0

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        for dispute in self:
            move = dispute.move_id
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(self.env._("Only a posted customer invoice can be disputed."))
            rounding = move.currency_id.rounding
            if dispute.state in B2B_DISPUTE_ACTIVE_STATES and (
                float_is_zero(dispute.amount, precision_rounding=rounding)
                or float_compare(dispute.amount, move.amount_total, precision_rounding=rounding) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The disputed amount of %(invoice)s must be more than zero and at most its total.",
                        invoice=move.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("b2b.invoice.dispute") or "/"
        disputes = super().create(vals_list)
        for dispute in disputes:
            if dispute.raised_by_id:
                dispute.message_subscribe(partner_ids=dispute.raised_by_id.ids)
        return disputes

    def write(self, vals):
        if B2B_DISPUTE_DECISION_FIELDS & set(vals) and not self.env.su:
            raise UserError(self.env._("The state of a dispute changes only through its buttons."))
        return super().write(vals)

    def _b2b_decide(self, vals):
        """Write a decision: the user must be allowed to edit the disputes."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Raised from the portal
    # ------------------------------------------------------------------
    @api.model
    def _b2b_portal_can_dispute(self, invoice, partner):
        """True when ``partner`` (a portal contact) may dispute ``invoice``: an accountant or
        approver of the entity billed for it or paying it, on a posted customer invoice with
        something left to pay that is not already disputed."""
        role = partner.sudo().b2b_portal_role
        entity = partner.commercial_partner_id
        invoice = invoice.sudo()
        return (
            role in ("accountant", "approver")
            and invoice.move_type == "out_invoice"
            and invoice.state == "posted"
            and invoice.payment_state in ("not_paid", "partial")
            and entity in (invoice.commercial_partner_id | invoice.payer_id.commercial_partner_id)
            # something left to dispute: not all of the due already under dispute
            and invoice.currency_id.compare_amounts(invoice.amount_residual, invoice.b2b_dispute_amount) > 0
        )

    @api.model
    def _b2b_portal_raise(self, invoice, partner, reason, amount, description, uploads=()):
        """Create the dispute of ``invoice`` raised by ``partner``; the caller has checked the
        access of the portal user to the invoice and ``_b2b_portal_can_dispute``. ``amount``
        (0 < amount <= amount due) is checked here against the invoice read on the server.
        ``uploads``: (file name, content bytes, mimetype). Raises UserError on bad input."""
        invoice = invoice.sudo()
        if reason not in dict(self._fields["reason"].selection):
            raise UserError(self.env._("Choose the reason of the dispute."))
        due = invoice.amount_residual - invoice.b2b_dispute_amount
        rounding = invoice.currency_id.rounding
        if (
            not math.isfinite(amount)
            or float_compare(amount, 0.0, precision_rounding=rounding) <= 0
            or float_compare(amount, due, precision_rounding=rounding) > 0
        ):
            raise UserError(
                self.env._(
                    "The disputed amount must be more than zero and at most %(due)s, what is due and not "
                    "already disputed on %(invoice)s.",
                    due=invoice.currency_id.format(max(due, 0.0)),
                    invoice=invoice.name,
                )
            )
        dispute = (
            self.sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "move_id": invoice.id,
                    "raised_by_id": partner.id,
                    "reason": reason,
                    "amount": amount,
                    "description": description,
                    "user_id": invoice.invoice_user_id.id,
                }
            )
        )
        if uploads:
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": filename,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": self._name,
                            "res_id": dispute.id,
                        }
                        for filename, content, mimetype in uploads
                    ]
                )
            )
            dispute.attachment_ids = attachments
        dispute.message_post(
            body=description or "",
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=dispute.attachment_ids.ids,
        )
        invoice.message_post(
            body=self.env._("Disputed by %(contact)s: %(dispute)s", contact=partner.name, dispute=dispute.name),
            author_id=partner.id,
            subtype_xmlid="mail.mt_note",
        )
        if dispute.user_id:
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=dispute.user_id.id,
                summary=self.env._("Review the customer's dispute"),
            )
        return dispute

    # ------------------------------------------------------------------
    # Decided in the back office
    # ------------------------------------------------------------------
    def _b2b_check_state(self, allowed):
        for dispute in self:
            if dispute.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(dispute)s is %(state)s: this decision is not possible any more.",
                        dispute=dispute.name,
                        state=dict(self._fields["state"].selection)[dispute.state],
                    )
                )

    def _b2b_notify_customer(self, body):
        """A decision reaches the customer's followers (the contact who raised it) by email."""
        for dispute in self:
            dispute.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment")

    def action_review(self):
        self._b2b_check_state(("open",))
        for dispute in self:
            # the assignee is written only when there is none: writing the same user again would
            # tell them a second time that they are assigned (mail's auto-subscription)
            vals = {"state": "in_review"}
            if not dispute.user_id:
                vals["user_id"] = self.env.user.id
            dispute._b2b_decide(vals)
        for dispute in self:
            dispute._b2b_notify_customer(
                self.env._("Your dispute %(dispute)s is being reviewed.", dispute=dispute.name)
            )
        return True

    def action_reject(self):
        self._b2b_check_state(B2B_DISPUTE_ACTIVE_STATES)
        for dispute in self:
            if not (dispute.resolution_note or "").strip():
                raise UserError(
                    self.env._("Write the resolution note that explains to the customer why the dispute is rejected.")
                )
        self._b2b_decide({"state": "rejected", "resolved_date": fields.Datetime.now()})
        for dispute in self:
            dispute._b2b_notify_customer(
                self.env._(
                    "Your dispute %(dispute)s is rejected: %(note)s", dispute=dispute.name, note=dispute.resolution_note
                )
            )
        return True

    def _b2b_open_reversal(self, modify):
        """Odoo's own reversal wizard on the invoice; the moves it creates are linked back."""
        self.ensure_one()
        self._b2b_check_state(B2B_DISPUTE_ACTIVE_STATES)
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_view_account_move_reversal")
        action["context"] = {
            "active_model": "account.move",
            "active_ids": self.move_id.ids,
            "b2b_dispute_id": self.id,
            "b2b_dispute_modify": modify,
        }
        return action

    def action_resolve_credit_note(self):
        return self._b2b_open_reversal(modify=False)

    def action_resolve_credit_note_new_invoice(self):
        return self._b2b_open_reversal(modify=True)

    def _b2b_resolve_with(self, moves):
        """Called by the reversal wizard once the credit note (and new invoice) exist."""
        self._b2b_check_state(B2B_DISPUTE_ACTIVE_STATES)
        self._b2b_decide(
            {
                "state": "resolved",
                "resolved_date": fields.Datetime.now(),
                "credit_note_ids": [fields.Command.link(move.id) for move in moves],
            }
        )
        for dispute in self:
            dispute._b2b_notify_customer(
                self.env._(
                    "Your dispute %(dispute)s is resolved: %(documents)s.",
                    dispute=dispute.name,
                    documents=", ".join(moves.mapped("display_name")),
                )
            )

    @api.model
    def _b2b_active_domain(self):
        return Domain("state", "in", B2B_DISPUTE_ACTIVE_STATES)
