#!/usr/bin/env bash
# `make lint`: ruff, and pylint-odoo with OCA's checks for 19.0.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
cd "$LOCAL/addons"
"$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" --score=n village_service
"$PY" "$ROOT/tools/check_sql.py" "$ROOT"
