from . import (
    test_concurrency,
    test_decisions,
    test_exposure,
    test_late_payer,
    test_new_order_domains,
    test_policies,
    test_portal_confirmation,
    test_review_activity,
)
