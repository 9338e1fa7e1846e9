from odoo import models
from odoo.exceptions import UserError


def selected_report_rows(report, docids, data):
    """The rows of an analysis (`report`, with the user's rights) that a
    workbook prints: those selected, or all the user may read when none is;
    ids sent by a client that are not ids are refused."""
    context = (data or {}).get("context")
    ids = (
        docids
        or (context.get("active_ids") if isinstance(context, dict) else None)
        or report.env.context.get("active_ids")
    )
    if ids and (
        not isinstance(ids, (list, tuple))
        or not all(isinstance(value, int) and not isinstance(value, bool) for value in ids)
    ):
        raise UserError(report.env._("The rows of the report are not valid: %(ids)s.", ids=repr(ids)))
    return report.search([("id", "in", ids)]) if ids else report.search([])


def month_label(month):
    return month.strftime("%Y-%m") if month else ""


class VillageDemandXlsx(models.AbstractModel):
    """The grid-planning report as a workbook: the demands one by one, and
    the kW per township and month needed."""

    _name = "report.village_service.demand_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Grid Planning XLSX Report"

    def _get_objs_for_report(self, docids, data):
        """Rows of the grid-planning report: the selected ones, or all the
        user may see when none is selected. A lead's row has the lead's id,
        so the report also prints from a selection of demands."""
        return selected_report_rows(self.env["village.demand.report"], docids, data)

    def generate_xlsx_report(self, workbook, data, rows):
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        kw_format = workbook.add_format({"num_format": "#,##0.0"})
        kw_bold = workbook.add_format({"num_format": "#,##0.0", "bold": True})
        types = dict(rows._fields["power_demand_type"]._description_selection(self.env))
        statuses = dict(rows._fields["won_status"]._description_selection(self.env))
        no_month = self.env._("No date")

        sheet = workbook.add_worksheet(self.env._("Demands"))
        columns = [
            (self.env._("Township"), 18),
            (self.env._("Village"), 28),
            (self.env._("Power Supply Station"), 22),
            (self.env._("Demand"), 36),
            (self.env._("Demand Type"), 18),
            (self.env._("Month Needed"), 14),
            (self.env._("Needed By"), 12),
            (self.env._("Status"), 10),
            (self.env._("Demand (kW)"), 12),
            (self.env._("Requested (kW)"), 12),
            (self.env._("Not Counted"), 22),
        ]
        for col, (title, width) in enumerate(columns):
            sheet.write(0, col, title, header)
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        row_index = 0
        for row_index, row in enumerate(rows, start=1):
            sheet.write(row_index, 0, row.township_id.name or "")
            sheet.write(row_index, 1, row.village_id.name or "")
            sheet.write(row_index, 2, row.station_id.name or "")
            sheet.write(row_index, 3, row.lead_id.name or "")
            sheet.write(row_index, 4, types.get(row.power_demand_type, ""))
            sheet.write(row_index, 5, self._month_label(row.month_needed) or no_month)
            sheet.write(row_index, 6, (row.power_needed_by and row.power_needed_by.isoformat()) or "")
            sheet.write(row_index, 7, statuses.get(row.won_status, ""))
            sheet.write_number(row_index, 8, row.power_demand_kw, kw_format)
            sheet.write_number(row_index, 9, row.requested_kw, kw_format)
            sheet.write(row_index, 10, self._not_counted_reason(row))
        total_row = row_index + 1
        sheet.write(total_row, 0, self.env._("Total"), bold)
        sheet.write_number(total_row, 8, sum(rows.mapped("power_demand_kw")), kw_bold)

        formats = {"header": header, "bold": bold, "kw": kw_format, "kw_bold": kw_bold}
        self._write_township_month_sheet(workbook, rows, formats, no_month)

    def _write_township_month_sheet(self, workbook, rows, formats, no_month):
        """kW by township (rows) and month needed (columns), as in the pivot."""
        header, bold, kw_format, kw_bold = (formats[key] for key in ("header", "bold", "kw", "kw_bold"))
        groups = rows._read_group(
            [("id", "in", rows.ids)],
            ["township_id", "month_needed:month"],
            ["power_demand_kw:sum"],
        )
        townships = sorted({township for township, _month, _kw in groups}, key=lambda t: t.name or "")
        months = sorted({month for _township, month, _kw in groups if month})
        if any(not month for _township, month, _kw in groups):
            months.append(False)
        kw_by_cell = {(township, month): kw for township, month, kw in groups}

        sheet = workbook.add_worksheet(self.env._("By Township and Month"))
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, len(months) + 1, 12)
        sheet.write(0, 0, self.env._("Township"), header)
        for col, month in enumerate(months, start=1):
            sheet.write(0, col, self._month_label(month) or no_month, header)
        total_col = len(months) + 1
        sheet.write(0, total_col, self.env._("Total"), header)
        for row_index, township in enumerate(townships, start=1):
            sheet.write(row_index, 0, township.name or self.env._("No township"), bold)
            for col, month in enumerate(months, start=1):
                sheet.write_number(row_index, col, kw_by_cell.get((township, month), 0.0), kw_format)
            township_kw = sum(kw_by_cell.get((township, month), 0.0) for month in months)
            sheet.write_number(row_index, total_col, township_kw, kw_bold)
        total_row = len(townships) + 1
        sheet.write(total_row, 0, self.env._("Total"), bold)
        for col, month in enumerate(months, start=1):
            month_kw = sum(kw_by_cell.get((township, month), 0.0) for township in townships)
            sheet.write_number(total_row, col, month_kw, kw_bold)
        sheet.write_number(total_row, total_col, sum(kw_by_cell.values()), kw_bold)

    def _not_counted_reason(self, row):
        """Why a demand's kW do not load the grid (as on the headroom report)."""
        if row.is_likely_duplicate:
            return self.env._("Likely duplicate")
        if not row.adds_load:
            return self.env._("Adds no load")
        return ""

    _month_label = staticmethod(month_label)
