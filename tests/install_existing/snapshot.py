"""What must not change when the addons are installed on a company's history (run inside
`odoo shell`): the posted invoices as issued (numbers, amounts, lines, hash and
sequence, stored mentions and the PDF issued) and the taxes of confirmed order lines. Standard columns only, read in
SQL, so the same script runs before and after the install.

Writes JSON to the file named by B2B_SNAPSHOT_FILE."""

import json
import os

env.cr.execute(  # noqa: F821
    """
    SELECT move.id, move.name, move.state, move.move_type, move.partner_id, move.invoice_date::text,
           move.amount_untaxed::text, move.amount_tax::text, move.amount_total::text,
           move.amount_residual::text, move.payment_state, move.inalterable_hash,
           move.secure_sequence_number, move.narration::text, move.ref, move.invoice_origin,
           move.payment_reference, move.invoice_payment_term_id, move.partner_shipping_id,
           move.partner_bank_id, move.fiscal_position_id,
           (SELECT att.checksum FROM ir_attachment att
             WHERE att.res_model = 'account.move' AND att.res_id = move.id
               AND att.res_field = 'invoice_pdf_report_file') AS pdf_checksum
      FROM account_move move
     WHERE move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
  ORDER BY move.id
    """
)
columns = [d[0] for d in env.cr.description]  # noqa: F821
moves = {str(row[0]): dict(zip(columns, row, strict=True)) for row in env.cr.fetchall()}  # noqa: F821
env.cr.execute(  # noqa: F821
    """
    SELECT aml.move_id, aml.id, aml.name, aml.display_type, aml.account_id, aml.partner_id,
           aml.product_id, aml.quantity::text, aml.price_unit::text, aml.debit::text, aml.credit::text,
           aml.balance::text, aml.tax_line_id,
           ARRAY(SELECT rel.account_tax_id FROM account_move_line_account_tax_rel rel
                  WHERE rel.account_move_line_id = aml.id ORDER BY 1)
      FROM account_move_line aml
      JOIN account_move move ON move.id = aml.move_id
     WHERE move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
  ORDER BY aml.move_id, aml.id
    """
)
for row in env.cr.fetchall():  # noqa: F821
    moves[str(row[0])].setdefault("lines", []).append(list(row[1:]))

env.cr.execute(  # noqa: F821
    """
    SELECT line.id,
           ARRAY(SELECT rel.account_tax_id FROM account_tax_sale_order_line_rel rel
                  WHERE rel.sale_order_line_id = line.id ORDER BY 1),
           line.price_total::text, line.qty_invoiced::text, line.qty_delivered::text
      FROM sale_order_line line
      JOIN sale_order so ON so.id = line.order_id
     WHERE so.state = 'sale'
  ORDER BY line.id
    """
)
order_lines = {str(row[0]): list(row[1:]) for row in env.cr.fetchall()}  # noqa: F821


with open(os.environ["B2B_SNAPSHOT_FILE"], "w", encoding="utf-8") as out:
    json.dump({"moves": moves, "order_lines": order_lines}, out, indent=0, sort_keys=True)
