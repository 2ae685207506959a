{
    "name": "B2B Replenishment",
    "summary": "Per customer/product reorder rules producing automatic or buyer-validated replenishment orders",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/b2b-order-to-cash/b2b-order-to-cash",
    "author": "B2B Order-to-Cash contributors",
    "license": "LGPL-3",
    "maintainers": ["b2b-order-to-cash"],
    "development_status": "Alpha",
    "depends": [
        "b2b_party_roles",
        "sale_stock",
    ],
    "data": [
        "security/ir.model.access.csv",
    ],
}
