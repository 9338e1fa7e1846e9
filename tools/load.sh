#!/usr/bin/env bash
# `make load`: the concurrency test on a real server (tools/load.py), on a
# fresh demo database.
source "$(dirname "$0")/common.sh"
db="${TEST_DB}_load"
install_fresh "$db" $((HTTP_PORT + 50))
"$PY" "$ROOT/tools/load.py" --conf "$CONF" --db "$db" --port $((HTTP_PORT + 60)) \
    --clients "${CLIENTS:-20}" --seconds "${SECONDS_LOAD:-30}"
