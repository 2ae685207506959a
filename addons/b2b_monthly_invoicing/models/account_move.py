from num2words import CONVERTER_CLASSES

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

END_OF_MONTH_DELAYS = ("days_after_end_of_month", "days_after_end_of_next_month", "days_end_of_month_on_the")


class AccountMove(models.Model):
    _inherit = "account.move"

    b2b_summary_invoice = fields.Boolean(
        string="Summary Invoice",
        readonly=True,
        copy=False,
        help="Periodic invoice of everything delivered up to a cut-off (facture récapitulative).",
    )
    b2b_invoicing_run_id = fields.Many2one(
        "b2b.invoicing.run", string="Invoicing Run", readonly=True, copy=False, index="btree_not_null"
    )
    b2b_delivery_picking_ids = fields.Many2many(
        "stock.picking", string="Delivery Notes", compute="_compute_b2b_delivery_picking_ids"
    )
    b2b_delivery_note_names = fields.Char(
        string="Delivery Notes Covered",
        compute="_compute_b2b_delivery_picking_ids",
        help="Printed on the invoice for whoever may read it, even without access to the orders or deliveries.",
    )

    @api.depends("invoice_line_ids.sale_line_ids", "invoice_date", "b2b_summary_invoice", "partner_id.lang")
    def _compute_b2b_delivery_picking_ids(self):
        for move in self:
            # a summary invoice covers the deliveries up to its cut-off, its invoice date
            cutoff = move.invoice_date if move.b2b_summary_invoice else None
            # whoever reads the invoice reads which deliveries it covers, whatever the Sales and
            # Stock rules let him see of the orders (as Odoo's invoice origin names the orders).
            # Searched, not read through the lines: relations read by a restricted user are
            # cached filtered by his rules, even for a later read as superuser.
            if move._origin:
                orders = (
                    self.env["sale.order"].sudo().search([("order_line.invoice_lines.move_id", "=", move._origin.id)])
                )
            else:
                orders = move.sudo().invoice_line_ids.sale_line_ids.order_id
            pickings = orders._b2b_delivered_pickings(cutoff).sorted("date_done")
            move.b2b_delivery_picking_ids = pickings
            # each note dated in the invoice's language, on its day in the company's time zone
            lang = move.partner_id.lang or self.env.lang
            env = move.with_context(tz=move.company_id.partner_id.tz or self.env.user.tz or "UTC").env
            move.b2b_delivery_note_names = ", ".join(
                f"{picking.name} ({format_date(env, picking.date_done, lang_code=lang)})" for picking in pickings
            )

    def _b2b_amount_in_words(self):
        """The total in words, in the document's language (the customer's) with that language's
        own currency words: "mille deux cents euros et cinquante centimes", in lower case."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang or "en_US"
        currency = self.currency_id
        amount = self.amount_total
        converter = CONVERTER_CLASSES.get(lang) or CONVERTER_CLASSES.get(lang.split("_")[0])
        if not converter or currency.name not in converter.CURRENCY_FORMS:
            # a language or currency num2words has no words for: Odoo's own wording
            return currency.with_context(lang=lang).amount_to_text(amount)
        units = int(amount)
        if currency.is_zero(amount - units):
            unit_forms = converter.CURRENCY_FORMS[currency.name][0]
            return f"{converter.to_cardinal(units)} {converter.pluralize(units, unit_forms)}"
        return converter.to_currency(currency.round(amount), currency=currency.name)

    # ------------------------------------------------------------------
    # French payment delays (Code de commerce, art. L441-10)
    # ------------------------------------------------------------------
    def _b2b_payment_delay_error(self):
        """The legal rule this invoice's payment delay breaks, or False."""
        self.ensure_one()
        company = self.company_id
        if (
            not company.b2b_french_legal_checks
            or company.account_fiscal_country_id.code != "FR"
            or self.move_type != "out_invoice"
            or not self.invoice_date
            or not self.invoice_date_due
        ):
            return False
        days = (self.invoice_date_due - self.invoice_date).days
        if self.b2b_summary_invoice and days > 45:
            return self.env._(
                "The payment delay of summary invoice %(invoice)s is %(days)s days: for periodic invoices it may "
                "not exceed 45 days from the invoice date (French Commercial Code, art. L441-10 I).",
                invoice=self.name,
                days=days,
            )
        term_lines = self.invoice_payment_term_id.line_ids
        end_of_month = term_lines.filtered(lambda line: line.delay_type in END_OF_MONTH_DELAYS)
        if end_of_month and max(end_of_month.mapped("nb_days")) > 45:
            return self.env._(
                "Payment term %(term)s of invoice %(invoice)s exceeds 45 days end of month, the maximum agreed "
                "delay (French Commercial Code, art. L441-10 I).",
                term=self.invoice_payment_term_id.name,
                invoice=self.name,
            )
        if not end_of_month and days > 60:
            return self.env._(
                "The payment delay of invoice %(invoice)s is %(days)s days: it may not exceed 60 days from the "
                "invoice date (French Commercial Code, art. L441-10 I).",
                invoice=self.name,
                days=days,
            )
        return False

    def _b2b_customer_address_error(self):
        """Why this customer document may not be posted without the customer's postal address, or
        False. The address is a mandatory mention of French invoices between professionals (French
        Commercial Code, art. L441-9, which governs sales to a business: the customer is a company)
        and of their Factur-X (EN 16931 BR-10 and BR-11: buyer postal address and country)."""
        self.ensure_one()
        company = self.company_id
        if (
            not company.b2b_french_legal_checks
            or company.account_fiscal_country_id.code != "FR"
            or self.move_type not in ("out_invoice", "out_refund")
            or not self.commercial_partner_id.is_company
        ):
            return False
        partner = self.partner_id
        if (partner.street or partner.street2) and partner.zip and partner.city and partner.country_id:
            return False
        return self.env._(
            "%(document)s cannot be posted: customer %(customer)s has no complete postal address (street, zip, "
            "city and country), a mandatory mention of invoices (French Commercial Code, art. L441-9).",
            document=self.display_name,
            customer=partner.display_name,
        )

    def _post(self, soft=True):
        for move in self:
            error = move._b2b_payment_delay_error() or move._b2b_customer_address_error()
            if error:
                raise UserError(error)
        return super()._post(soft=soft)
