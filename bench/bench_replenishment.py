"""Replenishment run (b2b_replenishment) against one batched `sale.order.create` of the same
quotations, run inside `odoo shell` by bench/bench_replenishment.sh on a scratch copy of the
test database.

Data (built once, committed; B2B_BENCH_CUSTOMERS customers, default 1000): customers x 2
sites x 5 products = rules in consumption mode validated by the buyer, and 6 months of
history: one delivered order per site and month with the 5 products (sale order lines and
their done delivery moves: one order is made by the ORM, confirmed and delivered, and copied
in SQL for every site and month, with its dates shifted).

Measured, each on a flushed, empty cache, then rolled back:
1. the quantity of every rule (`_get_quantities`): seconds and queries (issue: < 10 s);
2. stock Odoo: `sale.order.create` of the same quotations (one per site, 5 lines each) in one call;
3. the whole replenishment run, which creates those quotations (issue: <= 1.3 x point 2);
4. a second run the same day, which creates nothing (issue: < 5 s).
"""

import os

from benchlib import measure, table_columns

from odoo import Command, fields

CUSTOMERS = int(os.environ.get("B2B_BENCH_CUSTOMERS", "1000"))
SITES, PRODUCTS, MONTHS = 2, 5, 6
PREFIX = "Bench repl"


def build(env):
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    products = env["product.product"].search([("default_code", "=like", "BENCH-REPL-%")], order="id")
    if not products:
        products = env["product.product"].create(
            [
                {"name": f"{PREFIX} product {i}", "default_code": f"BENCH-REPL-{i}", "type": "consu", "list_price": 3.0}
                for i in range(PRODUCTS)
            ]
        )
    customers = Partner.search([("name", "=like", f"{PREFIX} customer %")], order="id")
    if len(customers) >= CUSTOMERS:
        return products, customers[:CUSTOMERS]
    customers = Partner.create([{"name": f"{PREFIX} customer {i}", "is_company": True} for i in range(CUSTOMERS)])
    Partner.create(
        [
            {"name": f"Site {s}", "type": "delivery", "parent_id": customer.id}
            for customer in customers
            for s in range(SITES)
        ]
        + [{"name": "Buyer", "parent_id": customer.id, "email": "buyer@bench.example"} for customer in customers]
    )
    today = fields.Date.context_today(env["b2b.replenishment.run"])
    rules_vals = []
    for customer in customers:
        buyer = customer.child_ids.filtered(lambda child: child.type == "contact")[:1]
        for site in customer.child_ids.filtered(lambda child: child.type == "delivery"):
            for product in products:
                rules_vals.append(
                    {
                        "partner_id": customer.id,
                        "partner_shipping_id": site.id,
                        "buyer_id": buyer.id,
                        "product_id": product.id,
                        "mode": "consumption",
                        "validation": "buyer",
                        "consumption_days": 90,
                        "interval_number": 1,
                        "interval_type": "week",
                        "start_date": today,
                    }
                )
    env["b2b.replenishment.rule"].with_context(tracking_disable=True, mail_create_nolog=True).create(rules_vals)
    # the seed: one order of the 5 products, confirmed and delivered by the ORM
    first = customers[0]
    seed = env["sale.order"].create(
        {
            "partner_id": first.child_ids.filtered(lambda child: child.type == "contact")[:1].id,
            "partner_shipping_id": first.child_ids.filtered(lambda child: child.type == "delivery")[:1].id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10}) for product in products],
        }
    )
    seed.action_confirm()
    for move in seed.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
    seed.picking_ids.button_validate()
    env.flush_all()
    copy_history(env, seed, customers)
    env.cr.commit()
    return products, customers


