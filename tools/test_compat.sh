#!/usr/bin/env bash
# The OCA suites of helpdesk_mgmt and helpdesk_mgmt_crm with village_service
# installed: teams that are not stations must behave as plain helpdesk.
# Odoo's own runner on an installed database, without -u: at_install tests run
# as each module loads, post_install ones on the full registry.
# With an argument: that database (`make test` passes the one its tests just
# rolled back); alone: a fresh one.
source "$(dirname "$0")/common.sh"
port=$((HTTP_PORT + 20))
db="${1:-}"
if [ -z "$db" ]; then
    db="${TEST_DB}_compat"
    install_fresh "$db" "$port"
fi
log "compatibility: running the helpdesk_mgmt and helpdesk_mgmt_crm suites on $db"
set +e
odoo -d "$db" --test-enable --stop-after-init --http-port="$port" \
    --test-tags /helpdesk_mgmt,/helpdesk_mgmt_crm --log-level=test >"$LOCAL/compat.log" 2>&1
rc=$?
set -e
grep -E "(ERROR|FAIL:|CRITICAL|tests when loading|post-tests in)" "$LOCAL/compat.log" || true
grep -qE " 0 failed, 0 error\(s\) of [1-9][0-9]* tests" "$LOCAL/compat.log" \
    || die "the helpdesk_mgmt / helpdesk_mgmt_crm suites failed with village_service installed (exit $rc); see .local/compat.log"
[ "$rc" = 0 ] || die "Odoo exited $rc; see .local/compat.log"
log "compatibility: OK"

# Upgrading the module in place keeps every row (tools/upgrade_previous.sh
# upgrades from the previous release).
version=$(manifest_version)
"$PY" "$ROOT/tools/upgrade_check.py" snapshot "$db" "$LOCAL/upgrade-before.json"
log "upgrade: -u village_service on $db"
odoo -d "$db" -u village_service --stop-after-init --log-level=warn --http-port="$port" >"$LOCAL/upgrade.log" 2>&1 \
    || { cat "$LOCAL/upgrade.log"; die "upgrading village_service failed"; }
"$PY" "$ROOT/tools/upgrade_check.py" compare "$db" "$LOCAL/upgrade-before.json" "$version" \
    || die "upgrading village_service in place changed its data"

if [ "${SKIP_UNINSTALL:-0}" != 1 ]; then
    log "uninstall: removing village_service from $db"
    "$PY" "$ROOT/tools/uninstall_check.py" "$CONF" "$db"
fi
