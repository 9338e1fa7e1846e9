from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import VillageRpcMixin, VillageServiceCase, moment


class TodayCase(VillageServiceCase):
    """In each station: a meeting of yesterday still planned, an inquiry due
    and an overdue problem; in station A also a meeting of tomorrow and a
    problem due next month, which are not today's work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        Rule = cls.env["village.inquiry.rule"]
        # the shipped rules stay out of the way
        Rule.search([]).action_archive()
        Area = cls.env["village.service.area"]
        cls.today = Area._today()
        cls.tag_elderly = cls.env.ref("village_service.care_tag_elderly_alone")
        (cls.household_a1 | cls.household_b1).care_tag_ids = cls.tag_elderly
        cls.household_a1.phone = "13800000001"
        cls.relative_a1 = Partner.create(
            {"name": "Test Relative A1", "parent_id": cls.household_a1.id, "phone": "13900000001"}
        )
        cls.rule = Rule.with_user(cls.bureau_user).create(
            {
                "name": "Test weekly call",
                "activity_type_id": cls.env.ref("village_service.mail_activity_type_inquiry_phone").id,
                "interval_number": 1,
                "interval_unit": "week",
                "target": "household",
                "care_tag_ids": [fields.Command.set(cls.tag_elderly.ids)],
                "meeting_kind": "phone",
            }
        )
        Rule._village_demo_inquiries()
        Activity = cls.env["mail.activity"]
        cls.inquiry_a = Activity.search([("inquiry_rule_id", "=", cls.rule.id), ("res_id", "=", cls.household_a1.id)])
        cls.inquiry_b = Activity.search([("inquiry_rule_id", "=", cls.rule.id), ("res_id", "=", cls.household_b1.id)])
        cls.inquiry_a.date_deadline = cls.today - timedelta(days=2)

        Meeting = cls.env["village.meeting"]
        yesterday = fields.Datetime.now() - timedelta(days=1)
        cls.meeting_a = Meeting.create(
            {"village_id": cls.village_a1.id, "user_id": cls.manager_a.id, "date": yesterday}
        )
        cls.meeting_b = Meeting.create(
            {"village_id": cls.village_b1.id, "user_id": cls.manager_b.id, "date": yesterday}
        )
        cls.meeting_a_later = Meeting.create(
            {
                "village_id": cls.village_a1.id,
                "user_id": cls.manager_a.id,
                "date": Area._day_start(cls.today + timedelta(days=1)) + timedelta(hours=2),
            }
        )

        with moment(cls.env, fields.Datetime.now() - timedelta(days=10)):
            cls.problem_a = cls._problem("Test overdue pole A", cls.household_a1, cls.today - timedelta(days=3))
            cls.problem_b = cls._problem("Test overdue pole B", cls.household_b1, cls.today - timedelta(days=3))
        cls.problem_a_later = cls._problem("Test pole next month", cls.household_a1, cls.today + timedelta(days=40))

    @classmethod
    def _problem(cls, name, partner, deadline):
        ticket = cls.env["helpdesk.ticket"].create({"name": name, "description": "x", "partner_id": partner.id})
        ticket.write({"rectification_measure": "Straighten the pole", "rectification_deadline": deadline})
        ticket.flush_recordset()
        return ticket


@tagged("post_install", "-at_install")
class TestToday(TodayCase):
    def test_manager_sees_his_station_only(self):
        self.assertTrue(self.problem_a.is_overdue)
        for user, mine, other in (
            (self.manager_a, "a", "b"),
            (self.manager_b, "b", "a"),
        ):
            data = self.env["village.today"].with_user(user).get_today()
            meetings = {line["id"] for line in data["meetings"]}
            inquiries = {line["id"] for line in data["inquiries"]}
            problems = {line["id"] for line in data["problems"]}
            self.assertIn(getattr(self, f"meeting_{mine}").id, meetings)
            self.assertNotIn(getattr(self, f"meeting_{other}").id, meetings)
            self.assertEqual(inquiries, {getattr(self, f"inquiry_{mine}").id})
            self.assertIn(getattr(self, f"problem_{mine}").id, problems)
            self.assertNotIn(getattr(self, f"problem_{other}").id, problems)
        data = self.env["village.today"].with_user(self.manager_a).get_today()
        self.assertNotIn(self.meeting_a_later.id, {line["id"] for line in data["meetings"]}, "tomorrow's meeting")
        self.assertNotIn(self.problem_a_later.id, {line["id"] for line in data["problems"]}, "due next month")
        (inquiry,) = data["inquiries"]
        self.assertTrue(inquiry["overdue"])
        self.assertEqual(inquiry["partner_id"], self.household_a1.id)
        self.assertEqual(inquiry["village"], self.village_a1.name)
        self.assertEqual(
            [phone["number"] for phone in inquiry["phones"]],
            ["13800000001", "13900000001"],
            "the household's phone, then its relative's",
        )
        (meeting,) = [line for line in data["meetings"] if line["id"] == self.meeting_a.id]
        self.assertTrue(meeting["overdue"])
        (problem,) = [line for line in data["problems"] if line["id"] == self.problem_a.id]
        self.assertTrue(problem["overdue"])

    def test_problem_due_this_week(self):
        week_end = self.today + timedelta(days=6 - self.today.weekday())
        ticket = self._problem("Test pole this week", self.household_a1, week_end)
        data = self.env["village.today"].with_user(self.manager_a).get_today()
        (line,) = [line for line in data["problems"] if line["id"] == ticket.id]
        self.assertFalse(line["overdue"])

    def test_inquired_with_each_outcome(self):
        State = self.env["village.inquiry"]
        Wizard = self.env["village.inquiry.done"].with_user(self.manager_a)
        for outcome in ("answered_ok", "answered_need", "no_answer"):
            with self.subTest(outcome=outcome):
                activity = self.env["mail.activity"].search(
                    [("inquiry_rule_id", "=", self.rule.id), ("res_id", "=", self.household_a1.id)]
                )
                self.assertEqual(len(activity), 1)
                state = State.search([("activity_id", "=", activity.id)])
                action = state.with_user(self.manager_a).action_inquired()
                self.assertEqual(action["res_model"], "village.inquiry.done")
                wizard = Wizard.with_context(**action["context"]).create(
                    {"outcome": outcome, "note": f"Note {outcome}"}
                )
                wizard.action_confirm()
                self.assertFalse(activity.active, "the activity is done")
                self.env.invalidate_all()
                self.assertEqual(state.outcome, outcome)
                self.assertEqual(state.note, f"Note {outcome}")
                done = State.search([("rule_id", "=", self.rule.id), ("partner_id", "=", self.household_a1.id)])
                done_count = ["answered_ok", "answered_need", "no_answer"].index(outcome) + 1
                self.assertEqual(sum(done.mapped("done_count")), done_count)
                message = self.household_a1.message_ids[:1]
                self.assertIn(f"Note {outcome}", message.body)
                # the next inquiry of the cadence, as the daily job schedules it
                self.env["village.inquiry.rule"]._village_demo_inquiries()

    def test_other_station_cannot_confirm(self):
        # a dialog holding station A's inquiry (as no client can make one)
        wizard = (
            self.env["village.inquiry.done"]
            .with_user(self.manager_b)
            .sudo()
            .create({"activity_ids": self.inquiry_a.ids, "outcome": "answered_ok"})
        )
        with self.assertRaises(AccessError):
            wizard.sudo(False).action_confirm()
        self.assertTrue(self.inquiry_a.active)

    def test_plain_done_forgets_the_outcome(self):
        self.inquiry_a.with_user(self.manager_a).action_feedback(feedback="Fine")
        inquiry = self.env["village.inquiry"].search([("activity_id", "=", self.inquiry_a.id)])
        self.assertEqual(inquiry.done_count, 1)
        self.assertFalse(inquiry.outcome, "done without the dialog: no outcome recorded")

    def test_home_by_role(self):
        home = self.env.ref("village_service.village_home_action")
        today = self.env.ref("village_service.village_today_action")
        dashboard = self.env.ref("village_service.helpdesk_ticket_team_action_dashboard")
        self.assertEqual(home.with_user(self.manager_a).run()["id"], today.id)
        head = home.with_user(self.head_a).run()
        self.assertEqual(head["id"], dashboard.id)
        stations = self.env["helpdesk.ticket.team"].with_user(self.head_a).search(head["domain"])
        self.assertEqual(stations, self.station_a)
        self.assertEqual(home.with_user(self.bureau_user).run()["id"], dashboard.id)
        # the app is the first one the web client opens, and it opens on the home action
        menus = self.env["ir.ui.menu"].with_user(self.manager_a).load_web_menus(False)
        first_app = menus[menus["root"]["children"][0]]
        self.assertEqual(first_app["xmlid"], "village_service.village_service_menu_root")
        self.assertEqual(first_app["actionID"], home.id)


@tagged("post_install", "-at_install")
class TestTodayRpc(VillageRpcMixin, HttpCase, TodayCase):
    def test_other_station_cannot_mark_inquired(self):
        self.authenticate("vs_manager_b", "vs_manager_b")
        reply = self.rpc(
            "village.inquiry.done",
            "create",
            [{"activity_ids": [(6, 0, self.inquiry_a.ids)], "outcome": "answered_ok", "note": "x"}],
        )
        if "result" in reply:
            reply = self.rpc("village.inquiry.done", "action_confirm", reply["result"])
        self.assertRefused(reply)
        self.assertTrue(self.inquiry_a.active)
        state = self.env["village.inquiry"].search([("rule_id", "=", self.rule.id)])
        self.assertFalse(any(state.mapped("outcome")))
        # nor over the inquiry list of station A
        state_a = state.filtered(lambda s: s.partner_id == self.household_a1)
        self.assertRefused(self.rpc("village.inquiry", "action_inquired", state_a.ids))
        # nor by passing the outcome to the activity itself
        self.assertRefused(
            self.rpc(
                "mail.activity",
                "action_feedback",
                self.inquiry_a.ids,
                feedback="x",
                context={"village_inquiry_outcome": "answered_ok"},
            )
        )
        self.assertTrue(self.inquiry_a.active)
        # the get_today of station B over JSON-RPC holds nothing of station A
        data = self.rpc("village.today", "get_today")["result"]
        self.assertEqual([line["id"] for line in data["inquiries"]], self.inquiry_b.ids)


@tagged("post_install", "-at_install")
class TestTodayOnPhone(HttpCase, TodayCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_today_tour_zh_cn(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        self.manager_a.lang = "zh_CN"
        self.start_tour("/odoo", "village_service_today", login="vs_manager_a")
        self.assertFalse(self.inquiry_a.active, "the inquiry is done")
        state = self.env["village.inquiry"].search(
            [("rule_id", "=", self.rule.id), ("partner_id", "=", self.household_a1.id)]
        )
        self.assertEqual(state.outcome, "no_answer")
        self.assertEqual(state.note, "Called twice, will try tomorrow")
        self.assertIn("Called twice", self.household_a1.message_ids[:1].body)

    def test_inquiries_list_on_phone(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        self.manager_a.lang = "zh_CN"
        self.start_tour(
            "/odoo/action-village_service.village_inquiry_action",
            "village_service_inquiries_phone",
            login="vs_manager_a",
        )
        state = self.env["village.inquiry"].search(
            [("rule_id", "=", self.rule.id), ("partner_id", "=", self.household_a1.id)]
        )
        self.assertFalse(self.inquiry_a.active)
        self.assertEqual((state.status, state.outcome), ("late", "answered_need"))


class TodayReachCase(TodayCase):
    """Outage notices of both stations, notified by their heads: in station A
    one over villages A1 (manager A) and A2 (manager A2) that starts in three
    days, and one that has started already; in station B one over village
    B1. Village A1 has a committee contact, and a committee inquiry about
    household A1 is due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.household_a2 = Partner.create({"name": "Test Household A2-01", "village_parent_id": cls.village_a2.id})
        cls.contact_a1 = Partner.create({"name": "Test Contact Wang", "phone": "13700000001"})
        cls.village_a1.village_contact_id = cls.contact_a1
        cls.start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.notice_a = cls._notify(cls.head_a, cls.station_a, cls.village_a1 | cls.village_a2, cls.start)
        cls.notice_started = cls._notify(
            cls.head_a, cls.station_a, cls.village_a1, fields.Datetime.now() - timedelta(hours=1)
        )
        cls.notice_b = cls._notify(cls.head_b, cls.station_b, cls.village_b1, cls.start)
        reaches = cls.notice_a.sudo().reach_ids
        cls.reach_a1 = reaches.filtered(lambda r: r.partner_id == cls.household_a1)
        cls.reach_a2 = reaches.filtered(lambda r: r.partner_id == cls.household_a2)
        cls.reach_b1 = cls.notice_b.sudo().reach_ids

        Rule = cls.env["village.inquiry.rule"]
        cls.rule_committee = Rule.with_user(cls.bureau_user).create(
            {
                "name": "Test committee inquiry",
                "activity_type_id": cls.env.ref("village_service.mail_activity_type_inquiry_committee").id,
                "target": "household",
                "scheduling": "chained",
            }
        )
        # as an unanswered weekly call schedules it
        Rule._schedule_batch([(cls.rule_committee, cls.household_a1.id)])
        cls.committee_a = cls.env["mail.activity"].search(
            [("inquiry_rule_id", "=", cls.rule_committee.id), ("res_id", "=", cls.household_a1.id)]
        )

    @classmethod
    def _notify(cls, head, station, villages, start):
        notice = (
            cls.env["village.outage.notice"]
            .with_user(head)
            .create(
                {
                    "kind": "planned",
                    "station_id": station.id,
                    "date_start": start,
                    "date_end": start + timedelta(hours=6),
                    "reason": "Test line maintenance",
                    "village_ids": [Command.set(villages.ids)],
                }
            )
        )
        notice.action_notify()
        return notice


