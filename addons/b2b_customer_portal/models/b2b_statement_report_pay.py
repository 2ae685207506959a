# pylint: disable=consider-merging-classes-inherited
"""The statement of account shows what the customer disputes and offers to pay every open
invoice at once (issue 15)."""

from odoo import api, models

from .b2b_invoice_dispute import B2B_DISPUTE_ACTIVE_STATES
from .b2b_statement_report import OVERDUE_BUCKETS

# open documents "Pay all open" selects at most (the selection's payment page pays 200)
STATEMENT_PAY_MAX = 200


class B2bStatementReport(models.AbstractModel):
    _inherit = "report.b2b_customer_portal.report_statement"

    @api.model
    def _b2b_statement(self, entity, company):
        """Adds to each item its ``disputed`` amount (open disputes, company currency), the
        statement's ``disputed`` total, ``overdue_disputed`` (disputed on overdue items, with
        ``overdue_counts_disputed``: whether ``overdue`` includes them) and
        ``pay_all``: one "Pay all open" per currency, [{'currency', 'amount', 'move_ids'}]
        (the company's currency first), each the open invoices and credit notes of that
        currency that leave something to pay (due less disputes), by due date, none when the
        balance asks nothing (credits and unapplied payments cover it). A number of queries
        that does not grow with the items."""
        statement = super()._b2b_statement(entity, company)
        document_ids = list(
            dict.fromkeys(
                item["move_id"] for item in statement["items"] if item["move_type"] in ("out_invoice", "out_refund")
            )
        )
        Move = self.env["account.move"].sudo()
        disputed = {
            move.id: amount
            for move, amount in self.env["b2b.invoice.dispute"]
            .sudo()
            ._read_group(
                [("move_id", "in", document_ids), ("state", "in", B2B_DISPUTE_ACTIVE_STATES)],
                ["move_id"],
                ["amount:sum"],
            )
        }
        moves = Move.search_fetch(
            [("id", "in", document_ids)],
            ["currency_id", "move_type", "amount_residual", "amount_total", "amount_total_signed"],
        )
        moves.currency_id.mapped("rounding")
        company_disputed = {}
        for move in moves:
            if move.id in disputed and move.amount_total:
                # in the company's currency at the invoice's own rate, as the overdue rule counts it
                rate = abs(move.amount_total_signed) / move.amount_total
                company_disputed[move.id] = company.currency_id.round(
                    min(disputed[move.id], move.amount_residual) * rate
                )
        for item in statement["items"]:
            item["disputed"] = company_disputed.get(item["move_id"], 0.0)
        statement["disputed"] = sum(company_disputed.values())
        statement["overdue_disputed"] = sum(
            company_disputed.get(move_id, 0.0)
            for move_id in {item["move_id"] for item in statement["items"] if item["bucket"] in OVERDUE_BUCKETS}
        )
        # whether the overdue figure counts the disputed amounts (the company's overdue rule)
        statement["overdue_counts_disputed"] = not company.sudo().b2b_dispute_excluded_from_overdue
        statement["pay_all"] = []
        if company.currency_id.compare_amounts(statement["balance"], 0.0) <= 0:
            # nothing owed: credit notes and unapplied payments cover what is open
            return statement
        order = {move_id: index for index, move_id in enumerate(document_ids)}
        by_currency = {}
        for move in moves.sorted(lambda move: order[move.id]):
            currency = move.currency_id
            if move.move_type == "out_refund":
                amount = -move.amount_residual
            else:
                amount = currency.round(move.amount_residual - min(disputed.get(move.id, 0.0), move.amount_residual))
                if currency.compare_amounts(amount, 0.0) <= 0:
                    # wholly disputed: nothing of it is asked
                    continue
            group = by_currency.setdefault(currency, {"currency": currency, "amount": 0.0, "move_ids": []})
            if len(group["move_ids"]) < STATEMENT_PAY_MAX:
                group["move_ids"].append(move.id)
                group["amount"] += amount
        statement["pay_all"] = sorted(
            (group for group in by_currency.values() if group["currency"].compare_amounts(group["amount"], 0.0) > 0),
            key=lambda group: (group["currency"] != company.currency_id, group["currency"].name),
        )
        return statement
