from datetime import timedelta

from odoo import fields
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
