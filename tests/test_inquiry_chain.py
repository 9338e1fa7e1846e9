"""The chain of the three inquiries (issue 17): an unanswered weekly call asks
the village committee about that household (one open at a time), enough
unanswered calls in a row add a visit, a committee inquiry can ask for a visit,
and an answer that needs something opens a prefilled problem. The outcome and
note stay on the done (archived) activity. Run as the account managers."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase


class InquiryChainCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["village.inquiry.rule"]
        # the shipped rules stay out of the way: the tests configure their own
        Rule.search([]).action_archive()
        cls.today = cls.env["village.service.area"]._today()
        cls.tag_elderly = cls.env.ref("village_service.care_tag_elderly_alone")
        cls.tag_no_phone = cls.env.ref("village_service.care_tag_no_smartphone")
        cls.household_a1.care_tag_ids = cls.tag_elderly
        cls.household_b1.care_tag_ids = cls.tag_elderly
        cls.committee_contact = cls.env["res.partner"].create({"name": "Test Contact Wang", "phone": "13700000001"})
        cls.village_a1.village_contact_id = cls.committee_contact
        bureau_rules = Rule.with_user(cls.bureau_user)
        common = {"target": "household", "care_tag_ids": [Command.set(cls.tag_elderly.ids)]}
        cls.rule_visit = bureau_rules.create(
            {
                "name": "Test monthly visit",
                "activity_type_id": cls.env.ref("village_service.mail_activity_type_inquiry_visit").id,
                "interval_unit": "month",
                "meeting_kind": "visit",
                # only when the chain asks for one, in these tests
                "scheduling": "chained",
                **common,
            }
        )
        cls.rule_committee = bureau_rules.create(
            {
                "name": "Test committee inquiry",
                "activity_type_id": cls.env.ref("village_service.mail_activity_type_inquiry_committee").id,
                "scheduling": "chained",
                "visit_rule_id": cls.rule_visit.id,
                **common,
            }
        )
        cls.rule_phone = bureau_rules.create(
            {
                "name": "Test weekly call",
                "activity_type_id": cls.env.ref("village_service.mail_activity_type_inquiry_phone").id,
                "interval_unit": "week",
                "meeting_kind": "phone",
                "committee_rule_id": cls.rule_committee.id,
                "visit_rule_id": cls.rule_visit.id,
                **common,
            }
        )
        Rule._village_demo_inquiries()

    def _open(self, rule, partner):
        return self.env["mail.activity"].search(
            [("inquiry_rule_id", "=", rule.id), ("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def _inquired(self, user, activity, outcome, note=False):
        wizard = (
            self.env["village.inquiry.done"]
            .with_user(user)
            .with_context(default_activity_ids=activity.ids)
            .create({"outcome": outcome, "note": note})
        )
        return wizard.action_confirm()

    def _next_call(self):
        """The next weekly call, as the daily job schedules it."""
        self.env["village.inquiry.rule"]._village_demo_inquiries()
        call = self._open(self.rule_phone, self.household_a1)
        self.assertEqual(len(call), 1)
        return call


@tagged("post_install", "-at_install")
class TestInquiryChain(InquiryChainCase):
    def test_no_answer_schedules_one_committee_inquiry(self):
        call = self._open(self.rule_phone, self.household_a1)
        self.assertEqual(call.user_id, self.manager_a)
        self.assertFalse(self._open(self.rule_committee, self.household_a1))
        self._inquired(self.manager_a, call, "no_answer", "Rang at 9 and 11")
        # the outcome stays on the done activity: the history is the activities
        self.assertFalse(call.active)
        self.assertTrue(call.date_done)
        self.assertEqual(call.village_inquiry_outcome, "no_answer")
        self.assertEqual(call.village_inquiry_note, "Rang at 9 and 11")
        committee = self._open(self.rule_committee, self.household_a1)
        self.assertEqual(len(committee), 1)
        self.assertEqual(committee.user_id, self.manager_a, "the village's account manager asks the committee")
        self.assertEqual(committee.date_deadline, self.today + timedelta(days=3))
        self.assertIn("Test Contact Wang", committee.summary)
        self.assertIn("13700000001", committee.note)
        self.assertFalse(self._open(self.rule_visit, self.household_a1), "one unanswered call is no visit yet")
        # the daily job runs twice: still one committee inquiry
        self.env["village.inquiry.rule"]._village_demo_inquiries()
        self.env["village.inquiry.rule"]._village_demo_inquiries()
        self.assertEqual(len(self._open(self.rule_committee, self.household_a1)), 1)
        # the dialog confirmed twice on the same call: refused, still one
        with self.assertRaises(UserError):
            self._inquired(self.manager_a, call, "no_answer")
        self.assertEqual(len(self._open(self.rule_committee, self.household_a1)), 1)
        # another household of another station is untouched
        self.assertFalse(self._open(self.rule_committee, self.household_b1))

    def test_household_inquiries_show_the_chain(self):
        """The household's Inquiries: call → committee → visit in the order
        they happened, each with its outcome; on time is the done date
        against the due date."""
        self._inquired(self.manager_a, self._open(self.rule_phone, self.household_a1), "no_answer")
        committee = self._open(self.rule_committee, self.household_a1)
        committee.with_user(self.manager_a).date_deadline = self.today - timedelta(days=1)
        self._inquired(self.manager_a, committee, "visit_needed", "Son works in Zunyi; mother is unwell")
        self._inquired(self.manager_a, self._open(self.rule_visit, self.household_a1), "answered_ok")
        household = self.household_a1.with_user(self.manager_a)
        self.assertEqual(household.village_inquiry_count, 3)
        action = household.action_view_village_inquiries()
        self.assertEqual(action["res_model"], "village.inquiry")
        Inquiry = self.env["village.inquiry"].with_user(self.manager_a)
        chain = Inquiry.search(action["domain"], order="date_deadline, id")
        self.assertEqual(
            [(row.rule_id, row.status, row.outcome) for row in chain],
            [
                (self.rule_committee, "late", "visit_needed"),
                (self.rule_phone, "done", "no_answer"),
                (self.rule_visit, "done", "answered_ok"),
            ],
        )
        self.assertEqual(set(chain.mapped("date_done")), {self.today})
        self.assertEqual((sum(chain.mapped("done_count")), sum(chain.mapped("on_time_count"))), (3, 2))
        self.assertEqual(chain[0].note, "Son works in Zunyi; mother is unwell")
        # another station's account manager sees none of it
        self.assertFalse(self.env["village.inquiry"].with_user(self.manager_b).search(action["domain"]))

    def test_second_unanswered_call_schedules_a_visit(self):
        self._inquired(self.manager_a, self._open(self.rule_phone, self.household_a1), "no_answer")
        self._inquired(self.manager_a, self._next_call(), "no_answer")
        self.assertEqual(len(self._open(self.rule_committee, self.household_a1)), 1, "still one open")
        visit = self._open(self.rule_visit, self.household_a1)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, self.manager_a)
        # a third unanswered call: still one visit open
        self._inquired(self.manager_a, self._next_call(), "no_answer")
        self.assertEqual(len(self._open(self.rule_visit, self.household_a1)), 1)

    def test_an_answer_resets_the_count(self):
        self._inquired(self.manager_a, self._open(self.rule_phone, self.household_a1), "no_answer")
        self._inquired(self.manager_a, self._next_call(), "answered_ok")
        self._inquired(self.manager_a, self._next_call(), "no_answer")
        self.assertFalse(self._open(self.rule_visit, self.household_a1))

    def test_settings_count_and_days(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("village_service.committee_inquiry_days", 5)
        params.set_param("village_service.unanswered_calls_for_visit", 1)
        self._inquired(self.manager_a, self._open(self.rule_phone, self.household_a1), "no_answer")
        self.assertEqual(self._open(self.rule_committee, self.household_a1).date_deadline, self.today + timedelta(5))
        self.assertEqual(len(self._open(self.rule_visit, self.household_a1)), 1)

    def test_committee_inquiry_asks_for_a_visit(self):
        self._inquired(self.manager_a, self._open(self.rule_phone, self.household_a1), "no_answer")
        committee = self._open(self.rule_committee, self.household_a1)
        self._inquired(self.manager_a, committee, "visit_needed", "The committee says he fell last week")
        self.assertFalse(committee.active)
        self.assertEqual(committee.village_inquiry_note, "The committee says he fell last week")
        self.assertEqual(len(self._open(self.rule_visit, self.household_a1)), 1)
        self.assertFalse(self._open(self.rule_committee, self.household_a1))

    def test_next_call_goes_to_the_account_manager(self):
        call = self._open(self.rule_phone, self.household_a1)
        call.sudo().user_id = self.manager_a2
        self._inquired(self.manager_a2, call, "answered_ok")
        self.assertEqual(self._next_call().user_id, self.manager_a)

    def test_other_station_cannot_complete(self):
        call = self._open(self.rule_phone, self.household_a1)
        wizard = (
            self.env["village.inquiry.done"]
            .with_user(self.manager_b)
            .sudo()
            .create({"activity_ids": call.ids, "outcome": "no_answer"})
        )
        with self.assertRaises(AccessError):
            wizard.sudo(False).action_confirm()
        self.assertTrue(call.active)
        self.assertFalse(self._open(self.rule_committee, self.household_a1))

    def test_outcome_not_written_by_hand(self):
        call = self._open(self.rule_phone, self.household_a1)
        with self.assertRaises(UserError):
            call.with_user(self.manager_a).write({"village_inquiry_outcome": "answered_ok"})
        self.assertFalse(call.village_inquiry_outcome)

    def test_rule_requiring_all_care_tags(self):
        Rule = self.env["village.inquiry.rule"]
        self.household_b1.care_tag_ids = self.tag_elderly | self.tag_no_phone
        self.rule_phone.care_tag_match = "all"
        self.rule_phone.care_tag_ids = self.tag_elderly | self.tag_no_phone
        targets = self.env["res.partner"].search(self.rule_phone._get_target_domain())
        self.assertIn(self.household_b1, targets)
        self.assertNotIn(self.household_a1, targets)
        self.rule_phone.care_tag_match = "any"
        targets = self.env["res.partner"].search(self.rule_phone._get_target_domain())
        self.assertIn(self.household_a1, targets)
        # a chained rule is never scheduled by the daily job
        self.assertFalse([pid for rule, pid in Rule._inquiry_work() if rule == self.rule_committee])


@tagged("post_install", "-at_install")
class TestInquiryChainRpc(VillageRpcMixin, HttpCase, InquiryChainCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_needs_something_opens_a_prefilled_problem(self):
        call = self._open(self.rule_phone, self.household_a1)
        self.authenticate("vs_manager_a", "vs_manager_a")
        reply = self.rpc(
            "village.inquiry.done",
            "create",
            [{"activity_ids": [Command.set(call.ids)], "outcome": "answered_need", "note": "Socket sparks"}],
        )
        action = self.rpc("village.inquiry.done", "action_confirm", reply["result"])["result"]
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        context = action["context"]
        self.assertEqual(context["default_partner_id"], self.household_a1.id)
        self.assertEqual(context["default_village_id"], self.village_a1.id)
        self.assertEqual(context["default_team_id"], self.station_a.id)
        self.assertIn("Socket sparks", context["default_description"])
        self.assertFalse(call.active)
        # the account manager saves the problem so prefilled
        reply = self.rpc("helpdesk.ticket", "create", [{}], context=context)
        ticket = self.env["helpdesk.ticket"].browse(reply["result"])
        self.assertEqual(
            (ticket.partner_id, ticket.village_id, ticket.team_id),
            (self.household_a1, self.village_a1, self.station_a),
        )

    @mute_logger("odoo.http")
    def test_other_station_refused_over_rpc(self):
        call = self._open(self.rule_phone, self.household_a1)
        self.authenticate("vs_manager_b", "vs_manager_b")
        reply = self.rpc(
            "village.inquiry.done",
            "create",
            [{"activity_ids": [Command.set(call.ids)], "outcome": "no_answer"}],
        )
        if "result" in reply:
            reply = self.rpc("village.inquiry.done", "action_confirm", reply["result"])
        self.assertRefused(reply)
        self.assertTrue(call.active)
        self.assertFalse(self._open(self.rule_committee, self.household_a1))

    def test_no_answer_tour_on_phone(self):
        self.start_tour(
            "/odoo/action-village_service.village_inquiry_action",
            "village_service_inquiry_chain",
            login="vs_manager_a",
        )
        call = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("inquiry_rule_id", "=", self.rule_phone.id), ("res_id", "=", self.household_a1.id)])
        )
        self.assertEqual(call.village_inquiry_outcome, "no_answer")
        self.assertEqual(len(self._open(self.rule_committee, self.household_a1)), 1)
