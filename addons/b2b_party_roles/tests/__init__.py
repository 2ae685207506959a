from . import (
    test_access,
    test_approval,
    test_i18n,
    test_invoice_payer,
    test_partner_query_count,
    test_partner_views,
    test_party_defaults,
)
