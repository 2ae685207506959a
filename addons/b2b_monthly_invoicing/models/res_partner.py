import calendar

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_invoicing_policy = fields.Selection(
        [("per_order", "Per Order"), ("monthly", "Monthly Summary")],
        string="Invoicing Policy",
        company_dependent=True,
        help="Per Order: invoiced order by order, as Odoo does. Monthly Summary: everything invoiceable "
        "is invoiced at the monthly cut-off, in one invoice per billed party and payer.",
    )
    b2b_invoicing_day = fields.Integer(
        string="Cut-off Day",
        company_dependent=True,
        help="Day of the month of the summary invoice (1-31). Empty, or past the month's end: the last day.",
    )

    def _b2b_cutoff_in_month(self, day):
        """The cut-off date of this customer entity in the month of ``day``."""
        self.ensure_one()
        last = calendar.monthrange(day.year, day.month)[1]
        wanted = self.b2b_invoicing_day or last
        return day.replace(day=min(max(wanted, 1), last))

    def _b2b_siren(self):
        """The French SIREN of this entity when known (from its SIRET or its VAT number)."""
        entity = self.commercial_partner_id
        registry = "".join(ch for ch in (entity.company_registry or "") if ch.isdigit())
        if len(registry) in (9, 14):
            return registry[:9]
        vat = (entity.vat or "").replace(" ", "").upper()
        if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
            return vat[4:]
        return False

    def _b2b_address_inline(self):
        """This partner's postal address on one line, without its name and without empty parts
        (never ", , 69002 Lyon")."""
        self.ensure_one()
        lines = self._display_address(without_company=True).splitlines()
        return ", ".join(part for part in (line.strip(" ,") for line in lines) if part)

    def _get_suggested_invoice_edi_format(self):
        # EXTENDS 'account': invoices of a French company to French customers are Factur-X PDFs
        # (the CII XML embedded in a PDF/A-3), the format of the French e-invoicing reform.
        if self.commercial_partner_id.country_code == "FR" and self.env.company.account_fiscal_country_id.code == "FR":
            return "facturx"
        return super()._get_suggested_invoice_edi_format()
