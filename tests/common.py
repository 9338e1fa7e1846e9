"""Shared fixtures of the village_service tests: a bureau with two stations,
their staff in each role, and villages, groups and households in each
station. Kept out of `test_*` names so that no runner collects it twice."""

import json
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields, http
from odoo.tests.common import TransactionCase, new_test_user

USER = "base.group_user,village_service.group_village_user"
STATION = "base.group_user,village_service.group_village_station"
MANAGER = "base.group_user,village_service.group_village_manager"


@contextmanager
def moment(env, when):
    """Freeze the clock, the transaction's NOW() (create_date) included."""
    when = fields.Datetime.to_datetime(when)
    with freeze_time(when), patch.object(env.cr, "now", lambda: when):
        yield


class VillageServiceCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, tz="Asia/Shanghai"))
        Team = cls.env["helpdesk.ticket.team"]
        Partner = cls.env["res.partner"]

        cls.bureau = Team.create({"name": "Test County Bureau"})
        cls.station_a = Team.create({"name": "Test Station A", "is_station": True, "parent_id": cls.bureau.id})
        cls.station_b = Team.create({"name": "Test Station B", "is_station": True, "parent_id": cls.bureau.id})

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, tz="Asia/Shanghai")

        cls.manager_a = user("vs_manager_a", USER)
        cls.manager_a2 = user("vs_manager_a2", USER)
        cls.manager_b = user("vs_manager_b", USER)
        cls.head_a = user("vs_head_a", STATION)
        cls.head_b = user("vs_head_b", STATION)
        cls.bureau_user = user("vs_bureau", MANAGER)
        cls.plain_user = user("vs_plain", "base.group_user")
        cls.station_a.write(
            {
                "user_id": cls.head_a.id,
                "user_ids": [Command.set((cls.head_a | cls.manager_a | cls.manager_a2).ids)],
            }
        )
        cls.station_b.write({"user_id": cls.head_b.id, "user_ids": [Command.set((cls.head_b | cls.manager_b).ids)]})

        cls.township_a = Partner.create({"name": "Test Town A", "village_kind": "township"})
        cls.township_b = Partner.create({"name": "Test Town B", "village_kind": "township"})
        cls.village_a1 = Partner.create(
            {
                "name": "Test Village A1",
                "village_kind": "village",
                "village_parent_id": cls.township_a.id,
                "village_station_id": cls.station_a.id,
                "village_manager_id": cls.manager_a.id,
            }
        )
        cls.village_a2 = Partner.create(
            {
                "name": "Test Community A2",
                "village_kind": "community",
                "village_parent_id": cls.township_a.id,
                "village_station_id": cls.station_a.id,
                "village_manager_id": cls.manager_a2.id,
            }
        )
        cls.village_b1 = Partner.create(
            {
                "name": "Test Village B1",
                "village_kind": "village",
                "village_parent_id": cls.township_b.id,
                "village_station_id": cls.station_b.id,
                "village_manager_id": cls.manager_b.id,
            }
        )
        cls.group_a1 = Partner.create(
            {"name": "Test Group A1-1", "village_kind": "group", "village_parent_id": cls.village_a1.id}
        )
        cls.household_a1 = Partner.create({"name": "Test Household A1-1-01", "village_parent_id": cls.group_a1.id})
        cls.household_b1 = Partner.create({"name": "Test Household B1-01", "village_parent_id": cls.village_b1.id})

    def _station_a_villages(self, prefix, managers):
        """Villages of station A in township A, one per manager of `managers`
        (a list or recordset of users, repeated as need be)."""
        return self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {n}",
                    "village_kind": "village",
                    "village_parent_id": self.township_a.id,
                    "village_station_id": self.station_a.id,
                    "village_manager_id": manager.id,
                }
                for n, manager in enumerate(managers)
            ]
        )

    def _inquiry(self, rule, partner, user, deadline, *, done=None, outcome=False):
        """An inquiry activity as a rule's job schedules it (open), or done on
        `done` (archived, as marking it done leaves it)."""
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": rule.activity_type_id.id,
                "inquiry_rule_id": rule.id,
                "user_id": user.id,
                "date_deadline": deadline,
                "village_inquiry_outcome": outcome,
            }
        )
        if done:
            activity.action_archive()
            activity.date_done = done
        return activity


# Errors a client can show: the request is refused with a message, never a 500.
REFUSALS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
}


class VillageRpcMixin:
    """JSON-RPC as the web client and any script send it, against the running
    test server (mix into an HttpCase; log in with `self.authenticate`)."""

    def rpc(self, model, method, *args, **kwargs):
        response = self.url_open(
            "/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
            timeout=60,
        )
        self.assertEqual(response.status_code, 200, f"{model}.{method}: HTTP {response.status_code}")
        return response.json()

    def report_download(self, url, report_type, context=None):
        """POST /report/download as the web client does: the report's URL
        (`/report/<converter>/<report>[/<ids>]?options=…`) and the user's
        context. For a PDF, `force_report_rendering`: in tests Odoo answers the
        HTML instead of running wkhtmltopdf unless asked."""
        context = {"lang": "en_US", "tz": "Asia/Shanghai", **(context or {})}
        if report_type == "qweb-pdf":
            context.setdefault("force_report_rendering", True)
        return self.url_open(
            "/report/download",
            data={
                "data": json.dumps([url, report_type]),
                "context": json.dumps(context),
                "csrf_token": http.Request.csrf_token(self),
            },
            timeout=180,
        )

    def assertRefused(self, reply, contains=None):
        """The call answered a clear error (UserError, ValidationError, AccessError...)."""
        error = reply.get("error")
        self.assertTrue(error, f"expected a refusal, got {reply.get('result')!r}")
        data = error["data"]
        self.assertIn(data["name"], REFUSALS, data.get("message"))
        if contains:
            self.assertIn(contains, data["message"])
        return data["message"]
