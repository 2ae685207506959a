"""Install into a database with history: the new stored columns of large tables are
created and filled here, in SQL, with the values their computes would give, so that the
ORM finds them filled and does not recompute every existing order and invoice in Python
(it only computes a new stored field whose column it has to create)."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# At install no customer has a default billed party or payer yet (company-dependent fields
# of this addon), so the payer cascade gives the billed party's commercial entity.


def _add_column(cr, table, column, column_type, comment):
    """Create the column unless it exists; return whether it was created."""
    if column_exists(cr, table, column):
        return False
    create_column(cr, table, column, column_type, comment)
    return True


def fill_order_payer(cr):
    """Existing orders: payer = commercial entity of the billed party (else of the customer)."""
    if not _add_column(cr, "sale_order", "payer_id", "int4", "Payer"):
        return
    cr.execute(
        SQL(
            """
            UPDATE sale_order o
               SET payer_id = COALESCE(billed.commercial_partner_id, billed.id)
              FROM res_partner customer, res_partner billed
             WHERE customer.id = o.partner_id
               AND billed.id = COALESCE(o.partner_invoice_id, customer.commercial_partner_id, customer.id)
            """
        )
    )


def fill_order_approval_state(cr):
    """Existing orders need no customer approval: no customer has an approval limit yet."""
    if _add_column(cr, "sale_order", "b2b_approval_state", "varchar", "Customer Approval"):
        cr.execute(SQL("UPDATE sale_order SET b2b_approval_state = 'not_required'"))


def fill_invoice_payer(cr):
    """Existing customer invoices, credit notes and receipts: payer = the invoiced commercial
    entity, the partner their receivable lines already carry."""
    if not _add_column(cr, "account_move", "payer_id", "int4", "Payer"):
        return
    cr.execute(
        SQL(
            """
            UPDATE account_move move
               SET payer_id = COALESCE(partner.commercial_partner_id, partner.id)
              FROM res_partner partner
             WHERE partner.id = move.partner_id
               AND move.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
            """
        )
    )


def fill_invoice_ordering_partner(cr):
    """Existing invoices of orders: the ordering contact is the customer of the (first)
    order they invoice, as the addon sets it when invoicing an order."""
    if not _add_column(cr, "account_move", "b2b_ordering_partner_id", "int4", "Ordered By"):
        return
    cr.execute(
        SQL(
            """
            UPDATE account_move move
               SET b2b_ordering_partner_id = first_order.partner_id
              FROM (
                    SELECT DISTINCT ON (aml.move_id) aml.move_id, so.partner_id
                      FROM sale_order_line_invoice_rel rel
                      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id
                      JOIN sale_order so ON so.id = sol.order_id
                  ORDER BY aml.move_id, so.id
                   ) first_order
             WHERE first_order.move_id = move.id
               AND move.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
            """
        )
    )


def pre_init_hook(env):
    cr = env.cr
    fill_order_payer(cr)
    fill_order_approval_state(cr)
    fill_invoice_payer(cr)
    fill_invoice_ordering_partner(cr)
