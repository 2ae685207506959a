from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    payer_id = fields.Many2one(
        "res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index="btree_not_null",
        help="Entity that pays this invoice (tiers payeur). The receivable lines belong to its "
        "commercial entity, so its payments reconcile with them.",
    )
    b2b_ordering_partner_id = fields.Many2one(
        "res.partner",
        string="Ordered By",
        index="btree_not_null",
        help="Contact or department that placed the order invoiced here.",
    )
    b2b_show_payer = fields.Boolean(compute="_compute_b2b_show_payer")

    @api.depends("partner_id", "move_type", "company_id")
    def _compute_payer_id(self):
        for move in self:
            if not move.partner_id or not move.is_sale_document(include_receipts=True):
                move.payer_id = False
                continue
            entity = move.with_company(move.company_id).partner_id.commercial_partner_id
            move.payer_id = entity._b2b_default_payer(entity)

    @api.depends("payer_id", "commercial_partner_id")
    def _compute_b2b_show_payer(self):
        for move in self:
            move.b2b_show_payer = bool(move.payer_id) and (
                move.payer_id.commercial_partner_id != move.commercial_partner_id
            )

    def _b2b_receivable_partner(self):
        """Partner of the receivable (payment term) lines: the payer's commercial entity."""
        self.ensure_one()
        if self.payer_id and self.is_sale_document(include_receipts=True):
            return self.payer_id.commercial_partner_id
        return self.commercial_partner_id

    @api.constrains("payer_id", "partner_id")
    def _check_b2b_payer(self):
        for move in self.filtered(lambda m: m.payer_id and m.is_sale_document(include_receipts=True)):
            entity = move.with_company(move.company_id).commercial_partner_id
            # Payers allowed for the customers who ordered are allowed on their invoice too.
            customers = move.line_ids.sale_line_ids.order_id.partner_id.commercial_partner_id
            if any(
                move.payer_id.commercial_partner_id in customer._b2b_allowed_payer_entities(move.partner_id)
                for customer in customers.with_company(move.company_id)
            ):
                continue
            entity._b2b_check_payer(move.payer_id, move.partner_id)

    def write(self, vals):
        if "payer_id" in vals and any(move.state != "draft" and move.payer_id.id != vals["payer_id"] for move in self):
            raise UserError(self.env._("The payer of a posted or cancelled invoice cannot be changed."))
        return super().write(vals)

    @contextmanager
    def _sync_invoice(self, container):
        # Odoo puts the invoice's commercial partner on every line; the receivable lines
        # belong to the payer instead, so aged receivables, statements and payments are
        # the payer's.
        with super()._sync_invoice(container):
            yield
        for move in container["records"]:
            if move.state != "draft" or not move.is_sale_document(include_receipts=True):
                continue
            partner = move._b2b_receivable_partner()
            term_lines = move.line_ids.filtered(
                lambda line, partner=partner: line.display_type == "payment_term" and line.partner_id != partner
            )
            if term_lines:
                term_lines.partner_id = partner

    def _message_add_default_recipients(self):
        # The invoice email goes to the billed party (Odoo's default) and also to the
        # payer's invoicing contact.
        res = super()._message_add_default_recipients()
        for move in self:
            if move.id in res and move.b2b_show_payer:
                payer_contact = move.payer_id.browse(move.payer_id.address_get(["invoice"])["invoice"])
                res[move.id]["partners"] |= payer_contact
        return res

    def _b2b_ordering_partners(self):
        """Every contact who ordered what this invoice bills (several when orders are grouped)."""
        self.ensure_one()
        return self.b2b_ordering_partner_id | self.invoice_line_ids.sale_line_ids.order_id.partner_id
