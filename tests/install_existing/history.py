"""A company's history in standard Odoo, before the six addons are installed (run inside
`odoo shell` on a database with sale_management, sale_stock, account_payment and
l10n_fr_account only; the same recipe at a larger scale for bench/bench_install.sh).

B2B_HISTORY_CUSTOMERS customers (default 30), each a company with two delivery sites and a
buyer; B2B_HISTORY_ORDERS confirmed orders (default 120) of B2B_HISTORY_LINES lines (default
3, plus a service on every fourth order unless B2B_HISTORY_SERVICE=0) spread over them,
each delivered to one of the customer's sites; one customer in US dollars; one subsidiary
whose orders are billed to another customer (its head office); two customers under a
fiscal position. The first B2B_HISTORY_INVOICES orders (default 30) are delivered, invoiced
(one invoice each) and posted, B2B_HISTORY_PAID of those (default 0.5) paid, one of them
partly; the next B2B_HISTORY_DELIVERED orders (default a quarter of them) are delivered only,
the next B2B_HISTORY_PARTLY (default one in twenty) partly delivered, the rest open. A few
quotations and one draft invoice as well. The sales journal hashes its entries (inalterable
hash), as French companies set it, and two invoices are issued as PDF.
Everything through the ORM, in chunks of B2B_HISTORY_CHUNK orders, committed chunk by chunk.

Prints one JSON line: {"customers": n, "orders": n, "invoices": n, ...}.
"""

import json
import os
from datetime import timedelta

from odoo import Command, fields

env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True, mail_create_nolog=True))  # noqa: F821
n_customers = int(os.environ.get("B2B_HISTORY_CUSTOMERS", 30))
n_orders = int(os.environ.get("B2B_HISTORY_ORDERS", 120))
n_invoices = int(os.environ.get("B2B_HISTORY_INVOICES", 30))
n_lines = max(int(os.environ.get("B2B_HISTORY_LINES", 3)), 2)
with_service = os.environ.get("B2B_HISTORY_SERVICE", "1") == "1"
paid_ratio = float(os.environ.get("B2B_HISTORY_PAID", 0.5))
chunk = int(os.environ.get("B2B_HISTORY_CHUNK", 250))
company = env.company
today = fields.Date.context_today(env["res.partner"])
fr = env.ref("base.fr")

# --- products: stocked goods invoiced on delivery, one invoiced on order, a service ---
Product = env["product.product"]
goods = Product.create(
    [
        {
            "name": f"History Good {i}",
            "type": "consu",
            "is_storable": True,
            "list_price": 10.0 * i + 0.37,
            "invoice_policy": "delivery",
        }
        for i in range(1, max(n_lines, 4))
    ]
)
on_order = Product.create(
    {
        "name": "History Kit (invoiced on order)",
        "type": "consu",
        "is_storable": True,
        "list_price": 55.5,
        "invoice_policy": "order",
    }
)
service = Product.create({"name": "History Service", "type": "service", "list_price": 80.0, "invoice_policy": "order"})
stock_location = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
for product in goods | on_order:
    env["stock.quant"]._update_available_quantity(product, stock_location, 10 * n_orders + 1000)

# --- a customer invoiced in US dollars (pricelist in USD, one rate) ---
usd = env.ref("base.USD")
usd.active = True
env["res.currency.rate"].search([("currency_id", "=", usd.id)]).unlink()
env["res.currency.rate"].create({"currency_id": usd.id, "name": today - timedelta(days=400), "rate": 1.25})
usd_pricelist = env["product.pricelist"].create({"name": "History USD", "currency_id": usd.id})

