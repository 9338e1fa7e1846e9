#!/usr/bin/env bash
# `make wheel`: the odoo-addon-village_service wheel in dist/. whool names the
# distribution after the addon's folder, and a checkout may have any name, so
# the committed tree is built from a folder named village_service.
source "$(dirname "$0")/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/village_service"
git -C "$ROOT" archive HEAD | tar -x -C "$tmp/village_service"
(cd "$tmp/village_service" && git init -q && git add -A && git -c user.name=build -c user.email=build@localhost commit -qm build)
mkdir -p "$ROOT/dist"
WHOOL_POST_VERSION_STRATEGY_OVERRIDE=none "$VENV/bin/pip" wheel -q --no-deps --no-build-isolation \
    "$tmp/village_service" -w "$ROOT/dist"
ls "$ROOT"/dist/odoo_addon_village_service-*.whl
