from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.pdf import merge_pdf

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
# the fields the ledger's sections are told apart by (open, overdue, closed out)
SORT_FIELDS = ["team_id", "create_date", "closeout_state", "rectification_deadline", "date_rectified", "date_closeout"]


class ReportWeeklyStation(models.AbstractModel):
    """The weekly report of a station (周汇报): figures of the period and
    cumulative, the open and overdue problems, those closed out in the period.
    Its values also feed the XLSX ledger and the weekly email."""

    _name = "report.village_service.report_weekly_station"
    _description = "Weekly Station Report"

    @api.model
    def _default_period(self):
        """Last week, Monday to Sunday, of the service area's calendar."""
        today = self.env["village.service.area"]._today()
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)

    # A report covers at most a year, between these days: beyond them a day
    # boundary overflows (year 9999) and no ledger has data.
    _period_min = date(1970, 1, 1)
    _period_max = date(2100, 12, 31)
    _period_max_days = 366

    @api.model
    def _period_error(self, date_from, date_to):
        """Why [date_from, date_to] is not a period a report can cover, or None."""
        if date_to < date_from:
            return self.env._("The end of the period cannot be before its start.")
        if date_from < self._period_min or date_to > self._period_max:
            return self.env._(
                "The period must lie between %(min)s and %(max)s.",
                min=fields.Date.to_string(self._period_min),
                max=fields.Date.to_string(self._period_max),
            )
        if (date_to - date_from).days + 1 > self._period_max_days:
            return self.env._("A report covers at most one year (%(days)s days).", days=self._period_max_days)
        return None

    @api.model
    def _period_from_data(self, data):
        """The period of a report request (the wizard's, or a URL's options,
        which a client may forge): checked, or a UserError."""
        data = data or {}
        values = (data.get("date_from"), data.get("date_to"))
        if not any(values):
            return self._default_period()
        period = []
        for value in values:
            try:
                day = fields.Date.to_date(value) if isinstance(value, str) else None
            except ValueError:
                day = None
            if not day:
                raise UserError(
                    self.env._("The period of the report is not valid: %(value)s is not a date.", value=repr(value))
                )
            period.append(day)
        error = self._period_error(*period)
        if error:
            raise UserError(error)
        return tuple(period)

    @api.model
    def _stations_from_data(self, docids, data):
        """The stations of a report request: the records printed, or the
        wizard's `station_ids` (the web client sends a wizard's report with its
        data and without the records). Integers of stations the reader may
        read, or a UserError."""
        ids = docids or (data or {}).get("station_ids")
        if not ids:
            raise UserError(self.env._("Choose at least one power supply station for the report."))
        if not isinstance(ids, (list, tuple)) or not all(
            isinstance(value, int) and not isinstance(value, bool) and value > 0 for value in ids
        ):
            raise UserError(self.env._("The stations of the report are not valid: %(ids)s.", ids=repr(ids)))
        stations = self.env["helpdesk.ticket.team"].browse(ids)
        existing = stations.exists()
        existing.check_access("read")
        missing_or_not_stations = stations - existing.filtered("is_station")
        if missing_or_not_stations:
            raise UserError(
                self.env._(
                    "These records are not power supply stations: %(ids)s.",
                    ids=", ".join(str(station_id) for station_id in missing_or_not_stations.ids),
                )
            )
        return stations

    @api.model
    def _weekly_values(self, stations, date_from, date_to, ticket_fields=None):
        """One entry per station; a fixed number of queries for any number of
        stations and tickets. The tickets come with `ticket_fields` read
        (LEDGER_FIELDS by default); a caller that reads the rest by chunks asks
        for fewer."""
        error = self._period_error(date_from, date_to)
        if error:
            raise UserError(error)
        Stat = self.env["village.daily.stat"]
        Stat._check_station_access(stations)
        figures = Stat._station_figures(stations, date_from, date_to)
        # read as the reader: their record rules, as the figures count
        Ticket = self.env["helpdesk.ticket"]
        start = self.env["village.service.area"]._day_start(date_from)
        end = self.env["village.service.area"]._day_start(date_to + timedelta(days=1))
        open_now = Domain("closeout_state", "in", ("open", "planned", "rectified"))
        closed_in_period = Domain("date_closeout", ">=", start) & Domain("date_closeout", "<", end)
        # overdue on the period's last day, as the figures count it: a problem
        # rectified or closed out since is listed too
        overdue = Ticket._village_overdue_domain(date_to)
        tickets = Ticket.search_fetch(
            Domain("team_id", "in", stations.ids)
            & Domain("create_date", "<", end)
            & (open_now | closed_in_period | overdue),
            # what sorts the tickets (in memory, no query more) comes along
            list(dict.fromkeys([*(LEDGER_FIELDS if ticket_fields is None else ticket_fields), *SORT_FIELDS])),
            order="rectification_deadline, create_date",
        )
        by_station = tickets.grouped("team_id")
        # the outages of the period and how many of their households were reached
        Notice = self.env["village.outage.notice"]
        notices = Notice.search(
            [
                ("station_id", "in", stations.ids),
                ("state", "=", "notified"),
                ("date_start", ">=", start),
                ("date_start", "<", end),
            ],
            order="date_start, id",
        ).grouped("station_id")
        result = []
        for station in stations:
            own = by_station.get(station, Ticket)
            open_tickets = own.filtered_domain(open_now)
            result.append(
                {
                    "station": station,
                    "figures": figures[station.id],
                    "open_tickets": open_tickets,
                    "overdue_tickets": own.filtered_domain(overdue),
                    "closed_tickets": own.filtered_domain(closed_in_period) - open_tickets,
                    "outage_notices": notices.get(station, Notice),
                }
            )
        return result

    @api.model
    def _get_report_values(self, docids, data=None):
        stations = self._stations_from_data(docids, data)
        date_from, date_to = self._period_from_data(data)
        County = self.env["report.village_service.report_weekly_county"]
        return {
            # the county report's headline block, a row for each station
            "headline": County._headline(stations, date_from, date_to),
            "headline_format": County._format,
            "doc_ids": stations.ids,
            "doc_model": "helpdesk.ticket.team",
            "docs": stations,
            "date_from": date_from,
            "date_to": date_to,
            "reports": self._weekly_values(stations, date_from, date_to),
            "states": self.env["helpdesk.ticket"]._closeout_state_labels(),
            "tz": self.env["village.service.area"]._tz(),
        }

    @api.model
    def _digest_attachments(self, stations, date_from, date_to, rendered, mail):
        """The PDF weekly report and the XLSX close-out ledger of the period in
        the context's language, attached to the weekly email `mail`. `rendered`
        keeps each station's PDF for the other recipients of the job run."""
        data = {"date_from": fields.Date.to_string(date_from), "date_to": fields.Date.to_string(date_to)}
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdfs = []
        # one document per station, merged: an unpatched wkhtmltopdf cannot render several at once
        for station in stations:
            key = (station.id, self.env.lang, date_from)
            if key not in rendered:
                rendered[key] = Report._render_qweb_pdf(
                    "village_service.action_report_weekly_station", station.ids, data
                )[0]
            pdfs.append(rendered[key])
        pdf = merge_pdf(pdfs) if len(pdfs) > 1 else pdfs[0]
        xlsx = Report._render("village_service.action_report_closeout_ledger_xlsx", stations.ids, data)[0]
        period = {"start": data["date_from"], "end": data["date_to"]}
        files = [
            (self.env._("Weekly Station Report %(start)s - %(end)s.pdf", **period), pdf, "application/pdf"),
            (
                self.env._("Close-out Ledger %(start)s - %(end)s.xlsx", **period),
                xlsx,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ]
        return self.env["ir.attachment"].create(
            [
                {"name": name, "raw": raw, "mimetype": mimetype, "res_model": "mail.mail", "res_id": mail.id}
                for name, raw, mimetype in files
            ]
        )
