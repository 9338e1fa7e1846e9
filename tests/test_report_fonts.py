"""Issue 21: the addon's PDFs, downloaded as the web client downloads them,
have a searchable text layer in Simplified Chinese fonts: the station's name,
its villages' and problems' Chinese text and the figures extract as they were
typed (not as Kangxi radicals: "⼟城" for 土城, "⻩⻰" for 黄龙), the embedded
fonts are Noto Sans CJK SC, and the report is in the reader's language."""

import io
import json
import re
from datetime import date, timedelta
from urllib.parse import quote, unquote

import PyPDF2

from odoo.tests import HttpCase, tagged

from .common import VillageRpcMixin, VillageServiceCase

WEEKLY = "village_service.report_weekly_station"
AGREEMENT = "village_service.report_village_agreement"
STATION = "土城供电所"
VILLAGE = "黄龙村"
# characters whose glyph Noto CJK shares with a radical (土 ⼟, 门 ⻔, 车 ⻋,
# 马 ⻢, 长 ⻓, 风 ⻛, 飞 ⻜, 鱼 ⻥, 鸟 ⻦, 龙 ⻰, 黄 ⻩, 见 ⻅, 贝 ⻉, 页 ⻚, 户 ⼾...)
PROBLEMS = ("门前变压器漏油待整改", "长风路车马桥边线杆倾斜", "鱼塘鸟巢见贝页户表箱问题")
MEASURE = "更换表箱，整改后销号"
RADICALS = re.compile("[\u2e80-\u2fdf]")


def pdf_text_and_fonts(pdf):
    """The text of every page without white space (PyPDF2 puts tabs and
    line breaks between words and at wraps), the text with its white space
    collapsed, and the names of the fonts the pages use."""
    reader = PyPDF2.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    return "".join(text.split()), " ".join(text.split()), fonts


