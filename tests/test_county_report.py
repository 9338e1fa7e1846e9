"""Issue 18, point 3: the county's weekly report (PDF and XLSX), a row per
station and a county total row equal to the sum of the stations (its rates
recomputed from the sums), downloaded by the bureau as the web client
downloads it; a station head is refused it and reads the same headline block,
their station's row only, in their station's weekly report."""

import html
import io
import json
from datetime import timedelta
from urllib.parse import quote

import lxml.html
import openpyxl

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import REFUSALS, VillageRpcMixin, VillageServiceCase, moment
from .test_report_fonts import RADICALS, pdf_text_and_fonts

COUNTY = "village_service.report_weekly_county"
COUNTY_XLSX = "village_service.county_report_xlsx"
STATION_REPORT = "village_service.report_weekly_station"
STATION_A = "土城供电所"
STATION_B = "长风供电所"
MUTED = ("odoo.http", "odoo.addons.web.controllers.report", "odoo.addons.report_xlsx.controllers.main")


@tagged("post_install", "-at_install")
class TestCountyReport(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.station_a.name = STATION_A
        cls.station_b.name = STATION_B
        Area = cls.env["village.service.area"]
        cls.today = Area._today()
        cls.week = (cls.today - timedelta(days=6), cls.today)
        wechat = cls.env.ref("village_service.helpdesk_ticket_channel_wechat")
        courtyard = cls.env.ref("village_service.helpdesk_ticket_channel_courtyard")
        cls.chat_group = cls.env["village.chat.group"].create(
            {"name": "黄龙村客户服务群", "village_ids": [Command.set(cls.village_a1.ids)]}
        )
        Ticket = cls.env["helpdesk.ticket"]

        def problem(name, household, channel=None, **vals):
            return Ticket.create(
                {
                    "name": name,
                    "description": "x",
                    "partner_id": household.id,
                    "channel_id": channel.id if channel else False,
                    "rectification_measure": "更换表箱",
                    "rectification_deadline": cls.today + timedelta(days=5),
                    **vals,
                }
            )

        def closeout(tickets, head, satisfaction):
            cls.env["helpdesk.ticket.closeout"].with_user(head).create(
                {"ticket_ids": [Command.set(tickets.ids)], "satisfaction": satisfaction}
            ).action_confirm()

        # station A: a problem of a month ago, closed out (satisfied) three weeks ago
        past = Area._day_start(cls.today - timedelta(days=30)) + timedelta(hours=10)
        with moment(cls.env, past):
            cls.old = problem(
                "上月的线杆倾斜",
                cls.household_a1,
                wechat,
                chat_group_id=cls.chat_group.id,
                rectification_deadline=cls.today - timedelta(days=25),
            )
        with moment(cls.env, past + timedelta(days=5)):
            cls.old.with_user(cls.manager_a).action_rectify()
        with moment(cls.env, past + timedelta(days=9)):
            closeout(cls.old, cls.head_a, "satisfied")
        # this week: A has two (one closed out, satisfied), B two (one sent
        # back at the revisit, not satisfied)
        cls.a_wechat = problem("门前变压器漏油", cls.household_a1, wechat, chat_group_id=cls.chat_group.id)
        cls.a_courtyard = problem("黄龙村路灯不亮", cls.household_a1, courtyard)
        cls.b_none = problem("龙门村电压低", cls.household_b1)
        cls.b_courtyard = problem("长风路表箱破损", cls.household_b1, courtyard)
        cls.a_wechat.with_user(cls.manager_a).action_rectify()
        closeout(cls.a_wechat, cls.head_a, "satisfied")
        cls.b_none.with_user(cls.manager_b).action_rectify()
        closeout(cls.b_none, cls.head_b, "not_satisfied")

        # meetings held
        Meeting = cls.env["village.meeting"]
        held = {"attendee_count": 12, "minutes": "<p>用电安全宣传</p>"}
        Meeting.with_user(cls.manager_a).create(
            {"kind": "courtyard", "village_id": cls.village_a1.id, **held}
        ).action_done()
        Meeting.with_user(cls.manager_b).create(
            {"kind": "visit", "village_id": cls.village_b1.id, **held}
        ).action_done()
        # demand
        Lead = cls.env["crm.lead"]
        Lead.create(
            {
                "name": "百香果园抽水灌溉",
                "village_id": cls.village_a1.id,
                "power_demand_type": "irrigation",
                "power_demand_kw": 75,
            }
        )
        Lead.create(
            {
                "name": "养猪场增容",
                "village_id": cls.village_b1.id,
                "power_demand_type": "capacity_increase",
                "power_demand_kw": 30,
            }
        )
        # inquiries: A's done on time, B's overdue
        rule = (
            cls.env["village.inquiry.rule"]
            .with_user(cls.bureau_user)
            .create(
                {
                    "name": "Test weekly call",
                    "activity_type_id": cls.env.ref("village_service.mail_activity_type_inquiry_phone").id,
                    "interval_number": 1,
                    "interval_unit": "week",
                    "target": "household",
                    "care_tag_ids": [Command.set(cls.env.ref("village_service.care_tag_elderly_alone").ids)],
                    "active": False,  # its job stays out of the way
                }
            )
        )
        cls.inquiry_rule = rule
        # an outage notice of station A, its household reached
        notice = (
            cls.env["village.outage.notice"]
            .with_user(cls.head_a)
            .create(
                {
                    "kind": "planned",
                    "station_id": cls.station_a.id,
                    "date_start": fields.Datetime.now().replace(microsecond=0) - timedelta(hours=1),
                    "reason": "线路检修",
                    "village_ids": [Command.set(cls.village_a1.ids)],
                }
            )
        )
        notice.action_notify()
        cls.reach = notice.sudo().reach_ids.filtered(lambda r: r.partner_id == cls.household_a1)
        cls.reach.with_user(cls.manager_a).action_reached()

    def setUp(self):
        super().setUp()
        self._inquiry(
            self.inquiry_rule,
            self.household_a1,
            self.manager_a,
            self.today - timedelta(days=1),
            done=self.today - timedelta(days=2),
        )
        self._inquiry(self.inquiry_rule, self.household_b1, self.manager_b, self.today - timedelta(days=2))

    # -- helpers ---------------------------------------------------------

    def _headline(self, user):
        County = self.env["report.village_service.report_weekly_county"].with_user(user)
        stations = County._county_stations()
        return stations, County._headline(stations, *self.week)

    def _county_action(self, method):
        """The wizard of Reporting → County Weekly Report, as the web client calls it."""
        [wizard_id] = self.rpc(
            "village.weekly.report.wizard",
            "create",
            [{"report_kind": "county", "date_from": self.week[0].isoformat(), "date_to": self.week[1].isoformat()}],
        )["result"]
        return self.rpc("village.weekly.report.wizard", method, [wizard_id])

    def _url(self, converter, action):
        options = quote(json.dumps(action["data"]))
        context = quote(json.dumps(action.get("context") or {}))
        return f"/report/{converter}/{action['report_name']}?options={options}&context={context}"

    def _download(self, url, report_type):
        return self.report_download(url, report_type)

    def assertTotalIsSum(self, headline, rows, total):
        """Each count of the total is the sum of the stations' counts; each
        rate is recomputed from the summed counts, not averaged."""
        Stat = self.env["village.daily.stat"]
        for column in headline["columns"]:
            key = column["key"]
            if column["rate"]:
                numerator, denominator = column["rate"]
                self.assertAlmostEqual(total[key], Stat._rate(total[numerator], total[denominator]), places=6, msg=key)
            else:
                self.assertAlmostEqual(total[key], sum(row[key] for row in rows), places=6, msg=key)

    # -- the figures -----------------------------------------------------

    def test_figures_of_the_stations_and_the_total(self):
        stations, headline = self._headline(self.bureau_user)
        self.assertTrue(self.station_a | self.station_b <= stations)
        a, b = headline["rows"][self.station_a.id], headline["rows"][self.station_b.id]
        wechat = self.env.ref("village_service.helpdesk_ticket_channel_wechat").id
        courtyard = self.env.ref("village_service.helpdesk_ticket_channel_courtyard").id
        expected_a = {
            "collected": 2,
            "collected_total": 3,
            "rectified": 1,
            "rectified_total": 2,
            "closed_out": 1,
            "closed_out_total": 2,
            f"channel_{wechat}": 1,
            f"channel_{wechat}_total": 2,
            f"channel_{courtyard}": 1,
            "meeting_courtyard": 1,
            "meeting_visit": 0,
            "inquiry_due": 1,
            "inquiry_on_time": 1,
            "inquiry_rate": 100.0,
            "villages": 2,
            "villages_chat_group": 1,
            "chat_group_coverage": 50.0,
            "demand_irrigation": 75.0,
            "demand_kw_total": 75.0,
            "reach_lines": 1,
            "reach_done": 1,
            "reach_rate": 100.0,
            "revisited": 1,
            "revisited_total": 2,
            "satisfied_total": 2,
            "satisfaction_rate_total": 100.0,
        }
        self.assertEqual({key: a[key] for key in expected_a}, expected_a)
        expected_b = {
            "collected": 2,
            "rectified_total": 0,  # sent back at the revisit
            "channel_none": 1,
            f"channel_{courtyard}": 1,
            "meeting_visit": 1,
            "inquiry_due": 1,
            "inquiry_on_time": 0,
            "demand_capacity_increase_total": 30.0,
            "revisited": 1,
            "satisfied": 0,
            "satisfaction_rate": 0.0,
        }
        self.assertEqual({key: b[key] for key in expected_b}, expected_b)
        rows = [headline["rows"][station.id] for station in stations]
        self.assertTotalIsSum(headline, rows, headline["total"])
        total = headline["total"]
        # satisfied ÷ revisited of the county, not the mean of the stations' rates
        self.assertEqual(
            total["satisfaction_rate_total"],
            self.env["village.daily.stat"]._rate(total["satisfied_total"], total["revisited_total"]),
        )

    def test_revisit_dates_count_the_week(self):
        """A revisit counts in the week it was made: the date is kept, also
        when the customer was not satisfied."""
        self.assertTrue(self.b_none.date_revisit)
        self.assertEqual(self.b_none.closeout_satisfaction, "not_satisfied")
        self.assertEqual(self.b_none.closeout_state, "planned")
        self.assertLess(self.old.date_revisit, fields.Datetime.to_datetime(self.week[0].isoformat()))

    # -- as the bureau: the PDF and the XLSX through the download route ----

    def test_bureau_downloads_the_county_pdf(self):
        self.authenticate("vs_bureau", "vs_bureau")
        action = self._county_action("action_print_pdf")["result"]
        self.assertEqual(action["report_name"], COUNTY)
        response = self._download(self._url("pdf", action), "qweb-pdf")
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        compact, _text, fonts = pdf_text_and_fonts(response.content)
        self.assertTrue(fonts, "the PDF has no text (drawn as outlines)")
        for font in fonts:
            self.assertRegex(font, r"CJKsc-", f"not Noto Sans CJK SC: {fonts}")
        self.assertFalse(RADICALS.findall(compact), compact)
        self.assertIn("CountyWeeklyReport", compact)
        stations, headline = self._headline(self.bureau_user)
        self.assertTotalIsSum(headline, [headline["rows"][station.id] for station in stations], headline["total"])
        County = self.env["report.village_service.report_weekly_county"]
        problems = [column for group in headline["sections"][0]["groups"] for column in group["columns"]]
        for name, values in (
            (STATION_A, headline["rows"][self.station_a.id]),
            (STATION_B, headline["rows"][self.station_b.id]),
            ("CountyTotal", headline["total"]),
        ):
            # the row of the first table: the name, then its figures
            row = name + "".join(County._format(values[column["key"]], column) for column in problems)
            self.assertIn(row, compact)

    def test_bureau_downloads_the_county_xlsx(self):
        self.authenticate("vs_bureau", "vs_bureau")
        action = self._county_action("action_print_xlsx")["result"]
        self.assertEqual(action["report_name"], COUNTY_XLSX)
        response = self._download(self._url("xlsx", action), "xlsx")
        self.assertEqual(response.status_code, 200, response.text[:500])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        stations, headline = self._headline(self.bureau_user)
        first = self.env["report.village_service.county_report_xlsx"]._first_row + 1
        lines = list(sheet.iter_rows(min_row=first, values_only=True))
        self.assertEqual([line[0] for line in lines], [*stations.mapped("name"), "County Total"])
        keys = [column["key"] for column in headline["columns"]]
        rows = [dict(zip(keys, line[1:], strict=True)) for line in lines[:-1]]
        total = dict(zip(keys, lines[-1][1:], strict=True))
        self.assertEqual(rows[list(stations).index(self.station_a)]["collected_total"], 3)
        self.assertTotalIsSum(headline, rows, total)
        for key in keys:
            self.assertAlmostEqual(total[key], headline["total"][key], places=6, msg=key)

    # -- as a station head: refused; their station's headline instead -----

    @mute_logger(*MUTED)
    def test_station_head_is_refused_the_county_report(self):
        self.authenticate("vs_head_a", "vs_head_a")
        self.assertRefused(self._county_action("action_print_pdf"), "bureau")
        self.assertRefused(self._county_action("action_print_xlsx"), "bureau")
        data = {"date_from": self.week[0].isoformat(), "date_to": self.week[1].isoformat()}
        for converter, name, report_type in (("pdf", COUNTY, "qweb-pdf"), ("xlsx", COUNTY_XLSX, "xlsx")):
            url = self._url(converter, {"report_name": name, "data": data})
            response = self._download(url, report_type)
            self.assertNotIn("attachment", response.headers.get("Content-Disposition") or "")
            error = json.loads(html.unescape(response.text))
            self.assertIn(error["data"]["name"], REFUSALS)
            self.assertIn("bureau", error["data"]["message"])
            self.assertNotIn(STATION_B, response.text)
        response = self.url_open(self._url("html", {"report_name": COUNTY, "data": data}))
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(STATION_B, response.text)

    def test_station_report_has_the_headline_of_its_station(self):
        self.authenticate("vs_head_a", "vs_head_a")
        data = {
            "date_from": self.week[0].isoformat(),
            "date_to": self.week[1].isoformat(),
            "station_ids": self.station_a.ids,
        }
        response = self.url_open(self._url("html", {"report_name": STATION_REPORT, "data": data}))
        self.assertEqual(response.status_code, 200, response.text[:300])
        page = lxml.html.fromstring(response.content)
        rows = page.xpath("//tr[contains(@class, 'o_village_headline_station')]")
        self.assertTrue(rows)
        self.assertEqual({row.xpath("string(td[1])").strip() for row in rows}, {STATION_A})
        self.assertFalse(page.xpath("//tr[contains(@class, 'o_village_headline_total')]"))
        County = self.env["report.village_service.report_weekly_county"].with_user(self.head_a)
        headline = County._headline(self.station_a.with_user(self.head_a), *self.week)
        cells = [cell.text_content().strip() for row in rows for cell in row.xpath("td")[1:]]
        expected = [
            County._format(headline["rows"][self.station_a.id][column["key"]], column)
            for section in headline["sections"]
            for group in section["groups"]
            for column in group["columns"]
        ]
        self.assertEqual(cells, expected)
        # the ledger is still there
        self.assertIn(self.a_courtyard.number, response.text)
        self.assertNotIn(STATION_B, response.text)

    def test_wizard_needs_stations_for_the_station_report(self):
        """The station choice still needs its stations (the county's takes
        every station the bureau reads)."""
        self.authenticate("vs_head_a", "vs_head_a")
        [wizard_id] = self.rpc(
            "village.weekly.report.wizard",
            "create",
            [{"station_ids": [], "date_from": self.week[0].isoformat(), "date_to": self.week[1].isoformat()}],
        )["result"]
        for method in ("action_print_pdf", "action_print_xlsx"):
            self.assertRefused(
                self.rpc("village.weekly.report.wizard", method, [wizard_id]), "Choose at least one power supply"
            )
