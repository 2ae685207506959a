#!/usr/bin/env bash
# Serve the demo database in the foreground on 127.0.0.1:$B2B_HTTP_PORT (Ctrl-C stops Odoo;
# PostgreSQL keeps running for the next `make run` until `make stop`).
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
echo "Odoo on http://127.0.0.1:$B2B_HTTP_PORT  (database $B2B_DEMO_DB; logins in README.md)"
exec env PYTHONPATH="$B2B_ODOO_PYTHONPATH" "$B2B_VENV/bin/python" -m odoo -c "$B2B_CONF" --log-level=info \
    -d "$B2B_DEMO_DB" --db-filter "^$B2B_DEMO_DB\$" --http-port "$B2B_HTTP_PORT" "$@"
