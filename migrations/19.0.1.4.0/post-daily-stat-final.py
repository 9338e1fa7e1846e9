"""19.0.1.4.0: a daily statistics row says it is final with a field,
`is_final`, instead of its `write_date`. Until this release a row was final
when it had been written after its day ended, the day of the service area
(Settings, Asia/Shanghai by default): `write_date` on or after the local
midnight starting the next day. The new column is filled by the same rule, so
the job, a refresh and a write leave alone exactly the rows they left alone
before the upgrade."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("SELECT value FROM ir_config_parameter WHERE key = %s", "village_service.tz"))
    row = cr.fetchone()
    tz = (row and row[0]) or "Asia/Shanghai"
    # write_date is naive UTC; the next day's local midnight, as naive UTC
    cr.execute(
        SQL(
            """
            UPDATE village_daily_stat
               SET is_final = COALESCE(
                       write_date >= (((date + 1)::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'), FALSE)
            """,
            tz=tz,
        )
    )
    _logger.info("%s daily statistics rows: is_final set from their write date", cr.rowcount)
