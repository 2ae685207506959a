from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


def fill_line_fiscal_position(cr):
    """Existing order lines take their order's fiscal position (the one their taxes were
    mapped with), set in SQL rather than recomputed line by line."""
    cr.execute(SQL("ALTER TABLE sale_order_line ADD COLUMN IF NOT EXISTS fiscal_position_id int4"))
    cr.execute(
        SQL(
            """
            UPDATE sale_order_line line
               SET fiscal_position_id = sale_order.fiscal_position_id
              FROM sale_order
             WHERE sale_order.id = line.order_id
               AND sale_order.fiscal_position_id IS NOT NULL
               AND line.fiscal_position_id IS NULL
            """
        )
    )


def fill_line_fields(cr):
    """Existing order lines follow their order, filled in SQL in one pass over the lines (a
    second UPDATE of the same rows in the install's transaction costs several times the
    first, measured in bench/bench_install.sh):
    - fiscal position: the order's, the one their taxes were mapped with;
    - delivery address, billed party and payer: the order's (the values the line computes
      give a line not set apart)."""
    cr.execute(SQL("ALTER TABLE sale_order_line ADD COLUMN IF NOT EXISTS fiscal_position_id int4"))
    added = []
    for column, comment in (
        ("partner_shipping_id", "Deliver To"),
        ("partner_invoice_id", "Invoice To"),
        ("payer_id", "Payer"),
    ):
        if not column_exists(cr, "sale_order_line", column):
            create_column(cr, "sale_order_line", column, "int4", comment)
            added.append(column)
    if not added:
        fill_line_fiscal_position(cr)
        return
    cr.execute(
        SQL(
            "UPDATE sale_order_line line SET %s FROM sale_order WHERE sale_order.id = line.order_id",
            SQL(", ").join(
                [SQL("fiscal_position_id = COALESCE(line.fiscal_position_id, sale_order.fiscal_position_id)")]
                + [SQL("%s = sale_order.%s", SQL.identifier(column), SQL.identifier(column)) for column in added]
            ),
        )
    )


def fill_invoice_line_delivery(cr):
    """Existing draft invoice lines of orders carry the delivery address of the order they
    invoice, as the addon sets it when invoicing. Posted invoices are left as they were
    issued: their printed mentions do not change."""
    if column_exists(cr, "account_move_line", "b2b_delivery_partner_id"):
        return
    create_column(cr, "account_move_line", "b2b_delivery_partner_id", "int4", "Delivered To")
    cr.execute(
        SQL(
            """
            UPDATE account_move_line aml
               SET b2b_delivery_partner_id = delivery.partner_shipping_id
              FROM (
                    SELECT DISTINCT ON (rel.invoice_line_id) rel.invoice_line_id, so.partner_shipping_id
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id
                      JOIN sale_order so ON so.id = sol.order_id
                  ORDER BY rel.invoice_line_id, so.id
                   ) delivery
             WHERE delivery.invoice_line_id = aml.id
               AND aml.parent_state = 'draft'
               AND aml.display_type = 'product'
            """
        )
    )


def pre_init_hook(env):
    fill_line_fields(env.cr)
    fill_invoice_line_delivery(env.cr)
