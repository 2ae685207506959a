from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# buckets of b2b_credit_hold's ageing report that make up a statement of account (open
# receivable items); the others are exposure not invoiced yet
STATEMENT_BUCKETS = ("2_not_due", "3_1_30", "4_31_60", "5_61_90", "6_over_90")
OVERDUE_BUCKETS = ("3_1_30", "4_31_60", "5_61_90", "6_over_90")


class B2bStatementReport(models.AbstractModel):
    """Statement of account of a payer: its open receivable items (invoices, credit notes,
    unapplied payments) with their ageing, read from b2b_credit_hold's ageing report (the one
    definition of the buckets), for the portal page, its PDF and the back office's email."""

    _name = "report.b2b_customer_portal.report_statement"
    _description = "Statement of Account"

    @api.model
    def _b2b_statement(self, entity, company):
        """{'entity', 'company', 'currency', 'date', 'items', 'buckets', 'balance', 'overdue',
        'unapplied'} of ``entity`` (a commercial entity, as payer) in ``company``, in a number
        of queries that does not grow with the items: ``overdue`` is the credit control's
        (``res.partner._b2b_credit_figures``), ``unapplied`` the payments not yet matched to
        invoices (a positive amount). Callers decide who may read it: this reads in SQL."""
        entity = entity.commercial_partner_id
        entity._b2b_flush_exposure_sources()
        Ageing = self.env["b2b.credit.ageing.report"]
        ageing = SQL(
            """
            SELECT ageing.id / 3 AS line_id, ageing.bucket, ageing.amount, ageing.days_overdue
              FROM %(view)s ageing
             WHERE ageing.partner_id = %(entity)s AND ageing.company_id = %(company)s
               AND ageing.bucket IN %(buckets)s
            """,
            view=SQL.identifier(Ageing._table),
            entity=entity.id,
            company=company.id,
            buckets=STATEMENT_BUCKETS,
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT move.id, move.name, move.move_type, move.ref, move.invoice_date, aml.date,
                       aml.date_maturity, ageing.bucket, ageing.amount, ageing.days_overdue,
                       move.origin_payment_id IS NOT NULL OR move.statement_line_id IS NOT NULL AS is_payment
                  FROM (%(ageing)s) ageing
                  JOIN account_move_line aml ON aml.id = ageing.line_id
                  JOIN account_move move ON move.id = aml.move_id
                 ORDER BY aml.date_maturity NULLS FIRST, aml.date, aml.id
                """,
                ageing=ageing,
            )
        )
        kinds = {
            "out_invoice": self.env._("Invoice"),
            "out_refund": self.env._("Credit Note"),
            "out_receipt": self.env._("Receipt"),
        }
        items, unapplied = [], 0.0
        for (
            move_id,
            name,
            move_type,
            ref,
            invoice_date,
            date,
            due,
            bucket,
            amount,
            days,
            is_payment,
        ) in self.env.cr.fetchall():
            if move_type in kinds:
                kind = kinds[move_type]
            elif is_payment or amount < 0:
                kind = self.env._("Unapplied Payment")
                unapplied -= amount
            else:
                kind = self.env._("Other")
            items.append(
                {
                    "move_id": move_id,
                    "move_type": move_type,
                    "name": name,
                    "kind": kind,
                    "ref": ref or "",
                    "date": invoice_date or date,
                    "date_maturity": due,
                    "bucket": bucket,
                    "amount": amount,
                    "days_overdue": days,
                }
            )
        self.env.cr.execute(
            SQL(
                "SELECT ageing.bucket, SUM(ageing.amount) FROM (%(ageing)s) ageing GROUP BY ageing.bucket",
                ageing=ageing,
            )
        )
        totals = {bucket: amount or 0.0 for bucket, amount in self.env.cr.fetchall()}
        labels = dict(Ageing._fields["bucket"]._description_selection(self.env))
        buckets = [
            {"key": bucket, "label": labels[bucket], "amount": totals.get(bucket, 0.0)} for bucket in STATEMENT_BUCKETS
        ]
        # the credit control's own overdue figure (one definition: the /my credit card shows
        # it too), which leaves out what the company's overdue rule does not count (disputes)
        figures = entity._b2b_credit_figures(company)[entity.id]
        return {
            "entity": entity,
            "company": company,
            "currency": company.currency_id,
            "date": fields.Date.context_today(self),
            "items": items,
            "buckets": buckets,
            "balance": sum(totals.values()),
            "overdue": figures["overdue"],
            "unapplied": unapplied,
        }

    @api.model
    def _b2b_check_statement_access(self, partners):
        """The report reads in SQL: Odoo's report routes render it as the user, so only
        billing users, and a customer's accountants and approvers for their own entity, may."""
        user = self.env.user
        if self.env.su or user.has_group("account.group_account_invoice"):
            return
        contact = user.partner_id.sudo()
        if (
            user.share
            and contact.b2b_portal_role in ("accountant", "approver")
            and partners.commercial_partner_id == contact.commercial_partner_id
        ):
            return
        raise AccessError(self.env._("You are not allowed to read this statement of account."))

    @api.model
    def _b2b_action_send_statement(self, partners):
        """Send Statement (back office): email the statement template with its PDF to the
        customer's entity, logged in its chatter. Billing users only (the server action's
        group, checked again here); they may not write on customers, so the message is posted
        in superuser mode once that is decided, authored by the user."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("You are not allowed to read this statement of account."))
        entity = partners.commercial_partner_id
        entity.ensure_one()
        template = self.env.ref("b2b_customer_portal.mail_template_b2b_statement")
        entity.sudo().message_post_with_source(
            template,
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Statement of account sent to %(customer)s.", customer=entity.display_name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        self._b2b_check_statement_access(partners)
        company = self.env.company
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": {partner.id: self._b2b_statement(partner, company) for partner in partners},
        }
