"""The village contact on the helpdesk portal: the problems of the village
they are the appointed contact of (status and rectification measure, not the
internal notes), their own submissions routed to their village's station, and
404 on every other ticket id. Another portal user of the village (a villager)
sees their own problems only."""

import json
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestPortalVillageContact(HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # a villager of A1 with a portal account, and A1's appointed contact
        cls.villager_a1 = Partner.create(
            {"name": "Test Villager A1", "email": "villager.a1@example.com", "village_parent_id": cls.group_a1.id}
        )
        cls.contact_a1 = Partner.create({"name": "Test Contact A1", "email": "contact.a1@example.com"})
        cls.village_a1.village_contact_id = cls.contact_a1
        cls.contact_b1 = Partner.create(
            {"name": "Test Contact B1", "email": "contact.b1@example.com", "village_parent_id": cls.village_b1.id}
        )
        portal = "base.group_portal"
        cls.portal_villager = new_test_user(
            cls.env, login="vs_portal_villager", groups=portal, partner_id=cls.villager_a1.id
        )
        cls.portal_contact = new_test_user(
            cls.env, login="vs_portal_contact", groups=portal, partner_id=cls.contact_a1.id
        )
        cls.portal_b1 = new_test_user(cls.env, login="vs_portal_b1", groups=portal, partner_id=cls.contact_b1.id)

        Ticket = cls.env["helpdesk.ticket"]
        today = fields.Date.today()
        cls.ticket_a1 = Ticket.create(
            {
                "name": "Leaning pole at the A1 school",
                "description": "<p>The pole leans over the playground.</p>",
                "partner_id": cls.household_a1.id,
                "rectification_measure": "Straighten and guy the pole",
                "rectification_deadline": today + timedelta(days=5),
            }
        )
        cls.ticket_a2 = Ticket.create(
            {"name": "Street lights out in A2", "description": "x", "village_id": cls.village_a2.id}
        )
        cls.ticket_b1 = Ticket.create(
            {"name": "Low voltage in B1", "description": "x", "partner_id": cls.household_b1.id}
        )
        cls.ticket_a1.message_post(body="Internal: the pole owner is the telecom company", subtype_xmlid="mail.mt_note")
        cls.ticket_a1.message_post(
            body="We will come on Tuesday to straighten the pole",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_contact_sees_the_problems_of_their_village(self):
        self.assertEqual(self.ticket_a1.village_id, self.village_a1)
        self.assertEqual(self.ticket_a1.closeout_state, "planned")
        # a villager of A1 does not see a neighbour's problem
        self.authenticate("vs_portal_villager", "vs_portal_villager")
        self.assertNotIn(self.ticket_a1.name, self._get("/my/tickets").text)
        self.assertEqual(self._get(f"/my/ticket/{self.ticket_a1.id}").status_code, 404)
        for login in ("vs_portal_contact",):
            with self.subTest(login=login):
                self.authenticate(login, login)
                listing = self._get("/my/tickets")
                self.assertEqual(listing.status_code, 200)
                self.assertIn(self.ticket_a1.name, listing.text)
                self.assertNotIn(self.ticket_a2.name, listing.text)
                self.assertNotIn(self.ticket_b1.name, listing.text)

                page = self._get(f"/my/ticket/{self.ticket_a1.id}")
                self.assertEqual(page.status_code, 200)
                self.assertIn(self.ticket_a1.name, page.text)
                self.assertIn("Measure Planned", page.text)
                self.assertIn("Straighten and guy the pole", page.text)
                self.assertNotIn("telecom company", page.text)

                # the portal chatter: the reply, never the internal note
                messages = self.make_jsonrpc_request(
                    "/mail/chatter_fetch", {"thread_model": "helpdesk.ticket", "thread_id": self.ticket_a1.id}
                )
                bodies = json.dumps(messages["data"]["mail.message"])
                self.assertIn("come on Tuesday", bodies)
                self.assertNotIn("telecom company", bodies)

    def test_status_follows_the_ledger(self):
        self.ticket_a1.with_user(self.manager_a).action_rectify()
        self.ticket_a1.with_user(self.head_a)._closeout(True)
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        page = self._get(f"/my/ticket/{self.ticket_a1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Closed Out", page.text)
        self.assertIn("Rectified on", page.text)

    def test_a_new_contact_takes_over(self):
        """The village appoints another contact: from the next request on the
        former one no longer reads its problems and the new one does (Odoo
        caches a rule's domain per user; the change drops it)."""
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        self.assertEqual(self._get(f"/my/ticket/{self.ticket_a1.id}").status_code, 200)
        self.village_a1.with_user(self.bureau_user).village_contact_id = self.contact_b1
        self.assertEqual(self._get(f"/my/ticket/{self.ticket_a1.id}").status_code, 404)
        self.authenticate("vs_portal_b1", "vs_portal_b1")
        self.assertEqual(self._get(f"/my/ticket/{self.ticket_a1.id}").status_code, 200)
        # archiving the village: its contact no longer reads its problems
        self.village_a1.with_user(self.bureau_user).action_archive()
        self.assertEqual(self._get(f"/my/ticket/{self.ticket_a1.id}").status_code, 404)

    def test_other_ticket_ids_answer_404(self):
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        mine = self.env["helpdesk.ticket"].with_user(self.portal_contact).search([])
        self.assertEqual(mine, self.ticket_a1)
        all_ids = self.env["helpdesk.ticket"].with_context(active_test=False).search([]).ids
        probed = range(min(all_ids) - 3, max(all_ids) + 4)
        # tickets of teams that are not stations keep plain helpdesk_mgmt's
        # answer: a redirect to /my, which shows nothing of them either
        plain = (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search([("team_id.require_closeout", "=", False)])
        )
        leaks = []
        for ticket_id in probed:
            status = self._get(f"/my/ticket/{ticket_id}").status_code
            expected = 200 if ticket_id in mine.ids else 303 if ticket_id in plain.ids else 404
            if status != expected:
                leaks.append((ticket_id, status))
        self.assertFalse(leaks, "ticket ids answering other than 200 (own village), 404 (a station's) or 303")
        self.assertGreater(len(probed), 5)

    def test_cannot_close_other_tickets_from_the_portal(self):
        """helpdesk_mgmt's /ticket/close takes any ticket id: not any more."""
        other = self.env["helpdesk.ticket"].create({"name": "Not a station's ticket", "description": "x"})
        closing = self.env["helpdesk.ticket.stage"].search([("close_from_portal", "=", True)], limit=1) or self.env[
            "helpdesk.ticket.stage"
        ].search([("closed", "=", True)], limit=1)
        closing.close_from_portal = True
        stage_before = other.stage_id
        self.authenticate("vs_portal_b1", "vs_portal_b1")
        for ticket in (other, self.ticket_a1):
            response = self.url_open(
                f"/ticket/close?ticket_id={ticket.id}&stage_id={closing.id}", allow_redirects=False
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(other.stage_id, stage_before)
        self.assertFalse(self.ticket_a1.stage_id.closed)

    def test_contact_submits_a_problem_of_their_village(self):
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        form = self._get("/new/ticket")
        self.assertEqual(form.status_code, 200)
        csrf = re.search(r'name="csrf_token"\s+(?:t-att-)?value="([^"]+)"', form.text).group(1)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": "Transformer humming near the A1 well",
                "description": "Near the well.",
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Transformer humming near the A1 well")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.village_id, self.village_a1)
        self.assertEqual(ticket.team_id, self.station_a)
        self.assertEqual(ticket.user_id, self.manager_a)
        self.assertEqual(ticket.partner_id, self.contact_a1)
        self.assertEqual(ticket.closeout_state, "open")
        self.assertTrue(response.headers["Location"].endswith(f"/my/ticket/{ticket.id}"))
        self.assertEqual(self._get(f"/my/ticket/{ticket.id}").status_code, 200)
        # another portal user of the same village does not see it, nor does B1's contact
        self.authenticate("vs_portal_villager", "vs_portal_villager")
        self.assertEqual(self._get(f"/my/ticket/{ticket.id}").status_code, 404)
        self.authenticate("vs_portal_b1", "vs_portal_b1")
        self.assertEqual(self._get(f"/my/ticket/{ticket.id}").status_code, 404)
