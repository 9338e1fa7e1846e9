#!/usr/bin/env bash
# `make test`: a fresh database with the module (and its demo data, so a
# broken demo file fails too), then the addon's whole suite under pytest-odoo,
# then the compatibility check of the OCA helpdesk suites on the same database.
source "$(dirname "$0")/common.sh"

install_fresh "$TEST_DB" $((HTTP_PORT + 10))
# the record rules of a fresh install, for the upgrade check (tools/upgrade_previous.sh)
"$PY" "$ROOT/tools/upgrade_check.py" rules-snapshot "$TEST_DB" "$LOCAL/rules-fresh.json"

log "running the test suite (pytest-odoo, with Odoo's replica simulation)"
export PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}"
cd "$ROOT"
# --odoo-dev=replica: readonly routes and methods run on a read-only cursor, and
# a write there fails the test that made the request (tools/pytest_village.py)
# shellcheck disable=SC2086
"$VENV/bin/pytest" -p pytest_village --odoo-config="$CONF" --odoo-database="$TEST_DB" \
    --odoo-http --odoo-dev=replica -q -rfEs -p no:cacheprovider ${PYTEST_ARGS:-tests}

log "digests: two processes at once (tools/digest_concurrency.py)"
"$PY" "$ROOT/tools/digest_concurrency.py" "$CONF" "$TEST_DB" 2>"$LOCAL/digest-concurrency.log" \
    || { tail -40 "$LOCAL/digest-concurrency.log"; die "the digests were not sent exactly once by two processes"; }

if [ "${SKIP_COMPAT:-0}" != 1 ]; then
    bash "$ROOT/tools/test_compat.sh" "$TEST_DB"
fi
if [ "${SKIP_UPGRADE:-0}" != 1 ]; then
    bash "$ROOT/tools/upgrade_previous.sh"
fi
