{
    "name": "B2B Credit Hold",
    "summary": "Credit limit and live exposure, overdue and late-payer rules, orders held on confirmation",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "depends": [
        "b2b_party_roles",
        "sale_stock",
        "account_payment",
    ],
    "data": [
        "security/ir.model.access.csv",
    ],
}
