from odoo.tools import SQL


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


def pre_init_hook(env):
    fill_line_fiscal_position(env.cr)
