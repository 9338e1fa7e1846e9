"""Issue 21, field forms: the short demand form, the photo of a problem and a
demand, *Mark Done* asking for attendees and minutes, lists that fit a phone,
titles that never read "False", and a households total that counts households."""

import base64
from datetime import timedelta
from xml.etree import ElementTree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase

# a 1x1 PNG, as the tours upload it
PHOTO = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


class FieldFormsCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["village.meeting"]
        cls.meeting = cls.Meeting.with_user(cls.manager_a).create(
            {"village_id": cls.village_a1.id, "date": fields.Datetime.now() - timedelta(hours=1)}
        )
        cls.demand_form = cls.env.ref("village_service.crm_lead_view_form_demand")

    def _arch(self, model, view_type, view_id=False, user=None):
        views = self.env[model].with_user(user or self.manager_a).get_views([(view_id, view_type)])
        return ElementTree.fromstring(views["views"][view_type]["arch"])


@tagged("post_install", "-at_install")
class TestShortDemandForm(FieldFormsCase):
    def test_demand_menu_and_log_demand_open_the_short_form(self):
        for xmlid in ("village_service.crm_lead_action_demand", "village_service.crm_lead_action_large_demand"):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            self.assertIn([self.demand_form.id, "form"], [list(view) for view in action["views"]], xmlid)
        action = self.meeting.with_user(self.manager_a).action_log_demand()
        self.assertEqual(action["views"], [(self.demand_form.id, "form")])
        leads = self.meeting.with_user(self.manager_a).action_view_leads()
        self.assertIn((self.demand_form.id, "form"), leads["views"])
        # the CRM form stays the default form of a lead (the bureau's)
        self.assertNotEqual(self.env["crm.lead"].get_view(view_type="form")["id"], self.demand_form.id)

    def test_log_demand_titles_the_demand_by_village_and_type(self):
        action = self.meeting.with_user(self.manager_a).action_log_demand()
        Lead = self.env["crm.lead"].with_user(self.manager_a).with_context(**action["context"])
        needed_by = fields.Date.today() + timedelta(days=60)
        with Form(Lead, view=self.demand_form) as form:
            form.power_demand_type = "irrigation"
            form.power_demand_kw = 45
            form.power_needed_by = needed_by
            self.assertEqual(form.name, "Test Village A1 — Irrigation Pumping")
            form.power_demand_type = "farming"
            self.assertEqual(form.name, "Test Village A1 — Farming")
        lead = form.record
        self.assertEqual(lead.name, "Test Village A1 — Farming")
        self.assertNotIn("opportunity", lead.name)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.meeting_id, self.meeting)
        self.assertEqual(lead.village_id, self.village_a1)
        self.assertEqual(lead.power_demand_kw, 45)
        self.assertEqual(lead.power_needed_by, needed_by)
        # a title typed by the account manager stays
        lead.name = "Cold store of the cooperative"
        lead.power_demand_type = "other"
        self.assertEqual(lead.name, "Cold store of the cooperative")

    def test_demand_of_a_contact_is_not_their_opportunity(self):
        """CRM titles a lead "<contact>'s opportunity": a demand of a village's
        contact is titled by its village and type instead."""
        contact = self.env["res.partner"].create({"name": "Test Contact A1", "village_parent_id": self.village_a1.id})
        lead = (
            self.env["crm.lead"]
            .with_user(self.manager_a)
            .create({"type": "opportunity", "partner_id": contact.id, "power_demand_type": "new_connection"})
        )
        self.assertEqual(lead.name, "Test Village A1 — New Connection")

    def test_titles_never_read_false(self):
        meeting = self.Meeting.with_user(self.manager_a).new({"kind": False})
        self.assertTrue(meeting.display_name)
        self.assertNotIn("False", meeting.display_name)
        lead = self.env["crm.lead"].with_user(self.manager_a).new({})
        self.assertTrue(lead.display_name)
        self.assertNotIn("False", lead.display_name)
        self.assertNotIn("False", self.meeting.with_user(self.manager_a).display_name)


