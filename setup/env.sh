# shellcheck shell=bash
# Paths and settings shared by every script under setup/ (sourced, not run).
# Every value can be overridden from the environment, e.g. `B2B_PG_PORT=5544 make run`.

B2B_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export B2B_ROOT
export B2B_CACHE=${B2B_CACHE:-$B2B_ROOT/.cache}
export B2B_VENV=${B2B_VENV:-$B2B_CACHE/venv}
export B2B_PYTHON=${B2B_PYTHON:-python3.11}
export B2B_ODOO_ROOT=$B2B_CACHE/odoo-19    # the extracted Debian package(s)
export B2B_CONF=${B2B_CONF:-$B2B_CACHE/odoo.conf}
# wkhtmltopdf with patched Qt (setup.sh links it here): before Debian's on PATH, which
# Odoo searches first
case ":$PATH:" in *":$B2B_CACHE/bin:"*) ;; *) export PATH=$B2B_CACHE/bin:$PATH ;; esac
export B2B_PG_PORT=${B2B_PG_PORT:-5439}
export B2B_PG_USER=${B2B_PG_USER:-b2b_odoo}
export B2B_HTTP_PORT=${B2B_HTTP_PORT:-8069}
export B2B_TEST_HTTP_PORT=${B2B_TEST_HTTP_PORT:-8169}
export B2B_DEMO_DB=${B2B_DEMO_DB:-b2b_demo}
export B2B_TEST_DB=${B2B_TEST_DB:-b2b_test}
export B2B_ADDONS="b2b_party_roles,b2b_order_split_address,b2b_credit_hold,b2b_monthly_invoicing,b2b_replenishment,b2b_customer_portal"

# Where Odoo's python package lives: a user's own checkout (ODOO_SRC) or the
# extracted Debian package.
if [ -n "${ODOO_SRC:-}" ]; then
    ODOO_SRC=$(cd "$ODOO_SRC" 2>/dev/null && pwd || echo "$ODOO_SRC")
    export ODOO_SRC
    export B2B_ODOO_PYTHONPATH=$ODOO_SRC
    if [ -d "$ODOO_SRC/addons" ]; then
        export B2B_ODOO_ADDONS=$ODOO_SRC/odoo/addons,$ODOO_SRC/addons
    else
        export B2B_ODOO_ADDONS=$ODOO_SRC/odoo/addons
    fi
else
    export B2B_ODOO_PYTHONPATH=$B2B_ODOO_ROOT/usr/lib/python3/dist-packages
    export B2B_ODOO_ADDONS=$B2B_ODOO_PYTHONPATH/odoo/addons
fi

# The PostgreSQL cluster. PostgreSQL refuses to run as root: as root the cluster
# belongs to the `postgres` system user, which must be able to reach its data
# directory; when the checkout is not reachable for it, the data goes under
# /var/lib/postgresql instead (one folder per checkout).
export B2B_PG_BIN=${B2B_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ -z "${B2B_PGDATA:-}" ]; then
    B2B_PGDATA=$B2B_CACHE/pgdata
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 \
        && ! runuser -u postgres -- test -x "$B2B_ROOT" 2>/dev/null; then
        B2B_PGDATA=/var/lib/postgresql/b2b-o2c-$(printf '%s' "$B2B_ROOT" | md5sum | cut -c1-10)
    fi
fi
export B2B_PGDATA
export B2B_PG_SECRETS=$B2B_CACHE/pg-secrets

b2b_odoo() {
    # Run Odoo's own command line with the generated configuration.
    PYTHONPATH=$B2B_ODOO_PYTHONPATH "$B2B_VENV/bin/python" -m odoo "$@"
}

b2b_psql() {
    # psql as the cluster's superuser, over TCP on 127.0.0.1.
    PGPASSWORD=$(cat "$B2B_PG_SECRETS/superuser") psql -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$B2B_PG_PORT" -U postgres "$@"
}

step() { printf '\n==> %s\n' "$*"; B2B_STEP=$*; }
fail() {
    # fail WHY WHAT-TO-DO
    printf '\nERROR in step "%s": %s\nWhat to do: %s\n' "${B2B_STEP:-?}" "$1" "$2" >&2
    exit 1
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
