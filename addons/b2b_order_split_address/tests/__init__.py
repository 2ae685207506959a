from . import (
    test_line_addresses,
    test_line_fiscal_position,
    test_portal_order,
    test_quick_entry,
    test_site_labels,
    test_split_deliveries,
    test_split_invoices,
)
