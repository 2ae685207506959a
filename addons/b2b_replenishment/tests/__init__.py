from . import (
    test_portal_replenishment,
    test_replenishment_compute,
    test_replenishment_concurrency,
    test_replenishment_run,
)
