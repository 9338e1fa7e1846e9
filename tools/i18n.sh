#!/usr/bin/env bash
# `make i18n`: regenerate i18n/village_service.pot from the code (Odoo's own
# exporter, on a fresh database with the module) and merge it into
# i18n/zh_CN.po, keeping existing translations. Then translate the new
# entries in i18n/zh_CN.po (see GLOSSARY in the README). The same for the
# zh_CN of helpdesk_mgmt and helpdesk_mgmt_crm (i18n_upstream/, below).
source "$(dirname "$0")/common.sh"
db="${TEST_DB}_i18n"
install_fresh "$db" $((HTTP_PORT + 30))
"$PY" -m odoo i18n export -c "$CONF" -d "$db" -o "$ROOT/i18n/village_service.pot" village_service
# Odoo writes the creation date into the header: keep the file stable
sed -i '/^"POT-Creation-Date\|^"PO-Revision-Date/d' "$ROOT/i18n/village_service.pot"
if [ -f "$ROOT/i18n/zh_CN.po" ]; then
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$ROOT/i18n/zh_CN.po" "$ROOT/i18n/village_service.pot"
    msgattrib --no-obsolete -o "$ROOT/i18n/zh_CN.po" "$ROOT/i18n/zh_CN.po"
else
    msginit --no-translator --locale=zh_CN -i "$ROOT/i18n/village_service.pot" -o "$ROOT/i18n/zh_CN.po"
fi
log "untranslated entries left in i18n/zh_CN.po: $(msgattrib --untranslated "$ROOT/i18n/zh_CN.po" | grep -c '^msgid' || true)"

# The zh_CN of the OCA modules whose screens the addon shows (they ship none):
# one file per module, i18n_upstream/<module>/i18n/zh_CN.po, as it can be
# offered upstream, refreshed from each module's own export the same way
# (translations kept); then i18n_extra/zh_CN.po, their record terms, which
# Odoo loads with village_service (see tools/i18n_extra.py).
UPSTREAM_MODULES="helpdesk_mgmt helpdesk_mgmt_crm"
for mod in $UPSTREAM_MODULES; do
    dir="$ROOT/i18n_upstream/$mod/i18n"
    pot="$LOCAL/$mod.pot"
    mkdir -p "$dir"
    "$PY" -m odoo i18n export -c "$CONF" -d "$db" -o "$pot" "$mod"
    sed -i '/^"POT-Creation-Date\|^"PO-Revision-Date/d' "$pot"
    if [ -f "$dir/zh_CN.po" ]; then
        msgmerge --quiet --update --no-fuzzy-matching --backup=none "$dir/zh_CN.po" "$pot"
        msgattrib --no-obsolete -o "$dir/zh_CN.po" "$dir/zh_CN.po"
    else
        msginit --no-translator --locale=zh_CN -i "$pot" -o "$dir/zh_CN.po"
    fi
    log "untranslated entries left in i18n_upstream/$mod/i18n/zh_CN.po: $(msgattrib --untranslated "$dir/zh_CN.po" | grep -c '^msgid' || true)"
done
# shellcheck disable=SC2086
"$PY" "$ROOT/tools/i18n_extra.py" "$ROOT" $UPSTREAM_MODULES
