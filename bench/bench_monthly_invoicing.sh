#!/usr/bin/env bash
# Summary invoicing run vs stock Odoo's `_create_invoices` on the same delivered orders
# (b2b_monthly_invoicing): invoices per second, queries per invoice and peak memory, at
# B2B_BENCH_CUSTOMERS customers (default "100 1000") x 10 orders x 5 lines.
#
# The orders are built once per size and committed in a scratch copy of the test database;
# each invoicing then runs in a fresh process (so that its peak resident memory is its
# own) on a freshly vacuumed database, and is rolled back. The copy is dropped at the end,
# unless B2B_BENCH_KEEP=1: then it is kept, and reused (orders already built) next time.
# B2B_BENCH_PHASES (default "build stock run") runs only some phases, e.g. "build" to
# prepare a kept copy, or "run" to measure only the summary run again.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/../setup/env.sh"
db=${B2B_TEST_DB}_bench
sizes=${B2B_BENCH_CUSTOMERS:-100 1000}
results=$(mktemp)

drop_copy() {
    b2b_psql -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    rm -rf "$B2B_CACHE/data/filestore/$db"
}
if [ "${B2B_BENCH_KEEP:-0}" = 1 ]; then
    trap 'rm -f "$results"' EXIT
else
    trap 'drop_copy; rm -f "$results"' EXIT
fi
if [ "${B2B_BENCH_KEEP:-0}" != 1 ] \
    || [ "$(b2b_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    drop_copy
    b2b_psql -d postgres -c "CREATE DATABASE \"$db\" TEMPLATE \"$B2B_TEST_DB\" OWNER \"$B2B_PG_USER\""
    if [ -d "$B2B_CACHE/data/filestore/$B2B_TEST_DB" ]; then
        cp -r "$B2B_CACHE/data/filestore/$B2B_TEST_DB" "$B2B_CACHE/data/filestore/$db"
    fi
fi

phase() {
    B2B_BENCH_PHASE=$1 B2B_BENCH_SIZE=$2 B2B_BENCH_RESULTS=$results \
        PYTHONPATH="$B2B_ROOT/bench:$B2B_ODOO_PYTHONPATH" "$B2B_VENV/bin/python" -m odoo shell \
        -c "$B2B_CONF" -d "$db" --no-http --log-level=error < "$B2B_ROOT/bench/monthly_invoicing_phase.py"
    b2b_psql -d "$db" -c "VACUUM ANALYZE"
}

for size in $sizes; do
    for name in ${B2B_BENCH_PHASES:-build stock run}; do
        phase "$name" "$size"
    done
done
B2B_BENCH_PHASE=report B2B_BENCH_RESULTS=$results "$B2B_VENV/bin/python" "$B2B_ROOT/bench/monthly_invoicing_phase.py"
