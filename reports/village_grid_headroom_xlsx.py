from odoo import models

from .village_demand_xlsx import month_label, selected_report_rows


class VillageGridHeadroomXlsx(models.AbstractModel):
    """The headroom report as a workbook for the planners: the areas to act
    on first (one line per transformer area, earliest month of crossing
    first), and the months behind them (the report's rows)."""

    _name = "report.village_service.grid_headroom_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Grid Headroom XLSX Report"

    def _get_objs_for_report(self, docids, data):
        """The selected rows of the headroom report, or all the user may read
        when none is selected; read with the user's record rules."""
        return selected_report_rows(self.env["village.grid.headroom.report"], docids, data)

    def generate_xlsx_report(self, workbook, data, rows):
        formats = {
            "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
            "kw": workbook.add_format({"num_format": "#,##0.0"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "over": workbook.add_format({"num_format": "0.0", "bold": True, "font_color": "#C00000"}),
        }
        self._write_areas_sheet(workbook, rows, formats)
        self._write_months_sheet(workbook, rows, formats)

    def _write_areas_sheet(self, workbook, rows, formats):
        """One line per area: the most loaded of its months and its month of
        crossing; areas that cross come first, the earliest first."""
        threshold = self.env["village.transformer.area"]._loading_threshold()
        areas = {}
        for row in rows:
            line = areas.setdefault(row.area_id, {"row": row, "demand_kw": 0.0, "loading": 0.0})
            line["demand_kw"] = max(line["demand_kw"], row.cumulative_demand_kw)
            line["loading"] = max(line["loading"], row.loading)
        ordered = sorted(
            areas.values(),
            key=lambda line: (
                not line["row"].month_crossing,
                line["row"].month_crossing or line["row"].month or False,
                -line["loading"],
                line["row"].area_id.display_name or "",
            ),
        )
        sheet = workbook.add_worksheet(self.env._("Areas to Act On"))
        columns = [
            (self.env._("Transformer Area"), 26),
            (self.env._("Code"), 14),
            (self.env._("Feeder"), 22),
            (self.env._("Substation"), 22),
            (self.env._("Power Supply Station"), 22),
            (self.env._("Township"), 16),
            (self.env._("Account Manager"), 16),
            (self.env._("Capacity (kW)"), 13),
            (self.env._("Peak Load (kW)"), 13),
            (self.env._("Open Demand (kW)"), 15),
            (self.env._("Loading (%)"), 11),
            (self.env._("Month of Crossing"), 16),
        ]
        self._write_header(sheet, columns, formats)
        for index, line in enumerate(ordered, start=1):
            row = line["row"]
            values = [
                row.area_id.name,
                row.area_id.code or "",
                row.feeder_id.display_name or "",
                row.substation_id.display_name or "",
                row.station_id.name or "",
                row.township_id.name or "",
                row.manager_id.name or "",
            ]
            for col, value in enumerate(values):
                sheet.write_string(index, col, value)
            sheet.write_number(index, 7, row.capacity_kw, formats["kw"])
            sheet.write_number(index, 8, row.peak_load_kw, formats["kw"])
            sheet.write_number(index, 9, line["demand_kw"], formats["kw"])
            loading_format = formats["over"] if line["loading"] >= threshold else formats["percent"]
            sheet.write_number(index, 10, line["loading"], loading_format)
            sheet.write_string(index, 11, self._month_label(row.month_crossing))

    def _write_months_sheet(self, workbook, rows, formats):
        """The report's rows: per area and month needed, the demand of the
        month, cumulated, and the loading it brings."""
        sheet = workbook.add_worksheet(self.env._("By Month"))
        columns = [
            (self.env._("Transformer Area"), 26),
            (self.env._("Feeder"), 22),
            (self.env._("Month Needed"), 13),
            (self.env._("Demand of the Month (kW)"), 16),
            (self.env._("Cumulative Demand (kW)"), 16),
            (self.env._("Loading (%)"), 11),
            (self.env._("Month of Crossing"), 16),
        ]
        self._write_header(sheet, columns, formats)
        for index, row in enumerate(rows, start=1):
            sheet.write_string(index, 0, row.area_id.name)
            sheet.write_string(index, 1, row.feeder_id.display_name or "")
            sheet.write_string(index, 2, self._month_label(row.month))
            sheet.write_number(index, 3, row.demand_kw, formats["kw"])
            sheet.write_number(index, 4, row.cumulative_demand_kw, formats["kw"])
            sheet.write_number(index, 5, row.loading, formats["over"] if row.over_threshold else formats["percent"])
            sheet.write_string(index, 6, self._month_label(row.month_crossing))

    @staticmethod
    def _write_header(sheet, columns, formats):
        for col, (title, width) in enumerate(columns):
            sheet.write(0, col, title, formats["header"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 1)

    _month_label = staticmethod(month_label)