@tagged("post_install", "-at_install")
class TestReportFonts(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.station_a.name = STATION
        cls.village_a1.name = VILLAGE
        Ticket = cls.env["helpdesk.ticket"]
        today = cls.env["village.service.area"]._today()
        cls.week = (today - timedelta(days=6), today)
        cls.tickets = Ticket.create(
            [
                {
                    "name": name,
                    "description": "x",
                    "partner_id": cls.household_a1.id,
                    "rectification_measure": MEASURE,
                    "rectification_deadline": today + timedelta(days=5),
                }
                for name in PROBLEMS
            ]
        )
        cls.tickets[0].with_user(cls.manager_a).action_rectify()
        cls.agreement = cls.env["village.agreement"].create(
            {"village_id": cls.village_a1.id, "date_start": date(2025, 1, 1), "date_end": date(2025, 12, 31)}
        )

    def _download(self, url, lang="en_US"):
        """POST /report/download as the web client does (the report's URL and
        the user's context). `force_report_rendering`: in tests Odoo answers
        the HTML instead of running wkhtmltopdf unless asked."""
        response = self.report_download(url, "qweb-pdf", {"lang": lang})
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.filename = unquote(response.headers["Content-Disposition"])
        self.pages = len(PyPDF2.PdfReader(io.BytesIO(response.content)).pages)
        return pdf_text_and_fonts(response.content)

    def _weekly_pdf(self, lang="en_US", stations=None):
        """The weekly report printed from the wizard (Reporting → Weekly
        Report → Print PDF), as the web client builds its URL
        (addons/web/static/src/webclient/actions/reports/utils.js)."""
        reply = self.rpc(
            "village.weekly.report.wizard",
            "create",
            [
                {
                    "station_ids": [(6, 0, (stations or self.station_a).ids)],
                    "date_from": self.week[0].isoformat(),
                    "date_to": self.week[1].isoformat(),
                }
            ],
            context={"lang": lang},
        )
        [wizard_id] = reply["result"]
        action = self.rpc("village.weekly.report.wizard", "action_print_pdf", [wizard_id])["result"]
        self.assertEqual(action["report_name"], WEEKLY)
        options = quote(json.dumps(action["data"]))
        context = quote(json.dumps(action.get("context") or {}))
        return self._download(f"/report/pdf/{WEEKLY}?options={options}&context={context}", lang)

    def _agreement_pdf(self, lang="en_US", agreements=None):
        """The agreements printed from their form's or list's Print menu."""
        ids = ",".join(str(agreement_id) for agreement_id in (agreements or self.agreement).ids)
        return self._download(f"/report/pdf/{AGREEMENT}/{ids}", lang)

    def assertSimplifiedChineseFonts(self, fonts):
        self.assertTrue(fonts, "the PDF has no text (drawn as outlines)")
        for font in fonts:
            self.assertRegex(font, r"CJKsc-", f"not Noto Sans CJK SC: {fonts}")

    def test_weekly_pdf_has_searchable_chinese_text_and_figures(self):
        self.authenticate("vs_head_a", "vs_head_a")
        compact, text, fonts = self._weekly_pdf()
        self.assertSimplifiedChineseFonts(fonts)
        self.assertFalse(RADICALS.findall(compact), compact)
        for chinese in (STATION, VILLAGE, MEASURE, *PROBLEMS):
            self.assertIn(chinese, compact)
        figures = (
            self.env["report.village_service.report_weekly_station"]
            .with_user(self.head_a)
            ._weekly_values(self.station_a, *self.week)[0]["figures"]
        )
        self.assertEqual((figures["collected"], figures["rectified"]), (3, 1))
        row = [figures[key] for key in ("collected", "planned", "rectified", "closed_out", "overdue")]
        self.assertIn("This period " + " ".join(map(str, row)), text)
        for ticket in self.tickets:
            self.assertIn(ticket.number, compact)

    def test_agreement_pdf_has_searchable_chinese_text(self):
        self.authenticate("vs_head_a", "vs_head_a")
        compact, text, fonts = self._agreement_pdf()
        self.assertSimplifiedChineseFonts(fonts)
        self.assertFalse(RADICALS.findall(compact), compact)
        self.assertIn(STATION, compact)
        self.assertIn(VILLAGE, compact)
        self.assertIn(self.agreement.name, compact)
        self.assertIn("Service-Point Agreement", text)

    def test_pdfs_print_in_the_readers_language(self):
        """A station head who reads Chinese gets both PDFs in Chinese, whatever
        the village's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        self.head_a.lang = "zh_CN"
        self.village_a1.lang = "en_US"
        self.authenticate("vs_head_a", "vs_head_a")
        compact, _text, fonts = self._weekly_pdf("zh_CN")
        self.assertSimplifiedChineseFonts(fonts)
        for term in ("周汇报：", STATION, "统计期间：", "本期", "累计", "未销号问题", "整改措施", "填报人："):
            self.assertIn(term, compact)
        self.assertNotIn("WeeklyReportof", compact)
        self.assertIn("供电所周汇报.pdf", self.filename)
        compact, _text, fonts = self._agreement_pdf("zh_CN")
        self.assertSimplifiedChineseFonts(fonts)
        for term in ("服务点共建协议", "甲方：供电所", STATION, VILLAGE):
            self.assertIn(term, compact)
        self.assertNotIn("Service-PointAgreement", compact)
        self.assertIn(f"服务点共建协议 - {self.agreement.name} - {VILLAGE}.pdf", self.filename)

    def test_several_stations_and_agreements_print_in_one_pdf(self):
        """A bureau prints the weekly report of several stations, or several
        agreements at once: one PDF, a page each (Debian's wkhtmltopdf prints
        one document per run; Odoo refused several)."""
        self.station_b.name = "长风供电所"
        self.env["helpdesk.ticket"].create(
            {"name": "龙门村变压器噪音", "description": "x", "partner_id": self.household_b1.id}
        )
        agreement_b = self.env["village.agreement"].create(
            {"village_id": self.village_b1.id, "date_start": date(2025, 1, 1), "date_end": date(2025, 12, 31)}
        )
        self.authenticate("vs_bureau", "vs_bureau")
        # each station on its own pages (the headline block and the ledger)
        pages = 0
        for station in (self.station_a, self.station_b):
            self._weekly_pdf(stations=station)
            pages += self.pages
        compact, _text, fonts = self._weekly_pdf(stations=self.station_a | self.station_b)
        self.assertSimplifiedChineseFonts(fonts)
        self.assertEqual(self.pages, pages)
        for chinese in (STATION, "长风供电所", PROBLEMS[0], "龙门村变压器噪音"):
            self.assertIn(chinese, compact)
        compact, _text, fonts = self._agreement_pdf(agreements=self.agreement | agreement_b)
        self.assertSimplifiedChineseFonts(fonts)
        self.assertEqual(self.pages, 2)
        for text in (VILLAGE, "Test Village B1", self.agreement.name, agreement_b.name):
            self.assertIn(text.replace(" ", ""), compact)