def copy_history(env, seed, customers):
    """One copy of the seed order (lines, done moves) per site and month, in SQL."""
    cr = env.cr
    order_cols = table_columns(env, "sale_order")
    line_cols = table_columns(env, "sale_order_line")
    move_cols = table_columns(env, "stock_move")
    override_order = {
        "name": "'BREPL/' || s.site_id || '/' || m",
        "partner_id": "s.buyer_id",
        "partner_shipping_id": "s.site_id",
        "partner_invoice_id": "s.customer_id",
        "payer_id": "s.customer_id",
        "date_order": "o.date_order - (m * INTERVAL '30 days')",
        "access_token": "NULL",
    }
    override_line = {
        "order_id": "o2.id",
        "order_partner_id": "o2.partner_id",
        "partner_shipping_id": "o2.partner_shipping_id",
        "partner_invoice_id": "o2.partner_invoice_id",
        "payer_id": "o2.payer_id",
        "product_uom_qty": "l.product_uom_qty * (1 + o2.month % 3)",
        "qty_delivered": "l.product_uom_qty * (1 + o2.month % 3)",
    }
    override_move = {
        "sale_line_id": "l2.id",
        "partner_id": "l2.partner_shipping_id",
        "picking_id": "NULL",
        "reference_id": "NULL",
        "date": "l2.date_order",
        "product_uom_qty": "l2.product_uom_qty",
        "quantity": "l2.product_uom_qty",
        "product_qty": "l2.product_uom_qty",
    }

    def select(cols, override, alias):
        return ", ".join(override.get(col, f"{alias}.{col}") for col in cols)

    cr.execute(
        """
        CREATE TEMP TABLE bench_sites AS
        SELECT site.id AS site_id, site.parent_id AS customer_id,
               (SELECT b.id FROM res_partner b
                 WHERE b.parent_id = site.parent_id AND b.type = 'contact' LIMIT 1) AS buyer_id
          FROM res_partner site
         WHERE site.parent_id = ANY(%s) AND site.type = 'delivery'
        """,
        [customers.ids],
    )
    cr.execute(f"""
        CREATE TEMP TABLE bench_orders AS
        WITH ins AS (
            INSERT INTO sale_order ({", ".join(order_cols)})
            SELECT {select(order_cols, override_order, "o")}
              FROM sale_order o, bench_sites s, generate_series(1, {MONTHS}) m
             WHERE o.id = {seed.id}
            RETURNING id, partner_id, partner_shipping_id, partner_invoice_id, payer_id, date_order
        )
        SELECT ins.*, (EXTRACT(EPOCH FROM ((SELECT date_order FROM sale_order WHERE id = {seed.id}) - ins.date_order))
                       / 86400 / 30)::int AS month
          FROM ins
    """)
    cr.execute(f"""
        CREATE TEMP TABLE bench_lines AS
        WITH ins AS (
            INSERT INTO sale_order_line ({", ".join(line_cols)})
            SELECT {select(line_cols, override_line, "l")}
              FROM sale_order_line l, bench_orders o2
             WHERE l.order_id = {seed.id}
            RETURNING id, order_id, product_id, partner_shipping_id, product_uom_qty
        )
        SELECT ins.*, o.date_order FROM ins JOIN sale_order o ON o.id = ins.order_id
    """)
    cr.execute(f"""
        INSERT INTO stock_move ({", ".join(move_cols)})
        SELECT {select(move_cols, override_move, "sm")}
          FROM stock_move sm
          JOIN sale_order_line seed_line ON seed_line.id = sm.sale_line_id AND seed_line.order_id = {seed.id}
          JOIN bench_lines l2 ON l2.product_id = sm.product_id
    """)
    cr.execute("SELECT COUNT(*) FROM bench_orders")
    print(f"history: {cr.fetchone()[0]} delivered orders copied")
    cr.execute("ANALYZE")


def main(env):
    env = env(context={**env.context, "tracking_disable": True})
    _products, customers = build(env)
    Rule = env["b2b.replenishment.rule"]
    rules = Rule.search([("partner_id", "in", customers.ids)])
    Run = env["b2b.replenishment.run"].sudo()
    today = fields.Date.context_today(Run)
    rows = []
    print(f"{len(customers)} customers, {len(rules)} rules")

    # 1. every rule's quantity
    quantities, queries, seconds, _peak = measure(env, lambda: rules._get_quantities(today))
    proposed = sum(1 for values in quantities.values() if values["qty"] > 0)
    rows.append(("quantity of every rule", len(rules), queries, seconds))
    print(f"quantities: {len(rules)} rules ({proposed} to order) in {seconds:.2f} s, {queries} queries")

    # 2. stock Odoo: the same quotations in one batched create
    run = Run.create({"date": today})
    groups = {}
    for rule in rules:
        if quantities[rule.id]["qty"] > 0:
            groups.setdefault((rule.partner_id.id, rule.partner_shipping_id.id), Rule)
            groups[rule.partner_id.id, rule.partner_shipping_id.id] |= rule
    vals_list = [run._prepare_order_vals(group, {}, quantities) for group in groups.values()]
    env.cr.execute("SAVEPOINT bench_stock")
    orders, queries, stock_seconds, _peak = measure(env, lambda: env["sale.order"].create(vals_list))
    rows.append(("sale.order.create, one call", len(orders), queries, stock_seconds))
    print(f"stock create: {len(orders)} quotations in {stock_seconds:.2f} s, {queries} queries")
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_stock")
    env.invalidate_all()

    # 3. the run
    env.cr.execute("SAVEPOINT bench_run")
    run = Run.create({"date": today})
    _res, queries, run_seconds, _peak = measure(env, run._run_replenishment)
    rows.append(("replenishment run", run.proposal_count, queries, run_seconds))
    print(
        f"run: {run.proposal_count} proposals ({run.rule_count} rules, {run.failed_count} failed) in "
        f"{run_seconds:.2f} s, {queries} queries: {run_seconds / stock_seconds:.2f} x stock create"
    )

    # 4. second run the same day
    second = Run.create({"date": today})
    _res, queries, second_seconds, _peak = measure(env, second._run_replenishment)
    rows.append(("second run, same day", second.proposal_count, queries, second_seconds))
    print(f"second run: {second.proposal_count} proposals in {second_seconds:.2f} s, {queries} queries")
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_run")
    env.cr.rollback()

    print()
    print("| step | records | queries | seconds |")
    print("| --- | ---: | ---: | ---: |")
    for label, count, queries, seconds in rows:
        print(f"| {label} | {count} | {queries} | {seconds:.2f} |")
    print(f"| ratio run / stock create | | | {run_seconds / stock_seconds:.2f} |")


main(env)  # noqa: F821 - `env` is given by odoo shell
