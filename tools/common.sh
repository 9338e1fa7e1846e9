# Shared settings of the tool scripts; sourced, never run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo19}
export PGPORT=${PGPORT:-54329}
HTTP_PORT=${HTTP_PORT:-8069}
DB=${DB:-village_service}
TEST_DB=${TEST_DB:-village_service_test}
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
CONF="$LOCAL/odoo.conf"
mkdir -p "$LOCAL"

log() { printf '\033[1m[village_service]\033[0m %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

odoo() { "$PY" -m odoo -c "$CONF" "$@"; }

# Drop database $1 if it exists, whoever is connected to it.
drop_db() {
    "$PY" - "$1" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=os.environ["PGPORT"], user="odoo",
                        password="odoo", dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1])
PY
}

# The version in __manifest__.py.
manifest_version() {
    "$PY" -c "import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" "$ROOT/__manifest__.py"
}

# A fresh database $1 with village_service and its demo data (more options of
# Odoo after the HTTP port $2); Odoo's log is shown and the script stops when
# the install fails or logs an error.
install_fresh() {
    local db=$1 port=$2 logf="$LOCAL/install-$1.log" rc
    drop_db "$db"
    log "installing village_service in a fresh database $db"
    set +e
    odoo -d "$db" -i village_service --with-demo --stop-after-init \
        --log-level=warn --http-port="$port" "${@:3}" >"$logf" 2>&1
    rc=$?
    set -e
    if [ $rc -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$logf"; then
        cat "$logf"
        die "installing village_service in $db failed (exit $rc); Odoo's log is above"
    fi
}
