"""Issue 20, item 2: the addon's read paths are replica-ready. Reports,
exports, the today screen, the dashboard, the analyses and the portal pages
of outage notices run on a read-only cursor (Odoo's readonly routes and
`@api.readonly` methods; on a deployment with `--db_replica_host` that cursor
is the replica's), as the user who reads them, and write nothing there: a
write on a readonly path would be refused by the read-only transaction and
the request served a second time on the primary. What writes (the
statistics' refresh, the wizards' records) stays on the primary.

`make test` runs with `--dev=replica` (tools/test.sh), and
tools/pytest_village.py fails any test whose request wrote on a readonly
path; here each path also records the cursor it ran on."""

import json
from datetime import timedelta
from urllib.parse import quote

from odoo.tests import HttpCase, tagged

from ..controllers.portal import VillageOutageNoticePortal
from .common import VillageRpcMixin
from .test_portal_outage_notices import PortalOutageCase

# model -> the methods the web client calls that only read: on the replica
READONLY = {
    "village.today": ["get_today"],
    "helpdesk.ticket.team": [
        "action_view_villages",
        "action_view_agreements",
        "action_open_ledger",
        "action_open_overdue",
        "action_view_areas_over_threshold",
    ],
    "res.partner": [
        "action_view_village_households",
        "action_view_village_agreements",
        "action_view_village_inquiries",
        "action_view_village_demands",
    ],
    "village.agreement.campaign": ["action_view_signed_per_day", "action_view_unsigned"],
    "village.agreement": ["action_view_renewals"],
    "village.chat.group": ["action_view_tickets"],
    "village.meeting": ["action_view_tickets", "action_view_leads"],
    "village.transformer.area": ["action_view_demands", "action_view_households"],
    "village.inquiry": ["action_open_household"],
    "village.inquiry.done": ["action_open"],
    "crm.lead": ["action_print_demand_xlsx"],
}
# those that write, or read a record saved the moment before (a wizard's
# print buttons: a replica may not have it yet): on the primary
PRIMARY = {
    "village.daily.stat": ["action_refresh_today", "action_open_daily_stats"],
    "village.weekly.report.wizard": ["action_print_pdf", "action_print_xlsx"],
    "village.inquiry": ["action_inquired"],
    "village.meeting": ["action_done", "action_open_done_wizard"],
}


