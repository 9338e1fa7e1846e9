from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VillageWeeklyReportWizard(models.TransientModel):
    _name = "village.weekly.report.wizard"
    _description = "Print the Weekly Station Report"

    station_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Power Supply Stations",
        required=True,
        domain="[('is_station', '=', True)]",
        default=lambda self: self._default_station_ids(),
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        date_from, date_to = self.env["report.village_service.report_weekly_station"]._default_period()
        values.setdefault("date_from", date_from)
        values.setdefault("date_to", date_to)
        return values

    @api.model
    def _default_station_ids(self):
        if self.env.context.get("active_model") == "helpdesk.ticket.team":
            return self.env.context.get("active_ids")
        return self.env.user.helpdesk_team_ids.filtered("is_station").ids

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        """At most a year, from <= to, within the years a report can cover."""
        Weekly = self.env["report.village_service.report_weekly_station"]
        for wizard in self:
            error = Weekly._period_error(wizard.date_from, wizard.date_to)
            if error:
                raise ValidationError(error)

    def _report_data(self):
        # the web client sends a report with data to /report/<type>/<name>
        # without the records: the stations travel in the data
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "station_ids": self.station_ids.ids,
        }

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("village_service.action_report_weekly_station").report_action(
            self.station_ids, data=self._report_data()
        )

    def action_print_xlsx(self):
        self.ensure_one()
        return self.env.ref("village_service.action_report_closeout_ledger_xlsx").report_action(
            self.station_ids, data=self._report_data()
        )
