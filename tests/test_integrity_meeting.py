"""Meetings hold against any client (issue 15, findings 6 and 10): the state
is written by the buttons only, the dates and counts are plausible, and the
station is the village's."""

from datetime import timedelta

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import VillageRpcMixin, VillageServiceCase

ROLES = ("vs_manager_a", "vs_head_a", "vs_bureau")
FORGED_CONTEXT = {"install_mode": True, "tracking_disable": True, "village_closeout": True}


def rpc_datetime(value):
    return fields.Datetime.to_string(value)


class MeetingCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["village.meeting"]
        cls.now = fields.Datetime.now()
        cls.planned = cls.Meeting.with_user(cls.manager_a).create(
            {"village_id": cls.village_a1.id, "date": cls.now - timedelta(hours=2)}
        )
        cls.held = cls.Meeting.with_user(cls.manager_a).create(
            {
                "village_id": cls.village_a1.id,
                "date": cls.now - timedelta(days=2),
                "attendee_count": 15,
                "minutes": "<p>Safe use of electricity.</p>",
            }
        )
        cls.held.with_user(cls.manager_a).action_done()

    def assertInvariants(self):
        """Done => dated, not in the future; nothing beyond a year; station = the village's."""
        self.env.invalidate_all()
        now = fields.Datetime.now()
        for meeting in self.Meeting.search([("village_id", "in", (self.village_a1 | self.village_b1).ids)]):
            if meeting.state == "done":
                self.assertTrue(meeting.date and meeting.date <= now, meeting.name)
            if meeting.date:
                self.assertLessEqual(meeting.date, now + timedelta(days=366), meeting.name)
            self.assertGreaterEqual(meeting.duration, 0, meeting.name)
            self.assertGreaterEqual(meeting.attendee_count, 0, meeting.name)
            self.assertEqual(meeting.station_id, meeting.village_id.village_station_id, meeting.name)


