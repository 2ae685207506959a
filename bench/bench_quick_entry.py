"""Quick entry of 500 rows vs standard Odoo creating the same 500 order lines.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
"""

from benchlib import measure

ROWS = 500


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
    _, std_queries, std_time, _ = measure(
        env,
        lambda: env["sale.order.line"].create(
            [
                {"order_id": order_std.id, "product_id": p.id, "product_uom_qty": q, "partner_shipping_id": s.id}
                for p, q, s in rows
            ]
        ),
    )
    order_qe = env["sale.order"].create({"partner_id": customer.id})
    wizard = env["b2b.quick.entry"].create(
        {"order_id": order_qe.id, "raw_lines": "\n".join(f"{p.default_code};{q};{s.ref}" for p, q, s in rows)}
    )
    _, qe_queries, qe_time, _ = measure(env, wizard.action_apply)
    assert len(order_qe.order_line) == ROWS
    print(f"{ROWS} lines            | queries | seconds")
    print(f"Odoo batch create     | {std_queries:7d} | {std_time:7.2f}")
    print(f"b2b quick entry       | {qe_queries:7d} | {qe_time:7.2f}")
    env.cr.rollback()


main(env)  # noqa: F821
