import unittest
from datetime import timedelta

import pytz

from odoo.addons.village_service.demo.village_demo import DEMO_DAY_APRIL_9
from odoo.exceptions import AccessDenied
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import new_test_user

from .common import MANAGER

TUCHENG = "village_service.team_station_tucheng_demo"


@tagged("post_install", "-at_install")
class TestDemoCounty(TransactionCase):
    """`make run` and `make test` install the demo county: the Xishui (习水)
    county power supply bureau of the source practice, at its real scale.
    Every figure of the source is read here from the demo database, as the
    bureau, a station head or an account manager reads it. Odoo 19 installs
    without demo data unless asked (`--with-demo`): then these tests are
    skipped, with the reason, rather than failing on a missing XML id."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "village_service")])
        if not module.demo:
            raise unittest.SkipTest("village_service was installed without its demo data (install with --with-demo)")
        cls.bureau_user = new_test_user(cls.env, login="vs_demo_bureau", groups=MANAGER)
        cls.tucheng = cls.env.ref(TUCHENG)
        # the demo's dates are relative to the day it was installed
        # (demo/village_demo.py): that day in the service area, which is not
        # today for a database installed before midnight there and tested
        # after (an install that itself straddles that midnight dates its
        # records over two days, the demo's XML as much as its generator)
        Area = cls.env["village.service.area"]
        cls.install_day = pytz.utc.localize(cls.tucheng.create_date).astimezone(pytz.timezone(Area._tz())).date()
        cls.today = Area._today()
        # the day standing for the source's 9 April
        cls.april_9 = cls.install_day - timedelta(days=DEMO_DAY_APRIL_9)
        cls.villages = cls.env["res.partner"].search([("village_kind", "in", ("village", "community"))])

    def test_the_bureau_of_xishui_and_its_stations(self):
        bureau = self.env.ref("village_service.team_bureau_demo")
        self.assertEqual(bureau.name, "习水供电局")
        self.assertEqual(self.env.ref("base.main_company").name, "习水供电局", "the company heading the screens")
        stations = self.env["helpdesk.ticket.team"].with_user(self.bureau_user).search([("is_station", "=", True)])
        self.assertEqual(stations.parent_id, bureau)
        self.assertEqual(stations.sorted("id")[0], self.tucheng)
        self.assertEqual(self.tucheng.name, "土城供电所")
        for name in ("东皇", "温水", "习酒", "良村", "官店", "醒民", "同民", "永安", "三岔河", "桑木"):
            self.assertIn(f"{name}供电所", stations.mapped("name"))
        self.assertNotIn("仁怀", " ".join(stations.mapped("complete_name")))
        # every village of the county under a township of its station
        self.assertEqual(len(self.villages), 241)
        self.assertTrue(all(v.village_township_id and v.village_station_id in stations for v in self.villages))

    def test_tucheng_ledger_on_9_april(self):
        head = self.tucheng.user_id
        Stat = self.env["village.daily.stat"].with_user(head)
        row = Stat.search([("station_id", "=", self.tucheng.id), ("date", "=", self.april_9)])
        self.assertEqual((row.collected_total, row.rectified_total, row.rectification_rate), (75, 69, 92.0))
        # the days before it are in the daily statistics, the ledger growing to it
        rows = Stat.search(
            [
                ("station_id", "=", self.tucheng.id),
                ("date", ">=", self.april_9 - timedelta(days=38)),
                ("date", "<=", self.april_9),
            ],
            order="date",
        )
        self.assertEqual(len(rows), 39)
        totals = rows.mapped("collected_total")
        self.assertEqual(totals, sorted(totals))
        self.assertLess(totals[0], 10)
        self.assertEqual(sum(rows.mapped("collected")), 75 - rows[0].collected_total + rows[0].collected)
        # the weekly report of the week ending that day, cumulative to it
        Weekly = self.env["report.village_service.report_weekly_station"].with_user(head)
        figures = Weekly._weekly_values(self.tucheng, self.april_9 - timedelta(days=6), self.april_9)[0]["figures"]
        self.assertEqual((figures["collected_total"], figures["rectified_total"]), (75, 69))
        self.assertEqual(figures["rectification_rate"], 92.0)
        # the ledger is Tucheng's, not Xijiu's
        xijiu = self.env.ref("village_service.team_station_xijiu_demo")
        xijiu_row = self.env["village.daily.stat"].search([("station_id", "=", xijiu.id), ("date", "=", self.april_9)])
        self.assertLess(xijiu_row.collected_total, 20)
        # and another station's head does not read it
        self.assertFalse(
            self.env["village.daily.stat"]
            .with_user(xijiu.user_id)
            .search([("station_id", "=", self.tucheng.id), ("date", "=", self.april_9)])
        )

    def test_241_agreements_signed_in_10_days(self):
        Agreement = self.env["village.agreement"].with_user(self.bureau_user)
        active = Agreement.search([("state", "=", "active")])
        self.assertEqual(len(active), 241)
        self.assertEqual(active.village_id, self.villages)
        signed = active.mapped("date_signed")
        self.assertEqual((max(signed) - min(signed)).days, 9)
        self.assertEqual(len(set(signed)), 10)
        # the campaign: 241 signed of 241, on each of its 10 days, none left
        campaign = self.env.ref("village_service.agreement_campaign_demo").with_user(self.bureau_user)
        self.assertEqual((campaign.target_count, campaign.day_count), (241, 10))
        self.assertEqual((campaign.date_start, campaign.date_end), (min(signed), max(signed)))
        self.assertEqual((campaign.signed_count, campaign.signed_rate, campaign.unsigned_count), (241, 100.0, 0))
        per_day = campaign._signed_per_day()
        self.assertEqual(len(per_day), 10)
        self.assertTrue(all(count for _day, count in per_day))
        self.assertEqual(sum(count for _day, count in per_day), 241)
        # agreements that were in force before: the history of the villages
        self.assertIn("expired", Agreement.search([("state", "!=", "active")]).mapped("state"))
        # a station head follows their station's part of the campaign
        head = self.tucheng.user_id
        mine = campaign.with_user(head)
        self.assertEqual(mine.signed_count, len(self.tucheng.village_ids))
        self.assertLess(mine.signed_count, 241)

    def test_75_account_managers(self):
        managers = self.villages.village_manager_id
        self.assertEqual(len(managers), 75)
        for manager in managers:
            self.assertTrue(manager.has_group("village_service.group_village_user"), manager.login)
            self.assertFalse(manager.has_group("village_service.group_village_station"), manager.login)
        for village in self.villages:
            self.assertIn(village.village_manager_id, village.village_station_id.user_ids, village.name)
        # each one logs in with their login as password, the generated ones too
        for login in ("manager.tucheng1", "manager.tucheng8", "head.donghuang"):
            user = self.env["res.users"].search([("login", "=", login)])
            user.with_user(user)._check_credentials(
                {"login": login, "password": login, "type": "password"}, {"interactive": True}
            )
        with self.assertRaises(AccessDenied):
            user.with_user(user)._check_credentials(
                {"login": "head.donghuang", "password": "wrong", "type": "password"}, {"interactive": True}
            )

    def test_389_wechat_groups_and_the_92_problems_collected_there(self):
        Group = self.env["village.chat.group"].with_user(self.bureau_user)
        self.assertEqual(Group.search_count([]), 389)
        coverage = self.env["village.coverage.report"].with_user(self.bureau_user).search([])
        self.assertEqual(sum(coverage.mapped("chat_group_covered")), 241)
        wechat = self.env.ref("village_service.helpdesk_ticket_channel_wechat")
        Ticket = self.env["helpdesk.ticket"].with_user(self.bureau_user)
        tickets = Ticket.search([("chat_group_id", "!=", False)])
        self.assertEqual(len(tickets), 92)
        self.assertEqual(tickets.channel_id, wechat)
        self.assertEqual(Ticket.search_count([("channel_id", "=", wechat.id), ("chat_group_id", "=", False)]), 0)
        for ticket in tickets:
            self.assertIn(ticket.village_id, ticket.chat_group_id.village_ids, ticket.number)
        closed = tickets.filtered(lambda t: t.closeout_state == "closed")
        self.assertGreater(len(closed), len(tickets) * 3 // 4, "most closed out")
        # run by the account managers of their villages
        self.assertLessEqual(Group.search([]).manager_id, self.villages.village_manager_id)

    def test_the_huarun_courtyard_meeting_on_10_april(self):
        huarun = self.env.ref("village_service.village_huarun_demo")
        self.assertEqual(huarun.village_station_id, self.tucheng)
        meeting = self.env.ref("village_service.meeting_huarun_courtyard_demo")
        self.assertEqual((meeting.village_id, meeting.kind, meeting.state), (huarun, "courtyard", "done"))
        local = pytz.utc.localize(meeting.date).astimezone(pytz.timezone("Asia/Shanghai"))
        self.assertEqual(local.date(), self.april_9 + timedelta(days=1))
        # the orchard owner's irrigation: one demand, raised there, counted once
        Lead = self.env["crm.lead"].with_user(self.bureau_user)
        orchard = Lead.search([("village_id", "=", huarun.id), ("power_demand_type", "=", "irrigation")])
        self.assertEqual(len(orchard), 1)
        self.assertEqual(orchard.meeting_id, meeting)
        self.assertIn("60亩", orchard.name)
        Report = self.env["village.demand.report"].with_user(self.bureau_user)
        [(huarun_kw,)] = Report._read_group(
            [("village_id", "=", huarun.id), ("power_demand_type", "=", "irrigation")], [], ["power_demand_kw:sum"]
        )
        self.assertEqual(huarun_kw, orchard.power_demand_kw)
        leads = Lead.search([("power_demand_type", "!=", False)])
        [(total_kw, requested_kw)] = Report._read_group([], [], ["power_demand_kw:sum", "requested_kw:sum"])
        self.assertEqual(requested_kw, sum(leads.mapped("power_demand_kw")))
        # the kW on the grid: a relocation adds none
        counted = leads.filtered_domain(Lead._village_counted_demand_domain())
        self.assertEqual(total_kw, sum(counted.mapped("power_demand_kw")))
        self.assertEqual(
            requested_kw - total_kw,
            sum(leads.filtered(lambda lead: not lead.power_demand_adds_load).mapped("power_demand_kw")),
        )
        self.assertEqual(len(leads.mapped("name")), len(set(leads.mapped("name"))), "no demand entered twice")
        # the pig farm's capacity increase, applied for online
        pig_farm = Lead.search([("power_demand_type", "=", "capacity_increase"), ("name", "like", "养猪场")])
        self.assertEqual(len(pig_farm), 1)

    def test_an_outage_notified_and_half_reached(self):
        head = self.tucheng.user_id
        notice = self.env["village.outage.notice"].with_user(head).search([("station_id", "=", self.tucheng.id)])
        self.assertEqual((len(notice), notice.state, notice.kind), (1, "notified", "planned"))
        self.assertGreater(notice.date_start, notice.date_notified)
        self.assertGreaterEqual(notice.reach_count, 2)
        self.assertEqual(notice.reach_count - notice.unreached_count, notice.reach_count // 2)
        self.assertTrue(notice.post_ids, "texts for the villages' WeChat groups")
        self.assertEqual(self.tucheng.with_user(head).dash_unreached, notice.unreached_count)

    def test_inquiries_are_due_from_the_first_day(self):
        # an account manager of the demo county finds their visits and calls
        # to do today, before the daily job has ever run
        manager = self.env.ref("village_service.user_manager_xijiu1_demo")
        due = self.env["village.inquiry"].with_user(manager).search([("user_id", "=", manager.id)])
        self.assertTrue(due)
        self.assertEqual(set(due.mapped("date_deadline")), {self.install_day})
        # due on the install day, overdue once it has passed
        self.assertEqual(set(due.mapped("status")), {"due" if self.install_day == self.today else "overdue"})
        activities = self.env["mail.activity"].with_user(manager).search([("user_id", "=", manager.id)])
        self.assertLessEqual(due.activity_id, activities)
        self.assertTrue(due.partner_id.filtered("care_tag_ids"), "the elderly households are visited too")
