{
    "name": "B2B Credit Hold",
    "summary": "Credit limit and live exposure, overdue and late-payer rules, orders held on confirmation",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "maintainers": ["b2b-order-to-cash"],
    "development_status": "Beta",
    "depends": [
        "b2b_party_roles",
        "sale_stock",
        "account_payment",
    ],
    "data": [
        "security/b2b_credit_hold_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "views/b2b_credit_decision_views.xml",
        "wizard/b2b_credit_decision_wizard_views.xml",
    ],
    "demo": [
        "demo/b2b_credit_hold_demo.xml",
    ],
}
