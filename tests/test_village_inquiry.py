from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.village_service.models.village_inquiry_rule import VillageInquiryRule
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VillageServiceCase


class SimulatedCrash(BaseException):
    """The worker process dies: not an error the scheduler can catch."""


@tagged("post_install", "-at_install")
class TestVillageInquiry(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["village.inquiry.rule"]
        # the shipped rules stay out of the way: the tests configure their own
        Rule.search([]).action_archive()
        cls.tag_elderly = cls.env.ref("village_service.care_tag_elderly_alone")
        cls.tag_no_phone = cls.env.ref("village_service.care_tag_no_smartphone")
        cls.type_phone = cls.env.ref("village_service.mail_activity_type_inquiry_phone")
        cls.type_committee = cls.env.ref("village_service.mail_activity_type_inquiry_committee")
        cls.household_a1.care_tag_ids = cls.tag_elderly
        cls.household_b1.care_tag_ids = cls.tag_elderly | cls.tag_no_phone
        cls.household_a1_young = cls.env["res.partner"].create(
            {"name": "Test Household A1-1-02", "village_parent_id": cls.group_a1.id}
        )
        cls.rule_phone = Rule.with_user(cls.bureau_user).create(
            {
                "name": "Test weekly call",
                "activity_type_id": cls.type_phone.id,
                "interval_number": 1,
                "interval_unit": "week",
                "target": "household",
                "care_tag_ids": [Command.set((cls.tag_elderly | cls.tag_no_phone).ids)],
                "meeting_kind": "phone",
            }
        )
        cls.rule_committee = Rule.with_user(cls.bureau_user).create(
            {
                "name": "Test committee inquiry",
                "activity_type_id": cls.type_committee.id,
                "interval_number": 1,
                "interval_unit": "month",
                "target": "village",
            }
        )
        cls.cron = cls.env.ref("village_service.ir_cron_village_inquiry_schedule")
        cls.today = fields.Date.context_today(cls.env["village.inquiry.rule"])

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def _activities(self, rule, partner=None, active=True):
        domain = [("inquiry_rule_id", "=", rule.id), ("active", "=", active)]
        if partner:
            domain += [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        return self.env["mail.activity"].with_context(active_test=False).search(domain)

    def _state(self, rule, partner):
        """The inquiries of a rule about a partner, newest first (one per activity, open or done)."""
        return self.env["village.inquiry"].search([("rule_id", "=", rule), ("partner_id", "=", partner.id)])

    def test_first_run_one_activity_per_target_second_none(self):
        self._run_cron()
        for household, manager in ((self.household_a1, self.manager_a), (self.household_b1, self.manager_b)):
            activity = self._activities(self.rule_phone, household)
            self.assertEqual(len(activity), 1, household.name)
            self.assertEqual(activity.user_id, manager, "the village's account manager does the inquiry")
            self.assertEqual(activity.activity_type_id, self.type_phone)
            self.assertEqual(activity.date_deadline, self.today)
            self.assertEqual(self._state(self.rule_phone.id, household).status, "due")
        self.assertFalse(self._activities(self.rule_phone, self.household_a1_young), "no care tag, no call")
        for village in (self.village_a1, self.village_a2, self.village_b1):
            activity = self._activities(self.rule_committee, village)
            self.assertEqual(len(activity), 1, village.name)
            self.assertEqual(activity.user_id, village.village_manager_id)
        self.assertFalse(self._activities(self.rule_committee, self.household_a1))
        count = len(self._activities(self.rule_phone) | self._activities(self.rule_committee))
        self._run_cron()
        self.assertEqual(
            len(self._activities(self.rule_phone) | self._activities(self.rule_committee)),
            count,
            "a second run creates no second open activity",
        )

    def test_completion_schedules_next(self):
        self._run_cron()
        activity = self._activities(self.rule_phone, self.household_a1)
        activity.with_user(self.manager_a).action_feedback(feedback="Fine; asked to check the kitchen socket.")
        self.assertFalse(self._activities(self.rule_phone, self.household_a1))
        state = self._state(self.rule_phone.id, self.household_a1).with_user(self.manager_a)
        self.assertEqual(state.date_done, self.today)
        self.assertEqual(state.status, "done")
        self.assertEqual((state.done_count, state.on_time_count), (1, 1))
        # the phone call is logged as a done phone meeting with its feedback
        meeting = (
            self.env["village.meeting"].with_user(self.manager_a).search([("partner_id", "=", self.household_a1.id)])
        )
        self.assertEqual(len(meeting), 1)
        self.assertEqual((meeting.kind, meeting.state, meeting.village_id), ("phone", "done", self.village_a1))
        self.assertIn("kitchen socket", meeting.minutes)
        self._run_cron()
        following = self._activities(self.rule_phone, self.household_a1)
        self.assertEqual(len(following), 1)
        self.assertEqual(following.date_deadline, self.today + relativedelta(weeks=1))
        inquiries = self._state(self.rule_phone.id, self.household_a1)
        self.assertEqual(inquiries.mapped("status"), ["due", "done"], "the next one is due, the last one stays done")

    def test_overdue_and_done_late(self):
        self._run_cron()
        activity = self._activities(self.rule_committee, self.village_a1).with_user(self.manager_a)
        activity.date_deadline = self.today - relativedelta(days=3)
        state = self._state(self.rule_committee.id, self.village_a1)
        self.assertEqual(state.status, "overdue")
        my_overdue = [("user_id", "=", self.manager_a.id), ("status", "=", "overdue")]
        State = self.env["village.inquiry"].with_user(self.manager_a)
        self.assertEqual(State.search(my_overdue), state, "my overdue inquiries")
        activity.action_feedback(feedback="Committee met.")
        self.env.invalidate_all()
        self.assertEqual(state.status, "late")
        self.assertEqual(state.date_done, self.today, "done today, measured from its done date")
        self.assertEqual((state.done_count, state.on_time_count), (1, 0))
        self.assertFalse(State.search(my_overdue))
        self._run_cron()
        self.assertEqual(
            self._activities(self.rule_committee, self.village_a1).date_deadline,
            self.today + relativedelta(months=1),
            "the next one falls due one interval after the done date",
        )
        self.assertFalse(
            self.env["village.meeting"].search([("village_id", "=", self.village_a1.id)]),
            "the committee rule logs no meeting",
        )

    def _targets(self):
        Partner = self.env["res.partner"]
        return sum(Partner.search_count(rule._get_target_domain()) for rule in self.rule_phone | self.rule_committee)

    def _scheduled(self):
        domain = [("inquiry_rule_id", "in", (self.rule_phone | self.rule_committee).ids)]
        return self.env["mail.activity"].with_context(active_test=False).search(domain)

    def _assert_no_duplicate(self, activities):
        pairs = {(activity.inquiry_rule_id, activity.res_id) for activity in activities}
        self.assertEqual(len(pairs), len(activities), "no target has two activities of a rule")

    def test_batch_commit_and_rerun_after_crash(self):
        """The worker dies in the second batch: the first stays committed and
        the next run completes the work without duplicates."""
        Rule = type(self.env["village.inquiry.rule"])
        original = VillageInquiryRule._schedule_batch
        calls = []

        def crash_in_second_batch(self, batch):
            calls.append(len(batch))
            if len(calls) == 2:
                raise SimulatedCrash
            return original(self, batch)

        crashed = False
        with (
            patch.object(Rule, "_inquiry_batch_size", 2),
            patch.object(VillageInquiryRule, "_schedule_batch", crash_in_second_batch),
        ):
            # not self.assertRaises: it would roll back what the job committed
            try:
                self._run_cron()
            except SimulatedCrash:
                crashed = True
        self.assertTrue(crashed)
        self.env.invalidate_all()
        self.assertEqual(len(self._scheduled()), 2, "the first batch was committed, the second rolled back")
        with patch.object(Rule, "_inquiry_batch_size", 2):
            self._run_cron()
        scheduled = self._scheduled()
        self.assertEqual(len(scheduled), self._targets(), "the rerun completes the work")
        self._assert_no_duplicate(scheduled)

    def test_batch_failure_is_retried_by_the_cron(self):
        """An error in a batch after committed progress: the scheduler runs
        the job again and the remaining targets are scheduled once."""
        Rule = type(self.env["village.inquiry.rule"])
        original = VillageInquiryRule._schedule_batch
        calls = []

        def fail_second_batch(self, batch):
            calls.append(len(batch))
            if len(calls) == 2:
                raise RuntimeError("simulated failure")
            return original(self, batch)

        with (
            patch.object(Rule, "_inquiry_batch_size", 2),
            patch.object(VillageInquiryRule, "_schedule_batch", fail_second_batch),
            mute_logger("odoo.addons.base.models.ir_cron"),
        ):
            self._run_cron()
        self.assertGreater(len(calls), 2, "the job went on after the failure")
        scheduled = self._scheduled()
        self.assertEqual(len(scheduled), self._targets())
        self._assert_no_duplicate(scheduled)

    def test_rule_changes(self):
        Rule = self.env["village.inquiry.rule"].with_user(self.bureau_user)
        rule = self.rule_phone.with_user(self.bureau_user)
        for interval in (0, -1):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                rule.interval_number = interval
            self.assertEqual(rule.interval_number, 1)
            with self.assertRaises(UserError), self.env.cr.savepoint():
                Rule.create(
                    {
                        "name": "Broken",
                        "activity_type_id": self.type_phone.id,
                        "interval_number": interval,
                        "target": "village",
                    }
                )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            Rule.create({"name": "No tags", "activity_type_id": self.type_phone.id, "target": "household"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rule.with_user(self.head_a).interval_number = 3
        self.assertEqual(rule.interval_number, 1)

        self._run_cron()
        open_a1 = self._activities(self.rule_phone, self.household_a1)
        # a longer interval applies from the next completion
        rule.write({"interval_number": 2})
        open_a1.with_user(self.manager_a).action_feedback()
        self._run_cron()
        self.assertEqual(
            self._activities(self.rule_phone, self.household_a1).date_deadline, self.today + relativedelta(weeks=2)
        )
        self._activities(self.rule_phone, self.household_a1).with_user(self.manager_a).action_feedback()
        # archiving stops new activities and leaves the open ones
        self.household_a1_young.care_tag_ids = self.tag_elderly
        rule.action_archive()
        self._run_cron()
        self.assertFalse(self._activities(self.rule_phone, self.household_a1_young))
        self.assertFalse(self._activities(self.rule_phone, self.household_a1))
        self.assertEqual(len(self._activities(self.rule_phone, self.household_b1)), 1)
        rule.action_unarchive()
        self._run_cron()
        self.assertEqual(len(self._activities(self.rule_phone, self.household_a1_young)), 1)

    def test_overview_record_rules(self):
        self._run_cron()
        State = self.env["village.inquiry"]
        fixture = State.search(
            [
                (
                    "partner_id",
                    "in",
                    (self.household_a1 | self.household_b1 | self.village_a1 | self.village_a2 | self.village_b1).ids,
                )
            ]
        )
        self.assertEqual(len(fixture), 5)

        def seen(user):
            return State.with_user(user).search([("id", "in", fixture.ids)]).partner_id

        self.assertEqual(seen(self.manager_a), self.household_a1 | self.village_a1)
        self.assertEqual(seen(self.manager_b), self.household_b1 | self.village_b1)
        self.assertEqual(seen(self.head_a), self.household_a1 | self.village_a1 | self.village_a2)
        self.assertEqual(len(seen(self.bureau_user)), 5)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            fixture.with_user(self.manager_a).write({"status": "done"})
        # the assignee as it is now: an inquiry handed to another manager is theirs
        handed = fixture.filtered(lambda inquiry: inquiry.partner_id == self.household_b1).activity_id
        handed.write({"user_id": self.manager_a.id})
        self.assertIn(self.household_b1, seen(self.manager_a))
        handed.write({"user_id": self.manager_b.id})
        self.assertNotIn(self.household_b1, seen(self.manager_a))
        with self.assertRaises(AccessError):
            State.with_user(self.plain_user).search([])
        # per manager and station, in the pivot
        groups = dict(State.with_user(self.head_a)._read_group([("id", "in", fixture.ids)], ["user_id"], ["__count"]))
        self.assertEqual(groups, {self.manager_a: 2, self.manager_a2: 1})
