from . import (
    test_express_invoice,
    test_invoice_document,
    test_invoicing_cron,
    test_invoicing_cutoff,
    test_invoicing_run,
    test_invoicing_run_users,
    test_legal_checks,
)
