#!/usr/bin/env bash
# Idempotent set-up: system packages, Odoo 19 source, the virtualenv with
# Odoo's and the OCA addons' Python dependencies, the Odoo config file and a
# running PostgreSQL cluster. A second run only checks and returns.
source "$(dirname "$0")/common.sh"

# --- system packages --------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v git >/dev/null 2>&1 || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        log "installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing system packages; run: sudo apt-get install -y ${missing[*]}"
    fi
fi

# --- Odoo 19 source ---------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
    log "no Odoo tree at $ODOO_SRC; cloning the official 19.0 branch"
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC"
fi

# --- virtualenv ---------------------------------------------------------------
stamp_src=$(cat "$ROOT/tools/requirements.txt" "$ROOT/tools/requirements-dev.txt"; echo "$ODOO_SRC")
stamp="$VENV/.village_service-$(printf '%s' "$stamp_src" | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    log "creating the virtualenv in .venv (one-time, about 2 minutes)"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/tools/requirements.txt"
    "$PY" -m pip install -q --disable-pip-version-check --no-deps -e "$ODOO_SRC"
    "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/tools/requirements-dev.txt"
    rm -f "$VENV"/.village_service-*
    touch "$stamp"
fi

# --- the addon is found under its own name, whatever the checkout is called --
# .local/addons/village_service is a folder of links to the addon's entries,
# not a link to the checkout: Odoo walks an addon's folder (following links)
# to extract terms, and must find neither .venv nor .local (a loop) there.
addon="$LOCAL/addons/village_service"
mkdir -p "$LOCAL/addons" "$LOCAL/data"
[ -L "$addon" ] && rm "$addon"
mkdir -p "$addon"
find "$addon" -maxdepth 1 -type l -delete
for entry in "$ROOT"/*; do
    case "$(basename "$entry")" in
        Makefile|tools|pyproject.toml|docs|bench) ;;
        *) ln -s "$entry" "$addon/$(basename "$entry")" ;;
    esac
done

cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$LOCAL/addons
data_dir = $LOCAL/data
db_host = 127.0.0.1
db_port = $PGPORT
db_user = odoo
db_password = odoo
http_interface = 127.0.0.1
http_port = $HTTP_PORT
list_db = False
without_demo = False
CONF

bash "$ROOT/tools/pg.sh" start