class ReplicaPathsCase(VillageRpcMixin, HttpCase, PortalOutageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a1 = cls.env["helpdesk.ticket"].create(
            {"name": "Test: pole leaning in A1", "description": "x", "partner_id": cls.household_a1.id}
        )
        cls.lead_a1 = cls.env["crm.lead"].create(
            {"name": "Test: a mill in A1", "type": "opportunity", "village_id": cls.village_a1.id}
        )
        today = cls.env["village.service.area"]._today()
        cls.week = {
            "date_from": (today - timedelta(days=6)).isoformat(),
            "date_to": today.isoformat(),
        }
        cls.env.flush_all()

    def spy(self, target, method):
        """Each call of `target.method` (a model name or a class) records
        whether the cursor it ran on was read-only."""
        from odoo.http import request  # noqa: PLC0415

        cls = self.registry[target] if isinstance(target, str) else target
        original = getattr(cls, method)
        seen = []

        def wrapper(this, *args, **kwargs):
            env = this.env if hasattr(this, "env") else request.env
            seen.append(env.cr.readonly)
            return original(this, *args, **kwargs)

        self.patch(cls, method, wrapper)
        return seen

    def report_url(self, converter, report, data):
        options = quote(json.dumps(data))
        return f"/report/{converter}/{report}?options={options}&context={quote(json.dumps({'lang': 'en_US'}))}"


@tagged("post_install", "-at_install")
class TestReplicaPaths(ReplicaPathsCase):
    def test_inventory(self):
        """Every entry point is decided: the readonly ones declared so, those
        that write not (the web client's call_kw asks the method)."""
        for model, methods in READONLY.items():
            for method in methods:
                self.assertTrue(getattr(getattr(self.registry[model], method), "_readonly", False), (model, method))
        for model, methods in PRIMARY.items():
            for method in methods:
                self.assertFalse(getattr(getattr(self.registry[model], method), "_readonly", False), (model, method))

    def test_today_screen(self):
        seen = self.spy("village.today", "_today_problems")
        self.authenticate("vs_manager_a", "vs_manager_a")
        reply = self.rpc("village.today", "get_today")
        self.assertNotIn("error", reply, reply.get("error"))
        # the household of A1 to reach before the outage (tests/test_portal_outage_notices.py)
        self.assertLessEqual(set(self.reach_a1.ids), {line["id"] for line in reply["result"]["reach"]})
        self.assertEqual(seen, [True], "once, on the read-only cursor")

    def test_dashboard_and_analyses(self):
        seen = self.spy("helpdesk.ticket.team", "_compute_dashboard")
        self.authenticate("vs_head_a", "vs_head_a")
        reply = self.rpc(
            "helpdesk.ticket.team",
            "web_search_read",
            [("id", "=", self.station_a.id)],
            {"name": {}, "dash_week_collected": {}, "dash_overdue": {}},
        )
        self.assertEqual(reply["result"]["records"][0]["dash_week_collected"], 1)
        self.assertEqual(seen, [True])
        for model in ("village.closeout.report", "village.coverage.report", "village.demand.report"):
            seen = self.spy(model, "_read_group")
            reply = self.rpc(model, "formatted_read_group", [], ["station_id"], ["__count"])
            self.assertNotIn("error", reply, (model, reply.get("error")))
            self.assertTrue(seen and all(seen), model)
        # a smart button of the dashboard
        reply = self.rpc("helpdesk.ticket.team", "action_open_overdue", [self.station_a.id])
        self.assertEqual(reply["result"]["res_model"], "helpdesk.ticket")

    def test_reports_and_exports(self):
        self.authenticate("vs_head_a", "vs_head_a")
        data = dict(self.week, station_ids=self.station_a.ids)
        seen = self.spy("report.village_service.report_weekly_station", "_get_report_values")
        response = self.url_open(self.report_url("html", "village_service.report_weekly_station", data))
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("Test: pole leaning in A1", response.text)
        self.assertEqual(seen, [True])
        seen = self.spy("report.village_service.closeout_ledger_xlsx", "generate_xlsx_report")
        response = self.url_open(self.report_url("xlsx", "village_service.closeout_ledger_xlsx", data))
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(response.content.startswith(b"PK"), "an XLSX file")
        self.assertEqual(seen, [True])
        # the grid planner's workbook of demands, from the list's button
        self.authenticate("vs_manager_a", "vs_manager_a")
        action = self.rpc("crm.lead", "action_print_demand_xlsx", [self.lead_a1.id])["result"]
        seen = self.spy("report.village_service.demand_xlsx", "generate_xlsx_report")
        response = self.url_open(f"/report/xlsx/{action['report_name']}/{self.lead_a1.id}")
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(seen, [True])
        # the county's, as the bureau
        self.authenticate("vs_bureau", "vs_bureau")
        seen = self.spy("report.village_service.county_report_xlsx", "generate_xlsx_report")
        response = self.url_open(self.report_url("xlsx", "village_service.county_report_xlsx", self.week))
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(seen, [True])

    def test_portal_outage_notices(self):
        seen = self.spy(VillageOutageNoticePortal, "_outage_notice_row")
        self.authenticate("vs_portal_contact", "vs_portal_contact")
        response = self._get("/my/outage-notices")
        self.assertEqual(response.status_code, 200)
        self.assertIn("replacing the A1 feeder pole", response.text)
        response = self._get(f"/my/outage-notices/{self.notice_a1.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(seen and all(seen), seen)


@tagged("post_install", "-at_install")
class TestReplicaSimulation(ReplicaPathsCase):
    """The simulation can fail: a readonly path that writes is refused on the
    read-only cursor and served again on the primary (which
    tools/pytest_village.py turns into a failure; this class expects it)."""

    replica_writes_expected = True

    def test_a_write_on_a_readonly_path_is_refused(self):
        Today = self.registry["village.today"]
        original = Today._today_problems
        seen = []

        def writing(this, today):
            seen.append(this.env.cr.readonly)
            this.env["res.partner"].sudo().browse(this.env.user.partner_id.id).write({"comment": "written"})
            this.env.flush_all()
            return original(this, today)

        self.patch(Today, "_today_problems", writing)
        self.authenticate("vs_manager_a", "vs_manager_a")
        reply = self.rpc("village.today", "get_today")
        self.assertNotIn("error", reply, reply.get("error"))
        self.assertEqual(seen, [True, False], "refused on the read-only cursor, then served on the primary")
