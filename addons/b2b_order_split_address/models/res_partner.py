from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_site_label = fields.Char(
        string="Site",
        compute="_compute_b2b_site_label",
        help="Short name of an address within its customer (its own name, else its reference), so "
        "that the sites of one customer can be told apart in narrow columns.",
    )

    @api.depends("name", "ref", "parent_id", "is_company", "type")
    def _compute_b2b_site_label(self):
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.b2b_site_label = partner.name or partner.ref or partner.display_name
            else:
                partner.b2b_site_label = partner.name or partner.ref

    @api.depends("name", "ref", "parent_id", "is_company", "type")
    @api.depends_context("b2b_site_label")
    def _compute_display_name(self):  # pylint: disable=missing-return
        """With ``b2b_site_label`` in the context (set on the delivery address fields of order
        lines and invoice lines), an address of a customer shows its short site label instead of
        "Customer, Site": display only."""
        super()._compute_display_name()
        if not self.env.context.get("b2b_site_label"):
            return
        for partner in self:
            if partner.parent_id and not partner.is_company and (partner.name or partner.ref):
                partner.display_name = partner.b2b_site_label
