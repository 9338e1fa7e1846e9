"""pytest plugin of `make test`, loaded with `-p pytest_village`.

- Under CI=true a skipped test is a failure: Odoo skips browser tests
  silently when Chromium or websocket-client is missing, and a run that
  skipped them has not tested the tours.
- The checkout may have any folder name, while Odoo imports the addon as
  `odoo.addons.village_service`: test modules are imported under that name.
- A browser test's requests take turns on the test cursor, and one waits at
  most `test_cursor_lock_timeout` (20 s) for another: on a busy 2-core
  machine a first request that compiles the assets holds it longer, and the
  waiting one fails with an HTML 500 ("<!doctype ... is not valid JSON").
  The wait is raised to 90 s; a test still fails on a request that errs.
- Under Odoo's replica simulation (`--odoo-dev=replica`, as `make test`
  runs) a readonly route or `@api.readonly` method runs on a read-only test
  cursor; one that writes raises ReadOnlySqlTransaction, which Odoo only
  logs ("..., retrying with a read/write cursor") before serving the request
  again on the primary. Here that log fails the test that made the request:
  on a real replica the write would have cost a second run of the request.
"""

import logging
import os
from pathlib import Path

import _pytest.pathlib
import pytest

ADDON = "village_service"
ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from odoo.tests.common import BaseCase  # noqa: PLC0415 -- Odoo is set up by pytest-odoo by now

    BaseCase.test_cursor_lock_timeout = 90

    def resolve_as_addon(path, *, consider_namespace_packages=False):
        try:
            relative = Path(path).resolve().relative_to(ROOT)
        except ValueError:
            relative = None
        if relative is None or relative.parts[0] == "tools":  # tooling, not the addon
            return Path(path).resolve().parent, Path(path).stem
        parts = relative.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        # the folder may not be a valid Python name (e.g. "wt-demands"): never ask pytest
        return ROOT.parent, ".".join(("odoo", "addons", ADDON, *parts))

    _pytest.pathlib.resolve_pkg_root_and_module_name = resolve_as_addon


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (a skipped test is not a pass): {reason}"


# ----------------------------------------------------------------------
# Replica simulation: a write on a readonly path fails the test
# ----------------------------------------------------------------------

RETRY_MESSAGE = "%s, retrying with a read/write cursor"  # odoo.http.Request._serve_db


class ReadonlyWrites(logging.Filter):
    """On the `odoo.http` logger: keeps Odoo's "retrying with a read/write
    cursor" records (with the request's path) and lets the logger's other
    records through only at the level the run asked for."""

    def __init__(self, threshold):
        super().__init__()
        self.threshold = threshold
        self.found = []

    def filter(self, record):
        if record.msg == RETRY_MESSAGE:
            from odoo.http import request  # noqa: PLC0415 -- the request of the logging thread

            path = request.httprequest.path if request else "?"
            # Odoo's readonly /web/assets route stores a bundle the first time
            # it is asked for, by this very retry: the framework's, not the
            # addon's (in a test it is each time: the test's rows roll back)
            if not path.startswith("/web/assets/"):
                self.found.append(f"{path}: {record.getMessage()}")
            return True
        return record.levelno >= self.threshold


class ReplicaGuard:
    """Registered as a plugin when Odoo runs with `--dev=replica`."""

    def __init__(self):
        logger = logging.getLogger("odoo.http")
        self.filter = ReadonlyWrites(logger.getEffectiveLevel())
        logger.addFilter(self.filter)
        logger.setLevel(min(logger.getEffectiveLevel(), logging.WARNING))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.filter.found.clear()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        found, self.filter.found[:] = list(self.filter.found), []
        if getattr(getattr(item, "cls", None), "replica_writes_expected", False):
            found = []  # a test of the simulation itself (tests/test_replica_paths.py)
        if found and report.passed:
            report.outcome = "failed"
            report.longrepr = "a readonly route or method wrote (replica simulation):\n" + "\n".join(found)


def pytest_sessionstart(session):
    import odoo.tools  # noqa: PLC0415 -- Odoo is set up by pytest-odoo by now

    if "replica" in (odoo.tools.config.get("dev_mode") or []):
        session.config.pluginmanager.register(ReplicaGuard(), "village_replica_guard")
