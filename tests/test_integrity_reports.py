"""Issue 15, finding 12, and issue 21: the weekly report's period and
stations come from a client (the wizard, or a report URL's options anyone can
edit). A bad range or bad stations are a clear, translated error, never a 500
(a wizard over a year, beyond 2100, ending before it starts; a date that is
not one; stations that are not integers or not the reader's); the PDF
printed from the wizard through the web client's download route has the
stations."""

import html
import io
import json
from datetime import timedelta
from urllib.parse import quote

import lxml.html
import PyPDF2

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import REFUSALS, VillageRpcMixin, VillageServiceCase

REPORT = "village_service.report_weekly_station"
MUTED = ("odoo.http", "odoo.addons.web.controllers.report", "odoo.addons.report_xlsx.controllers.main")


@tagged("post_install", "-at_install")
class TestWeeklyReportInput(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.ticket"].create(
            {"name": "Sagging line over the school", "description": "x", "partner_id": cls.household_a1.id}
        )
        today = cls.env["village.service.area"]._today()
        cls.week = (today - timedelta(days=6), today)

    # -- the wizard ----------------------------------------------------

    def _wizard(self, date_from, date_to, stations=None):
        return self.rpc(
            "village.weekly.report.wizard",
            "create",
            [
                {
                    "station_ids": [(6, 0, (stations or self.station_a).ids)],
                    "date_from": date_from,
                    "date_to": date_to,
                }
            ],
        )

    @mute_logger(*MUTED)
    def test_wizard_refuses_bad_ranges(self):
        self.authenticate("vs_head_a", "vs_head_a")
        start = self.week[0].isoformat()
        for date_from, date_to in (
            (start, "9999-12-31"),  # printing it raised OverflowError
            ("2026-01-01", "2027-01-02"),  # over a year
            ("2100-12-01", "2101-01-05"),  # beyond 2100
            ("0001-01-01", "0001-01-07"),  # a day boundary of year 1 overflows too
            ("2026-05-10", "2026-05-04"),  # ends before it starts
        ):
            reply = self._wizard(date_from, date_to)
            message = self.assertRefused(reply)
            self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.ValidationError", (date_from, date_to))
            self.assertNotIn("Overflow", message)
        # a leap year is one year
        self.assertIn("result", self._wizard("2028-01-01", "2028-12-31"))

    def test_wizard_pdf_has_its_stations(self):
        """Issue 21: Print PDF from the wizard, as the web client downloads it
        (the report's data in the URL, not the records): the stations are
        printed, not a blank page."""
        self.authenticate("vs_head_a", "vs_head_a")
        [wizard_id] = self._wizard(*(day.isoformat() for day in self.week))["result"]
        action = self.rpc("village.weekly.report.wizard", "action_print_pdf", [wizard_id])["result"]
        self.assertEqual(action["report_name"], REPORT)
        response = self._download(self._report_url("pdf", action))
        self.assertEqual(response.status_code, 200, response.text[:500])
        # in tests, Odoo answers the HTML that wkhtmltopdf would print
        self.assertIn("Weekly Report of", response.text)
        self.assertIn("Test Station A", response.text)
        self.assertIn("Sagging line over the school", response.text)
        # the same request printed by wkhtmltopdf: a PDF with the problem in
        # its text (tests/test_report_fonts.py checks the text)
        pdf = (
            self.env["ir.actions.report"]
            .with_user(self.head_a)
            .with_context(**action["context"], force_report_rendering=True)
            ._render_qweb_pdf(REPORT, None, data=dict(action["data"], context=action["context"]))[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PyPDF2.PdfReader(io.BytesIO(pdf))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        self.assertIn("Sagging line over the school", text)

    # -- report URLs: the options are the client's -----------------------

    def _report_url(self, converter, action):
        """The URL the web client builds for a report action with data
        (addons/web/static/src/webclient/actions/reports/utils.js)."""
        options = quote(json.dumps(action["data"]))
        context = quote(json.dumps(action.get("context") or {}))
        return f"/report/{converter}/{action['report_name']}?options={options}&context={context}"

    def _download(self, url, report_type="qweb-pdf"):
        """POST /report/download as the web client does (the HTML of a PDF: Odoo's test mode)."""
        return self.report_download(url, report_type, {"tz": "Europe/Brussels", "force_report_rendering": False})

    def _bad_options(self):
        station = self.station_a.id
        return [
            ({"date_from": "garbage", "date_to": "2026-05-10", "station_ids": [station]}, "is not a date"),
            ({"date_from": "2026-05-04", "date_to": "9999-12-31", "station_ids": [station]}, "2100-12-31"),
            ({"date_from": "2026-05-04", "date_to": 20260510, "station_ids": [station]}, "is not a date"),
            ({"date_from": "2020-01-01", "date_to": "2026-05-10", "station_ids": [station]}, "one year"),
            ({"date_from": "2026-05-04", "date_to": "2026-05-10", "station_ids": ["x"]}, "not valid"),
            ({"date_from": "2026-05-04", "date_to": "2026-05-10", "station_ids": "1,2"}, "not valid"),
            ({"date_from": "2026-05-04", "date_to": "2026-05-10", "station_ids": [self.bureau.id]}, "not power supply"),
            ({"date_from": "2026-05-04", "date_to": "2026-05-10", "station_ids": [99999999]}, "not power supply"),
        ]

    @mute_logger(*MUTED)
    def test_report_url_with_bad_options_is_a_clear_error(self):
        """/report/pdf and /report/html with forged options: an HTTP error
        with the message (422 for a UserError), never a 500."""
        self.authenticate("vs_head_a", "vs_head_a")
        for options, expected in self._bad_options():
            for converter in ("pdf", "html"):
                response = self.url_open(self._report_url(converter, {"report_name": REPORT, "data": options}))
                self.assertIn(response.status_code, (403, 422), (converter, options, response.text[:300]))
                self.assertIn(expected, response.text, (converter, options))
        # another station's report: refused
        options = {"date_from": "2026-05-04", "date_to": "2026-05-10", "station_ids": self.station_b.ids}
        response = self.url_open(self._report_url("pdf", {"report_name": REPORT, "data": options}))
        self.assertIn(response.status_code, (403, 422), response.text[:300])
        self.assertNotIn("Weekly Report of", response.text)

    @mute_logger(*MUTED)
    def test_download_route_with_bad_options_is_a_clear_error(self):
        """The web client's download route answers an error as an escaped
        JSON body, which the web client shows as a dialog: the report's
        UserError with its message, never an OverflowError or ValueError
        traceback, and no 500."""
        self.authenticate("vs_head_a", "vs_head_a")
        for options, expected in self._bad_options():
            for report_type, name in (("qweb-pdf", REPORT), ("xlsx", "village_service.closeout_ledger_xlsx")):
                converter = "pdf" if report_type == "qweb-pdf" else "xlsx"
                url = self._report_url(converter, {"report_name": name, "data": options})
                response = self._download(url, report_type)
                self.assertNotEqual(response.status_code, 500, (report_type, options))
                self.assertNotIn("attachment", response.headers.get("Content-Disposition") or "")
                error = json.loads(html.unescape(response.text))
                self.assertIn(error["data"]["name"], REFUSALS, (report_type, options, error["data"]["message"]))
                self.assertIn(expected, error["data"]["message"], (report_type, options))

    def test_print_menu_on_a_station_still_prints_last_week(self):
        """The station's Print menu sends the records, no data: last week."""
        self.authenticate("vs_head_a", "vs_head_a")
        response = self.url_open(f"/report/html/{REPORT}/{self.station_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Test Station A", response.text)
        monday = self.env["report.village_service.report_weekly_station"]._default_period()[0]
        self.assertIn(str(monday), response.text)

    def test_problem_tables_keep_their_columns(self):
        """A problem without a measure or a deadline (a new one) keeps its
        empty cells: its status stays in the Status column."""
        self.authenticate("vs_head_a", "vs_head_a")
        response = self._download(self._report_url("pdf", self._print_action()))
        self.assertEqual(response.status_code, 200, response.text[:500])
        tree = lxml.html.fromstring(response.content)
        # the problem tables: not the figures, nor the headline block
        rows = tree.xpath(
            "//table[not(contains(@class, 'o_village_figures')) and not(contains(@class, 'o_village_headline'))]"
            "/tbody/tr"
        )
        self.assertTrue(rows)
        for row in rows:
            cells = [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
            self.assertEqual(len(cells), 6, cells)
        [row] = [row for row in rows if "Sagging line over the school" in row.text_content()]
        cells = [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        self.assertEqual(cells[1:], ["Sagging line over the school", "Test Village A1", "", "", "Open"])

    def _print_action(self):
        [wizard_id] = self._wizard(*(day.isoformat() for day in self.week))["result"]
        return self.rpc("village.weekly.report.wizard", "action_print_pdf", [wizard_id])["result"]
