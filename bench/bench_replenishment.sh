#!/usr/bin/env bash
# Replenishment run vs one batched sale.order.create of the same quotations
# (b2b_replenishment), at B2B_BENCH_CUSTOMERS customers (default 1000) x 2 sites x 5
# products, in a scratch copy of the test database (dropped at the end unless
# B2B_BENCH_KEEP=1: then kept, and its data reused next time). See bench_replenishment.py.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/../setup/env.sh"
db=${B2B_TEST_DB}_repl_bench

drop_copy() {
    b2b_psql -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    rm -rf "$B2B_CACHE/data/filestore/$db"
}
[ "${B2B_BENCH_KEEP:-0}" = 1 ] || trap drop_copy EXIT
if [ "$(b2b_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    b2b_psql -d postgres -c "CREATE DATABASE \"$db\" TEMPLATE \"$B2B_TEST_DB\" OWNER \"$B2B_PG_USER\""
    if [ -d "$B2B_CACHE/data/filestore/$B2B_TEST_DB" ]; then
        cp -r "$B2B_CACHE/data/filestore/$B2B_TEST_DB" "$B2B_CACHE/data/filestore/$db"
    fi
fi
PYTHONPATH="$B2B_ROOT/bench:$B2B_ODOO_PYTHONPATH" "$B2B_VENV/bin/python" -m odoo shell \
    -c "$B2B_CONF" -d "$db" --no-http --log-level=error < "$B2B_ROOT/bench/bench_replenishment.py"
