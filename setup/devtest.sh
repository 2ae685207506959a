#!/usr/bin/env bash
# Developer loop: run some tests on a database of your own, without rebuilding it.
#   B2B_DEV=name bash setup/devtest.sh [-u addon,addon] [pytest args: paths, -k ...]
# The database b2b_dev_<name> is built once (six addons, no demo, like the test
# database); -u updates the named addons in it first (after a change of fields, views
# or data). Each name gets its own HTTP port, so several developers can run at once.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
name=${B2B_DEV:?set B2B_DEV to a short name of your own}
export B2B_TEST_DB=b2b_dev_$name
port=$((8200 + $(printf '%s' "$name" | cksum | cut -d' ' -f1) % 500))
conf=$B2B_CACHE/odoo-dev-$name.conf
bash "$B2B_ROOT/setup/pg.sh" start >/dev/null
sed -e "s/^http_port = .*/http_port = $port/" "$B2B_CONF" > "$conf"
B2B_CONF=$conf
update=""
if [ "${1:-}" = "-u" ]; then update=$2; shift 2; fi
exists() { [ "$(b2b_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
if ! exists "$B2B_TEST_DB"; then
    # every developer's database is a copy of one template, built once
    (
        flock 9
        exists b2b_dev_template || B2B_TEST_DB=b2b_dev_template B2B_CONF=$conf bash "$B2B_ROOT/setup/db.sh" test
    ) 9>"$B2B_CACHE/devtest.lock"
    b2b_psql -d postgres -c "CREATE DATABASE $B2B_TEST_DB TEMPLATE b2b_dev_template OWNER $B2B_PG_USER"
    rm -rf "$B2B_CACHE/data/filestore/$B2B_TEST_DB"
    [ -d "$B2B_CACHE/data/filestore/b2b_dev_template" ] \
        && cp -r "$B2B_CACHE/data/filestore/b2b_dev_template" "$B2B_CACHE/data/filestore/$B2B_TEST_DB"
    [ -z "$update" ] || b2b_odoo -c "$conf" -d "$B2B_TEST_DB" -u "$update" --stop-after-init --no-http --log-level=warn
elif [ -n "$update" ]; then
    b2b_odoo -c "$conf" -d "$B2B_TEST_DB" -u "$update" --stop-after-init --no-http --log-level=warn
fi
cd "$B2B_ROOT"
PYTHONPATH=$B2B_ODOO_PYTHONPATH "$B2B_VENV/bin/pytest" -c tests/pytest.ini --rootdir "$B2B_ROOT" \
    --odoo-config "$conf" --odoo-database "$B2B_TEST_DB" --odoo-http --odoo-log-level error "$@"
