"""Every workflow and link field of the addon against any client.

One table (FIELDS) says, for each field the addon adds that is a link, a
state, a who/when of a workflow or derived from other fields, what a client
that sends a forged value gets. The attacks go over real JSON-RPC against the
running test server, as the web client, a script or an import would send
them: write, create, copy and load (import), with and without context keys
that a client may add. Each attempt must be refused and leave the record as it
was; afterwards the global invariants hold. A new field of one of those kinds
without a row fails `test_every_field_has_a_row`."""

import re
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase

WORKFLOW = "workflow"  # written by the action methods only
DERIVED = "derived"  # computed from other fields
READONLY = "read-only model"  # no role may write the model (ACL)
BUREAU = "bureau"  # configuration or structure: the bureau only
SCOPED = "scoped"  # a link: a record of another station is refused (the bureau may re-link)
CHECKED = "checked"  # a station: must be the village's, whoever writes
FREE = "free"  # whoever may edit the record may set it (why: in the row)

# context keys a client may add to any call: none of them is a permission
FORGED_CONTEXTS = [{}, {"village_closeout": True, "install_mode": True, "tracking_disable": True}]

# model -> field -> (kind, forged value: a side-B fixture name or a literal, or why it is free)
FIELDS = {
    "helpdesk.ticket": {
        "village_id": (SCOPED, "village_b1"),
        "chat_group_id": (SCOPED, "group_b"),
        "meeting_id": (SCOPED, "meeting_b"),
        "transformer_area_id": (SCOPED, "area_b"),
        "closeout_state": (WORKFLOW, "closed"),
        "date_planned": (WORKFLOW, "2026-01-01 00:00:00"),
        "date_rectified": (WORKFLOW, "2026-01-01 00:00:00"),
        "rectified_by_id": (WORKFLOW, "manager_a2"),
        "date_closeout": (WORKFLOW, "2026-01-02 00:00:00"),
        "closeout_by_id": (WORKFLOW, "head_b"),
        "closeout_satisfaction": (WORKFLOW, "satisfied"),
        "date_revisit": (WORKFLOW, "2026-01-02 00:00:00"),
        "closeout_note": (WORKFLOW, "forged"),
        "reopen_count": (WORKFLOW, 7),
        "village_name": (DERIVED, "Forged Village"),
        "has_photo": (DERIVED, True),
        # helpdesk_mgmt's own link, checked against the village
        "team_id": (CHECKED, "station_b"),
    },
    "crm.lead": {
        "village_id": (SCOPED, "village_b1"),
        "meeting_id": (SCOPED, "meeting_b"),
        "station_id": (DERIVED, "station_b"),
        "township_id": (DERIVED, "township_b"),
        "power_demand_type": (FREE, "what the villager asks for"),
        "transformer_area_id": (SCOPED, "area_b"),
        "power_demand_adds_load": (DERIVED, False),
        "power_demand_duplicate_of_id": (DERIVED, None),
        "power_demand_duplicate_confirmed": (WORKFLOW, True),
    },
    "res.partner": {
        "village_kind": (BUREAU, "township"),
        "village_parent_id": (SCOPED, "village_b1"),
        "village_id": (DERIVED, "village_b1"),
        "village_township_id": (DERIVED, "township_b"),
        "village_station_id": (BUREAU, "station_b"),
        "village_manager_id": (BUREAU, "manager_b"),
        "village_contact_id": (SCOPED, "household_b1"),
        "care_tag_ids": (FREE, "the account manager knows the household"),
        "village_chat_group_ids": (SCOPED, "group_b"),
        "transformer_area_id": (SCOPED, "area_b"),
    },
    "village.agreement": {
        "name": (FREE, "an imported agreement keeps its paper number; a new one gets the sequence"),
        "state": (WORKFLOW, "active"),
        "village_id": (SCOPED, "village_b1"),
        "township_id": (DERIVED, "township_b"),
        "station_id": (CHECKED, "station_b"),
        "manager_id": (FREE, "who followed the signing; who sees it follows the village"),
        "village_signatory_id": (FREE, "who signed for the village: a fact on paper"),
        "station_signatory_id": (FREE, "who signed for the station: a fact on paper"),
        "service_ids": (FREE, "what the agreement covers"),
        "has_signed_scan": (DERIVED, True),
        "date_terminated": (WORKFLOW, "2026-01-01"),
        "termination_reason": (WORKFLOW, "forged"),
        "renewed_from_id": (WORKFLOW, "agreement_b"),
        "renewal_reminded": (WORKFLOW, True),
    },
    "village.chat.group": {
        "village_ids": (SCOPED, "village_b1"),
        "manager_id": (FREE, "the colleague who runs the group; who sees it follows its villages"),
        "station_id": (CHECKED, "station_b"),
        "village_contact_id": (FREE, "a member of the group"),
    },
    "village.meeting": {
        "kind": (FREE, "what kind of meeting it was"),
        "state": (WORKFLOW, "done"),
        "village_id": (SCOPED, "village_b1"),
        "station_id": (CHECKED, "station_b"),
        "user_id": (FREE, "the colleague who led it"),
        "user_ids": (FREE, "the staff present"),
        "partner_id": (FREE, "the household or contact met"),
        "partner_ids": (FREE, "the attendees"),
        "topic_ids": (FREE, "what was discussed"),
        "company_id": (FREE, "the company's own record rule applies"),
    },
    "village.outage.notice": {
        "kind": (FREE, "what the station announces"),
        "state": (WORKFLOW, "notified"),
        "date_notified": (WORKFLOW, "2026-01-01 00:00:00"),
        "station_id": (CHECKED, "station_b"),
        "village_ids": (SCOPED, "village_b1"),
        "transformer_area_ids": (SCOPED, "area_b"),
        "restored_from_id": (CHECKED, "notice_b"),
        "company_id": (FREE, "the company's own record rule applies"),
    },
    "village.outage.post": dict.fromkeys(
        ("notice_id", "station_id", "chat_group_id", "text", "state", "attempts", "last_error", "date_posted"),
        (READONLY, None),
    ),
    "village.outage.reach": {
        "notice_id": (WORKFLOW, "notice_b"),
        "station_id": (DERIVED, "station_b"),
        "partner_id": (WORKFLOW, "household_b1"),
        "village_id": (WORKFLOW, "village_b1"),
        "user_id": (WORKFLOW, "manager_b"),
        "state": (WORKFLOW, "reached"),
        "reached_by_id": (WORKFLOW, "manager_a2"),
        "date_reached": (WORKFLOW, "2026-01-01 00:00:00"),
    },
    "village.daily.stat": {"station_id": (READONLY, "station_b"), "is_final": (READONLY, True)},
    "village.digest.run": dict.fromkeys(
        ("kind", "period_start", "period_end", "user_id", "email", "state", "mail_id", "date_sent", "error"),
        (READONLY, None),
    )
    | {"email_to": (DERIVED, None), "lang": (DERIVED, None)},
    # a signing campaign belongs to the county or one station: the bureau's to set
    "village.agreement.campaign": {"station_id": (BUREAU, "station_b")},
    "village.inquiry.rule": dict.fromkeys(
        (
            "activity_type_id",
            "interval_unit",
            "target",
            "care_tag_ids",
            "meeting_kind",
            "care_tag_match",
            "scheduling",
            "committee_rule_id",
            "visit_rule_id",
        ),
        (BUREAU, None),
    ),
    "village.inquiry": dict.fromkeys(
        (
            "rule_id",
            "partner_id",
            "village_id",
            "station_id",
            "user_id",
            "activity_id",
            "status",
            "date_done",
            "outcome",
            "note",
        ),
        (READONLY, None),
    ),
    "mail.activity": {
        "inquiry_rule_id": (WORKFLOW, "inquiry_rule"),
        "village_inquiry_outcome": (WORKFLOW, "no_answer"),
        "village_inquiry_note": (WORKFLOW, "forged"),
    },
    "helpdesk.ticket.team": {"require_closeout": (BUREAU, False)},
    # the grid: the bureau's (ACL); what follows from the villages and the
    # capacity is written by nobody
    "village.grid.substation": {"company_id": (BUREAU, None)},
    "village.grid.feeder": {"substation_id": (BUREAU, None), "station_id": (BUREAU, "station_b")},
    "village.transformer.area": {
        "feeder_id": (BUREAU, None),
        "village_ids": (BUREAU, "village_b1"),
        "manager_id": (BUREAU, "manager_b"),
        "substation_id": (DERIVED, None),
        "station_id": (DERIVED, "station_b"),
        "township_id": (DERIVED, "township_b"),
        "company_id": (DERIVED, None),
        "capacity_kw": (DERIVED, 999.0),
        "loading": (DERIVED, 1.0),
        "month_crossing": (DERIVED, "2020-01-01"),
    },
}


