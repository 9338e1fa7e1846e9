#!/usr/bin/env bash
# A database made by the previous release of village_service (with its demo
# data and the work of a day done by that release's code) upgrades to this
# checkout with `-u village_service`, its migration scripts run, and every row
# is kept (tools/upgrade_check.py).
source "$(dirname "$0")/common.sh"

# The release before this one: its version and the commit it was cut from.
PREVIOUS_VERSION=19.0.1.5.0
PREVIOUS_COMMIT=c252509063426192c89d6a90cab251abd2e63f37

db="${TEST_DB}_upgrade"
port=$((HTTP_PORT + 30))
prev="$LOCAL/previous/addons"
version=$(manifest_version)
[ "$version" != "$PREVIOUS_VERSION" ] || die "__manifest__.py still says $version: a release bumps the version"

if ! git -C "$ROOT" cat-file -e "$PREVIOUS_COMMIT^{commit}" 2>/dev/null; then
    # a shallow clone: the previous release is in the history it left out
    git -C "$ROOT" fetch -q --unshallow 2>/dev/null || true
    git -C "$ROOT" cat-file -e "$PREVIOUS_COMMIT^{commit}" 2>/dev/null \
        || die "commit $PREVIOUS_COMMIT (release $PREVIOUS_VERSION) is not in this clone's history"
fi
rm -rf "$LOCAL/previous"
mkdir -p "$prev/village_service"
git -C "$ROOT" archive "$PREVIOUS_COMMIT" | tar -x -C "$prev/village_service"

log "upgrade: release $PREVIOUS_VERSION ($PREVIOUS_COMMIT) into $db"
install_fresh "$db" "$port" --addons-path="$ODOO_SRC/addons,$prev"
# a day of work done by the previous release's code, on top of its demo data
"$PY" - "$CONF" "$db" "$ODOO_SRC/addons,$prev" <<'PY'
import sys

import odoo
from odoo import api
from odoo.modules.registry import Registry

conf, db, addons_path = sys.argv[1:]
odoo.tools.config.parse_config(["-c", conf, "--addons-path", addons_path, "--log-level=error"])
with Registry(db).cursor() as cr:
    env = api.Environment(cr, odoo.SUPERUSER_ID, {})
    crons = env["ir.model.data"].search([("module", "=", "village_service"), ("model", "=", "ir.cron")])
    for cron in env["ir.cron"].browse(crons.mapped("res_id")):
        if cron.method_direct_trigger() is not True:
            sys.exit(f"upgrade: the previous release's job {cron.name!r} failed")
        cr.commit()
    print(f"upgrade: the previous release ran its {len(crons)} scheduled jobs")
    # inquiries marked done in the Inquired dialog by their account managers;
    # then one done activity deleted by hand (its inquiry history is gone with it)
    Activity = env["mail.activity"]
    done = Activity.search([("inquiry_rule_id", "!=", False), ("user_id", "!=", False)], order="id", limit=3)
    for activity, outcome in zip(done, ["answered_ok", "no_answer", "answered_need"]):
        Done = env["village.inquiry.done"].with_user(activity.user_id)
        Done.create({"activity_ids": [activity.id], "outcome": outcome, "note": f"day of work: {outcome}"}).action_confirm()
    cr.commit()
    done.with_context(active_test=False)[:1].unlink()
    cr.commit()
    print(f"upgrade: the previous release marked {len(done)} inquiries done, one of them then deleted")
PY
"$PY" "$ROOT/tools/upgrade_check.py" snapshot "$db" "$LOCAL/upgrade-previous.json"

log "upgrade: -u village_service to $version"
odoo -d "$db" -u village_service --stop-after-init --log-level=warn --http-port="$port" >"$LOCAL/upgrade-previous.log" 2>&1 \
    || { cat "$LOCAL/upgrade-previous.log"; die "upgrading from $PREVIOUS_VERSION failed"; }
! grep -E " (ERROR|CRITICAL) " "$LOCAL/upgrade-previous.log" \
    || die "upgrading from $PREVIOUS_VERSION logged errors; see .local/upgrade-previous.log"
"$PY" "$ROOT/tools/upgrade_check.py" compare "$db" "$LOCAL/upgrade-previous.json" "$version" \
    || die "upgrading from $PREVIOUS_VERSION did not keep the data"
"$PY" "$ROOT/tools/upgrade_check.py" rules "$db" "$LOCAL/rules-fresh.json" \
    || die "upgrading from $PREVIOUS_VERSION left record rules of the previous release"