@tagged("post_install", "-at_install")
class TestMarkDoneDialog(FieldFormsCase):
    def _wizard(self, **vals):
        action = self.meeting.with_user(self.manager_a).action_open_done_wizard()
        self.assertEqual(action["res_model"], "village.meeting.done")
        self.assertEqual(action["target"], "new")
        Wizard = self.env["village.meeting.done"].with_user(self.manager_a).with_context(**action["context"])
        return Wizard.create(vals)

    def test_dialog_refuses_no_attendees_or_no_minutes(self):
        for vals in (
            {"attendee_count": 0, "minutes": "<p>Explained the outage plan.</p>"},
            {"attendee_count": 12, "minutes": False},
            {"attendee_count": 12, "minutes": "<p><br></p>"},
        ):
            wizard = self._wizard(**vals)
            with self.assertRaises(UserError, msg=vals), self.env.cr.savepoint():
                wizard.action_confirm()
            self.meeting.invalidate_recordset()
            self.assertEqual(self.meeting.state, "planned", vals)
            self.assertEqual(self.meeting.attendee_count, 0, vals)
            self.assertFalse(self.meeting.minutes, vals)

    def test_dialog_marks_the_meeting_done(self):
        topic = self.env.ref("village_service.meeting_topic_electricity_safety")
        self.meeting.attendee_count = 7
        wizard = self._wizard()
        self.assertEqual(wizard.attendee_count, 7, "the dialog starts from the meeting")
        wizard.write(
            {
                "attendee_count": 25,
                "minutes": "<p>Explained the outage plan.</p>",
                "topic_ids": [fields.Command.set(topic.ids)],
            }
        )
        wizard.action_confirm()
        self.assertEqual(self.meeting.state, "done")
        self.assertEqual(self.meeting.attendee_count, 25)
        self.assertIn("outage plan", self.meeting.minutes)
        self.assertEqual(self.meeting.topic_ids, topic)
        self.assertEqual(self.meeting.write_uid, self.manager_a)

    def test_dialog_of_another_station_refused(self):
        """The dialog shows the meeting's minutes: only for those who may write it."""
        self.meeting.minutes = "<p>Confidential.</p>"
        Wizard = self.env["village.meeting.done"].with_user(self.manager_b)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Wizard.create({"meeting_id": self.meeting.id, "attendee_count": 3})
        self.assertEqual(self.meeting.state, "planned")

    def test_action_done_itself_refuses(self):
        meeting = self.meeting.with_user(self.manager_a)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.action_done()
        meeting.attendee_count = 4
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.action_done()
        self.assertEqual(meeting.state, "planned")
        meeting.minutes = "<p>Four households, one problem.</p>"
        meeting.action_done()
        self.assertEqual(meeting.state, "done")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.action_open_done_wizard()


@tagged("post_install", "-at_install")
class TestPhoneLists(HttpCase, FieldFormsCase):
    """The lists an account manager opens on a phone fit its width, and the
    villages list does not add up households (a village group's are counted
    by its village too)."""

    browser_size = "375x667"
    touch_enabled = True

    def test_lists_fit_a_phone(self):
        self.env["crm.lead"].with_user(self.manager_a).create(
            {"village_id": self.village_a1.id, "power_demand_kw": 12, "type": "opportunity"}
        )
        for xmlid, tour in (
            ("village_service.village_meeting_action", "village_service_list_fits_phone"),
            ("village_service.crm_lead_action_demand", "village_service_list_fits_phone"),
            ("village_service.res_partner_action_village", "village_service_list_fits_phone"),
            ("village_service.res_partner_action_household", "village_service_list_only_fits_phone"),
        ):
            with self.subTest(xmlid):
                self.start_tour(f"/odoo/action-{xmlid}", tour, login="vs_manager_a")


