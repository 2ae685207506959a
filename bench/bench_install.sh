#!/usr/bin/env bash
# Install of the six addons on a company's history vs on the same database without it
# (issue 17): seconds, peak memory and rows written, with the addons' pre_init_hooks and
# without them (the ORM computing every new stored field record by record). The scale is
# B2B_BENCH_CUSTOMERS / B2B_BENCH_ORDERS / B2B_BENCH_INVOICES (default 2000 / 20000 /
# 15000); the databases it builds (standard modules, then the history) are kept and reused
# while their recipe is unchanged. Details in bench/bench_install.py.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/../setup/env.sh"
bash "$B2B_ROOT/setup/pg.sh" start >/dev/null
PYTHONPATH=$B2B_ODOO_PYTHONPATH "$B2B_VENV/bin/python" "$B2B_ROOT/bench/bench_install.py"
