#!/usr/bin/env bash
# Run every test (addons' and cross-addon tests/) with pytest-odoo against a freshly
# built test database, HTTP server and headless Chromium included. Leaves no
# server behind: PostgreSQL is stopped again when this script started it.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"

pg_was_running=0
bash "$B2B_ROOT/setup/pg.sh" status >/dev/null 2>&1 && pg_was_running=1
bash "$B2B_ROOT/setup/setup.sh"
cleanup() {
    [ "$pg_was_running" = 1 ] || bash "$B2B_ROOT/setup/pg.sh" stop
}
trap cleanup EXIT

step "test database"
bash "$B2B_ROOT/setup/db.sh" test

step "tests"
cd "$B2B_ROOT"
set +e
PYTHONPATH=$B2B_ODOO_PYTHONPATH "$B2B_VENV/bin/pytest" -c tests/pytest.ini --rootdir "$B2B_ROOT" \
    --odoo-config "$B2B_CONF" --odoo-database "$B2B_TEST_DB" --odoo-http --odoo-log-level error \
    "$@" addons tests
rc=$?
set -e

# Odoo's own suites of the modules we extend, on the same database (its tests roll back)
if [ "${B2B_ODOO_SUITES:-1}" = 1 ] && [ $# = 0 ]; then
    step "Odoo's own tests with the six addons installed"
    bash "$B2B_ROOT/setup/odoo_suites.sh" "$B2B_TEST_DB" || rc=1
fi
exit $rc
