from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _b2b_overdue_excluded_sql(self, company):
        """SQL of rows (move_id, amount in company currency) that the overdue rule of
        ``company`` does not count on a customer invoice (amounts held back, e.g. disputed),
        or None when nothing is excluded. Read by res.partner._b2b_credit_figures."""
        return None
