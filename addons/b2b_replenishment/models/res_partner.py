from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_replenishment_rule_count = fields.Integer(
        string="Replenishment Rules", compute="_compute_b2b_replenishment_rule_count"
    )

    def _compute_b2b_replenishment_rule_count(self):
        groups = self.env["b2b.replenishment.rule"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.b2b_replenishment_rule_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_b2b_view_replenishment_rules(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_replenishment.b2b_replenishment_rule_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