# --- customers: a company, two delivery sites, a buyer ---
Partner = env["res.partner"]
customers = Partner.create(
    [
        {
            "name": f"History Customer {i:04d}",
            "is_company": True,
            "country_id": fr.id,
            "street": f"{i} rue de Paris",
            "zip": "75001",
            "city": "Paris",
        }
        for i in range(n_customers)
    ]
)
sites = {}
buyers = {}
site_vals, buyer_vals = [], []
for customer in customers:
    for k in (1, 2):
        site_vals.append(
            {
                "parent_id": customer.id,
                "type": "delivery",
                "name": f"Site {k}",
                "street": f"{k} quai {customer.name}",
                "zip": "69001",
                "city": "Lyon",
                "country_id": fr.id,
            }
        )
    buyer_vals.append(
        {
            "parent_id": customer.id,
            "type": "contact",
            "name": f"Buyer of {customer.name}",
            "email": f"buyer{customer.id}@example.com",
        }
    )
for site in Partner.create(site_vals):
    sites.setdefault(site.parent_id.id, []).append(site.id)
for buyer in Partner.create(buyer_vals):
    buyers[buyer.parent_id.id] = buyer.id
usd_customer = customers[2 % len(customers)]
usd_customer.property_product_pricelist = usd_pricelist
head_office, subsidiary = customers[0], customers[1 % len(customers)]
# two customers under a fiscal position of their own (intra-community, taxes mapped on their orders)
position = env["account.fiscal.position"].search(
    [("company_id", "=", company.id), ("tax_ids", "!=", False)], order="sequence, id", limit=1
)
for customer in customers[3:5]:
    customer.property_account_position_id = position
customer_ids = customers.ids
env.cr.commit()


