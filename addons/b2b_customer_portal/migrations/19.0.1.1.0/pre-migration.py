from odoo.addons.b2b_customer_portal.hooks import fill_order_portal_status


def migrate(cr, version):
    # from the empty 19.0.1.0.0: the orders' portal status, filled in SQL like at install
    if version:
        fill_order_portal_status(cr)
