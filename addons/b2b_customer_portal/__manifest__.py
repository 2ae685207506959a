{
    "name": "B2B Customer Portal",
    "summary": "Self-service portal: order tracking, invoices and PDFs, paying several invoices, disputes, quick order",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "maintainers": ["b2b-order-to-cash"],
    "development_status": "Alpha",
    "depends": [
        "b2b_party_roles",
        "b2b_order_split_address",
        "b2b_credit_hold",
        "b2b_monthly_invoicing",
        "account_payment",
    ],
    "data": [
        "security/ir.model.access.csv",
    ],
}
