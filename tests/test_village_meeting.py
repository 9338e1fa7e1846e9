from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestVillageMeeting(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic_safety = cls.env.ref("village_service.meeting_topic_electricity_safety")
        cls.channel_courtyard = cls.env.ref("village_service.helpdesk_ticket_channel_courtyard")
        cls.channel_visit = cls.env.ref("village_service.helpdesk_ticket_channel_visit")
        cls.channel_phone = cls.env.ref("village_service.helpdesk_ticket_channel_phone_inquiry")
        cls.meeting = (
            cls.env["village.meeting"]
            .with_user(cls.manager_a)
            .create(
                {
                    "kind": "courtyard",
                    "village_id": cls.village_a1.id,
                    "attendee_count": 30,
                    "topic_ids": [fields.Command.set(cls.topic_safety.ids)],
                    "minutes": "<p>Safe use of electricity at home.</p>",
                }
            )
        )

    def _new_meeting(self, user, village, **vals):
        return self.env["village.meeting"].with_user(user).create({"village_id": village.id, **vals})

    def test_meeting_defaults_from_village(self):
        meeting = self.meeting
        self.assertEqual(meeting.station_id, self.station_a, "the station comes from the village")
        self.assertEqual(meeting.user_id, self.manager_a)
        self.assertEqual(meeting.user_ids, self.manager_a)
        self.assertEqual(meeting.state, "planned")
        self.assertIn("Test Village A1", meeting.name)
        self.assertTrue(meeting.date)

    def test_log_problem_from_meeting(self):
        meeting = self._new_meeting(self.manager_a, self.village_a1, kind="visit", partner_id=self.household_a1.id)
        action = meeting.with_user(self.manager_a).action_log_problem()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        with Form(self.env["helpdesk.ticket"].with_user(self.manager_a).with_context(**action["context"])) as form:
            form.name = "Sparking meter box"
        ticket = form.record
        self.assertEqual(ticket.meeting_id, meeting)
        self.assertEqual(ticket.village_id, self.village_a1)
        self.assertEqual(ticket.partner_id, self.household_a1)
        self.assertEqual(ticket.channel_id, self.channel_visit)
        self.assertEqual(ticket.team_id, self.station_a)
        meeting.invalidate_recordset()
        self.assertEqual(meeting.with_user(self.manager_a).ticket_count, 1)
        self.assertEqual(meeting.ticket_ids, ticket)
        tickets = meeting.with_user(self.manager_a).action_view_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(tickets["domain"]), ticket)

    def test_log_demand_from_meeting(self):
        action = self.meeting.with_user(self.manager_a).action_log_demand()
        self.assertEqual(action["res_model"], "crm.lead")
        lead = (
            self.env["crm.lead"]
            .with_user(self.manager_a)
            .with_context(**action["context"])
            .create({"name": "Irrigation pumps for an orchard", "power_demand_type": "irrigation"})
        )
        self.assertEqual(lead.meeting_id, self.meeting)
        self.assertEqual(lead.village_id, self.village_a1)
        self.meeting.invalidate_recordset()
        self.assertEqual(self.meeting.with_user(self.manager_a).lead_count, 1)
        self.assertEqual(self.meeting.with_user(self.manager_a).ticket_count, 0)
        self.assertEqual(self.meeting.lead_ids, lead)

    def test_ticket_channel_follows_kind(self):
        expected = {
            "courtyard": self.channel_courtyard,
            "visit": self.channel_visit,
            "phone": self.channel_phone,
            "committee": self.channel_courtyard,
            "education": self.channel_courtyard,
        }
        for kind, channel in expected.items():
            meeting = self._new_meeting(self.manager_a, self.village_a1, kind=kind)
            context = meeting.action_log_problem()["context"]
            self.assertEqual(context["default_channel_id"], channel.id, kind)

    def test_ticket_and_lead_forms_show_meeting(self):
        """The account manager logging a problem or a demand from a meeting
        sees the meeting on the (default) form they open."""
        for model, method in (("helpdesk.ticket", "action_log_problem"), ("crm.lead", "action_log_demand")):
            context = getattr(self.meeting.with_user(self.manager_a), method)()["context"]
            form = Form(self.env[model].with_user(self.manager_a).with_context(**context))
            self.assertEqual(form.meeting_id, self.meeting, model)

    def test_meeting_views_load_for_account_manager(self):
        """Every view of a meeting opens for the account manager (no field
        they may not read). The buttons of the form are clicked by the tours
        (village_field_forms_tours.js, village_meeting_tours.js)."""
        types = ("kanban", "list", "calendar", "pivot", "graph", "form", "search")
        views = self.env["village.meeting"].with_user(self.manager_a).get_views([(False, t) for t in types])
        self.assertEqual(set(views["views"]), set(types))

    def test_mark_done_and_cancel(self):
        meeting = self.meeting.with_user(self.manager_a)
        meeting.action_done()
        self.assertEqual(meeting.state, "done")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.action_cancel()
        self.assertEqual(meeting.state, "done")
        other = self._new_meeting(self.manager_a, self.village_a1)
        other.action_cancel()
        self.assertEqual(other.state, "cancelled")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            other.action_done()
        self.assertEqual(other.state, "cancelled")

    def test_negative_attendee_count_refused(self):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._new_meeting(self.manager_a, self.village_a1, attendee_count=-3)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.meeting.with_user(self.manager_a).attendee_count = -1
        self.assertEqual(self.meeting.attendee_count, 30)

    def test_done_without_date_refused(self):
        meeting = self.meeting.with_user(self.manager_a)
        meeting.date = False
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.action_done()
        self.assertEqual(meeting.state, "planned")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.state = "done"
        self.assertEqual(meeting.state, "planned")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._new_meeting(self.manager_a, self.village_a1, state="done", date=False)

    def test_village_outside_user_stations_refused(self):
        Meeting = self.env["village.meeting"]
        count = Meeting.search_count([])
        for user in (self.manager_a, self.head_a):
            with self.assertRaises(UserError, msg=user.login), self.env.cr.savepoint():
                self._new_meeting(user, self.village_b1)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.meeting.with_user(self.head_a).village_id = self.village_b1
        self.assertEqual(self.meeting.village_id, self.village_a1)
        self.assertEqual(Meeting.search_count([]), count)
        # a station head logs meetings anywhere in their station, the bureau anywhere
        self.assertTrue(self._new_meeting(self.head_a, self.village_a2))
        self.assertEqual(self._new_meeting(self.bureau_user, self.village_b1).station_id, self.station_b)

    def test_record_rules(self):
        Meeting = self.env["village.meeting"]
        meeting_b = self._new_meeting(self.manager_b, self.village_b1)
        self.assertEqual(
            Meeting.with_user(self.manager_a).search([("id", "in", (self.meeting | meeting_b).ids)]),
            self.meeting,
        )
        # an account manager does not see the meetings of another manager's village
        self.assertFalse(Meeting.with_user(self.manager_a2).search([("id", "=", self.meeting.id)]))
        with self.assertRaises(AccessError):
            self.meeting.with_user(self.manager_a2).read(["name"])
        # unless they were present
        self.meeting.user_ids |= self.manager_a2
        self.assertEqual(Meeting.with_user(self.manager_a2).search([("id", "=", self.meeting.id)]), self.meeting)
        # station heads see their stations, the bureau everything
        self.assertEqual(
            Meeting.with_user(self.head_a).search([("id", "in", (self.meeting | meeting_b).ids)]),
            self.meeting,
        )
        self.assertEqual(
            Meeting.with_user(self.head_b).search([("id", "in", (self.meeting | meeting_b).ids)]), meeting_b
        )
        self.assertEqual(
            Meeting.with_user(self.bureau_user).search([("id", "in", (self.meeting | meeting_b).ids)]),
            self.meeting | meeting_b,
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            meeting_b.with_user(self.manager_a).write({"attendee_count": 5})
        self.assertEqual(meeting_b.attendee_count, 0)
        with self.assertRaises(AccessError):
            Meeting.with_user(self.plain_user).search([])
        # topics are configuration: read by staff, written by the bureau
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.topic_safety.with_user(self.head_a).name = "Renamed"
        self.topic_safety.with_user(self.bureau_user).description = "Safe use at home"
        self.assertEqual(self.topic_safety.with_user(self.manager_a).description, "Safe use at home")
