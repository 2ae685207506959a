{
    "name": "B2B Party Roles",
    "summary": "Ordering contact, billed party and payer on orders and invoices; customer portal profiles",
    "version": "19.0.1.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "maintainers": ["b2b-order-to-cash"],
    "development_status": "Beta",
    "depends": [
        "sale_management",
        "account",
        "portal",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_party_roles_security.xml",
        "data/res_groups_data.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "wizard/b2b_approval_reject_wizard_views.xml",
        "report/report_invoice.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "demo": [
        "demo/res_company_demo.xml",
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
        "demo/b2b_roles_demo.xml",
    ],
    "assets": {
        # Debian's wkhtmltopdf (unpatched Qt) draws text set in a web font
        # (@font-face) as outlines: the PDF then has no text to search, copy or
        # check. Without Odoo's @font-face rules the report fonts (Lato by default)
        # come from the system (fonts-lato), and PDFs keep real, embedded text.
        "web.report_assets_common": [
            ("remove", "web/static/fonts/fonts.scss"),
        ],
    },
}
