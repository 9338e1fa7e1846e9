from odoo.tests import HttpCase, tagged

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestVillageMeetingTour(HttpCase, VillageServiceCase):
    def test_account_manager_marks_meeting_done(self):
        meeting = self.env["village.meeting"].create(
            {"village_id": self.village_a1.id, "user_id": self.manager_a.id, "user_ids": self.manager_a.ids}
        )
        self.start_tour("/odoo", "village_service_meeting_done", login=self.manager_a.login)
        self.assertEqual(meeting.state, "done")
        self.assertEqual(meeting.attendee_count, 12)
        self.assertIn("Safe use of electricity at home", meeting.minutes)
