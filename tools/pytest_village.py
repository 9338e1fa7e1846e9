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
"""

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
