from odoo import models


class ReportCountyWeeklyXlsx(models.AbstractModel):
    """The county weekly report as a spreadsheet: one sheet, a column per
    figure under its section, a row per station, and the county total row
    (the sums of the stations, the rates recomputed from them)."""

    _name = "report.village_service.county_report_xlsx"
    _description = "County Weekly Report (XLSX)"
    _inherit = "report.report_xlsx.abstract"

    # the first station row (0-based): title, period, then three header rows
    _first_row = 5

    def _get_objs_for_report(self, docids, data):
        return self.env["helpdesk.ticket.team"]

    def generate_xlsx_report(self, workbook, data, objs):
        County = self.env["report.village_service.report_weekly_county"]
        values = County._county_values(data)
        headline = values["headline"]
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
        wrap = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "text_wrap": True}
        )
        formats = {0: workbook.add_format({"num_format": "0"}), 1: workbook.add_format({"num_format": "0.0"})}
        total_formats = {
            0: workbook.add_format({"num_format": "0", "bold": True, "top": 1}),
            1: workbook.add_format({"num_format": "0.0", "bold": True, "top": 1}),
        }
        sheet = workbook.add_worksheet(self.env._("County Weekly Report"))
        sheet.write(0, 0, self.env._("County Weekly Report"), bold)
        sheet.write(
            1,
            0,
            self.env._(
                "Period: %(start)s – %(end)s. Week: the period; cumulative: everything up to its last day.",
                start=values["date_from"],
                end=values["date_to"],
            ),
        )
        sheet.merge_range(2, 0, 4, 0, self.env._("Power Supply Station"), header)
        col = 1
        for section in headline["sections"]:
            width = sum(len(group["columns"]) for group in section["groups"])
            if not width:
                continue
            self._merge(sheet, (2, col, 2, col + width - 1), section["title"], header)
            for group in section["groups"]:
                columns = group["columns"]
                if columns[0]["sub"]:
                    self._merge(sheet, (3, col, 3, col + len(columns) - 1), group["label"], wrap)
                    for offset, column in enumerate(columns):
                        sheet.write(4, col + offset, column["sub"], header)
                else:
                    self._merge(sheet, (3, col, 4, col), group["label"], wrap)
                col += len(columns)
        row = self._first_row
        columns = headline["columns"]
        for station in values["stations"]:
            sheet.write_string(row, 0, station.name)
            for offset, column in enumerate(columns, start=1):
                sheet.write_number(row, offset, headline["rows"][station.id][column["key"]], formats[column["digits"]])
            row += 1
        sheet.write_string(row, 0, self.env._("County Total"), total_formats[0])
        for offset, column in enumerate(columns, start=1):
            sheet.write_number(row, offset, headline["total"][column["key"]], total_formats[column["digits"]])
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, len(columns), 11)
        sheet.set_row(3, 30)
        sheet.freeze_panes(self._first_row, 1)

    @staticmethod
    def _merge(sheet, cells, value, cell_format):
        """Write `value` over the range `cells` (first row, first column,
        last row, last column), merged when it spans several cells."""
        first_row, first_col, last_row, last_col = cells
        if (first_row, first_col) == (last_row, last_col):
            sheet.write(first_row, first_col, value, cell_format)
        else:
            sheet.merge_range(first_row, first_col, last_row, last_col, value, cell_format)
