"""Standard Odoo still works (run inside `odoo shell`, after the addons were uninstalled):
an order of an existing customer is confirmed, delivered, invoiced and paid; an existing
customer's buyer gets a portal user (login and password B2B_PORTAL_LOGIN) to open the
portal with. Prints one JSON line with what happened."""

import json
import os

from odoo import Command

env = globals()["env"]
history = json.loads(os.environ["B2B_HISTORY"])
customer = env["res.partner"].browse(history["head_office"])
product = env["product.product"].search([("name", "=like", "History Good%")], limit=1)
order = env["sale.order"].create(
    {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 4})]}
)
order.action_confirm()
picking = order.picking_ids
picking.move_ids.quantity = 4
picking.move_ids.picked = True
picking.button_validate()
invoice = order._create_invoices()
invoice.action_post()
env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
    {}
)._create_payments()
buyer = customer.child_ids.filtered(lambda p: p.type == "contact")[:1]
login = os.environ["B2B_PORTAL_LOGIN"]
user = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": buyer.name,
            "login": login,
            "password": login,
            "partner_id": buyer.id,
            "group_ids": [Command.set([env.ref("base.group_portal").id])],
        }
    )
)
env.cr.commit()
print(
    json.dumps(
        {
            "order": order.name,
            "order_state": order.state,
            "picking_state": picking.state,
            "invoice": invoice.name,
            "invoice_state": invoice.state,
            "payment_state": invoice.payment_state,
            "invoice_status": order.invoice_status,
            "portal_user": user.login,
            "portal_partner": buyer.name,
        }
    )
)
