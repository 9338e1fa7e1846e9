from datetime import datetime, time

import pytz

from odoo import api, fields, models


class VillageServiceArea(models.AbstractModel):
    """The days of the service area.

    Every day of the addon (today's work list, a deadline, a daily statistic,
    a week of the report, a digest) starts at the service area's midnight: the
    time zone of Settings (`village_service.tz`, Asia/Shanghai by default),
    whoever clicks or runs the job. A station's day must not move with the
    reader's or the job user's time zone.
    """

    _name = "village.service.area"
    _description = "Service Area Days"

    @api.model
    def _tz(self):
        """The service area's time zone name (Settings)."""
        return self.env["ir.config_parameter"].sudo().get_param("village_service.tz") or "Asia/Shanghai"

    @api.model
    def _today(self):
        """Today's date in the service area."""
        return fields.Date.context_today(self.with_context(tz=self._tz()))

    @api.model
    def _day_start(self, day):
        """UTC datetime (naive) of the service area's midnight starting `day`."""
        local = pytz.timezone(self._tz()).localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _moment_shown(self, moment):
        """The naive UTC datetime `moment` as read in the service area: "2026-05-05 14:30"."""
        return pytz.utc.localize(moment).astimezone(pytz.timezone(self._tz())).strftime("%Y-%m-%d %H:%M")

    @api.model
    def _local_day(self, moment):
        """The service area's date at the naive UTC datetime `moment`."""
        return pytz.utc.localize(moment).astimezone(pytz.timezone(self._tz())).date()