@tagged("post_install", "-at_install")
class TestMeetingIntegrityRpc(VillageRpcMixin, HttpCase, MeetingCase):
    def test_forged_state_is_refused(self):
        for login in ROLES:
            self.authenticate(login, login)
            for meeting, state in ((self.planned, "done"), (self.planned, "cancelled"), (self.held, "planned")):
                for context in ({}, FORGED_CONTEXT):
                    with self.subTest(login=login, state=state, context=context):
                        self.assertRefused(
                            self.rpc("village.meeting", "write", meeting.ids, {"state": state}, context=context)
                        )
        (self.planned | self.held).invalidate_recordset()
        self.assertEqual(self.planned.state, "planned")
        self.assertEqual(self.held.state, "done")
        self.assertInvariants()

    def test_create_done_is_refused_and_a_default_state_dropped(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                vals = {"village_id": self.village_a1.id, "date": rpc_datetime(self.now - timedelta(days=1))}
                self.assertRefused(self.rpc("village.meeting", "create", {**vals, "state": "done"}))
                self.assertRefused(self.rpc("village.meeting", "create", {**vals, "state": "cancelled"}))
                reply = self.rpc("village.meeting", "create", vals, context={"default_state": "done"})
                self.assertEqual(self.Meeting.browse(reply["result"]).state, "planned")
        self.assertInvariants()

    def test_copy_and_import_start_planned(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(self.rpc("village.meeting", "copy", self.held.ids, default={"state": "done"}))
                reply = self.rpc("village.meeting", "copy", self.held.ids)
                self.assertEqual(self.Meeting.browse(reply["result"]).state, "planned")
                reply = self.rpc(
                    "village.meeting",
                    "load",
                    ["village_id/.id", "date", "state"],
                    [[str(self.village_a1.id), rpc_datetime(self.now - timedelta(days=1)), "done"]],
                )
                self.assertFalse(reply["result"]["ids"], reply["result"])
                self.assertTrue(reply["result"]["messages"])
                reply = self.rpc("village.meeting", "load", [".id", "state"], [[str(self.planned.id), "done"]])
                self.assertFalse(reply["result"]["ids"], reply["result"])
        self.planned.invalidate_recordset()
        self.assertEqual(self.planned.state, "planned")
        self.assertInvariants()

    def test_buttons_check_the_transition(self):
        self.authenticate("vs_manager_a", "vs_manager_a")
        # back to planned: a cancelled meeting only, never a done one
        self.assertRefused(self.rpc("village.meeting", "action_plan", self.held.ids))
        self.assertRefused(self.rpc("village.meeting", "action_plan", self.planned.ids))
        future = self.Meeting.with_user(self.manager_a).create(
            {"village_id": self.village_a1.id, "date": self.now + timedelta(days=3)}
        )
        # done before it is held
        self.assertRefused(self.rpc("village.meeting", "action_done", future.ids), contains="before it is held")
        self.rpc("village.meeting", "action_cancel", future.ids)
        self.rpc("village.meeting", "action_plan", future.ids)
        self.held.invalidate_recordset()
        future.invalidate_recordset()
        self.assertEqual((self.held.state, future.state), ("done", "planned"))
        self.assertEqual(future.write_uid, self.manager_a)
        self.assertInvariants()

    def test_implausible_values_are_refused(self):
        far = rpc_datetime(self.now + timedelta(days=400))
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(
                    self.rpc(
                        "village.meeting", "create", {"village_id": self.village_a1.id, "date": "2999-01-01 08:00:00"}
                    ),
                    contains="a year ahead",
                )
                self.assertRefused(self.rpc("village.meeting", "write", self.planned.ids, {"date": far}))
                # a done meeting is not moved into the future
                self.assertRefused(
                    self.rpc(
                        "village.meeting", "write", self.held.ids, {"date": rpc_datetime(self.now + timedelta(days=2))}
                    )
                )
                for vals in ({"duration": -1.5}, {"attendee_count": -3}):
                    self.assertRefused(self.rpc("village.meeting", "write", self.planned.ids, vals))
                    self.assertRefused(
                        self.rpc("village.meeting", "create", {"village_id": self.village_a1.id, **vals})
                    )
        self.assertInvariants()

    def test_station_is_the_village_station(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(
                    self.rpc(
                        "village.meeting", "create", {"village_id": self.village_a1.id, "station_id": self.station_b.id}
                    ),
                    contains=self.station_b.name if login == "vs_bureau" else None,
                )
                self.assertRefused(
                    self.rpc(
                        "village.meeting",
                        "create",
                        {"village_id": self.village_a1.id},
                        context={"default_station_id": self.station_b.id},
                    )
                )
                for meeting in (self.planned, self.held):
                    self.assertRefused(
                        self.rpc("village.meeting", "write", meeting.ids, {"station_id": self.station_b.id})
                    )
                    self.assertRefused(self.rpc("village.meeting", "write", meeting.ids, {"station_id": False}))
        self.assertInvariants()
        # the count of station B is not reached either
        self.assertFalse(self.Meeting.with_user(self.head_b).search([("id", "in", (self.planned | self.held).ids)]))


@tagged("post_install", "-at_install")
class TestMeetingIntegrity(MeetingCase):
    def test_database_refuses_negative_duration_and_attendees(self):
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'village_meeting'::regclass AND contype = 'c'"
        )
        constraints = {name for (name,) in self.env.cr.fetchall()}
        self.assertLessEqual(
            {"village_meeting_duration_positive", "village_meeting_attendee_count_positive"}, constraints
        )

    def test_inquiry_hook_still_logs_a_done_meeting_as_superuser(self):
        meeting = self.Meeting.with_user(SUPERUSER_ID).create(
            {"village_id": self.village_a1.id, "state": "done", "date": fields.Datetime.now()}
        )
        self.assertEqual(meeting.state, "done")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.Meeting.with_user(self.manager_a).create(
                {"village_id": self.village_a1.id, "state": "done", "date": fields.Datetime.now()}
            )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.Meeting.with_user(SUPERUSER_ID).create(
                {"village_id": self.village_a1.id, "state": "done", "date": self.now + timedelta(days=1)}
            )
        self.assertInvariants()

    def test_village_moved_to_another_station(self):
        """The meetings of a village the bureau moves stay with the station that
        held them; a new change of their village or station must agree."""
        self.village_a1.with_user(self.bureau_user).village_station_id = self.station_b
        self.assertEqual(self.held.station_id, self.station_a)
        self.held.with_user(self.manager_a).minutes = "<p>Notes typed in later.</p>"
        self.assertEqual(self.held.station_id, self.station_a)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.held.with_user(self.bureau_user).station_id = self.station_a
        self.held.with_user(self.bureau_user).village_id = self.village_a1
        self.assertEqual(self.held.station_id, self.station_b)
        new = self.Meeting.with_user(self.bureau_user).create({"village_id": self.village_a1.id})
        self.assertEqual(new.station_id, self.station_b)
