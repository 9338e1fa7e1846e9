from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class VillageWeeklyReportWizard(models.TransientModel):
    _name = "village.weekly.report.wizard"
    _description = "Print the Weekly Station Report"

    report_kind = fields.Selection(
        [("station", "Stations"), ("county", "County (all stations and the total)")],
        string="Report",
        required=True,
        default="station",
        help="The county weekly report has a row per station and the county total; it is the bureau's.",
    )
    station_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Power Supply Stations",
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

    def _check_stations(self):
        if self.report_kind == "station" and not self.station_ids:
            raise UserError(self.env._("Choose at least one power supply station for the report."))

    def _report_data(self):
        # the web client sends a report with data to /report/<type>/<name>
        # without the records: the stations travel in the data
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "station_ids": self.station_ids.ids,
        }

    def _county_data(self):
        # every station the reader may read: none travels in the data
        self.env["report.village_service.report_weekly_county"]._check_county_access()
        return {"date_from": fields.Date.to_string(self.date_from), "date_to": fields.Date.to_string(self.date_to)}

    def action_print_pdf(self):
        self.ensure_one()
        if self.report_kind == "county":
            return self.env.ref("village_service.action_report_weekly_county").report_action(
                self.env["helpdesk.ticket.team"], data=self._county_data()
            )
        self._check_stations()
        return self.env.ref("village_service.action_report_weekly_station").report_action(
            self.station_ids, data=self._report_data()
        )

    def action_print_xlsx(self):
        self.ensure_one()
        if self.report_kind == "county":
            return self.env.ref("village_service.action_report_weekly_county_xlsx").report_action(
                self.env["helpdesk.ticket.team"], data=self._county_data()
            )
        self._check_stations()
        return self.env.ref("village_service.action_report_closeout_ledger_xlsx").report_action(
            self.station_ids, data=self._report_data()
        )