@tagged("post_install", "-at_install")
class TestTodayReach(TodayReachCase):
    def test_my_households_to_reach(self):
        self.assertTrue(self.reach_a1 and self.reach_a2 and self.reach_b1)
        started = self.notice_started.sudo().reach_ids
        self.assertEqual(started.partner_id, self.household_a1, "a pending line, but the outage has started")
        Today = self.env["village.today"]
        (line,) = Today.with_user(self.manager_a).get_today()["reach"]
        self.assertEqual(line["id"], self.reach_a1.id)
        self.assertEqual(line["household"], self.household_a1.name)
        self.assertEqual(line["village"], self.village_a1.name)
        self.assertEqual(line["start"], self.env["village.service.area"]._moment_shown(self.start))
        self.assertEqual(
            line["phones"],
            [
                {"label": "Test Household A1-1-01", "number": "13800000001"},
                {"label": "Test Relative A1", "number": "13900000001"},
            ],
            "the household's phone, then its relative's",
        )
        # the other managers: their own villages' lines, of their station or another
        for user, reach in ((self.manager_a2, self.reach_a2), (self.manager_b, self.reach_b1)):
            self.env.invalidate_all()
            self.assertEqual([line["id"] for line in Today.with_user(user).get_today()["reach"]], reach.ids)
        # marked, the line leaves the screen
        self.reach_a1.with_user(self.manager_a).action_unreachable()
        self.env.invalidate_all()
        self.assertFalse(Today.with_user(self.manager_a).get_today()["reach"])

    def test_reach_queries_do_not_grow_with_the_lines(self):
        """The today screen costs the same queries for 1 household to reach
        as for 6, each with a relative to call (prefetch, no query per line)."""
        Today = self.env["village.today"].with_user(self.manager_a)

        def screen():
            self.env.flush_all()
            self.env.invalidate_all()
            count0 = self.cr.sql_log_count
            data = Today.get_today()
            return len(data["reach"]), self.cr.sql_log_count - count0

        screen()  # warm the caches of the registry (rules, parameters)
        one = screen()
        Partner = self.env["res.partner"]
        for n in range(5):
            household = Partner.create({"name": f"Test Household A1-1-1{n}", "village_parent_id": self.group_a1.id})
            Partner.create({"name": f"Test Son A1-1-1{n}", "parent_id": household.id, "phone": f"1390000010{n}"})
        self.notice_a.with_user(self.head_a).action_notify()  # adds the lines of the new households
        six = screen()
        self.assertEqual((one[0], six[0]), (1, 6))
        self.assertEqual(six[1], one[1], f"queries of the today screen: {one[1]} for 1 line, {six[1]} for 6")

    def test_committee_inquiry_shows_the_village_contact(self):
        data = self.env["village.today"].with_user(self.manager_a).get_today()
        inquiries = {line["id"]: line for line in data["inquiries"]}
        self.assertEqual(set(inquiries), {self.inquiry_a.id, self.committee_a.id})
        self.assertEqual(
            inquiries[self.committee_a.id]["committee_contact"], {"name": "Test Contact Wang", "number": "13700000001"}
        )
        self.assertFalse(inquiries[self.inquiry_a.id]["committee_contact"], "the weekly call asks the household")


