from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Written only by the approval actions (in superuser mode) and the approval state's compute.
APPROVAL_FIELDS = frozenset(
    {
        "b2b_approval_state",
        "b2b_approved_amount",
        "b2b_approval_user_id",
        "b2b_approval_date",
        "b2b_rejection_reason",
    }
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    payer_id = fields.Many2one(
        "res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index="btree_not_null",
        help="Entity that pays the invoices of this order (tiers payeur). By default the "
        "customer's payer, else the billed party's payer, else the billed party itself.",
    )
    # Extended by each addon with its own kinds (selection_add): express, quick, edi, replenishment
    b2b_order_type = fields.Selection(
        [("standard", "Standard")],
        string="Order Type",
        default="standard",
        required=True,
        copy=False,
        index=True,
        help="How the order came in: standard (entered by the sales team or ordered again), "
        "express (phone or counter order invoiced at once), quick (pasted or uploaded rows), "
        "EDI (an email or a UBL electronic order), or replenishment (a customer reorder rule).",
    )
    b2b_approval_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Customer Approval",
        compute="_compute_b2b_approval_state",
        store=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Orders placed by a buyer above the customer's approval limit must be approved by "
        "one of the customer's approvers (or a sales manager) before they can be confirmed.",
    )
    b2b_approved_amount = fields.Monetary(
        string="Approved Amount",
        readonly=True,
        copy=False,
        help="Untaxed amount covered by the approval: an approved order that grows past it needs a new approval.",
    )
    b2b_approval_user_id = fields.Many2one("res.users", string="Approved/Rejected By", readonly=True, copy=False)
    b2b_approval_date = fields.Datetime(string="Approval Decision Date", readonly=True, copy=False)
    b2b_rejection_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Parties
    # ------------------------------------------------------------------
    def _b2b_customer_entity(self):
        """The ordering customer's commercial entity, read in the order's company."""
        self.ensure_one()
        return self.with_company(self.company_id).partner_id.commercial_partner_id

    def _compute_partner_invoice_id(self):  # pylint: disable=missing-return
        super()._compute_partner_invoice_id()
        for order in self.filtered("partner_id"):
            billed = order._b2b_customer_entity().billed_partner_id
            if billed:
                order.partner_invoice_id = billed.address_get(["invoice"])["invoice"]

    @api.depends("partner_id", "partner_invoice_id", "company_id")
    def _compute_payer_id(self):
        for order in self:
            if not order.partner_id:
                order.payer_id = False
                continue
            order.payer_id = order._b2b_customer_entity()._b2b_default_payer(order.partner_invoice_id)

    @api.constrains("partner_id", "partner_invoice_id", "payer_id")
    def _check_b2b_parties(self):
        for order in self.filtered("partner_id"):
            entity = order._b2b_customer_entity()
            entity._b2b_check_billed_party(order.partner_invoice_id)
            entity._b2b_check_payer(order.payer_id, order.partner_invoice_id)
            if not order.partner_id.is_company and order.partner_id.b2b_portal_role == "viewer":
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a viewer for %(customer)s and cannot place orders.",
                        contact=order.partner_id.name,
                        customer=entity.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Invoicing: carry payer and ordering contact, never group across payers
    # ------------------------------------------------------------------
    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        vals["payer_id"] = self.payer_id.id
        vals["b2b_ordering_partner_id"] = self.partner_id.id
        return vals

    def _get_invoice_grouping_keys(self):
        return [*super()._get_invoice_grouping_keys(), "payer_id"]

    # ------------------------------------------------------------------
    # Customer-side approval
    # ------------------------------------------------------------------
    @api.model
    def _b2b_check_approval_fields(self, fields_written):
        if not self.env.su and APPROVAL_FIELDS.intersection(fields_written):
            raise AccessError(
                self.env._("An order's customer approval changes only through its Approve and Reject actions.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._b2b_check_approval_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_approval_fields(vals)
        return super().write(vals)

    def _b2b_approval_needed(self):
        """An order needs approval when its ordering contact is a buyer and its untaxed
        amount, in company currency, exceeds the customer's approval limit."""
        self.ensure_one()
        contact = self.partner_id
        if not contact or contact.is_company or contact.b2b_portal_role != "buyer":
            return False
        limit = self._b2b_customer_entity().b2b_approval_limit
        if not limit:
            return False
        company_currency = self.company_id.currency_id
        amount = self.currency_id._convert(
            self.amount_untaxed, company_currency, self.company_id, self.date_order or fields.Date.today()
        )
        return company_currency.compare_amounts(amount, limit) > 0

    @api.depends("partner_id", "amount_untaxed", "currency_id", "company_id", "state")
    def _compute_b2b_approval_state(self):
        for order in self:
            if order.state not in ("draft", "sent"):
                order.b2b_approval_state = order.b2b_approval_state or "not_required"
            elif not order._b2b_approval_needed():
                order.b2b_approval_state = "not_required"
            elif (
                order.b2b_approval_state == "approved"
                and order.currency_id.compare_amounts(order.amount_untaxed, order.b2b_approved_amount) <= 0
            ):
                order.b2b_approval_state = "approved"
            else:
                # new, grown past the approved amount, or changed after a rejection
                order.b2b_approval_state = "to_approve"

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        if self.b2b_approval_state == "to_approve":
            return self.env._(
                "Order %(order)s is waiting for approval by an approver of %(customer)s.",
                order=self.name,
                customer=self._b2b_customer_entity().display_name,
            )
        if self.b2b_approval_state == "rejected":
            return self.env._(
                "Order %(order)s was rejected by %(customer)s and cannot be confirmed.",
                order=self.name,
                customer=self._b2b_customer_entity().display_name,
            )
        return False

    def _b2b_check_can_decide(self):
        """Approvals are decided by an approver of the order's customer entity, or by an
        internal sales manager; anyone else is refused."""
        user = self.env.user
        if user.has_group("sales_team.group_sale_manager"):
            return
        for order in self:
            contact = user.partner_id
            if not (
                contact.b2b_portal_role == "approver"
                and contact.commercial_partner_id == order.partner_id.commercial_partner_id
            ):
                raise AccessError(
                    self.env._(
                        "Only an approver of %(customer)s or a sales manager can approve or reject order %(order)s.",
                        customer=order._b2b_customer_entity().display_name,
                        order=order.name,
                    )
                )

    def _b2b_check_pending_approval(self):
        for order in self:
            if order.b2b_approval_state != "to_approve":
                raise UserError(self.env._("Order %(order)s is not waiting for approval.", order=order.name))

    def action_b2b_approve(self):
        """Approve orders waiting for the customer's approval; logged in the chatter."""
        self._b2b_check_can_decide()
        self._b2b_check_pending_approval()
        now = fields.Datetime.now()
        for order in self.sudo():
            order.write(
                {
                    "b2b_approval_state": "approved",
                    "b2b_approved_amount": order.amount_untaxed,
                    "b2b_approval_user_id": self.env.uid,
                    "b2b_approval_date": now,
                    "b2b_rejection_reason": False,
                }
            )
            order.message_post(
                body=self.env._(
                    "Order approved by %(user)s for %(amount)s.",
                    user=self.env.user.name,
                    amount=order.currency_id.format(order.amount_untaxed),
                ),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_b2b_reject(self, reason=None):
        """Reject orders waiting for approval. Without a reason, open the wizard asking for it."""
        if not reason:
            self._b2b_check_can_decide()
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Reject Order"),
                "res_model": "b2b.approval.reject.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_order_ids": self.ids},
            }
        reason = reason.strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the rejection."))
        self._b2b_check_can_decide()
        self._b2b_check_pending_approval()
        now = fields.Datetime.now()
        for order in self.sudo():
            order.write(
                {
                    "b2b_approval_state": "rejected",
                    "b2b_approval_user_id": self.env.uid,
                    "b2b_approval_date": now,
                    "b2b_rejection_reason": reason,
                }
            )
            order.message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._("Order rejected by %(user)s.", user=self.env.user.name),
                    reason,
                ),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return True
