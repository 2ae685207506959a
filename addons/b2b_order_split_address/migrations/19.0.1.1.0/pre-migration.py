from odoo.addons.b2b_order_split_address.hooks import fill_line_fiscal_position


def migrate(cr, version):
    if version:
        fill_line_fiscal_position(cr)
