#!/usr/bin/env bash
# `make replica`: Odoo on the project's cluster with a real read replica.
# A fresh demo database; a PostgreSQL hot standby of the cluster
# (pg_basebackup -R, streaming on loopback, port $REPLICA_PGPORT, every
# statement logged: tools/pg.sh standby); Odoo with --workers=2
# --db_replica_host/--db_replica_port; the reports, the dashboard, the
# analyses and the list pages read over HTTP as the roles, with writes among
# them (tools/replica.py exercise); then which requests ran on which cursor,
# what the standby ran, what was written where (tools/replica.py report).
# Everything is removed afterwards: Odoo, the standby and its data, the
# database. Another database than `make test`'s, other ports.
source "$(dirname "$0")/common.sh"
db="${TEST_DB}_replica"
port=$((HTTP_PORT + 70))
replica_port=${REPLICA_PGPORT:-$((PGPORT + 1000))}
export REPLICA_PGPORT=$replica_port
odoo_log="$LOCAL/replica-odoo.log"
standby_log="$LOCAL/replica-standby.log"
pid=""

cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" && wait "$pid" 2>/dev/null || true
    fi
    bash "$ROOT/tools/pg.sh" standby-stop
    drop_db "$db" || true
}
trap cleanup EXIT

install_fresh "$db" $((HTTP_PORT + 80))
bash "$ROOT/tools/pg.sh" standby

stats() {  # rows read and written in $db, as each server counts them
    "$PY" - "$db" "$replica_port" <<'PY'
import json, os, sys, time
import psycopg2
time.sleep(1.5)  # statistics reach the view within a second
out = {}
for name, port in (("primary", os.environ["PGPORT"]), ("standby", sys.argv[2])):
    with psycopg2.connect(host="127.0.0.1", port=port, user="odoo", password="odoo", dbname="postgres") as cnx:
        cr = cnx.cursor()
        cr.execute("SELECT pg_stat_clear_snapshot()")
        cr.execute("SELECT tup_fetched, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database"
                   " WHERE datname = %s", [sys.argv[1]])
        out[name] = dict(zip(("tup_fetched", "tup_inserted", "tup_updated", "tup_deleted"), cr.fetchone()))
print(json.dumps(out))
PY
}

log "Odoo with --workers=2 --db_replica_host=127.0.0.1 --db_replica_port=$replica_port on port $port"
"$PY" -m odoo -c "$CONF" -d "$db" --db-filter="^$db\$" --workers=2 --max-cron-threads=0 \
    --http-port="$port" --http-interface=127.0.0.1 --log-level=warn --log-handler=werkzeug:INFO \
    --db_replica_host=127.0.0.1 --db_replica_port="$replica_port" >/dev/null 2>"$odoo_log" &
pid=$!
for _ in $(seq 120); do
    "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/web/login', timeout=5)" \
        2>/dev/null && break
    sleep 1
done

stats >"$LOCAL/replica-stats-before.json"
# the standby's log from here on: the run's statements only
bash "$ROOT/tools/pg.sh" standby-log >"$standby_log.before"
set +e
PYTHONPATH="$ROOT/tools" "$PY" "$ROOT/tools/replica.py" exercise "http://127.0.0.1:$port" "$db"
exercised=$?
set -e
stats >"$LOCAL/replica-stats-after.json"
bash "$ROOT/tools/pg.sh" standby-log | tail -n +$(($(wc -l <"$standby_log.before") + 1)) >"$standby_log"
rm -f "$standby_log.before"

PYTHONPATH="$ROOT/tools" "$PY" "$ROOT/tools/replica.py" report "$db" "$odoo_log" "$standby_log" \
    "$LOCAL/replica-stats-before.json" "$LOCAL/replica-stats-after.json"
[ "$exercised" = 0 ] || die "the requests of the roles failed (above)"
