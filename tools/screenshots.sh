#!/usr/bin/env bash
# `make screenshots`: regenerate the README pictures from the demo database of
# `make run` (created here when missing).
source "$(dirname "$0")/common.sh"
state=$(bash "$ROOT/tools/pg.sh" psql -d "$DB" -qAtc \
    "SELECT state FROM ir_module_module WHERE name = 'village_service'" 2>/dev/null || true)
if [ "$state" != "installed" ]; then
    install_fresh "$DB" $((HTTP_PORT + 40))
else
    odoo -d "$DB" -u village_service --stop-after-init --log-level=warn --http-port=$((HTTP_PORT + 40))
fi
export PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}"
cd "$ROOT"
"$VENV/bin/pytest" -p pytest_village --odoo-config="$CONF" --odoo-database="$DB" --odoo-http -q \
    -p no:cacheprovider tools/screenshots_test.py
ls -la "$ROOT"/static/description/screenshot_*.png
