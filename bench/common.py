"""Shared by the generator and the benchmark: the scales and how to open an
Odoo environment on the bench database through the registry."""

import contextlib
import os

SCALES = {
    # 240 villages of one county: quick runs (< 2 minutes to generate)
    "county": {
        "stations": 12,
        "managers": 36,
        "townships": 24,
        "villages": 240,
        "households": 24_000,
        "tickets": 10_000,
        "meetings": 2_400,
        "leads": 1_200,
        "agreements": 240,
    },
    # a provincial grid company (issue 10)
    "province": {
        "stations": 1_000,
        "managers": 3_000,
        "townships": 2_000,
        "villages": 20_000,
        "households": 2_000_000,
        "tickets": 1_000_000,
        "meetings": 200_000,
        "leads": 100_000,
        "agreements": 20_000,
    },
}


def db_name(scale):
    return f"village_service_bench_{scale}"


@contextlib.contextmanager
def odoo_env(db, config_file, context=None):
    """(registry, cursor, env as superuser). Like any registry cursor it
    commits at exit: the benchmark rolls back before leaving."""
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", config_file, "--log-level=warn"])
    odoo.netsvc.init_logger()
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "Asia/Shanghai", **(context or {})})
        yield registry, cr, env


def default_config():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(root, ".local", "odoo.conf")
