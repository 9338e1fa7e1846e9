#!/usr/bin/env bash
# A project-local PostgreSQL cluster on 127.0.0.1:$PGPORT.
# PostgreSQL refuses to run as root: as root the cluster belongs to the
# `postgres` user and lives where that user can reach it.
source "$(dirname "$0")/common.sh"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || die "no PostgreSQL server found (apt-get install postgresql)"

as_owner() { "$@"; }
PGDATA="$LOCAL/pgdata"
if [ "$(id -u)" = 0 ]; then
    as_owner() { runuser -u postgres -- "$@"; }
    if ! runuser -u postgres -- test -x "$LOCAL"; then
        # e.g. a checkout under /root (mode 700): keep the cluster outside
        base="/var/tmp/village_service-$(printf '%s' "$ROOT" | sha1sum | cut -c1-10)"
        mkdir -p "$base" && chown postgres "$base"
        PGDATA="$base/pgdata"
    fi
fi
SOCKDIR="$PGDATA/socket"

case "${1:-start}" in
start)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        log "initialising a PostgreSQL cluster in $PGDATA"
        mkdir -p "$PGDATA"
        [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
        as_owner "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 -A trust >/dev/null
        as_owner mkdir -p "$SOCKDIR"
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start \
            -o "-p $PGPORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
            || { tail -20 "$PGDATA/server.log"; die "PostgreSQL did not start"; }
    fi
    "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qAtc \
        "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 \
        || "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qc \
            "CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'"
    ;;
stop)
    [ -f "$PGDATA/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
    ;;
psql)
    shift; exec "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U odoo "$@"
    ;;
esac