def order_vals(n):
    customer_id = customer_ids[n % len(customer_ids)]
    products = [goods[(n + k) % len(goods)] for k in range(n_lines - 1)] + [on_order]
    lines = [
        Command.create({"product_id": product.id, "product_uom_qty": 1 + (n + k) % 5, "discount": 5.0 * (k == 1)})
        for k, product in enumerate(products)
    ]
    if with_service and n % 4 == 0:
        lines.append(Command.create({"product_id": service.id, "product_uom_qty": 1}))
    vals = {
        "partner_id": buyers[customer_id] if n % 3 == 0 else customer_id,
        "partner_shipping_id": sites[customer_id][(n // len(customer_ids)) % 2],
        "order_line": lines,
    }
    if customer_id == usd_customer.id:
        vals["pricelist_id"] = usd_pricelist.id
    if customer_id == subsidiary.id and subsidiary != head_office:
        vals["partner_invoice_id"] = head_office.id
    return vals


def deliver_fully(orders):
    pickings = orders.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
    pickings.action_assign()
    pickings.move_ids.picked = True
    pickings.with_context(skip_backorder=True, skip_sms=True, skip_immediate=True).button_validate()


def deliver_half(orders):
    # the rest of a partial delivery is left in a backorder, as the user would choose
    for picking in orders.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
        for move in picking.move_ids:
            move.quantity = max(1, int(move.product_uom_qty / 2))
            move.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=[]).button_validate()


sale_journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
sale_journal.restrict_mode_hash_table = True
n_delivered = int(os.environ.get("B2B_HISTORY_DELIVERED", n_orders // 4))
n_partly = int(os.environ.get("B2B_HISTORY_PARTLY", max(n_orders // 20, 1)))
n_paid = int(n_invoices * paid_ratio)
order_ids, invoice_ids = [], []
for start in range(0, n_orders, chunk):
    numbers = range(start, min(start + chunk, n_orders))
    orders = env["sale.order"].create([order_vals(n) for n in numbers])
    orders.action_confirm()
    order_ids += orders.ids
    by_number = dict(zip(numbers, orders, strict=True))
    to_invoice = orders.browse([by_number[n].id for n in numbers if n < n_invoices])
    delivered = orders.browse([by_number[n].id for n in numbers if n_invoices <= n < n_invoices + n_delivered])
    partly = orders.browse(
        [by_number[n].id for n in numbers if n_invoices + n_delivered <= n < n_invoices + n_delivered + n_partly]
    )
    deliver_fully(to_invoice | delivered)
    deliver_half(partly)
    invoices = to_invoice._create_invoices(grouped=True) if to_invoice else env["account.move"]
    # invoices dated over the past year (the last 120 days for a small history), in order
    span = 120 if n_invoices <= 60 else 365
    dates = {}
    number_of = {order.id: n for n, order in by_number.items()}
    numbered = sorted((number_of[invoice.invoice_line_ids.sale_line_ids.order_id.id], invoice) for invoice in invoices)
    for n, invoice in numbered:
        dates.setdefault(today - timedelta(days=span - (n * span) // max(n_invoices, 1)), []).append(invoice.id)
    for date, ids in sorted(dates.items()):
        invoices.browse(ids).write({"invoice_date": date})
    invoices.sorted(lambda m: (m.invoice_date, m.id)).action_post()
    invoice_ids += invoices.sorted("id").ids
    # the first ones paid in full, 20 days after their date
    to_pay = [invoice for n, invoice in numbered if n < n_paid - 1]
    by_date = {}
    for invoice in to_pay:
        by_date.setdefault(min(invoice.invoice_date + timedelta(days=20), today), []).append(invoice.id)
    for date, ids in sorted(by_date.items()):
        env["account.payment.register"].with_context(active_model="account.move", active_ids=ids).create(
            {"payment_date": date, "group_payment": False}
        )._create_payments()
    # one partly paid
    for n, invoice in numbered:
        if n == n_paid - 1:
            env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
                {
                    "payment_date": min(invoice.invoice_date + timedelta(days=20), today),
                    "amount": round(invoice.amount_total / 3, 2),
                    "payment_difference_handling": "open",
                }
            )._create_payments()
    env.cr.commit()
    env.invalidate_all()
    print(f"history: {start + len(numbers)} orders", flush=True)

# spread the orders over the past year, oldest first (date_order is the confirmation date)
env.cr.execute(
    """
    UPDATE sale_order
       SET date_order = now() at time zone 'UTC' - ((%(n)s - rank) * 300 / %(n)s + 1) * interval '1 day'
      FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rank FROM sale_order WHERE id = ANY(%(ids)s)) ranked
     WHERE ranked.id = sale_order.id
    """,
    {"n": max(n_orders, 1), "ids": order_ids},
)
invoices = env["account.move"].browse(invoice_ids)
# two invoices issued as PDF (Odoo keeps the issued document and serves it again)
env["account.move.send"]._generate_and_send_invoices(invoices[-2:], sending_methods=["manual"])
# a draft invoice of a partly delivered order (counted in its customer's exposure as a draft)
partly = env["sale.order"].browse(order_ids[n_invoices + n_delivered : n_invoices + n_delivered + 1])
draft_invoices = partly._create_invoices() if partly else env["account.move"]
# quotations never confirmed
quotations = env["sale.order"].create(
    [
        {
            "partner_id": customer_ids[n % len(customer_ids)],
            "order_line": [Command.create({"product_id": goods[0].id, "product_uom_qty": 2})],
        }
        for n in range(5)
    ]
)
env.cr.commit()
print(
    json.dumps(
        {
            "customers": len(customers),
            "orders": len(order_ids),
            "invoices": len(invoices),
            "paid": sum(1 for invoice in invoices if invoice.payment_state in ("paid", "in_payment")),
            "partly_paid": sum(1 for invoice in invoices if invoice.payment_state == "partial"),
            "draft_invoices": len(draft_invoices),
            "quotations": len(quotations),
            "head_office": head_office.id,
            "fiscal_position": position.id,
            "subsidiary": subsidiary.id,
            "usd_customer": usd_customer.id,
            "hashed": len(invoices.filtered("inalterable_hash")),
            "pdfs": len(invoices.filtered("invoice_pdf_report_id")),
        }
    )
)
