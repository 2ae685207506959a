"""Summary invoicing run vs stock Odoo's `_create_invoices` on the same orders.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
Scaled to this 2-core machine: customers x 10 confirmed orders x 5 lines, for a small
and a ten times larger run. Products are invoiced on ordered quantities (services), so
that building the data does not dominate; the invoicing work is the same as for
delivered quantities.
"""

from benchlib import measure

from odoo import Command

ORDERS_PER_CUSTOMER = 10
LINES_PER_ORDER = 5


def make_orders(env, customers, products):
    vals = [
        {
            "partner_id": customer.id,
            "order_line": [
                Command.create({"product_id": products[i].id, "product_uom_qty": i + 1}) for i in range(LINES_PER_ORDER)
            ],
        }
        for customer in customers
        for _ in range(ORDERS_PER_CUSTOMER)
    ]
    orders = env["sale.order"].create(vals)
    orders.action_confirm()
    env.flush_all()
    # fresh statistics for the planner (inside the transaction: no VACUUM possible)
    env.cr.execute("ANALYZE sale_order, sale_order_line, account_move, account_move_line, res_partner")
    return orders


def main(env):
    products = env["product.product"].create(
        [
            {"name": f"Bench service {i}", "type": "service", "list_price": 10 + i, "invoice_policy": "order"}
            for i in range(5)
        ]
    )
    print(
        "customers | invoices | inv/s stock | inv/s run | queries/inv stock | queries/inv run"
        " | peak MB stock | peak MB run"
    )
    peaks = {}
    for size in (10, 100):

        def customers(tag, size=size):
            partners = env["res.partner"].create(
                [{"name": f"Bench monthly {tag}{size}-{i}", "is_company": True} for i in range(size)]
            )
            partners.write({"b2b_invoicing_policy": "monthly"})
            return partners

        def run_on(partners):
            return env["b2b.invoicing.run"].create({"partner_ids": [Command.set(partners.ids)]})

        # time and queries (no memory tracing: it slows Python down)
        stock_orders = make_orders(env, customers("s"), products)
        stock_invoices, stock_queries, stock_time, _ = measure(env, stock_orders._create_invoices)
        run_customers = customers("r")
        run_orders = make_orders(env, run_customers, products)
        run = run_on(run_customers)
        _, run_queries, run_time, _ = measure(env, run.action_run)
        assert run.invoice_ids.invoice_line_ids.sale_line_ids == run_orders.order_line
        assert len(run.invoice_ids) == len(stock_invoices)
        # peak Python memory, traced, on fresh copies
        mem_stock_orders = make_orders(env, customers("ms"), products)
        _, _, _, stock_peak = measure(env, mem_stock_orders._create_invoices, memory=True)
        mem_customers = customers("mr")
        make_orders(env, mem_customers, products)
        _, _, _, run_peak = measure(env, run_on(mem_customers).action_run, memory=True)
        peaks[size] = (stock_peak, run_peak)
        count = len(stock_invoices)
        print(
            f"{size:9d} | {count:8d} | {count / stock_time:11.2f} | {count / run_time:9.2f} | "
            f"{stock_queries / count:17.1f} | {run_queries / count:15.1f} | "
            f"{stock_peak / 2**20:13.1f} | {run_peak / 2**20:11.1f}"
        )
    print(
        f"peak memory of the 10x larger run: stock {peaks[100][0] / peaks[10][0]:.2f}x, "
        f"summary run {peaks[100][1] / peaks[10][1]:.2f}x"
    )
    env.cr.rollback()


main(env)  # noqa: F821 - provided by odoo shell
