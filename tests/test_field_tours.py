from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestFieldDayOnPhone(HttpCase, VillageServiceCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_account_manager_field_day(self):
        meeting = self.env["village.meeting"].create(
            {
                "kind": "courtyard",
                "village_id": self.village_a1.id,
                "user_id": self.manager_a.id,
                "user_ids": self.manager_a.ids,
            }
        )
        self.start_tour(
            "/odoo/action-village_service.village_meeting_action", "village_service_field_day", login="vs_manager_a"
        )
        self.assertEqual(meeting.state, "done")
        self.assertEqual(meeting.attendee_count, 18)
        self.assertIn("A pole leans by the well", meeting.minutes)
        problem = meeting.ticket_ids
        self.assertEqual(problem.name, "Leaning pole by the well")
        self.assertEqual(problem.closeout_state, "planned")
        self.assertEqual(problem.team_id, self.station_a)
        self.assertEqual(problem.village_id, self.village_a1)


@tagged("post_install", "-at_install")
class TestStationHeadMorning(HttpCase, VillageServiceCase):
    def test_station_head_morning(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Broken insulator", "description": "x", "partner_id": self.household_a1.id}
        )
        today = self.env["village.service.area"]._today()
        ticket.write({"rectification_measure": "Replace the insulator", "rectification_deadline": today})
        ticket.with_user(self.manager_a).action_rectify()
        self.env["village.daily.stat"]._snapshot(today - timedelta(days=1), self.station_a)
        self.start_tour(
            "/odoo/daily-statistics",
            "village_service_station_morning",
            login="vs_head_a",
        )
        self.assertEqual(ticket.closeout_state, "closed")
        self.assertEqual(ticket.closeout_by_id, self.head_a)


@tagged("post_install", "-at_install")
class TestChineseMenus(HttpCase):
    def test_admin_reads_the_menus_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        self.env.ref("base.user_admin").lang = "zh_CN"
        self.start_tour("/odoo", "village_service_chinese_menus", login="admin")