def _table_kinds(field):
    """Why a field needs a row: a link, a state, a who/when, a derived value."""
    kinds = []
    if not field.store or field.type == "one2many":
        return kinds  # shown, never written: a one2many is written from its other side
    if field.type in ("many2one", "many2many"):
        kinds.append("link")
    if field.type == "selection" and (field.name == "state" or field.name.endswith(("_state", "status", "kind"))):
        kinds.append("state")
    if field.readonly and not field.compute:
        kinds.append("read-only")
    if field.compute and field.readonly:
        kinds.append("derived")
    return kinds


@tagged("post_install", "-at_install")
class TestIntegrityAttacks(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the service area's day, as the campaign's start defaults to (UTC is the day before after 16:00)
        today = env["village.service.area"]._today()
        cls.group_a = env["village.chat.group"].create(
            {"name": "Group A1", "village_ids": [Command.set(cls.village_a1.ids)], "manager_id": cls.manager_a.id}
        )
        cls.group_b = env["village.chat.group"].create(
            {"name": "Group B1", "village_ids": [Command.set(cls.village_b1.ids)], "manager_id": cls.manager_b.id}
        )
        cls.meeting_a = env["village.meeting"].create(
            {
                "village_id": cls.village_a1.id,
                "user_id": cls.manager_a.id,
                "attendee_count": 12,
                "minutes": "<p>Safe use of electricity.</p>",
            }
        )
        cls.meeting_b = env["village.meeting"].create({"village_id": cls.village_b1.id, "user_id": cls.manager_b.id})
        cls.agreement_a = env["village.agreement"].create({"village_id": cls.village_a1.id})
        cls.agreement_b = env["village.agreement"].create({"village_id": cls.village_b1.id})
        cls.ticket_a = env["helpdesk.ticket"].create(
            {"name": "Leaning pole", "description": "x", "partner_id": cls.household_a1.id}
        )
        cls.lead_a = env["crm.lead"].create(
            {"name": "Pumps", "type": "opportunity", "village_id": cls.village_a1.id, "user_id": cls.manager_a.id}
        )
        call = env.ref("mail.mail_activity_data_call")
        cls.inquiry_rule = env["village.inquiry.rule"].create(
            {"name": "Test weekly call", "activity_type_id": call.id, "target": "village"}
        )
        cls.campaign_a = env["village.agreement.campaign"].create(
            {"name": "Test campaign A", "station_id": cls.station_a.id, "date_end": today, "target_count": 2}
        )
        cls.stat_a = env["village.daily.stat"].create({"station_id": cls.station_a.id, "date": today})
        cls.run_a = env["village.digest.run"].create(
            {"kind": "work_list", "period_start": today, "period_end": today, "user_id": cls.manager_a.id}
        )
        cls.inquiry_rule._schedule_batch([(cls.inquiry_rule, cls.village_a1.id)])
        cls.inquiry_state_a = env["village.inquiry"].search(
            [("rule_id", "=", cls.inquiry_rule.id), ("partner_id", "=", cls.village_a1.id)]
        )
        cls.activity_a = cls.household_a1.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo", user_id=cls.manager_a.id
        )
        start = fields.Datetime.now() + timedelta(days=2)
        cls.notice_a = env["village.outage.notice"].create(
            {"station_id": cls.station_a.id, "date_start": start, "village_ids": [Command.set(cls.village_a1.ids)]}
        )
        cls.notice_a.action_notify()
        cls.notice_b = env["village.outage.notice"].create(
            {"station_id": cls.station_b.id, "date_start": start, "village_ids": [Command.set(cls.village_b1.ids)]}
        )
        cls.substation = env["village.grid.substation"].create({"name": "Substation", "code": "S-1"})
        feeders = env["village.grid.feeder"].create(
            [
                {"name": "Feeder A", "code": "F-A", "substation_id": cls.substation.id, "station_id": cls.station_a.id},
                {"name": "Feeder B", "code": "F-B", "substation_id": cls.substation.id, "station_id": cls.station_b.id},
            ]
        )
        cls.feeder_a, cls.feeder_b = feeders
        cls.area_a, cls.area_b = env["village.transformer.area"].create(
            [
                {
                    "name": "Area A1",
                    "code": "A-1",
                    "feeder_id": cls.feeder_a.id,
                    "village_ids": [Command.set(cls.village_a1.ids)],
                    "capacity_kva": 200,
                },
                {
                    "name": "Area B1",
                    "code": "B-1",
                    "feeder_id": cls.feeder_b.id,
                    "village_ids": [Command.set(cls.village_b1.ids)],
                    "capacity_kva": 200,
                },
            ]
        )
        # the record of station A that each model's attacks aim at
        cls.targets = {
            "helpdesk.ticket": cls.ticket_a,
            "crm.lead": cls.lead_a,
            "res.partner": cls.household_a1,
            "village.agreement": cls.agreement_a,
            "village.chat.group": cls.group_a,
            "village.meeting": cls.meeting_a,
            "village.daily.stat": cls.stat_a,
            "village.digest.run": cls.run_a,
            "village.inquiry.rule": cls.inquiry_rule,
            "village.agreement.campaign": cls.campaign_a,
            "village.inquiry": cls.inquiry_state_a,
            "mail.activity": cls.activity_a,
            "helpdesk.ticket.team": cls.station_a,
            "village.outage.notice": cls.notice_a,
            "village.outage.post": cls.notice_a.post_ids[:1],
            "village.outage.reach": cls.notice_a.reach_ids.filtered(lambda r: r.partner_id == cls.household_a1),
            "village.grid.substation": cls.substation,
            "village.grid.feeder": cls.feeder_a,
            "village.transformer.area": cls.area_a,
        }
        # what a role may legitimately create: the control that the refusal is
        # the forged field's, not a side effect of bad values
        cls.create_vals = {
            "helpdesk.ticket": {"name": "New problem", "description": "x", "village_id": cls.village_a1.id},
            "crm.lead": {"name": "New demand", "type": "opportunity", "village_id": cls.village_a1.id},
            "res.partner": {"name": "New household", "village_parent_id": cls.village_a1.id},
            "village.agreement": {"village_id": cls.village_a1.id},
            "village.chat.group": {"name": "New group", "village_ids": [Command.set(cls.village_a1.ids)]},
            "village.meeting": {"village_id": cls.village_a1.id},
        }
        cls.roles = ("vs_manager_a", "vs_head_a", "vs_bureau")

    # ------------------------------------------------------------------

    def _forged(self, model, name, value):
        field = self.env[model]._fields[name]
        if isinstance(value, str) and hasattr(self, value) and field.type in ("many2one", "many2many"):
            record = getattr(self, value)
            return record.id if field.type == "many2one" else [Command.link(record.id)]
        if field.type == "many2one" and value is None:
            return self.env.user.id if field.comodel_name == "res.users" else 1
        if value is None and field.type == "selection":
            return field.get_values(self.env)[-1]
        if value is None:
            return {"date": "2026-01-01", "datetime": "2026-01-01 00:00:00"}.get(field.type, "forged")
        return value

    def _message(self, reply):
        return (reply.get("error") or {}).get("data", {}).get("message")

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {name: record.sudo()[name] for name in names}

    def test_every_field_has_a_row(self):
        """The table covers every link, state, read-only and derived field the
        addon adds to a model with records (SQL views and wizards are read-only
        or transient: the access matrix covers them)."""
        missing = []
        for name in self.env.registry:
            model = self.env[name]
            if model._transient or model._abstract or not model._auto:
                continue
            for field in model._fields.values():
                if field._module != "village_service" or field.name in models_magic:
                    continue
                if _table_kinds(field) and field.name not in FIELDS.get(name, {}):
                    missing.append(f"{name}.{field.name} ({', '.join(_table_kinds(field))})")
        self.assertFalse(missing, "fields without a row in FIELDS:\n" + "\n".join(missing))
        for model, rows in FIELDS.items():
            for name in rows:
                self.assertIn(name, self.env[model]._fields, f"{model}.{name} is in FIELDS but not a field")

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_forged_values_are_refused(self):
        """Each role that may edit station A's records sends every non-free
        field a forged value, with and without context keys: refused, and the
        record is unchanged."""
        failures = []
        for login in self.roles:
            self.authenticate(login, login)
            for model, rows in FIELDS.items():
                target = self.targets[model]
                for name, (kind, value) in rows.items():
                    if kind == FREE or (kind in (BUREAU, SCOPED) and login == "vs_bureau"):
                        continue
                    forged = {name: self._forged(model, name, value)}
                    for context in FORGED_CONTEXTS:
                        before = self._snapshot(target, [name])
                        reply = self.rpc(model, "write", [target.id], forged, context=context)
                        if "error" not in reply or self._snapshot(target, [name]) != before:
                            failures.append(
                                f"{login}: {model}.write({forged}, context={context}) ({kind}) went through"
                            )
                        if model in self.create_vals and kind in (WORKFLOW, DERIVED):
                            reply = self.rpc(model, "create", [{**self.create_vals[model], **forged}], context=context)
                            if "error" not in reply:
                                failures.append(f"{login}: {model}.create(... {forged}) ({kind}) went through")
                        if model in self.create_vals and kind == WORKFLOW:
                            reply = self.rpc(model, "copy", [target.id], default=forged, context=context)
                            if "error" not in reply:
                                failures.append(f"{login}: {model}.copy(default={forged}) ({kind}) went through")
        self.assertFalse(failures, "\n".join(failures))
        self._assert_invariants()

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_controls_go_through(self):
        """What each role may do does go through: the refusals above are the
        forged fields', not a side effect of the values around them."""
        self.authenticate("vs_manager_a", "vs_manager_a")
        for model, vals in self.create_vals.items():
            reply = self.rpc(model, "create", [vals])
            self.assertNotIn("error", reply, f"{model}.create({vals}): {self._message(reply)}")
        reply = self.rpc(
            "helpdesk.ticket", "write", [self.ticket_a.id], {"rectification_measure": "Straighten the pole"}
        )
        self.assertNotIn("error", reply)

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.models")
    def test_import_of_a_closed_out_problem_is_refused(self):
        """`load` (the web client's import) cannot bring in a ledger already closed out."""
        self.authenticate("vs_head_a", "vs_head_a")
        for field in ("closeout_state", "date_closeout", "closeout_by_id/.id"):
            value = {"closeout_state": "closed", "date_closeout": "2026-01-01 00:00:00"}.get(field, str(self.head_a.id))
            reply = self.rpc(
                "helpdesk.ticket",
                "load",
                ["name", "description", "village_id/.id", field],
                [["Imported", "x", str(self.village_a1.id), value]],
            )
            result = reply.get("result") or {}
            self.assertFalse(result.get("ids"), f"import of {field} created {result}")
            self.assertTrue(result.get("messages"), f"import of {field}: no message")
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Imported")]))

    @mute_logger("odoo.http", "odoo.models")
    def test_inquiry_cannot_be_moved_to_another_station(self):
        """Finding 5: an activity with an inquiry rule cannot be made by hand,
        nor moved to another station's household."""
        self.authenticate("vs_manager_a", "vs_manager_a")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        reply = self.rpc(
            "mail.activity",
            "create",
            [
                {
                    "res_model_id": partner_model,
                    "res_id": self.household_a1.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "inquiry_rule_id": self.inquiry_rule.id,
                    "user_id": self.manager_a.id,
                }
            ],
        )
        self.assertRefused(reply)
        self.env["village.inquiry.rule"]._schedule_batch([(self.inquiry_rule, self.village_a1.id)])
        activity = self.env["mail.activity"].search(
            [("inquiry_rule_id", "=", self.inquiry_rule.id), ("res_id", "=", self.village_a1.id)]
        )
        self.assertEqual(len(activity), 1)
        for vals in ({"res_id": self.village_b1.id}, {"res_model_id": partner_model, "res_id": self.household_b1.id}):
            self.assertRefused(self.rpc("mail.activity", "write", activity.ids, vals))
        self.assertEqual(activity.res_id, self.village_a1.id)

    @mute_logger("odoo.http", "odoo.models")
    def test_copies_start_the_workflow_again(self):
        """A copy (the web client's Duplicate) of a closed-out problem, an active
        agreement or a done meeting starts from the beginning of its workflow."""
        today = self.env["village.service.area"]._today()
        self.ticket_a.write({"rectification_measure": "m", "rectification_deadline": today})
        self.ticket_a.with_user(self.manager_a).action_rectify()
        self.ticket_a.with_user(self.head_a)._closeout(True)
        self.agreement_a.write({"date_signed": today, "village_signatory_id": self.household_a1.id})
        self.agreement_a.with_user(self.head_a).action_activate()
        self.meeting_a.with_user(self.manager_a).action_done()
        self.authenticate("vs_head_a", "vs_head_a")
        for record, field, start in (
            (self.ticket_a, "closeout_state", "open"),
            (self.agreement_a, "state", "draft"),
            (self.meeting_a, "state", "planned"),
        ):
            reply = self.rpc(record._name, "copy", record.ids)
            self.assertNotIn("error", reply, f"{record._name}: {self._message(reply)}")
            copy = record.browse(reply["result"])
            self.assertEqual(copy[field], start, record._name)
        copy = self.ticket_a.browse(self.rpc("helpdesk.ticket", "copy", self.ticket_a.ids)["result"])
        self.assertFalse(copy.stage_id.closed)
        self.assertFalse(copy.date_rectified or copy.rectified_by_id or copy.date_closeout or copy.closeout_by_id)

    @mute_logger("odoo.http", "odoo.models")
    def test_measure_checks_agree(self):
        """Finding 11: a measure of blanks with a deadline does not plan the
        problem (as the Plan button refuses it), and the measure of a
        rectified problem cannot be cleared."""
        self.authenticate("vs_manager_a", "vs_manager_a")
        deadline = fields.Date.to_string(self.env["village.service.area"]._today())
        reply = self.rpc(
            "helpdesk.ticket",
            "write",
            self.ticket_a.ids,
            {"rectification_measure": "   ", "rectification_deadline": deadline},
        )
        self.assertNotIn("error", reply)
        self.assertEqual(self._snapshot(self.ticket_a, ["closeout_state"])["closeout_state"], "open")
        self.assertRefused(self.rpc("helpdesk.ticket", "action_plan", self.ticket_a.ids))
        self.rpc("helpdesk.ticket", "write", self.ticket_a.ids, {"rectification_measure": "Straighten the pole"})
        self.assertEqual(self._snapshot(self.ticket_a, ["closeout_state"])["closeout_state"], "planned")
        self.assertNotIn("error", self.rpc("helpdesk.ticket", "action_rectify", self.ticket_a.ids))
        for cleared in (False, "  "):
            self.assertRefused(
                self.rpc("helpdesk.ticket", "write", self.ticket_a.ids, {"rectification_measure": cleared})
            )
        self.assertEqual(
            self._snapshot(self.ticket_a, ["rectification_measure"])["rectification_measure"], "Straighten the pole"
        )

    @mute_logger("odoo.http", "odoo.models")
    def test_planned_when_planned(self):
        """Finding 9: `date_planned` is the server's, never the client's, and a
        close-out record is in order (planned <= rectified <= closed out) in the
        database itself, the demo ledger included."""
        self.authenticate("vs_manager_a", "vs_manager_a")
        reply = self.rpc(
            "helpdesk.ticket",
            "write",
            self.ticket_a.ids,
            {
                "rectification_measure": "m",
                "rectification_deadline": "2099-01-01",
                "date_planned": "2020-01-01 00:00:00",
            },
        )
        self.assertRefused(reply)
        self.assertFalse(self._snapshot(self.ticket_a, ["date_planned"])["date_planned"])
        self.ticket_a.with_user(self.manager_a).write(
            {"rectification_measure": "m", "rectification_deadline": "2099-01-01"}
        )
        self.ticket_a.with_user(self.manager_a).action_rectify()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.ticket_a.sudo().write({"date_planned": self.ticket_a.date_rectified + timedelta(hours=1)})
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertFalse(
            self.env["helpdesk.ticket"].search_count([("date_closeout", "!=", False)])
            and self.env["helpdesk.ticket"]
            .search([("date_closeout", "!=", False)])
            .filtered(lambda t: t.date_planned > t.date_closeout),
            "problems planned after their close-out",
        )

    def _assert_invariants(self):
        """The global invariants, over every record of the test's stations."""
        env = self.env
        env.invalidate_all()
        allow_self = env["ir.config_parameter"].sudo().get_param("village_service.allow_self_closeout")
        for ticket in env["helpdesk.ticket"].search([("team_id.is_station", "=", True)]):
            label = f"{ticket.number} ({ticket.closeout_state})"
            if ticket.closeout_state == "closed":
                self.assertTrue((ticket.rectification_measure or "").strip(), label)
                self.assertTrue(ticket.rectified_by_id and ticket.date_rectified, label)
                self.assertTrue(ticket.closeout_by_id and ticket.date_closeout, label)
                self.assertTrue(ticket.stage_id.closed, label)
                if not allow_self:
                    self.assertNotEqual(ticket.closeout_by_id, ticket.rectified_by_id, label)
            if ticket.village_id.village_station_id:
                self.assertEqual(ticket.team_id, ticket.village_id.village_station_id, label)
        for model in ("village.meeting", "village.agreement", "crm.lead"):
            for record in env[model].search([("village_id.village_station_id", "!=", False)]):
                self.assertEqual(record.station_id, record.village_id.village_station_id, f"{model} {record.id}")
        for group in env["village.chat.group"].search([]):
            self.assertLessEqual(len(group.village_ids.village_station_id), 1, group.name)
        for agreement in env["village.agreement"].search([("state", "=", "active")]):
            self.assertTrue(
                agreement.date_signed and agreement.village_signatory_id and agreement.station_signatory_id,
                agreement.name,
            )


