from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    # Odoo groups the moves of one order into one delivery (same stock reference).
    # Moves of sale lines delivered to different addresses go to different deliveries.

    def _key_assign_picking(self):
        keys = super()._key_assign_picking()
        if self.sale_line_id and self.partner_id and self.reference_ids:
            keys += (self.partner_id,)
        return keys

    def _search_picking_for_assignation_domain(self):
        domain = super()._search_picking_for_assignation_domain()
        if self.sale_line_id and self.partner_id and self.reference_ids:
            domain += [("partner_id", "=", self.partner_id.id)]
        return domain
