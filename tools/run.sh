#!/usr/bin/env bash
# `make run`: a database "$DB" with the module and its demo data, served on
# http://127.0.0.1:$HTTP_PORT (login admin / admin).
source "$(dirname "$0")/common.sh"

state=$(bash "$ROOT/tools/pg.sh" psql -d "$DB" -qAtc \
    "SELECT state FROM ir_module_module WHERE name = 'village_service'" 2>/dev/null || true)
if [ "$state" != "installed" ]; then
    log "creating database $DB with village_service and its demo data"
    odoo -d "$DB" -i village_service --with-demo --stop-after-init --log-level=warn
    args=()
elif [ "${UPDATE:-0}" = 1 ]; then
    args=(-u village_service)
else
    args=()
fi
log "serving http://127.0.0.1:$HTTP_PORT (database $DB, login admin / admin)"
exec "$PY" -m odoo -c "$CONF" -d "$DB" --db-filter="^$DB\$" "${args[@]}"
