import pytz

from odoo import models

from .village_weekly_report import LEDGER_FIELDS


class ReportCloseoutLedgerXlsx(models.AbstractModel):
    """The close-out ledger (销号台账) as a spreadsheet: a summary sheet with
    the period and cumulative figures, then one sheet per station listing its
    open problems and those closed out in the period."""

    _name = "report.village_service.closeout_ledger_xlsx"
    _description = "Close-out Ledger (XLSX)"
    _inherit = "report.report_xlsx.abstract"

    # tickets read (and dropped from the cache) at a time
    _ledger_chunk_size = 2000

    def get_workbook_options(self):
        # rows are written in order and flushed: memory stays flat on large ledgers
        return {"constant_memory": True, "in_memory": False}

    def _get_objs_for_report(self, docids, data):
        """The stations printed, or the wizard's: checked as the PDF's."""
        return self.env["report.village_service.report_weekly_station"]._stations_from_data(docids, data)

    def generate_xlsx_report(self, workbook, data, objs):
        weekly = self.env["report.village_service.report_weekly_station"]
        date_from, date_to = weekly._period_from_data(data)
        # only what sorts the tickets into open, overdue and closed: the rest
        # is read chunk by chunk below
        reports = weekly._weekly_values(
            objs, date_from, date_to, ticket_fields=["team_id", "closeout_state", "rectification_deadline"]
        )
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        red = workbook.add_format({"font_color": "#C00000"})
        Ticket = self.env["helpdesk.ticket"]
        states = Ticket._closeout_state_labels()
        # the service area's calendar, whoever downloads: a problem logged at
        # 06:06 in Beijing is of that day, not of the UTC day before
        tz = pytz.timezone(self.env["village.service.area"]._tz())

        summary = workbook.add_worksheet(self.env._("Summary"))
        summary.write(0, 0, self.env._("Close-out Ledger %(start)s – %(end)s", start=date_from, end=date_to), bold)
        columns = [
            (self.env._("Power Supply Station"), None),
            (self.env._("Collected"), "collected"),
            (self.env._("Planned"), "planned"),
            (self.env._("Rectified"), "rectified"),
            (self.env._("Closed Out"), "closed_out"),
            (self.env._("Collected (cumulative)"), "collected_total"),
            (self.env._("Rectified (cumulative)"), "rectified_total"),
            (self.env._("Closed Out (cumulative)"), "closed_out_total"),
            (self.env._("Overdue"), "overdue"),
            (self.env._("Rectification Rate (%)"), "rectification_rate"),
        ]
        for col, (title, _key) in enumerate(columns):
            summary.write(2, col, title, header)
        for row, report in enumerate(reports, start=3):
            summary.write(row, 0, report["station"].name)
            for col, (_title, key) in enumerate(columns[1:], start=1):
                summary.write_number(row, col, report["figures"][key])
        summary.set_column(0, 0, 28)
        summary.set_column(1, len(columns), 14)

        ledger_columns = [
            self.env._("Number"),
            self.env._("Problem"),
            self.env._("Collected on"),
            self.env._("Village"),
            self.env._("Customer"),
            self.env._("Assigned to"),
            self.env._("Channel"),
            self.env._("Rectification Measure"),
            self.env._("Rectification Deadline"),
            self.env._("Close-out Status"),
            self.env._("Rectified on"),
            self.env._("Closed Out on"),
            self.env._("Overdue"),
        ]
        used_names = set()
        yes = self.env._("Yes")
        for report in reports:
            name = self._sheet_name(report["station"].name, used_names)
            sheet = workbook.add_worksheet(name)
            for col, title in enumerate(ledger_columns):
                sheet.write(0, col, title, header)
            tickets = report["open_tickets"] | report["closed_tickets"]
            # write_string: no guessing of numbers and links in each cell
            for row, ticket in enumerate(self._ledger_chunks(tickets), start=1):
                # overdue as the ledger and the dashboard count it (the
                # deadline is before the service area's today), not as of
                # the end of the period
                is_overdue = ticket.is_overdue
                sheet.write_string(row, 0, ticket.number or "")
                sheet.write_string(row, 1, ticket.name)
                sheet.write_datetime(row, 2, self._local(ticket.create_date, tz), date_fmt)
                sheet.write_string(row, 3, ticket.village_id.name or "")
                sheet.write_string(row, 4, ticket.partner_id.name or "")
                sheet.write_string(row, 5, ticket.user_id.name or "")
                sheet.write_string(row, 6, ticket.channel_id.name or "")
                sheet.write_string(row, 7, ticket.rectification_measure or "")
                if ticket.rectification_deadline:
                    sheet.write_datetime(row, 8, ticket.rectification_deadline, date_fmt)
                sheet.write_string(row, 9, states.get(ticket.closeout_state, ""), red if is_overdue else None)
                if ticket.date_rectified:
                    sheet.write_datetime(row, 10, self._local(ticket.date_rectified, tz), date_fmt)
                if ticket.date_closeout:
                    sheet.write_datetime(row, 11, self._local(ticket.date_closeout, tz), date_fmt)
                sheet.write_string(row, 12, yes if is_overdue else "", red)
            sheet.set_column(0, 0, 12)
            sheet.set_column(1, 1, 36)
            sheet.set_column(2, 12, 16)
            sheet.set_column(7, 7, 40)

    def _ledger_chunks(self, tickets):
        """The tickets in order, read `_ledger_chunk_size` at a time with the
        names they show; each chunk leaves the cache before the next is read,
        so memory stays flat on a ledger of 100,000 problems."""
        ids = tickets.ids
        for start in range(0, len(ids), self._ledger_chunk_size):
            chunk = tickets.browse(ids[start : start + self._ledger_chunk_size])
            chunk.fetch(LEDGER_FIELDS)
            for link in ("village_id", "partner_id", "user_id", "channel_id"):
                chunk[link].fetch(["name"])
            yield from chunk
            self.env.invalidate_all()

    @staticmethod
    def _local(value, tz):
        """A stored (naive UTC) datetime as the wall clock of `tz`, naive:
        a spreadsheet cell has no time zone."""
        return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

    @staticmethod
    def _sheet_name(name, used):
        # Excel: at most 31 characters, none of []:*?/\ and unique
        clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:28]
        candidate, n = clean, 2
        while candidate.lower() in used:
            candidate, n = f"{clean[:25]} ({n})", n + 1
        used.add(candidate.lower())
        return candidate
