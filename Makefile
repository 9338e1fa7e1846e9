# village_service — the two commands of README.md, and the checks CI runs.
# Every target sets up what it needs itself and can be run again cheaply.
ODOO_SRC ?= /opt/odoo19
PGPORT ?= 54329
HTTP_PORT ?= 8069
DB ?= village_service
TEST_DB ?= village_service_test
export ODOO_SRC PGPORT HTTP_PORT DB TEST_DB

.PHONY: setup run test test-compat lint i18n screenshots load wheel pg-stop clean

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh

test: setup
	@bash tools/test.sh

test-compat: setup
	@bash tools/test_compat.sh

lint: setup
	@bash tools/lint.sh

i18n: setup
	@bash tools/i18n.sh

screenshots: setup
	@bash tools/screenshots.sh

load: setup
	@bash tools/load.sh

wheel: setup
	@bash tools/wheel.sh

pg-stop:
	@bash tools/pg.sh stop

clean: pg-stop
	rm -rf .venv .local
