# village_service — the two commands of README.md, and the checks CI runs.
# Every target sets up what it needs itself and can be run again cheaply.
ODOO_SRC ?= /opt/odoo19
PGPORT ?= 54329
HTTP_PORT ?= 8069
DB ?= village_service
TEST_DB ?= village_service_test
SCALE ?= county
export ODOO_SRC PGPORT HTTP_PORT DB TEST_DB SCALE

.PHONY: setup run test test-compat lint i18n screenshots load replica wheel bench-data bench pg-stop clean

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

replica: setup
	@bash tools/replica.sh

wheel: setup
	@bash tools/wheel.sh

bench-data: setup
	@bash tools/bench.sh data

bench: setup
	@bash tools/bench.sh run

pg-stop:
	@bash tools/pg.sh stop

clean: pg-stop
	rm -rf .venv .local
