"""Install into a database with history: the orders' portal status is created and filled
here in SQL, with the value its compute gives, so that the ORM does not recompute every
existing order in Python (it only computes a new stored field whose column it has to
create)."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .models.sale_order_status import PORTAL_STATUS_SQL


def fill_order_portal_status(cr):
    """b2b_portal_status of existing orders, by the compute's precedence."""
    if column_exists(cr, "sale_order", "b2b_portal_status"):
        return
    create_column(cr, "sale_order", "b2b_portal_status", "varchar", "Portal Status")
    cr.execute(SQL("UPDATE sale_order so SET b2b_portal_status = %s", PORTAL_STATUS_SQL))


def pre_init_hook(env):
    fill_order_portal_status(env.cr)


def post_init_hook(env):
    """Status messages of the payment providers in English again in a database created in
    another language (``payment.provider._b2b_restore_english_messages``).

    A wire transfer's instructions (payment_custom) are written by Odoo only when
    account_payment is already installed: installed in the same run as account_payment, they
    stay empty and the customer who chose a bank transfer is given no bank account. Written here,
    once account_payment (our dependency) is installed."""
    providers = env["payment.provider"].search([])
    if hasattr(providers, "_transfer_ensure_pending_msg_is_set"):
        providers._transfer_ensure_pending_msg_is_set()
    providers._b2b_restore_english_messages()
