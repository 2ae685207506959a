{
    "name": "B2B Order Split Address",
    "summary": "Delivery and invoice address per order line, split deliveries and invoices, quick order entry",
    "version": "19.0.1.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "maintainers": ["b2b-order-to-cash"],
    "development_status": "Beta",
    "external_dependencies": {"python": ["openpyxl"]},
    "depends": [
        "b2b_party_roles",
        "sale_stock",
    ],
    "data": [
        "security/ir.model.access.csv",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/sale_portal_templates.xml",
        "wizard/b2b_quick_entry_views.xml",
        "report/sale_order_report.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "demo": [
        "demo/sale_order_demo.xml",
    ],
}
