from . import (
    test_order_import,
    test_order_type,
    test_portal_approvals,
    test_portal_credit,
    test_portal_export,
    test_portal_invoice_dispute,
    test_portal_invoices,
    test_portal_order_page,
    test_portal_orders,
    test_portal_quick_order,
    test_portal_scope,
    test_portal_statement,
)
