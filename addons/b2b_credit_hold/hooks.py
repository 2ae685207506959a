"""Install into a database with history: the orders' amount not yet invoiced is created and
filled here in SQL, with the value its compute gives, so that the ORM does not recompute
every existing order in Python (it only computes a new stored field whose column it has to
create)."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def fill_order_to_invoice(cr):
    """b2b_credit_to_invoice of existing orders: tax-included amount of their lines not yet
    invoiced (pro rata of the ordered quantity), in company currency."""
    if column_exists(cr, "sale_order", "b2b_credit_to_invoice"):
        return
    # a constant default fills existing rows without rewriting the table; the ORM column
    # has no default, so it is dropped again
    cr.execute(SQL("ALTER TABLE sale_order ADD COLUMN b2b_credit_to_invoice float8 DEFAULT 0"))
    cr.execute(SQL("ALTER TABLE sale_order ALTER COLUMN b2b_credit_to_invoice DROP DEFAULT"))
    cr.execute(SQL("COMMENT ON COLUMN sale_order.b2b_credit_to_invoice IS %s", "Not Invoiced (Company Currency)"))
    cr.execute(
        SQL(
            """
            UPDATE sale_order o
               SET b2b_credit_to_invoice = lines.total / COALESCE(NULLIF(o.currency_rate, 0), 1)
              FROM (
                    SELECT order_id,
                           SUM(price_total * (product_uom_qty - COALESCE(qty_invoiced, 0)) / product_uom_qty) AS total
                      FROM sale_order_line
                     WHERE product_uom_qty > 0
                       AND product_uom_qty > COALESCE(qty_invoiced, 0)
                  GROUP BY order_id
                   ) lines
             WHERE lines.order_id = o.id
            """
        )
    )


def pre_init_hook(env):
    fill_order_to_invoice(env.cr)
