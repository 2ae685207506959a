from . import test_express_invoice, test_invoice_document, test_invoicing_run, test_legal_checks