@tagged("post_install", "-at_install")
class TestFieldFormsRpc(VillageRpcMixin, HttpCase, FieldFormsCase):
    @mute_logger("odoo.http")
    def test_rpc_action_done_refuses_no_attendees_or_minutes(self):
        self.authenticate("vs_manager_a", "vs_manager_a")
        self.assertRefused(self.rpc("village.meeting", "action_done", self.meeting.ids))
        self.rpc("village.meeting", "write", self.meeting.ids, {"attendee_count": 9})
        self.assertRefused(self.rpc("village.meeting", "action_done", self.meeting.ids))
        self.meeting.invalidate_recordset()
        self.assertEqual(self.meeting.state, "planned")
        self.rpc("village.meeting", "write", self.meeting.ids, {"minutes": "<p>Nine came.</p>"})
        reply = self.rpc("village.meeting", "action_done", self.meeting.ids)
        self.assertFalse(reply.get("error"), reply)
        self.meeting.invalidate_recordset()
        self.assertEqual(self.meeting.state, "done")

    @mute_logger("odoo.http")
    def test_rpc_dialog_refuses_then_marks_done(self):
        self.authenticate("vs_manager_a", "vs_manager_a")
        context = {"default_meeting_id": self.meeting.id}
        wizard_id = self.rpc("village.meeting.done", "create", {"attendee_count": 0}, context=context)["result"]
        self.assertRefused(self.rpc("village.meeting.done", "action_confirm", [wizard_id]))
        self.meeting.invalidate_recordset()
        self.assertEqual(self.meeting.state, "planned")
        wizard_id = self.rpc(
            "village.meeting.done", "create", {"attendee_count": 6, "minutes": "<p>Six came.</p>"}, context=context
        )["result"]
        reply = self.rpc("village.meeting.done", "action_confirm", [wizard_id])
        self.assertFalse(reply.get("error"), reply)
        self.meeting.invalidate_recordset()
        self.assertEqual(self.meeting.state, "done")
        self.assertEqual(self.meeting.attendee_count, 6)

    def test_account_manager_writes_photos(self):
        self.authenticate("vs_manager_a", "vs_manager_a")
        ticket_id = self.rpc(
            "helpdesk.ticket",
            "create",
            {"name": "Sparking meter box", "description": "<p>x</p>", "partner_id": self.household_a1.id},
        )["result"]
        lead_id = self.rpc(
            "crm.lead",
            "create",
            {"type": "opportunity", "village_id": self.village_a1.id, "power_demand_type": "irrigation"},
        )["result"]
        for model, record_id in (("helpdesk.ticket", ticket_id), ("crm.lead", lead_id)):
            reply = self.rpc(model, "write", [record_id], {"photo": PHOTO})
            self.assertIs(reply.get("result"), True, reply)
            record = self.env[model].browse(record_id)
            self.assertEqual(base64.b64decode(record.photo)[:4], b"\x89PNG", model)
        # the card shows a camera for the problem with a photo, from the stored flag
        cards = self.rpc("helpdesk.ticket", "web_search_read", [("id", "=", ticket_id)], {"has_photo": {}})
        self.assertIs(cards["result"]["records"][0]["has_photo"], True)
        self.rpc("helpdesk.ticket", "write", [ticket_id], {"photo": False})
        cards = self.rpc("helpdesk.ticket", "web_search_read", [("id", "=", ticket_id)], {"has_photo": {}})
        self.assertIs(cards["result"]["records"][0]["has_photo"], False)


@tagged("post_install", "-at_install")
class TestFieldFormsOnPhone(HttpCase, FieldFormsCase):
    browser_size = "375x667"
    touch_enabled = True

    def _tour(self, name):
        # the account manager reads Chinese, as the demo's do
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["village_service"], ["zh_CN"], overwrite=True)
        self.manager_a.lang = "zh_CN"
        self.start_tour("/odoo/action-village_service.village_meeting_action", name, login="vs_manager_a")

    def test_log_problem_with_photo(self):
        self._tour("village_service_log_problem_photo")
        problem = self.meeting.ticket_ids
        self.assertEqual(len(problem), 1)
        self.assertEqual(problem.name, "Sparking meter box")
        self.assertIn("sparks when it rains", problem.description)
        self.assertTrue(problem.photo)
        self.assertEqual(base64.b64decode(problem.photo)[:4], b"\x89PNG")
        self.assertEqual(problem.village_id, self.village_a1)
        self.assertEqual(problem.team_id, self.station_a)

    def test_log_demand_in_short_form(self):
        self._tour("village_service_log_demand_short_form")
        demand = self.meeting.lead_ids
        self.assertEqual(len(demand), 1)
        # titled by the village and the demand type, in the reader's language
        types = self.env["crm.lead"].with_context(lang="zh_CN").fields_get(["power_demand_type"])
        irrigation = dict(types["power_demand_type"]["selection"])["irrigation"]
        self.assertNotEqual(irrigation, "Irrigation Pumping")
        self.assertEqual(demand.name, f"Test Village A1 — {irrigation}")
        self.assertEqual(demand.power_demand_type, "irrigation")
        self.assertEqual(demand.power_demand_kw, 45)
        self.assertEqual(demand.power_needed_by, fields.Date.to_date("2099-06-30"))
        self.assertEqual(demand.village_id, self.village_a1)
        self.assertEqual(demand.type, "opportunity")
        self.assertTrue(demand.photo)

    def test_mark_done_in_dialog(self):
        self._tour("village_service_mark_done_dialog")
        self.assertEqual(self.meeting.state, "done")
        self.assertEqual(self.meeting.attendee_count, 25)
        self.assertIn("outage plan", self.meeting.minutes)
