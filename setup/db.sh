#!/usr/bin/env bash
# Databases of the project:
#   db.sh demo    create the demo database (six addons + demo data) unless it exists
#   db.sh update  update the six addons in the demo database (after pulling new code)
#   db.sh test    (re)build the test database from scratch: six addons, no demo data
#   db.sh drop-demo  drop the demo database
#   db.sh drop    drop the project's databases and their filestores
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"

db_exists() {
    [ "$(b2b_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

keep_network_local() {
    # The project's databases reach no service but 127.0.0.1: Odoo's online services
    # (IAP enrichment and autocomplete, SMS) are pointed at a closed local port; Peppol
    # runs in its demo mode (set by its own demo data; in tests Odoo blocks outside
    # requests). Remove these parameters in production.
    local closed=http://127.0.0.1:9
    b2b_psql -d "$1" <<EOF || fail "could not set the local-only parameters in $1" "read the message above"
INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid, write_date)
VALUES ('iap.endpoint', '$closed', 1, now(), 1, now()),
       ('iap.partner_autocomplete.endpoint', '$closed', 1, now(), 1, now()),
       ('enrich.endpoint', '$closed', 1, now(), 1, now()),
       ('sms.endpoint', '$closed', 1, now(), 1, now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
EOF
}

create_db() {
    # create_db NAME LANG [demo]: a French company (country FR: EUR, and l10n_fr_account's
    # chart and VAT installed with accounting), then the six addons, then demo data.
    # Only the six addons' demo data is loaded (setup/load_demo.py says why).
    local name=$1 lang=$2 demo=${3:-}
    b2b_odoo db -c "$B2B_CONF" init "$name" --force --language "$lang" --country FR \
        --username admin --password admin \
        || fail "could not create the database $name" "read the Odoo log above"
    keep_network_local "$name"
    # payment_demo and payment_custom (wire transfer): payment providers for the demo and
    # the portal tests, never a real one
    b2b_odoo -c "$B2B_CONF" -d "$name" -i "$B2B_ADDONS,payment_demo,payment_custom" --load-language fr_FR,en_US \
        --stop-after-init --no-http --log-level=warn \
        || fail "installing the addons in $name failed" "read the Odoo log above; fix the addon and re-run"
    if [ "$demo" = demo ]; then
        echo "loading the demo data of the six addons"
        b2b_odoo shell -c "$B2B_CONF" -d "$name" --no-http --log-level=warn < "$B2B_ROOT/setup/load_demo.py" >/dev/null \
            || fail "loading the demo data in $name failed" "read the Odoo log above"
    fi
    # Odoo may log a failed install and still exit 0: check what got installed.
    local installed
    installed=$(b2b_psql -d "$name" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(string_to_array('$B2B_ADDONS', ','))")
    [ "$installed" = 6 ] || fail "only $installed of the six addons are installed in $name" \
        "read the Odoo log above (ERROR / CRITICAL lines); fix and re-run"
    # A failing demo file is logged and skipped by Odoo (ir.demo_failure): not for us.
    local demo_failures
    demo_failures=$(b2b_psql -d "$name" -tAc "SELECT string_agg(m.name || ': ' || f.error, E'\\n') FROM ir_demo_failure f JOIN ir_module_module m ON m.id = f.module_id")
    [ -z "$demo_failures" ] || fail "demo data failed to load in $name: $demo_failures" \
        "fix the demo file named above, then run make reset-demo"
}

case "${1:-}" in
    demo)
        B2B_STEP="demo database $B2B_DEMO_DB"
        if db_exists "$B2B_DEMO_DB" && [ "$(b2b_psql -d "$B2B_DEMO_DB" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(string_to_array('$B2B_ADDONS', ','))")" = 6 ]; then
            echo "$B2B_DEMO_DB exists, reusing it (make reset-demo rebuilds it)"
        else
            echo "creating $B2B_DEMO_DB with demo data (a few minutes, once)"
            create_db "$B2B_DEMO_DB" fr_FR demo
        fi
        ;;
    update)
        B2B_STEP="update $B2B_DEMO_DB"
        b2b_odoo -c "$B2B_CONF" -d "$B2B_DEMO_DB" -u "$B2B_ADDONS" --stop-after-init --no-http --log-level=warn \
            || fail "updating the addons failed" "read the Odoo log above"
        ;;
    test)
        B2B_STEP="test database $B2B_TEST_DB"
        echo "building $B2B_TEST_DB from scratch"
        create_db "$B2B_TEST_DB" en_US
        ;;
    drop-demo)
        if db_exists "$B2B_DEMO_DB"; then
            b2b_odoo db -c "$B2B_CONF" drop "$B2B_DEMO_DB" && echo "dropped $B2B_DEMO_DB"
        fi
        ;;
    drop)
        for name in "$B2B_DEMO_DB" "$B2B_TEST_DB"; do
            if db_exists "$name"; then
                b2b_odoo db -c "$B2B_CONF" drop "$name" && echo "dropped $name"
            fi
        done
        ;;
    *) echo "usage: $0 demo|update|test|drop-demo|drop" >&2; exit 2 ;;
esac
