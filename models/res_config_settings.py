from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get

DIGEST_CRONS = {
    "work_list": "village_service.ir_cron_village_work_list",
    "weekly_report": "village_service.ir_cron_village_weekly_report",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    village_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days before end)",
        config_parameter="village_service.renewal_reminder_days",
        default=30,
    )
    village_allow_self_closeout = fields.Boolean(
        string="Rectifier may close out",
        config_parameter="village_service.allow_self_closeout",
        help="Allow the person who recorded a rectification to close the problem out too.",
    )
    village_tz = fields.Selection(
        _tz_get,
        string="Time Zone of the Service Area",
        config_parameter="village_service.tz",
        default="Asia/Shanghai",
        help="Where a day starts and ends for scheduled jobs, statistics and deadlines.",
    )
    village_large_demand_kw = fields.Float(
        string="Large Demand (kW)",
        config_parameter="village_service.large_demand_kw",
        default=50.0,
        help="Demands of at least this power, needed within six months, are listed as large demands.",
    )
    village_grid_loading_threshold = fields.Float(
        string="Grid Loading Threshold (%)",
        config_parameter="village_service.grid_loading_threshold",
        default=80.0,
        help="A transformer area whose measured peak plus open demand reaches this loading must be acted on.",
    )
    village_work_list_enabled = fields.Boolean(
        string="Daily Work List",
        config_parameter="village_service.work_list_enabled",
        help="Email each account manager their overdue problems, those due today and those newly assigned.",
    )
    village_work_list_hour = fields.Float(
        string="Sending Hour",
        config_parameter="village_service.work_list_hour",
        default=7.5,
        help="Hour of the day (in the time zone of the service area) the digests are sent at.",
    )
    village_weekly_report_enabled = fields.Boolean(
        string="Weekly Station Report",
        config_parameter="village_service.weekly_report_enabled",
        help="Email the weekly report of last week, with the close-out ledger, to station heads and the bureau.",
    )
    village_weekly_report_weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        string="Weekly Report Day",
        config_parameter="village_service.weekly_report_weekday",
        default="0",
    )
    village_weekly_report_extra_emails = fields.Char(
        string="Extra Recipients",
        config_parameter="village_service.weekly_report_extra_emails",
        help="Email addresses, separated by commas, that also receive the weekly report of all stations.",
    )

    village_committee_inquiry_days = fields.Integer(
        string="Committee Inquiry Within (days)",
        config_parameter="village_service.committee_inquiry_days",
        default=3,
        help="An unanswered weekly call schedules the committee inquiry about the household, "
        "due within this many days.",
    )
    village_unanswered_calls_for_visit = fields.Integer(
        string="Unanswered Calls for a Visit",
        config_parameter="village_service.unanswered_calls_for_visit",
        default=2,
        help="After this many unanswered calls in a row to a household, a home visit is scheduled too.",
    )

    def set_values(self):
        result = super().set_values()
        self._village_schedule_digests()
        return result

    @api.model
    def _village_schedule_digests(self):
        """Put the two digest jobs at the hour and weekday of Settings, in the
        time zone of the service area; a digest turned off deactivates its job."""
        params = self.env["ir.config_parameter"].sudo()
        hour = float(params.get_param("village_service.work_list_hour") or 7.5)
        weekday = int(params.get_param("village_service.weekly_report_weekday") or 0)
        for kind, xmlid in DIGEST_CRONS.items():
            if cron := self.env.ref(xmlid, raise_if_not_found=False):
                cron.sudo().write(
                    {
                        "active": self.env["village.digest.run"]._is_enabled(kind),
                        "nextcall": self._village_next_call(hour, weekday if kind == "weekly_report" else None),
                    }
                )

    @api.model
    def _village_next_call(self, hour, weekday=None):
        """The next UTC moment (naive) at `hour` (local), on `weekday` if given."""
        tz = pytz.timezone(self.env["village.service.area"]._tz())
        now_local = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        minutes = round(hour * 60)
        at = time(minutes // 60 % 24, minutes % 60)
        day = now_local.date()
        for __ in range(8):
            candidate = tz.localize(datetime.combine(day, at))
            if candidate > now_local and (weekday is None or day.weekday() == weekday):
                return candidate.astimezone(pytz.utc).replace(tzinfo=None)
            day += timedelta(days=1)
        return None
