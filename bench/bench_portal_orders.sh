#!/usr/bin/env bash
# /my/orders of b2b_customer_portal vs stock Odoo's /my/orders on the same data, over HTTP:
# a portal buyer whose customer has B2B_BENCH_ORDERS orders (default 10,000) of 5 lines
# (one per site, 5 sites).
#
# "Stock" is a database without b2b_customer_portal: the orders are built once (SQL copies
# of a few ORM-made orders, bench/portal_orders_data.py) in a scratch copy of the test
# database, which is then copied again and b2b_customer_portal uninstalled from the copy.
# One Odoo server per database (ports B2B_BENCH_PORT and B2B_BENCH_PORT+1, default 8950);
# bench/portal_orders_client.py logs the buyer in on both and times each page, alternating
# the servers. Both copies are dropped at the end, unless B2B_BENCH_KEEP=1: then they are
# kept and reused next time (b2b_customer_portal updated to the current code first).
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/../setup/env.sh"
db=${B2B_TEST_DB}_bench_portal
stock_db=${db}_stock
port=${B2B_BENCH_PORT:-8950}
logs=$B2B_CACHE/bench_portal_orders
mkdir -p "$logs"
pids=()

drop_copies() {
    for name in "$db" "$stock_db"; do
        b2b_psql -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
        rm -rf "$B2B_CACHE/data/filestore/$name"
    done
}
stop_servers() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
if [ "${B2B_BENCH_KEEP:-0}" = 1 ]; then
    trap 'stop_servers' EXIT
else
    trap 'stop_servers; drop_copies' EXIT
fi
copy_db() {
    b2b_psql -d postgres -c "CREATE DATABASE \"$2\" TEMPLATE \"$1\" OWNER \"$B2B_PG_USER\""
    if [ -d "$B2B_CACHE/data/filestore/$1" ]; then
        cp -r "$B2B_CACHE/data/filestore/$1" "$B2B_CACHE/data/filestore/$2"
    fi
}
shell() {
    PYTHONPATH="$B2B_ROOT/bench:$B2B_ODOO_PYTHONPATH" "$B2B_VENV/bin/python" -m odoo shell \
        -c "$B2B_CONF" -d "$1" --no-http --log-level=error
}

data_file=$logs/data.json
if [ "${B2B_BENCH_KEEP:-0}" != 1 ] || [ ! -s "$data_file" ] \
    || [ "$(b2b_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$stock_db'")" != 1 ]; then
    drop_copies
    step "build the orders in $db"
    copy_db "$B2B_TEST_DB" "$db"
    shell "$db" < "$B2B_ROOT/bench/portal_orders_data.py" | tail -n 1 > "$data_file"
    cat "$data_file"
    step "the same data without b2b_customer_portal in $stock_db"
    copy_db "$db" "$stock_db"
    shell "$stock_db" <<'PY'
env["ir.module.module"].search([("name", "=", "b2b_customer_portal")]).button_immediate_uninstall()
env.cr.commit()
PY
    for name in "$db" "$stock_db"; do b2b_psql -d "$name" -c "VACUUM ANALYZE"; done
else
    step "kept copies: b2b_customer_portal updated to the current code in $db"
    b2b_odoo -c "$B2B_CONF" -d "$db" -u b2b_customer_portal --stop-after-init --no-http --log-level=warn
fi

step "measure"
for name in "$db" "$stock_db"; do
    # the server itself in the background (not a subshell), so that its pid is the one stopped
    PYTHONPATH=$B2B_ODOO_PYTHONPATH "$B2B_VENV/bin/python" -m odoo -c "$B2B_CONF" -d "$name" \
        --db-filter "^$name\$" --http-port "$port" --workers 0 --max-cron-threads 0 --log-level=warn \
        --logfile "$logs/$name.log" &
    pids+=($!)
    port=$((port + 1))
done
ours=http://127.0.0.1:${B2B_BENCH_PORT:-8950}
stock=http://127.0.0.1:$((${B2B_BENCH_PORT:-8950} + 1))
for url in "$ours" "$stock"; do
    for _ in $(seq 120); do
        curl -fsS -o /dev/null "$url/web/login" 2>/dev/null && break
        sleep 1
    done
done
# the servers' processes and databases: the client also reads the CPU time each page costs
# the Odoo process and its PostgreSQL backends, which the load of other processes does not
# stretch as it does wall time
export B2B_BENCH_SERVERS="${pids[0]}:$db ${pids[1]}:$stock_db"
"$B2B_VENV/bin/python" "$B2B_ROOT/bench/portal_orders_client.py" "$ours" "$stock" "$(cat "$data_file")" \
    | tee "$logs/results.md"
