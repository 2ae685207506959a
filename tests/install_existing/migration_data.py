"""A few orders made with the code of the commit before a stored-data change (run inside
`odoo shell` with that code, the six addons installed), for its migration to act on:
customers with and without a fiscal position of their own, confirmed orders, one delivered
and invoiced, a quotation (of a payer that prepays, when the credit addon has the policy). Standard
fields otherwise, so that it runs with any commit's code.
Prints one JSON line."""

import json

from odoo import Command

env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821
company = env.company
position = env["account.fiscal.position"].search(
    [("company_id", "=", company.id), ("tax_ids", "!=", False)], order="sequence, id", limit=1
)
product = env["product.product"].create(
    {"name": "Migration Good", "type": "consu", "is_storable": True, "list_price": 12.5, "invoice_policy": "order"}
)
customers = env["res.partner"].create(
    [
        # a postal address: later commits refuse to post an invoice to a customer without one
        {
            "name": f"Migration Customer {i}",
            "is_company": True,
            "street": f"{i + 1} rue de la Migration",
            "zip": "69002",
            "city": "Lyon",
            "country_id": env.ref("base.fr").id,
        }
        for i in range(4)
    ]
)
customers[:2].property_account_position_id = position
orders = env["sale.order"].create(
    [
        {
            "partner_id": customer.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 2 + n}),
                Command.create({"product_id": product.id, "product_uom_qty": 1, "discount": 10}),
            ],
        }
        for customer in customers
        for n in range(2)
    ]
)
orders[:-1].action_confirm()
invoice = orders[0]._create_invoices()
invoice.action_post()
if "b2b_credit_policy" in customers._fields:
    # the last customer prepays from now on: its open quotation waits for prepayment
    customers[-1].b2b_credit_policy = "prepay"
env.cr.commit()
print(json.dumps({"orders": len(orders), "positioned": len(orders.filtered("fiscal_position_id"))}))
