"""Order confirmation with the credit check vs stock Odoo's confirmation of the same
order, with 10 and with 10,000 open invoices and order lines on the payer.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
"""

import statistics

from benchlib import measure, table_columns

from odoo import Command

REPEAT = 25


def clone_rows(env, table, row_id, count):
    """Insert ``count`` copies of one row (a receivable line, an order line) by SQL."""
    columns = ", ".join(f'"{column}"' for column in table_columns(env, table))
    env.cr.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}, generate_series(1, %s) WHERE id = %s",
        [count, row_id],
    )


def clone_orders(env, order_id, line_id, count):
    """Insert ``count`` copies of a confirmed order, each with a copy of its line, by SQL."""
    columns = {table: table_columns(env, table) for table in ("sale_order", "sale_order_line")}
    order_cols = ", ".join(f'"{c}"' for c in columns["sale_order"])
    line_cols = [c for c in columns["sale_order_line"] if c != "order_id"]
    line_list = ", ".join(f'"{c}"' for c in line_cols)
    line_select = ", ".join(f'line."{c}"' for c in line_cols)
    env.cr.execute(
        f"""
        WITH new_orders AS (
            INSERT INTO sale_order ({order_cols})
            SELECT {order_cols} FROM sale_order, generate_series(1, %s) WHERE id = %s
            RETURNING id
        )
        INSERT INTO sale_order_line (order_id, {line_list})
        SELECT new_orders.id, {line_select} FROM new_orders, sale_order_line line WHERE line.id = %s
        """,
        [count, order_id, line_id],
    )


def main(env):
    customer = env["res.partner"].create(
        {
            "name": "Bench Credit Customer",
            "is_company": True,
            "b2b_credit_policy": "block",
            "credit_limit": 10**9,
            "b2b_overdue_block": True,
            "b2b_overdue_grace_days": 365,
        }
    )
    product = env["product.product"].create({"name": "Bench item", "type": "consu", "taxes_id": [Command.clear()]})

    def quotation():
        return env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id, "price_unit": 10})]}
        )

    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_line_ids": [Command.create({"name": "x", "price_unit": 10, "tax_ids": []})],
        }
    )
    invoice.action_post()
    term_line = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
    order = quotation()
    order._b2b_credit_confirm_released()
    order_line_id = order.order_line.id

    results = {}
    for size in (10, 10000):
        # half open invoices (receivable lines), half confirmed orders not invoiced
        env.flush_all()
        lines = env["account.move.line"].search_count([("partner_id", "=", customer.id)])
        clone_rows(env, "account_move_line", term_line.id, size // 2 - lines)
        orders = env["sale.order"].search_count([("partner_id", "=", customer.id), ("state", "=", "sale")])
        clone_orders(env, order.id, order_line_id, size // 2 - orders)
        env.invalidate_all()
        env.cr.execute("ANALYZE account_move_line; ANALYZE sale_order_line; ANALYZE sale_order")
        checked, stock = [], []
        for _ in range(REPEAT):
            quote_checked, quote_stock = quotation(), quotation()
            checked.append(measure(env, quote_checked.action_confirm)[1:3])
            # stock: the same confirmation without the check (the path of a released order)
            stock.append(measure(env, quote_stock._b2b_credit_confirm_released)[1:3])
            assert quote_checked.state == "sale", "the bench customer is within its limit"
        results[size] = {
            "checked_queries": checked[-1][0],
            "stock_queries": stock[-1][0],
            # the fastest of the runs: the least disturbed by the rest of the machine
            "checked_time": min(t for _, t in checked),
            "stock_time": min(t for _, t in stock),
            "checked_median": statistics.median(t for _, t in checked),
            "stock_median": statistics.median(t for _, t in stock),
        }
    print("open invoices+orders | queries stock | queries checked | ms stock | ms checked | ratio | median ratio")
    for size, r in results.items():
        ratio = r["checked_time"] / r["stock_time"]
        median_ratio = r["checked_median"] / r["stock_median"]
        print(
            f"{size:20d} | {r['stock_queries']:13d} | {r['checked_queries']:15d} | "
            f"{r['stock_time'] * 1000:8.1f} | {r['checked_time'] * 1000:10.1f} | {ratio:.2f}  | {median_ratio:.2f}"
        )
    env.cr.rollback()


main(env)  # noqa: F821 - provided by odoo shell
