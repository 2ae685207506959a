"""After a database built with the code of the commit before a stored-data change was
upgraded (-u) with the current code (run inside `odoo shell`): the data the change's
migration must give. B2B_MIGRATION names the commit of the change; writes
{"failures": [...], "figures": {...}} to the file named by B2B_CHECKS_FILE."""

import json
import os

env = globals()["env"]
failures = []
figures = {}


def check(condition, message):
    if not condition:
        failures.append(message)


def check_127fd28():
    """b2b_order_split_address 19.0.1.1.0: each order line has a fiscal position, its
    order's (the one its taxes were mapped with)."""
    lines = env["sale.order.line"].search([("order_id", "!=", False)])
    positioned = lines.filtered("order_id.fiscal_position_id")
    figures.update(lines=len(lines), positioned=len(positioned))
    check(positioned, "no order under a fiscal position to migrate")
    for line in lines:
        check(
            line.fiscal_position_id == line.order_id.fiscal_position_id,
            f"{line.order_id.name} line {line.id}: position {line.fiscal_position_id.name} "
            f"!= {line.order_id.fiscal_position_id.name}",
        )


def check_7674672():
    """b2b_party_roles 19.0.1.1.0: every existing order has an order type, standard (filled
    in SQL by Odoo when it added the column)."""
    env.cr.execute("SELECT b2b_order_type, count(*) FROM sale_order GROUP BY b2b_order_type")
    types = dict(env.cr.fetchall())
    figures.update(types=types)
    check(types, "no order to migrate")
    check(set(types) == {"standard"}, f"order types after the upgrade: {types}")


def check_0e53167():
    """b2b_customer_portal 19.0.1.1.0: every existing order has the portal status its compute
    gives (filled in SQL by the pre-migration script)."""
    orders = env["sale.order"].search([])
    env.cr.execute("SELECT id, b2b_portal_status FROM sale_order")
    stored = dict(env.cr.fetchall())
    figures.update(orders=len(orders), statuses=sorted(set(stored.values()), key=str))
    check(orders, "no order to migrate")
    for order in orders:
        expected = order._b2b_portal_status_value()
        check(stored[order.id] == expected, f"{order.name}: portal status {stored[order.id]} != {expected}")


def check_82f6732():
    """b2b_customer_portal 19.0.1.2.0: the quotation of a prepaying payer waits for
    prepayment (it was a plain quotation), and every order keeps the status its compute gives."""
    check_0e53167()
    check("prepayment" in figures["statuses"], f"no quotation waiting for prepayment: {figures['statuses']}")


def check_98b12dd():
    """b2b_customer_portal 19.0.1.3.0: no customer receives the monthly statement until a
    billing user turns it on (the new column is left empty), nothing sent yet, and the monthly
    scheduled action exists."""
    env.cr.execute("SELECT count(*) FILTER (WHERE b2b_statement_monthly), count(*) FROM res_partner")
    monthly, partners = env.cr.fetchone()
    figures.update(partners=partners, monthly=monthly)
    check(partners, "no customer to migrate")
    check(monthly == 0, f"{monthly} customers on the monthly statement after the upgrade")
    check(env["b2b.statement.sending"].search_count([]) == 0, "statements sent by the upgrade")
    check(
        env.ref("b2b_customer_portal.ir_cron_b2b_monthly_statement", raise_if_not_found=False),
        "no monthly statement scheduled action",
    )
    # the French remittance email (when French is installed) is the new one, with the credit
    remittance = env.ref("b2b_customer_portal.mail_template_b2b_invoice_remittance")
    env.cr.execute("SELECT body_html->>'fr_FR' FROM mail_template WHERE id = %s", [remittance.id])
    french = env.cr.fetchone()[0]
    figures.update(remittance_french=bool(french))
    check(not french or "_b2b_kept_as_credit" in french, "the French remittance email is the old one")


CHECKS = {
    "127fd28": check_127fd28,
    "7674672": check_7674672,
    "0e53167": check_0e53167,
    "82f6732": check_82f6732,
    "98b12dd": check_98b12dd,
}
CHECKS[os.environ["B2B_MIGRATION"]]()
env.cr.rollback()
with open(os.environ["B2B_CHECKS_FILE"], "w", encoding="utf-8") as out:
    json.dump({"failures": failures, "figures": figures}, out, indent=1, default=str)
