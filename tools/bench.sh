#!/usr/bin/env bash
# `make bench-data SCALE=county|province`: a fresh database
# village_service_bench_<scale> with the module (no demo data), filled by
# bench/generate.py.   `make bench SCALE=...`: bench/run.py on it (all in one
# transaction, rolled back).
source "$(dirname "$0")/common.sh"
SCALE=${SCALE:-county}
BENCH_DB="village_service_bench_$SCALE"
case "$SCALE" in county|province) ;; *) die "SCALE must be county or province, not $SCALE" ;; esac

case "${1:-run}" in
data)
    logf="$LOCAL/install-$BENCH_DB.log"
    drop_db "$BENCH_DB"
    log "installing village_service without demo data in $BENCH_DB"
    start=$(date +%s)
    set +e
    odoo -d "$BENCH_DB" -i village_service --without-demo --stop-after-init \
        --log-level=warn --http-port=$((HTTP_PORT + 20)) >"$logf" 2>&1
    rc=$?
    set -e
    if [ $rc -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$logf"; then
        cat "$logf"; die "installing village_service in $BENCH_DB failed"
    fi
    log "installed in $(( $(date +%s) - start )) s; generating the $SCALE"
    "$PY" "$ROOT/bench/generate.py" --scale "$SCALE" --db "$BENCH_DB" --config "$CONF"
    ;;
run)
    "$PY" "$ROOT/bench/run.py" --scale "$SCALE" --db "$BENCH_DB" --config "$CONF" ${BENCH_ARGS:-}
    ;;
esac
