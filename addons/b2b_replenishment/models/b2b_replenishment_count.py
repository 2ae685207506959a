from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bReplenishmentCount(models.Model):
    """A quantity on hand at a customer's site, declared by its buyer (portal) or the back
    office. The latest count of a site and product is projected forward by its consumption."""

    _name = "b2b.replenishment.count"
    _description = "On-hand count at a customer site"
    _order = "date desc, id desc"
    _rec_name = "product_id"

    _site_product_date_index = models.Index("(partner_shipping_id, product_id, date DESC, id DESC)")

    partner_shipping_id = fields.Many2one(
        "res.partner", string="Site", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="partner_shipping_id.commercial_partner_id",
        store=True,
        index=True,
    )
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", readonly=True)
    quantity = fields.Float(string="On Hand", digits="Product Unit", required=True, readonly=True)
    date = fields.Datetime(string="Counted On", required=True, default=fields.Datetime.now, readonly=True)
    declared_by_id = fields.Many2one("res.users", required=True, readonly=True)
    source = fields.Selection([("portal", "Portal"), ("backoffice", "Back Office")], required=True, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # who declared and where are facts of the request, never input
        user = self.env.user
        for vals in vals_list:
            vals["declared_by_id"] = user.id
            vals["source"] = "portal" if user.share else "backoffice"
        return super().create(vals_list)

    @api.constrains("quantity", "date", "partner_shipping_id")
    def _check_count(self):
        now = fields.Datetime.now()
        for count in self:
            if count.quantity < 0:
                raise ValidationError(self.env._("An on-hand quantity cannot be negative."))
            if count.date > now:
                raise ValidationError(self.env._("An on-hand count cannot be dated in the future."))
            if count.partner_shipping_id.is_company or count.partner_shipping_id.type != "delivery":
                raise ValidationError(
                    self.env._("%(site)s is not a delivery site.", site=count.partner_shipping_id.display_name)
                )
