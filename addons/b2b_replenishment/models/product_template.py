from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_replenishment_rule_count = fields.Integer(
        string="Replenishment Rules", compute="_compute_b2b_replenishment_rule_count"
    )

    def _compute_b2b_replenishment_rule_count(self):
        groups = self.env["b2b.replenishment.rule"]._read_group(
            [("product_id.product_tmpl_id", "in", self.ids)], ["product_id"], ["__count"]
        )
        counts = {}
        for product, count in groups:
            counts[product.product_tmpl_id.id] = counts.get(product.product_tmpl_id.id, 0) + count
        for template in self:
            template.b2b_replenishment_rule_count = counts.get(template.id, 0)

    def action_b2b_view_replenishment_rules(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_replenishment.b2b_replenishment_rule_action")
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        return action
