#!/usr/bin/env bash
# Remove what the project made: its databases, its PostgreSQL cluster and .cache/
# (downloads, venv, Odoo tree). Touches no other cluster, database or file.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
if [ -f "$B2B_PGDATA/PG_VERSION" ]; then
    bash "$B2B_ROOT/setup/pg.sh" stop
    rm -rf "$B2B_PGDATA"
fi
rm -rf "$B2B_CACHE"
echo "removed the project's cluster and $B2B_CACHE"
