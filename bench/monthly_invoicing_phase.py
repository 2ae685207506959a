"""One phase of the summary invoicing benchmark (bench/bench_monthly_invoicing.sh runs
each phase in a fresh `odoo shell` on a scratch copy of the test database).

B2B_BENCH_PHASE:
- build: paid invoices of past months (once), then customers x 10 confirmed orders
  x 5 lines of storable products invoiced on delivered quantities, every delivery
  validated (on dates spread over four weeks), committed;
- stock: stock Odoo invoices these orders in one `_create_invoices` call (the
  "Create invoices" button on the selected orders), then rolled back;
- run: a summary invoicing run invoices the same orders, then rolled back;
- report: print the table of the results (plain Python, no Odoo).
Between phases the database is vacuumed, so each invoicing starts from the same state.
"""

import json
import os
import time

ORDERS_PER_CUSTOMER = 10
LINES_PER_ORDER = 5
HISTORY_CUSTOMERS, HISTORY_MONTHS = 30, 10  # paid invoices of past months, whatever the size
CREATE_CHUNK = 500  # orders created, confirmed and delivered per ORM call while building data

PHASE = os.environ["B2B_BENCH_PHASE"]
RESULTS = os.environ["B2B_BENCH_RESULTS"]


def history(env):
    """Paid invoices of past months, as in any company in operation: without them the
    accounting tables are empty when the database is analysed, and PostgreSQL then plans
    the queries on invoices and payments for empty tables (nested loops that take minutes
    once the run has created thousands of invoice lines)."""
    from odoo import Command

    customers = env["res.partner"].search([("name", "=like", "Bench history %")])
    if not customers:
        customers = env["res.partner"].create(
            [{"name": f"Bench history {i}", "is_company": True} for i in range(HISTORY_CUSTOMERS)]
        )
    paid = env["account.move"].search_count([("partner_id", "in", customers.ids), ("payment_state", "=", "paid")])
    # month by month, the tables analysed after each
    for month in range(1 + paid // HISTORY_CUSTOMERS, 1 + HISTORY_MONTHS):
        invoices = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": f"2026-{month:02d}-28",
                    "invoice_date_due": f"2026-{month:02d}-28",
                    "invoice_line_ids": [
                        Command.create({"name": f"Past supply {line}", "quantity": line + 1, "price_unit": 20})
                        for line in range(3)
                    ],
                }
                for customer in customers
            ]
        )
        invoices.action_post()
        env["account.payment.register"].with_context(active_model="account.move", active_ids=invoices.ids).create(
            {"group_payment": False, "payment_date": f"2026-{month + 1:02d}-15"}
        )._create_payments()
        env.cr.commit()
        env.cr.execute("ANALYZE account_move, account_move_line, account_partial_reconcile, account_payment")
        env.cr.commit()


def build(env, size):
    from odoo import Command

    history(env)
    if env["res.partner"].search_count([("name", "=like", f"Bench monthly {size}-%")]):
        return  # kept from an earlier run (B2B_BENCH_KEEP=1)
    Product = env["product.product"]
    products = Product.search([("default_code", "=like", "BENCH-MI-%")], order="default_code")
    if not products:
        products = Product.create(
            [
                {
                    "name": f"Bench storable {i}",
                    "default_code": f"BENCH-MI-{i}",
                    "type": "consu",
                    "is_storable": True,
                    "list_price": 10 + i,
                    "invoice_policy": "delivery",
                }
                for i in range(LINES_PER_ORDER)
            ]
        )
    stock = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1).lot_stock_id
    for i, product in enumerate(products):
        env["stock.quant"]._update_available_quantity(product, stock, size * ORDERS_PER_CUSTOMER * (i + 1))
    customers = env["res.partner"].create(
        [{"name": f"Bench monthly {size}-{i}", "is_company": True} for i in range(size)]
    )
    customers.write({"b2b_invoicing_policy": "monthly"})
    env.cr.commit()
    pairs = [customer for customer in customers for _ in range(ORDERS_PER_CUSTOMER)]
    for start in range(0, len(pairs), CREATE_CHUNK):
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "client_order_ref": f"PO-{customer.id}-{start + index}",
                    "order_line": [
                        Command.create({"product_id": products[i].id, "product_uom_qty": i + 1})
                        for i in range(LINES_PER_ORDER)
                    ],
                }
                for index, customer in enumerate(pairs[start : start + CREATE_CHUNK])
            ]
        )
        orders.action_confirm()
        pickings = orders.picking_ids
        pickings.action_assign()
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True, skip_immediate=True).button_validate()
        # deliveries spread over the last four weeks
        env.flush_all()
        env.cr.execute(
            "UPDATE stock_picking SET date_done = date_done - (id %% 28) * INTERVAL '1 day' WHERE id = ANY(%s)",
            [pickings.ids],
        )
        assert set(orders.mapped("invoice_status")) == {"to invoice"}
        env.cr.commit()
        env.invalidate_all()