models_magic = {"create_uid", "create_date", "write_uid", "write_date", "id", "display_name"}


@tagged("post_install", "-at_install")
class TestPortalTeamChoice(HttpCase, VillageServiceCase):
    def test_portal_contact_cannot_file_into_another_station(self):
        """Finding 13: with helpdesk_mgmt's team choice on the portal, a village
        contact who picks another station's team still files the problem with
        their own village's station and account manager."""
        self.env.company.helpdesk_mgmt_portal_select_team = True
        (self.station_a | self.station_b).show_in_portal = True
        contact = self.env["res.partner"].create(
            {"name": "Test Villager A1", "email": "villager.a1@example.com", "village_parent_id": self.group_a1.id}
        )
        new_test_user(self.env, login="vs_portal_villager", groups="base.group_portal", partner_id=contact.id)
        self.authenticate("vs_portal_villager", "vs_portal_villager")
        form = self.url_open("/new/ticket", allow_redirects=False)
        self.assertEqual(form.status_code, 200)
        csrf = re.search(r'name="csrf_token"\s+(?:t-att-)?value="([^"]+)"', form.text).group(1)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": "Pole leaning at the A1 well",
                "description": "x",
                "team": self.station_b.id,
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Pole leaning at the A1 well")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            (ticket.village_id, ticket.team_id, ticket.user_id), (self.village_a1, self.station_a, self.manager_a)
        )


@tagged("post_install", "-at_install")
class TestAgreementFlagOfVillages(VillageRpcMixin, HttpCase, VillageServiceCase):
    @mute_logger("odoo.http", "odoo.models")
    def test_only_the_apps_users_learn_which_villages_signed(self):
        """Whether a village has an agreement in force is read with the reader's
        rights: a plain internal user (who reads every partner) learns nothing."""
        today = self.env["village.service.area"]._today()
        agreement = self.env["village.agreement"].create(
            {"village_id": self.village_a1.id, "date_signed": today, "village_signatory_id": self.household_a1.id}
        )
        agreement.with_user(self.head_a).action_activate()
        self.authenticate("vs_plain", "vs_plain")
        self.assertRefused(self.rpc("res.partner", "read", self.village_a1.ids, ["village_has_active_agreement"]))
        self.assertRefused(self.rpc("res.partner", "search", [("village_has_active_agreement", "=", True)]))
        self.authenticate("vs_head_a", "vs_head_a")
        reply = self.rpc("res.partner", "read", self.village_a1.ids, ["village_has_active_agreement"])
        self.assertTrue(reply["result"][0]["village_has_active_agreement"])
