"""Data of bench_portal_orders.sh (run inside `odoo shell` on the scratch copy, committed):
a customer with 5 delivery sites, a portal buyer, and B2B_BENCH_ORDERS orders (default
10,000) of 5 lines each, one line per site, over two years, in several statuses.

A few template orders are made through the ORM (confirmed, partly delivered, delivered,
quotations sent); the orders are then copies of them made in SQL (a few seconds for 10,000
orders and 50,000 lines, where the ORM takes the best part of an hour on this machine).
Prints one JSON line: the buyer's login, the sites' ids, a product reference."""

import json
import os

from odoo import Command
from odoo.tests import new_test_user

env = globals()["env"]
ORDERS = int(os.environ.get("B2B_BENCH_ORDERS", "10000"))
LOGIN = "bench_portal_buyer"

Partner = env["res.partner"]
country = env.ref("base.fr")
address = {"street": "1 rue du Banc", "zip": "69002", "city": "Lyon", "country_id": country.id}
customer = Partner.create({"name": "Client Banc d'essai SA", "is_company": True, **address})
sites = Partner.create(
    [
        {"name": f"Site {n}", "type": "delivery", "parent_id": customer.id, **address, "city": f"Ville {n}"}
        for n in range(1, 6)
    ]
)
contact = Partner.create({"name": "Acheteuse Banc", "parent_id": customer.id, "email": "banc@example.com"})
buyer = new_test_user(env, login=LOGIN, groups="base.group_portal", partner_id=contact.id, lang="en_US")
category = env["product.category"].create({"name": "Banc"})
products = env["product.product"].create(
    [
        {"name": f"Article banc {n}", "default_code": f"BANC-{n:03d}", "type": "consu", "list_price": 10 + n}
        for n in range(20)
    ]
)


def template(confirm=True, deliver=None, send=False):
    order = env["sale.order"].create(
        {
            "partner_id": contact.id,
            "partner_shipping_id": sites[0].id,
            "client_order_ref": "PO-BANC",
            "order_line": [
                Command.create(
                    {"product_id": products[n].id, "product_uom_qty": 10, "partner_shipping_id": sites[n].id}
                )
                for n in range(5)
            ],
        }
    )
    if send:
        order.action_quotation_sent()
    if confirm:
        order.action_confirm()
    if deliver:
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty * deliver
        order.picking_ids.with_context(skip_backorder=True, picking_ids_not_to_backorder=[])._action_done()
    return order


templates = [template(), template(), template(deliver=0.5), template(deliver=1), template(confirm=False, send=True)]
env.flush_all()


def columns(table):
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'", [table]
    )
    return [row[0] for row in env.cr.fetchall()]


order_cols = [c for c in columns("sale_order") if c not in ("name", "date_order")]
line_cols = [c for c in columns("sale_order_line") if c != "order_id"]
per_template = ORDERS // len(templates)
for index, order in enumerate(templates):
    order_list = ", ".join(f'"{c}"' for c in order_cols)
    env.cr.execute(
        f"""
        WITH new_orders AS (
            INSERT INTO sale_order (name, date_order, {order_list})
            SELECT 'BANC' || lpad((gs * {len(templates)} + {index})::text, 6, '0'),
                   now() - (gs * {len(templates)} + {index}) * interval '100 minutes',
                   {order_list}
              FROM sale_order, generate_series(1, %s) gs
             WHERE id = %s
            RETURNING id
        )
        INSERT INTO sale_order_line (order_id, {", ".join(f'"{c}"' for c in line_cols)})
        SELECT new_orders.id, {", ".join(f'line."{c}"' for c in line_cols)}
          FROM new_orders, sale_order_line line
         WHERE line.order_id = %s
        """,
        [per_template, order.id, order.id],
    )
env.cr.execute("ANALYZE sale_order; ANALYZE sale_order_line")
env.cr.execute("SELECT count(*) FROM sale_order WHERE partner_id = %s", [contact.id])
orders = env.cr.fetchone()[0]
env.cr.execute(
    "SELECT count(*) FROM sale_order_line line JOIN sale_order o ON o.id = line.order_id WHERE o.partner_id = %s",
    [contact.id],
)
lines = env.cr.fetchone()[0]
env.cr.commit()
print(json.dumps({"login": LOGIN, "sites": sites.ids, "product": "BANC-007", "orders": orders, "lines": lines}))
