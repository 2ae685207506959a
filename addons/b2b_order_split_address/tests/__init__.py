from . import test_line_addresses, test_portal_order, test_quick_entry, test_split_deliveries, test_split_invoices
