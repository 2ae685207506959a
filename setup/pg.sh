#!/usr/bin/env bash
# The project's own PostgreSQL cluster: `pg.sh start` (create when missing, start
# when stopped, ensure the Odoo login role), `pg.sh stop`, `pg.sh status`.
# It listens on 127.0.0.1 only, on $B2B_PG_PORT, and never touches other clusters.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
B2B_STEP=${B2B_STEP:-PostgreSQL}

as_pg() {
    # PostgreSQL refuses to run as root: as root, act as the postgres system user.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

is_running() { [ -f "$B2B_PGDATA/postmaster.pid" ] && as_pg "$B2B_PG_BIN/pg_ctl" -D "$B2B_PGDATA" status >/dev/null 2>&1; }

create_cluster() {
    mkdir -p "$B2B_PG_SECRETS"
    chmod 700 "$B2B_PG_SECRETS"
    for who in superuser odoo; do
        [ -s "$B2B_PG_SECRETS/$who" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$B2B_PG_SECRETS/$who")
    done
    mkdir -p "$B2B_PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres: "$B2B_PGDATA"
    chmod 700 "$B2B_PGDATA"
    pwfile=$(mktemp)
    cp "$B2B_PG_SECRETS/superuser" "$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
    echo "creating the cluster in $B2B_PGDATA"
    as_pg "$B2B_PG_BIN/initdb" -D "$B2B_PGDATA" -U postgres --pwfile="$pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
        || { rm -f "$pwfile"; fail "initdb failed in $B2B_PGDATA" "remove $B2B_PGDATA and re-run; as root the postgres user must reach it"; }
    rm -f "$pwfile"
    cat >> "$B2B_PGDATA/postgresql.conf" <<EOF
# b2b-o2c: loopback only, own port, no unix socket to clash with a system cluster
listen_addresses = '127.0.0.1'
port = $B2B_PG_PORT
unix_socket_directories = ''
fsync = off                 # a disposable development/test cluster
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
max_connections = 100
EOF
}

start() {
    [ -f "$B2B_PGDATA/PG_VERSION" ] || create_cluster
    if is_running; then
        echo "already running ($B2B_PGDATA)"
    else
        # the port is fixed in postgresql.conf at creation; follow a changed B2B_PG_PORT
        sed -i -E "s/^port = [0-9]+/port = $B2B_PG_PORT/" "$B2B_PGDATA/postgresql.conf"
        as_pg "$B2B_PG_BIN/pg_ctl" -D "$B2B_PGDATA" -l "$B2B_PGDATA/server.log" -w -t 60 start >/dev/null \
            || fail "PostgreSQL did not start: $(tail -3 "$B2B_PGDATA/server.log" 2>/dev/null)" \
                    "is port $B2B_PG_PORT taken? set B2B_PG_PORT to a free port, or read $B2B_PGDATA/server.log"
        echo "started on 127.0.0.1:$B2B_PG_PORT ($B2B_PGDATA)"
    fi
    pw=$(cat "$B2B_PG_SECRETS/odoo")
    b2b_psql -d postgres <<EOF || fail "could not create the role $B2B_PG_USER" "read $B2B_PGDATA/server.log"
SELECT 'CREATE ROLE $B2B_PG_USER LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$B2B_PG_USER')\gexec
ALTER ROLE $B2B_PG_USER PASSWORD '$pw';
EOF
}

stop() {
    if is_running; then
        as_pg "$B2B_PG_BIN/pg_ctl" -D "$B2B_PGDATA" -m fast -w stop >/dev/null
        echo "PostgreSQL stopped ($B2B_PGDATA)"
    else
        echo "PostgreSQL is not running ($B2B_PGDATA)"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if is_running; then echo running; else echo stopped; exit 3; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
