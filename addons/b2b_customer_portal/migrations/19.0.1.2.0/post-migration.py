from odoo.addons.b2b_customer_portal.models.sale_order_status import PORTAL_STATUS_SQL
from odoo.tools import SQL


def migrate(cr, version):
    # from 19.0.1.1.0: a quotation whose payer prepays is "Waiting for Prepayment" before any
    # other draft status (it was "Quotation"); only quotations change, in one UPDATE
    if version:
        cr.execute(
            SQL(
                "UPDATE sale_order so SET b2b_portal_status = %s WHERE so.state IN ('draft', 'sent')",
                PORTAL_STATUS_SQL,
            )
        )
