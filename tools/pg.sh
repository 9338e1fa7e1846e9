#!/usr/bin/env bash
# A project-local PostgreSQL cluster on 127.0.0.1:$PGPORT.
# It can feed a hot standby (`make replica`, tools/replica.sh): WAL at the
# replica level, WAL senders, and replication connections from loopback,
# from the start and on a cluster made before (`standby` starts one on
# $REPLICA_PGPORT from a pg_basebackup -R, `standby-stop` removes it).
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
STANDBY="$(dirname "$PGDATA")/pgdata-standby"
REPLICA_PGPORT=${REPLICA_PGPORT:-$((PGPORT + 1000))}

# replication connections from loopback (initdb writes them; a cluster made
# otherwise gets them, read again at once)
allow_replication() {
    if ! as_owner grep -qE '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$PGDATA/pg_hba.conf"; then
        as_owner sh -c "echo 'host replication all 127.0.0.1/32 trust' >> '$PGDATA/pg_hba.conf'"
        as_owner "$PGBIN/pg_ctl" -D "$PGDATA" reload >/dev/null 2>&1 || true
    fi
}

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
            -o "-p $PGPORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4" >/dev/null \
            || { tail -20 "$PGDATA/server.log"; die "PostgreSQL did not start"; }
    fi
    allow_replication
    "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qAtc \
        "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 \
        || "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qc \
            "CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'"
    ;;
stop)
    [ -f "$STANDBY/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$STANDBY" -m fast stop >/dev/null 2>&1 || true
    [ -f "$PGDATA/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
    ;;
standby)
    # a hot standby of the running cluster on $REPLICA_PGPORT, streaming on
    # loopback; it logs every statement it runs ($STANDBY/server.log)
    wal=$("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qAtc "SHOW wal_level")
    [ "$wal" != minimal ] || die "the cluster runs with wal_level=minimal: make pg-stop, then again"
    allow_replication
    if as_owner test -f "$STANDBY/PG_VERSION"; then
        as_owner "$PGBIN/pg_ctl" -D "$STANDBY" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$STANDBY"
    fi
    log "hot standby: pg_basebackup -R of 127.0.0.1:$PGPORT into $STANDBY"
    mkdir -p "$STANDBY" && chmod 700 "$STANDBY"
    [ "$(id -u)" = 0 ] && chown postgres "$STANDBY"
    # (the socket of the cluster is skipped, with a warning that says so)
    if ! as_owner "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U postgres -D "$STANDBY" -R -X stream -c fast \
        2>"$LOCAL/pg_basebackup.log"; then
        cat "$LOCAL/pg_basebackup.log"
        die "pg_basebackup failed"
    fi
    as_owner rm -f "$STANDBY/postmaster.pid" "$STANDBY/server.log"
    as_owner "$PGBIN/pg_ctl" -D "$STANDBY" -l "$STANDBY/server.log" -w start \
        -o "-p $REPLICA_PGPORT -k '' -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c log_min_duration_statement=0 -c log_line_prefix='%m [%p] %d %a: '" >/dev/null \
        || { as_owner tail -20 "$STANDBY/server.log"; die "the standby did not start"; }
    "$PGBIN/psql" -h 127.0.0.1 -p "$REPLICA_PGPORT" -U postgres -d postgres -qAtc "SELECT pg_is_in_recovery()" | grep -q t \
        || die "127.0.0.1:$REPLICA_PGPORT is not a standby"
    log "hot standby on 127.0.0.1:$REPLICA_PGPORT"
    ;;
standby-stop)
    if as_owner test -f "$STANDBY/PG_VERSION"; then
        as_owner "$PGBIN/pg_ctl" -D "$STANDBY" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$STANDBY"
    ;;
standby-log)
    as_owner cat "$STANDBY/server.log"
    ;;
psql)
    shift; exec "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U odoo "$@"
    ;;
esac
