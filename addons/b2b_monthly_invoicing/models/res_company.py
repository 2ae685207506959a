from odoo import fields, models
from odoo.tools import format_amount


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_invoicing_post = fields.Boolean(
        string="Post and Send Summary Invoices",
        help="Invoicing runs post and email the invoices they create; otherwise they stay drafts for review.",
    )
    b2b_french_legal_checks = fields.Boolean(
        string="French Legal Checks",
        default=True,
        help="Refuse to post customer invoices whose payment delay exceeds the limits of article L441-10 "
        "of the French Commercial Code, or whose customer has no postal address (companies in France only).",
    )
    b2b_late_penalty_rate = fields.Char(
        string="Late Payment Penalty Rate",
        translate=True,
        help="Printed on invoices (mandatory mention): the rate of late payment penalties. "
        "Empty: three times the French legal interest rate.",
    )
    b2b_early_payment_discount = fields.Char(
        string="Early Payment Discount",
        translate=True,
        help="Printed on invoices (mandatory mention): the discount for early payment. Empty: none.",
    )
    b2b_legal_form = fields.Char(
        string="Legal Form",
        help="Printed on every document with the share capital (e.g. SAS, SARL): a mandatory mention in France.",
    )
    b2b_share_capital = fields.Monetary(
        string="Share Capital",
        help="Printed on every document after the legal form (French Commercial Code, art. R123-238).",
    )
    b2b_rcs_city = fields.Char(
        string="RCS City",
        help="City of the trade and companies register (RCS) the company is registered with, printed as "
        "'RCS <city> <SIREN>' on every document.",
    )

    def _b2b_legal_mentions(self):
        """The seller's identity as French invoices must show it, one mention a part: name, legal
        form and share capital, postal address, SIREN, SIRET, RCS and VAT number. Parts the company
        has not filled in are left out (never an empty part)."""
        self.ensure_one()
        partner = self.partner_id
        mentions = [self.name]
        capital = self.b2b_share_capital and format_amount(
            self.env, self.b2b_share_capital, self.currency_id, trailing_zeroes=False
        )
        if self.b2b_legal_form and capital:
            mentions.append(
                self.env._(
                    "%(legal_form)s with a share capital of %(capital)s",
                    legal_form=self.b2b_legal_form,
                    capital=capital,
                )
            )
        elif self.b2b_legal_form:
            mentions.append(self.b2b_legal_form)
        elif capital:
            mentions.append(self.env._("Share capital of %(capital)s", capital=capital))
        address = partner._b2b_address_inline()
        if address:
            mentions.append(address)
        siren = partner._b2b_siren()
        siret = "".join(ch for ch in (self.company_registry or "") if ch.isdigit())
        if siren:
            mentions.append(f"SIREN {siren}")
        if len(siret) == 14:
            mentions.append(f"SIRET {siret}")
        if siren and self.b2b_rcs_city:
            mentions.append(f"RCS {self.b2b_rcs_city} {siren}")
        if self.vat:
            mentions.append(self.env._("VAT number %(vat)s", vat=self.vat))
        return mentions
