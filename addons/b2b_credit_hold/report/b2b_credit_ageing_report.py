from odoo import fields, models, tools
from odoo.tools import SQL


class B2bCreditAgeingReport(models.Model):
    _name = "b2b.credit.ageing.report"
    _description = "Credit exposure and ageing by payer"
    _auto = False
    _order = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Payer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    bucket = fields.Selection(
        [
            ("0_to_invoice", "Confirmed, Not Invoiced"),
            ("1_draft", "Draft Invoices"),
            ("2_not_due", "Not Due"),
            ("3_1_30", "1-30 Days"),
            ("4_31_60", "31-60 Days"),
            ("5_61_90", "61-90 Days"),
            ("6_over_90", "Over 90 Days"),
        ],
        readonly=True,
    )
    amount = fields.Monetary(string="Exposure", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    document = fields.Char(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT aml.id * 3 AS id, aml.partner_id, aml.company_id, company.currency_id,
                           CASE WHEN aml.date_maturity >= CURRENT_DATE OR aml.date_maturity IS NULL THEN '2_not_due'
                                WHEN CURRENT_DATE - aml.date_maturity <= 30 THEN '3_1_30'
                                WHEN CURRENT_DATE - aml.date_maturity <= 60 THEN '4_31_60'
                                WHEN CURRENT_DATE - aml.date_maturity <= 90 THEN '5_61_90'
                                ELSE '6_over_90' END AS bucket,
                           aml.amount_residual AS amount,
                           GREATEST(CURRENT_DATE - aml.date_maturity, 0) AS days_overdue,
                           move.name AS document
                      FROM account_move_line aml
                      JOIN account_move move ON move.id = aml.move_id
                      JOIN account_account account ON account.id = aml.account_id
                      JOIN res_company company ON company.id = aml.company_id
                     WHERE aml.parent_state = 'posted' AND account.account_type = 'asset_receivable'
                       AND NOT aml.reconciled AND aml.partner_id IS NOT NULL
                    UNION ALL
                    SELECT so.id * 3 + 1, payer.commercial_partner_id, so.company_id, company.currency_id,
                           '0_to_invoice', so.b2b_credit_to_invoice, 0, so.name
                      FROM sale_order so
                      JOIN res_partner payer ON payer.id = so.payer_id
                      JOIN res_company company ON company.id = so.company_id
                     WHERE so.state = 'sale' AND so.b2b_credit_to_invoice > 0
                    UNION ALL
                    SELECT move.id * 3 + 2, payer.commercial_partner_id, move.company_id, company.currency_id,
                           '1_draft', move.amount_total_signed, 0, move.name
                      FROM account_move move
                      JOIN res_partner payer ON payer.id = move.payer_id
                      JOIN res_company company ON company.id = move.company_id
                     WHERE move.state = 'draft' AND move.move_type IN ('out_invoice', 'out_refund')
                )
                """,
                SQL.identifier(self._table),
            )
        )
