#!/usr/bin/env bash
# Run every benchmark under bench/ inside `odoo shell` on the test database (built if
# missing). Each benchmark compares with standard Odoo in the same run and rolls back.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
if [ "$(b2b_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$B2B_TEST_DB'")" != 1 ]; then
    bash "$B2B_ROOT/setup/db.sh" test
fi
for bench in "$B2B_ROOT"/bench/bench_*.py "$B2B_ROOT"/bench/bench_*.sh "$@"; do
    [ -f "$bench" ] || continue
    step "$(basename "$bench")"
    case $bench in
    *.sh) bash "$bench" ;;  # runs its own phases (e.g. in a scratch copy of the database)
    *)
        PYTHONPATH="$B2B_ROOT/bench:$B2B_ODOO_PYTHONPATH" "$B2B_VENV/bin/python" -m odoo shell \
            -c "$B2B_CONF" -d "$B2B_TEST_DB" --no-http --log-level=error < "$bench"
        ;;
    esac
done
