import unittest
from datetime import timedelta

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCounty(TransactionCase):
    """`make run` and `make test` install the demo county: its figures are
    those of the source practice (75 problems collected, 69 rectified).
    Odoo 19 installs without demo data unless asked (`--with-demo`): then
    these tests are skipped, with the reason, rather than failing on a
    missing XML id."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "village_service")])
        if not module.demo:
            raise unittest.SkipTest("village_service was installed without its demo data (install with --with-demo)")

    def test_the_station_ledger_of_the_source_practice(self):
        station = self.env.ref("village_service.team_station_xijiu_demo")
        head = self.env.ref("village_service.user_head_xijiu_demo")
        Stat = self.env["village.daily.stat"].with_user(head)
        today = self.env["village.service.area"]._today()
        row = Stat.search([("station_id", "=", station.id), ("date", "=", today)])
        self.assertEqual((row.collected_total, row.rectified_total, row.rectification_rate), (75, 69, 92.0))
        # and last week's report, cumulative to its Sunday
        Weekly = self.env["report.village_service.report_weekly_station"].with_user(head)
        date_from, date_to = Weekly._default_period()
        self.assertEqual(date_to - date_from, timedelta(days=6))
        figures = Weekly._weekly_values(station, date_from, date_to)[0]["figures"]
        self.assertEqual((figures["collected_total"], figures["rectified_total"]), (75, 69))
        self.assertEqual(figures["rectification_rate"], 92.0)
        html = (
            self.env["ir.actions.report"]
            .with_user(head)
            ._render_qweb_html("village_service.report_weekly_station", station.ids)[0]
            .decode()
        )
        self.assertIn("92.0", html)

    def test_an_outage_notified_and_half_reached(self):
        station = self.env.ref("village_service.team_station_tucheng_demo")
        head = station.user_id
        notice = self.env["village.outage.notice"].with_user(head).search([("station_id", "=", station.id)])
        self.assertEqual((len(notice), notice.state, notice.kind), (1, "notified", "planned"))
        self.assertGreater(notice.date_start, notice.date_notified)
        self.assertGreaterEqual(notice.reach_count, 2)
        self.assertEqual(notice.reach_count - notice.unreached_count, notice.reach_count // 2)
        self.assertTrue(notice.post_ids, "texts for the villages' WeChat groups")
        self.assertEqual(station.with_user(head).dash_unreached, notice.unreached_count)

    def test_the_demo_county_tells_the_story(self):
        huarun = self.env.ref("village_service.village_huarun_demo")
        meeting = self.env.ref("village_service.meeting_huarun_courtyard_demo")
        self.assertEqual(meeting.village_id, huarun)
        self.assertEqual(meeting.kind, "courtyard")
        orchard = self.env["crm.lead"].search(
            [("village_id", "=", huarun.id), ("power_demand_type", "=", "irrigation")]
        )
        self.assertTrue(orchard)
        villages = self.env["res.partner"].search(
            [("village_kind", "in", ("village", "community")), ("id", "in", self._demo_ids("res.partner"))]
        )
        self.assertGreaterEqual(len(villages), 10)
        agreements = self.env["village.agreement"].search([("village_id", "in", villages.ids)])
        self.assertEqual(set(agreements.village_id.ids), set(villages.ids))
        self.assertIn("expired", agreements.mapped("state"))

    def test_inquiries_are_due_from_the_first_day(self):
        # an account manager of the demo county finds their visits and calls
        # to do today, before the daily job has ever run
        manager = self.env.ref("village_service.user_manager_xijiu1_demo")
        today = self.env["village.service.area"]._today()
        due = self.env["village.inquiry"].with_user(manager).search([("user_id", "=", manager.id)])
        self.assertTrue(due)
        self.assertEqual(set(due.mapped("status")), {"due"})
        self.assertEqual(set(due.mapped("date_deadline")), {today})
        activities = self.env["mail.activity"].with_user(manager).search([("user_id", "=", manager.id)])
        self.assertLessEqual(due.activity_id, activities)
        self.assertTrue(due.partner_id.filtered("care_tag_ids"), "the elderly households are visited too")

    def _demo_ids(self, model):
        return (
            self.env["ir.model.data"]
            .search([("module", "=", "village_service"), ("model", "=", model)])
            .mapped("res_id")
        )
