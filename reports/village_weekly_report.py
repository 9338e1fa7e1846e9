from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

LEDGER_FIELDS = [
    "number",
    "name",
    "create_date",
    "team_id",
    "village_id",
    "partner_id",
    "user_id",
    "channel_id",
    "rectification_measure",
    "rectification_deadline",
    "closeout_state",
    "date_rectified",
    "date_closeout",
]


class ReportWeeklyStation(models.AbstractModel):
    """The weekly report of a station (周汇报): figures of the period and
    cumulative, the open and overdue problems, those closed out in the period.
    Its values also feed the XLSX ledger and the weekly email."""

    _name = "report.village_service.report_weekly_station"
    _description = "Weekly Station Report"

    @api.model
    def _default_period(self):
        """Last week, Monday to Sunday, in the users' time zone."""
        today = self.env["helpdesk.ticket"]._village_today()
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)

    @api.model
    def _period_from_data(self, data):
        if data and data.get("date_from") and data.get("date_to"):
            return fields.Date.to_date(data["date_from"]), fields.Date.to_date(data["date_to"])
        return self._default_period()

    @api.model
    def _weekly_values(self, stations, date_from, date_to, ticket_fields=None):
        """One entry per station; a fixed number of queries for any number of
        stations and tickets. The tickets come with `ticket_fields` read
        (LEDGER_FIELDS by default); a caller that reads the rest by chunks asks
        for fewer."""
        if date_to < date_from:
            raise UserError(self.env._("The end of the period cannot be before its start."))
        Stat = self.env["village.daily.stat"]
        Stat._check_station_access(stations)
        figures = Stat._station_figures(stations, date_from, date_to)
        Ticket = self.env["helpdesk.ticket"].sudo()
        start = Ticket._village_day_start(date_from)
        end = Ticket._village_day_start(date_to + timedelta(days=1))
        tickets = Ticket.search_fetch(
            [
                ("team_id", "in", stations.ids),
                ("create_date", "<", end),
                "|",
                ("closeout_state", "in", ("open", "planned", "rectified")),
                "&",
                ("date_closeout", ">=", start),
                ("date_closeout", "<", end),
            ],
            LEDGER_FIELDS if ticket_fields is None else ticket_fields,
            order="rectification_deadline, create_date",
        )
        by_station = tickets.grouped("team_id")
        result = []
        for station in stations:
            own = by_station.get(station, Ticket)
            open_tickets = own.filtered(lambda t: t.closeout_state != "closed")
            result.append(
                {
                    "station": station,
                    "figures": figures[station.id],
                    "open_tickets": open_tickets,
                    "overdue_tickets": open_tickets.filtered(
                        lambda t: (
                            t.closeout_state in ("open", "planned")
                            and t.rectification_deadline
                            and t.rectification_deadline < date_to
                        )
                    ),
                    "closed_tickets": own - open_tickets,
                }
            )
        return result

    @api.model
    def _get_report_values(self, docids, data=None):
        stations = self.env["helpdesk.ticket.team"].browse(docids)
        date_from, date_to = self._period_from_data(data)
        return {
            "doc_ids": docids,
            "doc_model": "helpdesk.ticket.team",
            "docs": stations,
            "date_from": date_from,
            "date_to": date_to,
            "reports": self._weekly_values(stations, date_from, date_to),
            "states": self.env["helpdesk.ticket"]._closeout_state_labels(),
        }
