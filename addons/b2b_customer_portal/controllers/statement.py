"""/my/statement and /my/statement/pdf: the statement of account of the user's customer as
payer (open invoices, credit notes and unapplied payments, ageing, balance, overdue), for its
accountants and approvers. The figures are b2b_credit_hold's ageing (one definition)."""

import re

from werkzeug.exceptions import Forbidden

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import content_disposition, request

# portal roles of a customer's people who read its statement of account: those who pay
# (accountant) and commit the money (approver); buyers and viewers do not see the balance
STATEMENT_ROLES = ("accountant", "approver")
STATEMENT_REPORT = "b2b_customer_portal.action_report_b2b_statement"


class B2bStatementPortal(CustomerPortal):
    def _b2b_statement_entity(self):
        """The user's customer entity when the user may read its statement, else None."""
        partner = request.env.user.partner_id.sudo()
        if not request.env.user.share or partner.b2b_portal_role not in STATEMENT_ROLES:
            return None
        return partner.commercial_partner_id

    def _b2b_statement_filename(self, entity):
        """Statement_<payer>_<date>.pdf ("Statement" in the user's language): one file per payer
        and day in a downloads folder."""
        payer = re.sub(r"[^\w-]+", "_", entity.name or "").strip("_")
        today = fields.Date.context_today(request.env.user)
        return f"{request.env._('Statement')}_{payer}_{fields.Date.to_string(today)}.pdf"

    @http.route("/my/statement", type="http", auth="user", website=True, sitemap=False)
    def portal_my_statement(self, **kw):
        entity = self._b2b_statement_entity()
        if not entity:
            raise Forbidden()
        # the user's own entity, decided above: read in superuser mode (SQL of the ageing)
        statement = (
            request.env["report.b2b_customer_portal.report_statement"]
            .sudo()
            ._b2b_statement(entity, request.env.company)
        )
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "b2b_statement", "statement": statement})
        return request.render("b2b_customer_portal.portal_my_statement", values)

    @http.route("/my/statement/pdf", type="http", auth="user", website=True, sitemap=False)
    def portal_my_statement_pdf(self, **kw):
        entity = self._b2b_statement_entity()
        if not entity:
            raise Forbidden()
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(request.env.company)
            ._render_qweb_pdf(STATEMENT_REPORT, entity.ids)
        )
        filename = self._b2b_statement_filename(entity)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
