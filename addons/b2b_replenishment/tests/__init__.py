from . import test_replenishment_compute, test_replenishment_run
