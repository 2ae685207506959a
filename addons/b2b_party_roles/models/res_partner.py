from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Customer configuration that decides who is invoiced, who pays and who approves: only
# sales managers may change it.
B2B_MANAGED_FIELDS = (
    "billed_partner_id",
    "payer_id",
    "allowed_billed_partner_ids",
    "allowed_payer_ids",
    "b2b_approval_limit",
    "b2b_portal_role",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- configuration of the customer entity (read on its commercial partner) ---
    billed_partner_id = fields.Many2one(
        "res.partner",
        string="Default Billed Party",
        company_dependent=True,
        help="Entity invoiced for this customer's orders when it is not the customer itself "
        "(tiers facturé). Must be one of the allowed billed parties.",
    )
    payer_id = fields.Many2one(
        "res.partner",
        string="Default Payer",
        company_dependent=True,
        help="Entity that pays this customer's invoices when it is not the billed party "
        "(tiers payeur). Its receivable carries the invoices, so its payments settle them.",
    )
    allowed_billed_partner_ids = fields.Many2many(
        "res.partner",
        "b2b_partner_allowed_billed_rel",
        "partner_id",
        "billed_partner_id",
        string="Allowed Billed Parties",
        help="Linked entities, besides the customer's own addresses, that its orders may be invoiced to.",
    )
    allowed_payer_ids = fields.Many2many(
        "res.partner",
        "b2b_partner_allowed_payer_rel",
        "partner_id",
        "payer_id",
        string="Allowed Payers",
        help="Linked entities, besides the customer itself and its billed party, that may pay its invoices.",
    )
    b2b_approval_limit = fields.Float(
        string="Approval Limit",
        company_dependent=True,
        digits="Account",
        help="Orders placed by one of this customer's buyers above this untaxed amount (company "
        "currency) must be approved by one of its approvers before confirmation. 0 = no approval.",
    )
    # --- profile of a person working for the customer ---
    b2b_portal_role = fields.Selection(
        [
            ("buyer", "Buyer"),
            ("approver", "Approver"),
            ("accountant", "Accountant"),
            ("viewer", "Viewer"),
        ],
        string="Customer Role",
        default="buyer",
        help="What this person may do for the customer: a buyer orders (approval needed above the "
        "customer's limit), an approver approves or rejects orders, an accountant sees and pays "
        "invoices, a viewer only consults.",
    )
    b2b_can_edit_roles = fields.Boolean(compute="_compute_b2b_can_edit_roles")

    @api.depends_context("uid")
    def _compute_b2b_can_edit_roles(self):
        self.b2b_can_edit_roles = self.env.user.has_group("sales_team.group_sale_manager")

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _b2b_allowed_billed_entities(self):
        """Commercial entities this customer entity may be invoiced to."""
        self.ensure_one()
        return self | self.allowed_billed_partner_ids.commercial_partner_id

    def _b2b_allowed_payer_entities(self, billed=None):
        """Commercial entities that may pay this customer entity's invoices: itself, its
        allowed payers, and, when invoiced to another entity, that entity and its payer."""
        self.ensure_one()
        allowed = self | self.allowed_payer_ids.commercial_partner_id
        billed_entity = billed.commercial_partner_id if billed else self.env["res.partner"]
        if billed_entity:
            allowed |= billed_entity | billed_entity.payer_id.commercial_partner_id
        return allowed

    def _b2b_default_payer(self, billed):
        """Payer cascade: the customer's payer, else the billed party's payer, else the
        billed party's commercial entity."""
        self.ensure_one()
        billed_entity = billed.commercial_partner_id if billed else self
        return self.payer_id or billed_entity.payer_id or billed_entity

    def _b2b_check_billed_party(self, billed):
        """Refuse ``billed`` as billed party of this customer entity unless allowed."""
        self.ensure_one()
        if billed and billed.commercial_partner_id not in self._b2b_allowed_billed_entities():
            raise ValidationError(
                self.env._(
                    "%(party)s cannot be invoiced for %(customer)s: it is neither one of the "
                    "customer's addresses nor one of its allowed billed parties.",
                    party=billed.display_name,
                    customer=self.display_name,
                )
            )

    def _b2b_check_payer(self, payer, billed=None):
        """Refuse ``payer`` as payer of this customer entity unless allowed."""
        self.ensure_one()
        if payer and payer.commercial_partner_id not in self._b2b_allowed_payer_entities(billed):
            raise ValidationError(
                self.env._(
                    "%(party)s cannot pay for %(customer)s: it is neither the customer, its "
                    "billed party, nor one of its allowed payers.",
                    party=payer.display_name,
                    customer=self.display_name,
                )
            )

    @api.constrains("billed_partner_id", "payer_id", "allowed_billed_partner_ids", "allowed_payer_ids")
    def _check_b2b_default_parties(self):
        for partner in self:
            entity = partner.commercial_partner_id
            entity._b2b_check_billed_party(partner.billed_partner_id)
            entity._b2b_check_payer(partner.payer_id, partner.billed_partner_id)

    # ------------------------------------------------------------------
    # Only sales managers edit who is invoiced, who pays and who approves
    # ------------------------------------------------------------------
    def _b2b_can_manage_parties(self):
        return self.env.su or self.env.user.has_group("sales_team.group_sale_manager")

    @api.model
    def _b2b_managed_fields(self):
        """Fields only sales managers may set; addons add theirs by extending this method."""
        return B2B_MANAGED_FIELDS

    def _b2b_check_managed_fields(self, vals_list, creating=False):
        if self._b2b_can_manage_parties():
            return
        # a new contact may be given what it would get anyway (no configuration, a buyer)
        unset = (False, 0, 0.0, [], [(6, 0, [])], "buyer")
        for vals in vals_list:
            changed = [
                fname
                for fname in self._b2b_managed_fields()
                if fname in vals and (not creating or vals[fname] not in unset)
            ]
            if changed:
                raise AccessError(
                    self.env._(
                        "Only sales managers can change a customer's billed party, payer, allowed "
                        "parties, approval limit or a contact's customer role (%(fields)s).",
                        fields=", ".join(self._fields[fname].string for fname in changed),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._b2b_check_managed_fields(vals_list, creating=True)
        partners = self
        if not self._b2b_can_manage_parties():
            # nor through a default passed in the context
            context_defaults = {f"default_{fname}" for fname in self._b2b_managed_fields()}
            context = {key: value for key, value in self.env.context.items() if key not in context_defaults}
            partners = self.with_env(self.env(context=context))
        return super(ResPartner, partners).create(vals_list)

    def write(self, vals):
        self._b2b_check_managed_fields([vals])
        return super().write(vals)
