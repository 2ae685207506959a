"""Quick entry of 500 rows vs standard Odoo creating the same 500 order lines.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
"""

import time

from odoo import sql_db

ROWS = 500


def count_queries(func):
    env.flush_all()  # noqa: F821 - provided by odoo shell
    env.invalidate_all()  # noqa: F821
    counter = {"n": 0}
    original = sql_db.Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        counter["n"] += 1
        return original(self, query, params, log_exceptions)

    sql_db.Cursor.execute = execute
    start = time.perf_counter()
    try:
        func()
        env.flush_all()  # noqa: F821
    finally:
        sql_db.Cursor.execute = original
    return counter["n"], time.perf_counter() - start


def main(env):
    Partner = env["res.partner"]
    customer = Partner.create({"name": "Bench Customer", "is_company": True})
    sites = Partner.create(
        [
            {"name": f"Bench site {i}", "type": "delivery", "parent_id": customer.id, "ref": f"BENCH-S{i}"}
            for i in range(3)
        ]
    )
    products = env["product.product"].create(
        [{"name": f"Bench article {i}", "default_code": f"BENCH-{i:04d}", "type": "consu"} for i in range(ROWS)]
    )
    rows = [(products[i], i % 7 + 1, sites[i % 3]) for i in range(ROWS)]

    order_std = env["sale.order"].create({"partner_id": customer.id})
    std_queries, std_time = count_queries(
        lambda: env["sale.order.line"].create(
            [
                {"order_id": order_std.id, "product_id": p.id, "product_uom_qty": q, "partner_shipping_id": s.id}
                for p, q, s in rows
            ]
        )
    )
    order_qe = env["sale.order"].create({"partner_id": customer.id})
    wizard = env["b2b.quick.entry"].create(
        {"order_id": order_qe.id, "raw_lines": "\n".join(f"{p.default_code};{q};{s.ref}" for p, q, s in rows)}
    )
    qe_queries, qe_time = count_queries(wizard.action_apply)
    assert len(order_qe.order_line) == ROWS
    print(f"{ROWS} lines            | queries | seconds")
    print(f"Odoo batch create     | {std_queries:7d} | {std_time:7.2f}")
    print(f"b2b quick entry       | {qe_queries:7d} | {qe_time:7.2f}")
    env.cr.rollback()


main(env)  # noqa: F821