@tagged("post_install", "-at_install")
class TestTodayReachRpc(VillageRpcMixin, HttpCase, TodayReachCase):
    def test_reached_over_json_rpc(self):
        # another village's manager cannot mark the line, nor read it on their screen
        self.authenticate("vs_manager_a2", "vs_manager_a2")
        self.assertRefused(self.rpc("village.outage.reach", "action_reached", [self.reach_a1.id]))
        data = self.rpc("village.today", "get_today")["result"]
        self.assertEqual([line["id"] for line in data["reach"]], self.reach_a2.ids)
        self.env.invalidate_all()
        self.assertEqual(self.reach_a1.state, "pending")
        # the manager of village A1 taps Reached on the today screen
        self.authenticate("vs_manager_a", "vs_manager_a")
        data = self.rpc("village.today", "get_today")["result"]
        self.assertEqual([line["id"] for line in data["reach"]], self.reach_a1.ids)
        reply = self.rpc("village.outage.reach", "action_reached", [self.reach_a1.id])
        self.assertNotIn("error", reply, reply.get("error"))
        self.env.invalidate_all()
        self.assertEqual((self.reach_a1.state, self.reach_a1.reached_by_id), ("reached", self.manager_a))
        self.assertFalse(self.reach_a1.activity_ids, "the call activity is done")
        data = self.rpc("village.today", "get_today")["result"]
        self.assertEqual(data["reach"], [], "the line left the screen")


@tagged("post_install", "-at_install")
class TestTodayReachOnPhone(HttpCase, TodayReachCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_reach_from_today_zh_cn(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        self.manager_a.lang = "zh_CN"
        self.start_tour("/odoo", "village_service_today_reach", login="vs_manager_a")
        self.assertEqual((self.reach_a1.state, self.reach_a1.reached_by_id), ("reached", self.manager_a))
        self.assertFalse(self.reach_a1.activity_ids, "the call activity is done")
        self.assertEqual(self.reach_a2.state, "pending", "another manager's line is untouched")
