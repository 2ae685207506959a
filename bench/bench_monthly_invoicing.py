"""Summary invoicing run vs stock Odoo's `_create_invoices` on the same delivered orders.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
For each size: customers x 10 confirmed orders x 5 lines of storable products invoiced
on delivered quantities, every delivery validated (on dates spread over the month).
The same orders are then invoiced, each time from the same savepoint: by stock Odoo
(one `_create_invoices` call, as the "Create invoices" button does), by the summary
invoicing run, then again with Python memory traced (tracing makes Python about four
times slower, so it is measured apart from time; stock Odoo's memory only up to
B2B_BENCH_STOCK_MEMORY_MAX customers, 100 by default, to keep the bench under an hour).

Sizes: B2B_BENCH_CUSTOMERS="100,1000" (the default) in the environment.
"""

import os
import time

from benchlib import measure

from odoo import Command

ORDERS_PER_CUSTOMER = 10
LINES_PER_ORDER = 5
CREATE_CHUNK = 500  # orders created, confirmed and delivered per ORM call while building data


def make_delivered_orders(env, customers, products):
    """Confirmed orders of storable products, each delivered in full by a validated picking."""
    Order = env["sale.order"]
    orders = Order
    pairs = [customer for customer in customers for _ in range(ORDERS_PER_CUSTOMER)]
    for start in range(0, len(pairs), CREATE_CHUNK):
        chunk = Order.create(
            [
                {
                    "partner_id": customer.id,
                    "client_order_ref": f"PO-{customer.id}-{index}",
                    "order_line": [
                        Command.create({"product_id": products[i].id, "product_uom_qty": i + 1})
                        for i in range(LINES_PER_ORDER)
                    ],
                }
                for index, customer in enumerate(pairs[start : start + CREATE_CHUNK])
            ]
        )
        chunk.action_confirm()
        pickings = chunk.picking_ids
        pickings.action_assign()
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True, skip_immediate=True).button_validate()
        orders |= chunk
        env.flush_all()
        env.invalidate_all()
    # deliveries spread over the last four weeks
    env.cr.execute(
        """
        UPDATE stock_picking SET date_done = date_done - (id %% 28) * INTERVAL '1 day'
         WHERE sale_id = ANY(%s)
        """,
        [orders.ids],
    )
    assert all(state == "to invoice" for state in orders.mapped("invoice_status"))
    env.invalidate_all()
    # fresh statistics for the planner (inside the transaction: no VACUUM possible)
    env.cr.execute(
        "ANALYZE sale_order, sale_order_line, stock_picking, stock_move, account_move, account_move_line, res_partner"
    )
    return orders


def main(env):
    sizes = [int(size) for size in os.environ.get("B2B_BENCH_CUSTOMERS", "100,1000").split(",")]
    stock_memory_max = int(os.environ.get("B2B_BENCH_STOCK_MEMORY_MAX", "100"))
    company = env.company
    products = env["product.product"].create(
        [
            {
                "name": f"Bench storable {i}",
                "type": "consu",
                "is_storable": True,
                "list_price": 10 + i,
                "invoice_policy": "delivery",
            }
            for i in range(LINES_PER_ORDER)
        ]
    )
    stock = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
    for i, product in enumerate(products):
        quantity = sum(sizes) * ORDERS_PER_CUSTOMER * (i + 1)
        env["stock.quant"]._update_available_quantity(product, stock, quantity)
    print(
        "customers | invoices | inv/s stock | inv/s run | ratio | queries/inv stock | queries/inv run"
        " | peak MB stock | peak MB run"
    )
    peaks = {}
    for size in sizes:
        started = time.perf_counter()
        customers = env["res.partner"].create(
            [{"name": f"Bench monthly {size}-{i}", "is_company": True} for i in range(size)]
        )
        customers.write({"b2b_invoicing_policy": "monthly"})
        orders = make_delivered_orders(env, customers, products)
        built = time.perf_counter() - started
        print(f"  ({size} customers: {len(orders)} delivered orders built in {built:.0f} s)", flush=True)

        def stock_invoicing(orders=orders):
            return orders._create_invoices()

        def summary_run(customers=customers):
            run = env["b2b.invoicing.run"].create({"partner_ids": [Command.set(customers.ids)]})
            run.action_run()
            return run.invoice_ids

        results = {"stock_mem": (0, 0, 0, 0)}
        phases = [("stock", stock_invoicing, False), ("run", summary_run, False), ("run_mem", summary_run, True)]
        if size <= stock_memory_max:
            phases.append(("stock_mem", stock_invoicing, True))
        for name, func, memory in phases:
            savepoint = env.cr.savepoint()
            invoices, queries, seconds, peak = measure(env, func, memory=memory)
            count = len(invoices)
            assert count == size, f"{name}: {count} invoices for {size} customers"
            assert len(invoices.invoice_line_ids.sale_line_ids) == size * ORDERS_PER_CUSTOMER * LINES_PER_ORDER
            results[name] = (count, queries, seconds, peak)
            savepoint.close(rollback=True)
            env.invalidate_all()
        count, stock_queries, stock_time, _ = results["stock"]
        _, run_queries, run_time, _ = results["run"]
        stock_peak, run_peak = results["stock_mem"][3], results["run_mem"][3]
        peaks[size] = (stock_peak, run_peak)
        print(
            f"{size:9d} | {count:8d} | {count / stock_time:11.2f} | {count / run_time:9.2f} | "
            f"{stock_time / run_time:5.2f} | {stock_queries / count:17.1f} | {run_queries / count:15.1f} | "
            f"{f'{stock_peak / 2**20:.1f}' if stock_peak else 'not traced':>13} | {run_peak / 2**20:11.1f}",
            flush=True,
        )
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        factor = large // small
        print(f"peak memory of the {factor}x larger summary run: {peaks[large][1] / peaks[small][1]:.2f}x")
        if peaks[large][0]:
            print(f"peak memory of the {factor}x larger stock invoicing: {peaks[large][0] / peaks[small][0]:.2f}x")
    env.cr.rollback()


main(env)  # noqa: F821 - provided by odoo shell
