# pylint: disable=consider-merging-classes-inherited
"""The statement of account shows what the customer disputes and offers to pay every open
invoice at once (issue 15)."""

from odoo import api, models

from .b2b_invoice_dispute import B2B_DISPUTE_ACTIVE_STATES

# open documents "Pay all open" selects at most (the selection's payment page pays 200)
STATEMENT_PAY_MAX = 200


class B2bStatementReport(models.AbstractModel):
    _inherit = "report.b2b_customer_portal.report_statement"

    @api.model
    def _b2b_statement(self, entity, company):
        """Adds to each item its ``disputed`` amount (open disputes, invoice currency), the
        statement's ``disputed`` total and ``payable_move_ids``: the open invoices and credit
        notes that "Pay all open" selects. One more query, whatever the number of items."""
        statement = super()._b2b_statement(entity, company)
        move_ids = [item["move_id"] for item in statement["items"]]
        disputed = dict(
            self.env["b2b.invoice.dispute"]
            .sudo()
            ._read_group(
                [("move_id", "in", move_ids), ("state", "in", B2B_DISPUTE_ACTIVE_STATES)],
                ["move_id"],
                ["amount:sum"],
            )
        )
        disputed = {move.id: amount for move, amount in disputed.items()}
        for item in statement["items"]:
            item["disputed"] = disputed.get(item["move_id"], 0.0)
        statement["disputed"] = sum(disputed.values())
        kinds = (self.env._("Invoice"), self.env._("Credit Note"))
        # the first ones by due date, as many as one payment settles (the link carries their ids)
        payable_ids = list(dict.fromkeys(item["move_id"] for item in statement["items"] if item["kind"] in kinds))[
            :STATEMENT_PAY_MAX
        ]
        # "Pay all open" only when its payment asks for something: not when everything open is
        # disputed or settled by credit notes (one query, per currency and kind of document)
        due = {}
        for currency, move_type, residual in (
            self.env["account.move"]
            .sudo()
            ._read_group([("id", "in", payable_ids)], ["currency_id", "move_type"], ["amount_residual:sum"])
        ):
            sign = -1 if move_type == "out_refund" else 1
            due[currency] = due.get(currency, 0.0) + sign * residual
        if len(due) == 1:
            [(currency, amount)] = due.items()
            amount -= sum(disputed.get(move_id, 0.0) for move_id in payable_ids)
            if currency.compare_amounts(amount, 0.0) <= 0:
                payable_ids = []
        statement["payable_move_ids"] = payable_ids
        return statement
