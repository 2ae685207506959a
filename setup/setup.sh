#!/usr/bin/env bash
# Bootstrap everything the project needs on a Debian 12 machine, idempotently:
# system packages, Odoo 19 Community, a Python 3.11 venv, a project-local
# PostgreSQL cluster and a generated Odoo configuration.
# A second run finds everything in place, does no network work and takes seconds.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
mkdir -p "$B2B_CACHE"

# --------------------------------------------------------------------------
step "1/5 system packages"
SYSTEM_PACKAGES=(
    postgresql postgresql-client libpq-dev      # database server, client, psycopg2 build
    libxrender1 libxext6 libx11-6 libfontconfig1 libfreetype6 libpng16-16 # wkhtmltopdf (patched Qt, from the venv)
    poppler-utils                               # PDF to text/PNG
    chromium                                    # browser tests (HttpCase tours)
    libmagic1 fonts-dejavu-core fonts-liberation fonts-lato fonts-noto-core
    ca-certificates
)
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
        fail "missing system packages (${missing[*]}) and no sudo" \
             "install them as root: apt-get install ${missing[*]}"
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || fail "apt-get update failed" "check the machine's apt sources and network, then re-run"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || fail "apt-get install ${missing[*]} failed" "run it by hand to see apt's message, then re-run"
else
    echo "all present"
fi
[ -x "$B2B_PG_BIN/initdb" ] || fail "no PostgreSQL server binaries in $B2B_PG_BIN" \
    "install postgresql-15, or point B2B_PG_BIN at the bin folder of PostgreSQL >= 13"

# --------------------------------------------------------------------------
step "2/5 Odoo 19 Community"
if [ -n "${ODOO_SRC:-}" ]; then
    [ -f "$ODOO_SRC/odoo/release.py" ] || fail "ODOO_SRC=$ODOO_SRC holds no odoo/release.py" \
        "point ODOO_SRC at the root of an Odoo 19 checkout (the folder holding odoo-bin)"
    grep -qE "^version_info = \(19," "$ODOO_SRC/odoo/release.py" || fail "ODOO_SRC is not Odoo 19" \
        "point ODOO_SRC at an Odoo 19.0 checkout, or unset it to use Debian's odoo-19 package"
    echo "using the Odoo tree at $ODOO_SRC"
elif [ -f "$B2B_ODOO_ROOT/.complete" ]; then
    echo "already extracted in $B2B_ODOO_ROOT"
else
    bash "$B2B_ROOT/setup/fetch_odoo.sh"
fi
if [ -z "${ODOO_SRC:-}" ]; then
    # Debian's source package strips mail's selfie segmentation model (a binary), but mail's
    # manifest still lists its script in the back-office assets: the missing file is a
    # console error on every back-office page, which fails every tour. An empty stand-in
    # (background blur in video calls is then unavailable).
    selfie=$B2B_ODOO_PYTHONPATH/odoo/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js
    if [ ! -f "$selfie" ]; then
        mkdir -p "$(dirname "$selfie")"
        echo "/* stand-in: Debian's odoo-19 package does not ship this model */" > "$selfie"
        echo "added an empty stand-in for mail's selfie_segmentation.js"
    fi
fi

# --------------------------------------------------------------------------
step "3/5 Python virtualenv"
req_hash=$(md5sum "$B2B_ROOT/setup/requirements.txt" | cut -d' ' -f1)
if [ -f "$B2B_VENV/.requirements-$req_hash" ]; then
    echo "up to date in $B2B_VENV"
else
    command -v "$B2B_PYTHON" >/dev/null || fail "$B2B_PYTHON not found" \
        "install Python 3.11 (Debian: apt-get install python3.11-venv), or set B2B_PYTHON to a python 3.10-3.12"
    [ -x "$B2B_VENV/bin/python" ] || "$B2B_PYTHON" -m venv "$B2B_VENV" \
        || fail "could not create the venv" "install the venv module (apt-get install python3.11-venv)"
    "$B2B_VENV/bin/pip" install -q --upgrade pip wheel setuptools \
        || fail "pip could not upgrade itself" "check the machine's pip configuration and network"
    "$B2B_VENV/bin/pip" install -q -r "$B2B_ROOT/setup/requirements.txt" \
        || fail "pip install -r setup/requirements.txt failed" \
                "read pip's message above; psycopg2 needs libpq-dev and gcc"
    rm -f "$B2B_VENV"/.requirements-*
    touch "$B2B_VENV/.requirements-$req_hash"
fi

# Odoo finds wkhtmltopdf on PATH first (then in bin_path): env.sh puts $B2B_CACHE/bin
# first on PATH, where the patched-Qt build of the venv is linked as `wkhtmltopdf`.
mkdir -p "$B2B_CACHE/bin"
ln -sfn "$B2B_VENV/bin/wkhtmltopdf-pack" "$B2B_CACHE/bin/wkhtmltopdf"
"$B2B_CACHE/bin/wkhtmltopdf" --version 2>/dev/null | grep -q "with patched qt" \
    || fail "the venv's wkhtmltopdf ($B2B_VENV/bin/wkhtmltopdf-pack) does not run with patched Qt" \
            "check its shared libraries with ldd, then re-run"

# --------------------------------------------------------------------------
step "4/5 PostgreSQL cluster on 127.0.0.1:$B2B_PG_PORT"
bash "$B2B_ROOT/setup/pg.sh" start

# --------------------------------------------------------------------------
step "5/5 Odoo configuration"
cat > "$B2B_CONF.tmp" <<EOF
; Generated by setup/setup.sh: edit setup/env.sh or the environment, not this file.
[options]
addons_path = $B2B_ODOO_ADDONS,$B2B_ROOT/addons
data_dir = $B2B_CACHE/data
bin_path = $B2B_CACHE/bin
db_host = 127.0.0.1
db_port = $B2B_PG_PORT
db_user = $B2B_PG_USER
db_password = $(cat "$B2B_PG_SECRETS/odoo")
http_interface = 127.0.0.1
http_port = $B2B_HTTP_PORT
admin_passwd = $(cat "$B2B_PG_SECRETS/odoo")
list_db = False
; no phoning home: the weekly update-notification cron posts to this URL
publisher_warranty_url = http://127.0.0.1:9/
without_demo = False
log_level = warn
log_handler = :WARNING,py.warnings:ERROR
EOF
mv "$B2B_CONF.tmp" "$B2B_CONF"
chmod 600 "$B2B_CONF"
echo "written $B2B_CONF"
b2b_odoo --version >/dev/null 2>&1 || fail "Odoo does not start: $(b2b_odoo --version 2>&1 | tail -1)" \
    "remove $B2B_CACHE/venv and $B2B_ODOO_ROOT and re-run make"
echo "ready: $(b2b_odoo --version 2>&1)"
