def migrate(cr, version):
    if not version:
        return
    # The remittance email now says what a payment brings beyond what is due (kept as the
    # payer's credit). Its English body is reloaded from the data file, but Odoo keeps an
    # existing translation of a translated field: drop the French one, so the translations
    # loaded right after this script give the new French body.
    cr.execute(
        """UPDATE mail_template
              SET body_html = body_html - 'fr_FR'
            WHERE id IN (SELECT res_id FROM ir_model_data
                          WHERE module = 'b2b_customer_portal'
                            AND name = 'mail_template_b2b_invoice_remittance')"""
    )
