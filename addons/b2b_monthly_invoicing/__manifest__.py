{
    "name": "B2B Monthly Invoicing",
    "summary": "Per-customer invoicing policy, end-of-month summary invoices, French legal mentions, express invoicing",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "maintainers": ["b2b-order-to-cash"],
    "development_status": "Beta",
    # amount in words on invoices (Odoo's res.currency.amount_to_text)
    "external_dependencies": {"python": ["num2words"]},
    "depends": [
        "b2b_party_roles",
        "b2b_order_split_address",
        "sale_stock",
        "account_edi_ubl_cii",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_monthly_invoicing_security.xml",
        "data/account_payment_term_data.xml",
        "data/ir_cron_data.xml",
        "views/b2b_invoicing_run_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "report/report_invoice.xml",
    ],
    "demo": [
        "demo/b2b_monthly_invoicing_demo.xml",
    ],
}