def invoice(env, size):
    from benchlib import measure

    from odoo import Command

    customers = env["res.partner"].search([("name", "=like", f"Bench monthly {size}-%")])
    orders = env["sale.order"].search([("partner_id", "in", customers.ids), ("invoice_status", "=", "to invoice")])
    assert len(customers) == size and len(orders) == size * ORDERS_PER_CUSTOMER

    def stock_invoicing():
        return orders._create_invoices()

    def summary_run():
        run = env["b2b.invoicing.run"].create({"partner_ids": [Command.set(customers.ids)]})
        run.action_run()
        return run.invoice_ids

    invoices, queries, seconds, peak = measure(env, stock_invoicing if PHASE == "stock" else summary_run, memory="rss")
    assert len(invoices) == size, f"{len(invoices)} invoices for {size} customers"
    assert invoices.invoice_line_ids.sale_line_ids == orders.order_line
    env.cr.rollback()
    with open(RESULTS, "a", encoding="utf-8") as results:
        results.write(
            json.dumps(
                {
                    "phase": PHASE,
                    "size": size,
                    "count": len(invoices),
                    "queries": queries,
                    "seconds": seconds,
                    "peak": peak,
                }
            )
            + "\n"
        )


def report():
    rows = {}
    with open(RESULTS, encoding="utf-8") as results:
        for line in results:
            row = json.loads(line)
            rows[row["size"], row["phase"]] = row
    if not rows:
        return  # only built
    sizes = sorted({size for size, _phase in rows})
    print("customers | invoicing | invoices | inv/s | queries/inv | peak MB")
    for size in sizes:
        for phase in ("stock", "run"):
            if row := rows.get((size, phase)):
                count = row["count"]
                print(
                    f"{size:9d} | {phase:9s} | {count:8d} | {count / row['seconds']:5.2f} | "
                    f"{row['queries'] / count:11.1f} | {row['peak'] / 2**20:7.0f}"
                )
        if (size, "stock") in rows and (size, "run") in rows:
            ratio = rows[size, "stock"]["seconds"] / rows[size, "run"]["seconds"]
            print(f"invoices per second at {size} customers, summary run / stock Odoo: {ratio:.2f}x")
    small, large = sizes[0], sizes[-1]
    for phase, label in (("run", "summary run"), ("stock", "stock Odoo")):
        if large > small and (small, phase) in rows and (large, phase) in rows:
            ratio = rows[large, phase]["peak"] / rows[small, phase]["peak"]
            print(f"peak memory, {label}, {large // small}x larger run: {ratio:.2f}x")


started = time.perf_counter()
if PHASE == "report":
    report()
else:
    size = int(os.environ["B2B_BENCH_SIZE"])
    (build if PHASE == "build" else invoice)(env, size)  # noqa: F821 - provided by odoo shell
    print(f"  {PHASE} {size} customers: {time.perf_counter() - started:.0f} s", flush=True)
