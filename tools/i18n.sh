#!/usr/bin/env bash
# `make i18n`: regenerate i18n/village_service.pot from the code (Odoo's own
# exporter, on a fresh database with the module) and merge it into
# i18n/zh_CN.po, keeping existing translations. Then translate the new
# entries in i18n/zh_CN.po (see GLOSSARY in the README).
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
