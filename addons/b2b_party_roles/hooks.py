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


def _add_column_with_value(cr, table, column, column_type, comment, value):
    """Create the column holding ``value`` in every existing row, without writing the rows:
    PostgreSQL keeps a constant default of a new column in its catalog. The ORM column has
    no default, so it is dropped again. Return whether the column was created."""
    if column_exists(cr, table, column):
        return False
    cr.execute(
        SQL(
            "ALTER TABLE %s ADD COLUMN %s %s DEFAULT %s",
            SQL.identifier(table),
            SQL.identifier(column),
            SQL(column_type),
            value,
        )
    )
    cr.execute(SQL("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", SQL.identifier(table), SQL.identifier(column)))
    cr.execute(SQL("COMMENT ON COLUMN %s IS %s", SQL.identifier(table, column), comment))
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


def fill_order_constants(cr):
    """Existing orders need no customer approval (no customer has an approval limit yet) and
    came in the standard way: both columns are created with that value."""
    _add_column_with_value(cr, "sale_order", "b2b_approval_state", "varchar", "Customer Approval", "not_required")
    _add_column_with_value(cr, "sale_order", "b2b_order_type", "varchar", "Order Type", "standard")


def fill_invoice_parties(cr):
    """Existing customer invoices, credit notes and receipts, in one pass over them:
    - payer = the invoiced commercial entity, the partner their receivable lines already carry;
    - ordering contact = the customer of the (first) order they invoice, as the addon sets it
      when invoicing an order."""
    added = [
        column
        for column, comment in (("payer_id", "Payer"), ("b2b_ordering_partner_id", "Ordered By"))
        if _add_column(cr, "account_move", column, "int4", comment)
    ]
    if not added:
        return
    cr.execute(
        SQL(
            """
            UPDATE account_move move
               SET %s
              FROM (
                    SELECT invoice.id,
                           COALESCE(partner.commercial_partner_id, partner.id) AS payer_id,
                           first_order.partner_id AS b2b_ordering_partner_id
                      FROM account_move invoice
                 LEFT JOIN res_partner partner ON partner.id = invoice.partner_id
                 LEFT JOIN (
                            SELECT DISTINCT ON (aml.move_id) aml.move_id, so.partner_id
                              FROM sale_order_line_invoice_rel rel
                              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                              JOIN sale_order_line sol ON sol.id = rel.order_line_id
                              JOIN sale_order so ON so.id = sol.order_id
                          ORDER BY aml.move_id, so.id
                           ) first_order ON first_order.move_id = invoice.id
                     WHERE invoice.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                   ) parties
             WHERE parties.id = move.id
            """,
            SQL(", ").join(SQL("%s = parties.%s", SQL.identifier(column), SQL.identifier(column)) for column in added),
        )
    )


def pre_init_hook(env):
    cr = env.cr
    # one UPDATE at most per table: rows rewritten twice in the same transaction cost several
    # times more than a single pass (measured in bench/bench_install.sh)
    fill_order_payer(cr)
    fill_order_constants(cr)
    fill_invoice_parties(cr)
