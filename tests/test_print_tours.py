"""Issue 21, "Done when": desktop tours (1440 px) of a station head who prints
the weekly PDF from Reporting → Weekly Report and downloads the XLSX ledger.
The browser downloads as the web client does (POST /report/download); the
test records what the server answered to each download and checks the files:
the PDF has a text layer with the station's name and figures (not a blank
page), the ledger's dates are the service area's (Beijing) days."""

import datetime
import functools
import io
import json
from datetime import timedelta
from unittest.mock import patch

import openpyxl
import pytz

from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.tests import HttpCase, tagged

from .common import VillageServiceCase, moment
from .test_report_fonts import pdf_text_and_fonts

STATION = "土城供电所"
PROBLEMS = ("门前变压器漏油待整改", "黄龙村车马桥边线杆倾斜", "清晨登记的表箱问题")


@tagged("post_install", "-at_install")
class TestPrintTours(HttpCase, VillageServiceCase):
    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.station_a.name = STATION
        cls.village_a1.name = "黄龙村"
        Ticket = cls.env["helpdesk.ticket"]
        # the wizard proposes last week: the problems were logged then
        cls.monday, cls.sunday = cls.env["report.village_service.report_weekly_station"]._default_period()
        beijing = pytz.timezone("Asia/Shanghai")

        def in_beijing(day, hour, minute=0):
            moment_ = datetime.datetime.combine(cls.monday + timedelta(days=day), datetime.time(hour, minute))
            return beijing.localize(moment_).astimezone(pytz.utc).replace(tzinfo=None)

        # the last one on Wednesday 06:06 in Beijing, Tuesday 22:06 UTC
        cls.tickets = Ticket
        for name, when in zip(PROBLEMS, (in_beijing(0, 10), in_beijing(1, 10), in_beijing(2, 6, 6)), strict=True):
            with moment(cls.env, when):
                ticket = Ticket.create(
                    {
                        "name": name,
                        "description": "x",
                        "partner_id": cls.household_a1.id,
                        "rectification_measure": "更换表箱",
                        "rectification_deadline": cls.sunday + timedelta(days=30),
                    }
                )
                ticket.flush_recordset()
            cls.tickets |= ticket
        with moment(cls.env, datetime.datetime.combine(cls.monday + timedelta(days=3), datetime.time(3))):
            cls.tickets[0].with_user(cls.manager_a).action_rectify()
            cls.env.flush_all()

    def _start_tour_recording_downloads(self, tour):
        """Run `tour`, and return what the report routes answered to the
        browser's downloads: [(report name, converter, status, body)]. The
        routes run as they are; in tests Odoo answers a PDF's HTML instead of
        running wkhtmltopdf unless the context has `force_report_rendering`,
        which the recorder adds."""
        answers = []
        original = ReportController.report_routes

        @functools.wraps(original)
        def report_routes(controller, reportname, docids=None, converter=None, **data):
            if converter == "pdf":
                context = json.loads(data.get("context") or "{}")
                data["context"] = json.dumps({**context, "force_report_rendering": True})
            response = original(controller, reportname, docids, converter, **data)
            answers.append((reportname, converter, response.status_code, response.get_data()))
            return response

        with patch.object(ReportController, "report_routes", report_routes):
            self.start_tour("/odoo", tour, login="vs_head_a", timeout=300)
        return answers

    def test_station_head_prints_the_weekly_pdf_and_the_ledger(self):
        answers = self._start_tour_recording_downloads("village_service_print_weekly_report")
        self.assertEqual(
            [answer[:3] for answer in answers],
            [
                ("village_service.report_weekly_station", "pdf", 200),
                ("village_service.closeout_ledger_xlsx", "xlsx", 200),
            ],
        )
        pdf, xlsx = answers[0][3], answers[1][3]

        # the PDF: not blank, the station's name and last week's figures
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:200])
        compact, text, _fonts = pdf_text_and_fonts(pdf)
        self.assertIn(STATION, compact)
        for problem in PROBLEMS:
            self.assertIn(problem, compact)
        self.assertIn(f"Period: {self.monday} – {self.sunday}", text)  # an en dash, not a figure dash
        figures = (
            self.env["report.village_service.report_weekly_station"]
            .with_user(self.head_a)
            ._weekly_values(self.station_a, self.monday, self.sunday)[0]["figures"]
        )
        self.assertEqual((figures["collected"], figures["rectified"]), (3, 1))
        row = [figures[key] for key in ("collected", "planned", "rectified", "closed_out", "overdue")]
        self.assertIn("This period " + " ".join(map(str, row)), text)

        # the ledger: every problem of the week, on its Beijing day
        book = openpyxl.load_workbook(io.BytesIO(xlsx))
        rows = {row[1]: row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(set(rows), set(PROBLEMS))
        self.assertEqual(rows[PROBLEMS[2]][2].date(), self.monday + timedelta(days=2))
        self.assertEqual(
            self.tickets[2].create_date,
            datetime.datetime.combine(self.monday, datetime.time(22, 6)) + timedelta(days=1),
        )
        self.assertEqual(rows[PROBLEMS[0]][2].date(), self.monday)
