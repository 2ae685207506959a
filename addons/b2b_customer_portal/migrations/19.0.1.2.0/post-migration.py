from odoo.addons.b2b_customer_portal.models.sale_order_status import PORTAL_STATUS_SQL
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    # from 19.0.1.1.0: a quotation whose payer prepays is "Waiting for Prepayment" before any
    # other draft status (it was "Quotation"); only quotations change, in one UPDATE
    cr.execute(
        SQL(
            "UPDATE sale_order so SET b2b_portal_status = %s WHERE so.state IN ('draft', 'sent')",
            PORTAL_STATUS_SQL,
        )
    )
    # The statement email now carries the guest "Pay now" link. Its English body is reloaded
    # from the data file, but Odoo keeps an existing translation: drop the French one, so the
    # translations loaded right after this script give the new French body with the link.
    cr.execute(
        """UPDATE mail_template
              SET body_html = body_html - 'fr_FR'
            WHERE id IN (SELECT res_id FROM ir_model_data
                          WHERE module = 'b2b_customer_portal' AND name = 'mail_template_b2b_statement')"""
    )
