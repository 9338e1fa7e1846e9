#!/usr/bin/env bash
# `make load`: the concurrency test on a real server (tools/load.py), on a
# fresh demo database: a county's day (MIX=day, the web client's requests)
# at 2 and 4 workers, each without and with a hot standby as Odoo's replica
# (tools/pg.sh standby), the same checks after each run; then the table.
# MIX=field is the JSON-RPC writes only; WORKERS="2 4" the workers to try;
# REPEAT=2 runs the four again (the machine is shared: compare medians).
source "$(dirname "$0")/common.sh"
db="${TEST_DB}_load"
install_fresh "$db" $((HTTP_PORT + 50))

# the standby runs through every run, so that only Odoo's settings differ
trap 'bash "$ROOT/tools/pg.sh" standby-stop' EXIT
bash "$ROOT/tools/pg.sh" standby
replica_port=${REPLICA_PGPORT:-$((PGPORT + 1000))}

summaries="$LOCAL/load-summaries.txt"
: >"$summaries"
failed=0
for round in $(seq "${REPEAT:-1}"); do
for workers in ${WORKERS:-2 4}; do
    for replica in "" "$replica_port"; do
        label="w${workers}${replica:+-replica}$([ "${REPEAT:-1}" = 1 ] || echo "-$round")"
        log "load: ${MIX:-day} mix, --workers=$workers${replica:+, replica 127.0.0.1:$replica}"
        set +e
        "$PY" "$ROOT/tools/load.py" --conf "$CONF" --db "$db" --port $((HTTP_PORT + 60)) \
            --clients "${CLIENTS:-20}" --seconds "${SECONDS_LOAD:-30}" --mix "${MIX:-day}" \
            --workers "$workers" ${replica:+--replica-port "$replica"} --label "$label" | tee "$LOCAL/load-$label.txt"
        [ "${PIPESTATUS[0]}" = 0 ] || failed=1
        set -e
        grep '^summary ' "$LOCAL/load-$label.txt" | cut -d' ' -f2- >>"$summaries"
    done
done
done

"$PY" - "$summaries" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print()
print("| run | workers | replica | requests | req/s | p50 ms | p95 ms | on the replica "
      "| CPU ms/request: Odoo | primary | replica | checks |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    print(
        f"| {r['label']} | {r['workers']} | {'yes' if r['replica'] else 'no'} | {r['requests']} | {r['rps']} "
        f"| {r['p50_ms']} | {r['p95_ms']} | {str(r['on_replica']) + ' %' if r['replica'] else '-'} "
        f"| {r.get('cpu_ms_odoo', '-')} | {r.get('cpu_ms_primary', '-')} | {r.get('cpu_ms_replica', '-')} "
        f"| {'OK' if r['ok'] else 'FAILED'} |"
    )
configs = sorted({(r["workers"], r["replica"]) for r in rows})
if len(rows) > len(configs):
    print("\nmedians of the repeated runs:")
    for workers, replica in configs:
        same = [r for r in rows if (r["workers"], r["replica"]) == (workers, replica)]
        print(
            f"  --workers={workers}{' + replica' if replica else ''}: "
            f"{statistics.median(r['rps'] for r in same):.1f} req/s, p95 {statistics.median(r['p95_ms'] for r in same):.0f} ms"
            + "".join(
                f", CPU {name} {statistics.median(r[key] for r in same):.1f} ms/request"
                for key, name in (("cpu_ms_odoo", "Odoo"), ("cpu_ms_primary", "primary"), ("cpu_ms_replica", "replica"))
                if all(key in r for r in same)
            )
        )
PY
[ "$failed" = 0 ] || die "a load run failed its checks (above)"
