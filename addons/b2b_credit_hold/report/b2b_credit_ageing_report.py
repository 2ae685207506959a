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
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT lines.id, lines.partner_id, lines.company_id, company.currency_id,
                           CASE WHEN lines.kind = 'to_invoice' THEN '0_to_invoice'
                                WHEN lines.kind = 'draft' THEN '1_draft'
                                WHEN lines.date_maturity >= CURRENT_DATE OR lines.date_maturity IS NULL THEN '2_not_due'
                                WHEN CURRENT_DATE - lines.date_maturity <= 30 THEN '3_1_30'
                                WHEN CURRENT_DATE - lines.date_maturity <= 60 THEN '4_31_60'
                                WHEN CURRENT_DATE - lines.date_maturity <= 90 THEN '5_61_90'
                                ELSE '6_over_90' END AS bucket,
                           lines.amount,
                           COALESCE(GREATEST(CURRENT_DATE - lines.date_maturity, 0), 0) AS days_overdue,
                           lines.document
                      FROM (%(lines)s) lines
                      JOIN res_company company ON company.id = lines.company_id
                )
                """,
                table=SQL.identifier(self._table),
                lines=self.env["res.partner"]._b2b_exposure_lines_sql(),
            )
        )
