"""Issue 21, a field day without friction: the XLSX ledger downloaded from
the browser is in the service area's calendar and calls overdue what the
ledger does; the default filters of the meetings and the ledger are narrowed
by the others (AND), not widened (OR); a new problem's title is not
"/ - False"; the coverage report's households count villages, not their
groups on top."""

import datetime
import io
import json
import types
from urllib.parse import quote

import openpyxl
import pytz
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import VillageRpcMixin, VillageServiceCase, moment

XLSX = "village_service.closeout_ledger_xlsx"


def filter_groups(arch):
    """{filter name: group number} as the web client's search arch parser
    makes the groups (web/static/src/search/search_arch_parser.js): filters
    of one group are OR-ed, groups are AND-ed; a separator, a field, a
    <group> or a switch between filters and group-bys starts a new group."""
    groups, number, kind = {}, 0, None

    def visit(node):
        nonlocal number, kind
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "separator":
                number, kind = number + 1, None
            elif child.tag == "field":
                number, kind = number + 1, "field"
            elif child.tag == "group":
                number, kind = number + 1, None
                visit(child)
                number, kind = number + 1, None
            elif child.tag == "filter":
                this = "groupBy" if "group_by" in (child.get("context") or "") else "filter"
                if this != kind:
                    number, kind = number + 1, this
                if child.get("name"):
                    groups[child.get("name")] = number

    visit(etree.fromstring(arch))
    return groups


class _ClientDatetime(datetime.datetime):
    """datetime as the web client's domain evaluator knows it (to_utc())."""

    tz = "Asia/Shanghai"

    def to_utc(self):
        local = pytz.timezone(self.tz).localize(datetime.datetime(*self.timetuple()[:6]))
        return local.astimezone(pytz.utc).replace(tzinfo=None)


def client_domain(domain, today, uid):
    """A filter's domain evaluated as the web client does on `today`."""
    return safe_eval(
        domain,
        {
            "context_today": lambda: today,
            "datetime": types.SimpleNamespace(datetime=_ClientDatetime, time=datetime.time),
            "relativedelta": relativedelta,
            "uid": uid,
        },
    )


@tagged("post_install", "-at_install")
class TestFieldDay(VillageRpcMixin, HttpCase, VillageServiceCase):
    # -- 1. the XLSX ledger as the browser downloads it -------------------

    def _download_xlsx(self, data):
        """POST /report/download as the web client sends a report with data
        (addons/web/static/src/webclient/actions/reports/utils.js), in a
        browser set to another time zone than the service area's."""
        options = quote(json.dumps(data))
        context = quote(json.dumps({"lang": "en_US", "tz": "Europe/Brussels"}))
        url = f"/report/xlsx/{XLSX}?options={options}&context={context}"
        response = self.report_download(url, "xlsx", {"tz": "Europe/Brussels"})
        self.assertEqual(response.status_code, 200, response.text[:500])
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def test_xlsx_dates_and_overdue_of_the_service_area(self):
        Ticket = self.env["helpdesk.ticket"]
        # 2026-12-02 06:06 in Beijing is 2026-12-01 22:06 UTC
        with moment(self.env, "2026-12-01 22:06:00"):
            early = Ticket.with_user(self.manager_a).create(
                {"name": "Logged at dawn", "description": "x", "partner_id": self.household_a1.id}
            )
            early.flush_recordset()
        with moment(self.env, "2026-11-28 02:00:00"):
            late = Ticket.with_user(self.manager_a).create(
                {"name": "Deadline passed", "description": "x", "partner_id": self.household_a1.id}
            )
            late.write({"rectification_measure": "Replace the pole", "rectification_deadline": "2026-12-01"})
            late.flush_recordset()
        with moment(self.env, "2026-12-02 04:00:00"):  # noon of 12-02 in Beijing
            # the dashboard's today is 12-02: a deadline of 12-03 is not overdue, 12-01 is
            early.write({"rectification_measure": "Tighten the line", "rectification_deadline": "2026-12-03"})
            self.env.flush_all()
            self.assertEqual(early.create_date, datetime.datetime(2026, 12, 1, 22, 6))
            self.assertEqual((early | late).mapped("is_overdue"), [False, True])

            self.authenticate("vs_head_a", "vs_head_a")
            book = self._download_xlsx(
                {"date_from": "2026-11-30", "date_to": "2026-12-06", "station_ids": self.station_a.ids}
            )
        rows = {row[1]: row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(set(rows), {"Logged at dawn", "Deadline passed"})
        # collected on: the Beijing day, not the UTC one
        self.assertEqual(rows["Logged at dawn"][2].date(), datetime.date(2026, 12, 2))
        self.assertEqual(rows["Deadline passed"][2].date(), datetime.date(2026, 11, 28))
        # overdue: as is_overdue says, not as of the end of the period
        self.assertFalse(rows["Logged at dawn"][12])
        self.assertEqual(rows["Deadline passed"][12], "Yes")

    # -- 2. filters that narrow --------------------------------------------

    def _search_arch(self, model):
        reply = self.rpc(model, "get_views", [[False, "search"]])
        return reply["result"]["views"]["search"]["arch"]

    def test_meeting_today_narrows_the_default_filter(self):
        action = self.env.ref("village_service.village_meeting_action")
        self.assertIn("search_default_upcoming_recent", action.context)
        self.authenticate("vs_manager_a", "vs_manager_a")
        arch = self._search_arch("village.meeting")
        groups = filter_groups(arch)
        self.assertNotEqual(groups["upcoming_recent"], groups["today"], "Today is OR-ed with the default filter")

        Meeting = self.env["village.meeting"].with_user(self.manager_a)
        today = datetime.date(2026, 12, 2)
        # 09:00 in Beijing today, three days ago, forty days ago
        dates = {"today": "2026-12-02 01:00:00", "recent": "2026-11-29 01:00:00", "old": "2026-10-23 01:00:00"}
        meetings = {key: Meeting.create({"village_id": self.village_a1.id, "date": at}) for key, at in dates.items()}
        nodes = {node.get("name"): node for node in etree.fromstring(arch).iter("filter")}
        default = client_domain(nodes["upcoming_recent"].get("domain"), today, self.manager_a.id)
        narrow = client_domain(nodes["today"].get("domain"), today, self.manager_a.id)
        ids = [m.id for m in meetings.values()]
        found = self.rpc("village.meeting", "search", [("id", "in", ids), *default, *narrow])["result"]
        self.assertEqual(found, meetings["today"].ids)
        found = self.rpc("village.meeting", "search", [("id", "in", ids), *default])["result"]
        self.assertEqual(set(found), {meetings["today"].id, meetings["recent"].id})

    def test_ledger_filters_narrow_not_closed_out(self):
        action = self.env.ref("village_service.helpdesk_ticket_action_ledger")
        self.assertIn("search_default_not_closed_out", action.context)
        self.authenticate("vs_head_a", "vs_head_a")
        arch = self._search_arch("helpdesk.ticket")
        groups = filter_groups(arch)
        for name in ("overdue", "due_this_week", "awaiting_closeout", "my_villages"):
            self.assertNotEqual(groups["not_closed_out"], groups[name], f"{name} is OR-ed with Not Closed Out")

        Ticket = self.env["helpdesk.ticket"]
        with moment(self.env, "2026-11-28 02:00:00"):
            tickets = Ticket.with_user(self.manager_a).create(
                [
                    {"name": name, "description": "x", "partner_id": self.household_a1.id}
                    for name in ("late", "on time", "rectified")
                ]
            )
            late, on_time, rectified = tickets
            late.write({"rectification_measure": "Pole", "rectification_deadline": "2026-12-01"})
            on_time.write({"rectification_measure": "Line", "rectification_deadline": "2026-12-09"})
            rectified.write({"rectification_measure": "Meter", "rectification_deadline": "2026-12-01"})
            self.env.flush_all()
        with moment(self.env, "2026-12-02 04:00:00"):
            rectified.with_user(self.head_a).action_rectify()
            self.env.flush_all()
            nodes = {node.get("name"): node for node in etree.fromstring(arch).iter("filter")}
            today = datetime.date(2026, 12, 2)

            def found(*names):
                domain = [("id", "in", tickets.ids)]
                for name in names:
                    domain += client_domain(nodes[name].get("domain"), today, self.head_a.id)
                return set(self.rpc("helpdesk.ticket", "search", domain)["result"])

            self.assertEqual(found("not_closed_out"), set(tickets.ids))
            self.assertEqual(found("not_closed_out", "overdue"), {late.id})
            self.assertEqual(found("not_closed_out", "awaiting_closeout"), {rectified.id})

    # -- 3. a new problem's title ----------------------------------------

    def test_new_problem_title(self):
        """The form of a new problem asks the server for its values
        (onchange with the display name): no "/ - False"."""
        self.authenticate("vs_manager_a", "vs_manager_a")
        spec = {"display_name": {}, "name": {}, "number": {}}
        reply = self.rpc("helpdesk.ticket", "onchange", [], {}, [], spec)
        self.assertNotIn("error", reply, reply.get("error"))
        title = reply["result"]["value"]["display_name"]
        self.assertEqual(title, "New Problem")
        # once titled, the title; once saved, the number and the title
        reply = self.rpc("helpdesk.ticket", "onchange", [], {"name": "Sagging line"}, ["name"], spec)
        self.assertEqual(reply["result"]["value"]["display_name"], "Sagging line")
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.manager_a)
            .create({"name": "Sagging line", "description": "x", "partner_id": self.household_a1.id})
        )
        self.assertEqual(ticket.display_name, f"{ticket.number} - Sagging line")

    # -- 4. households count households, not groups on top -------------------

    def test_coverage_households_do_not_add_village_groups(self):
        """A village of 300 households with a group of 120 of them: the
        station's and the village's households are 300, not 420."""
        self.village_a1.sudo().village_household_count = 300
        self.group_a1.sudo().village_household_count = 120
        self.village_a2.sudo().village_household_count = 50
        self.env.flush_all()
        self.authenticate("vs_head_a", "vs_head_a")

        def households(domain, groupby):
            reply = self.rpc(
                "village.coverage.report", "formatted_read_group", domain, groupby, ["household_count:sum"]
            )
            self.assertNotIn("error", reply, reply.get("error"))
            return [group["household_count:sum"] for group in reply["result"]]

        self.assertEqual(households([("village_id", "=", self.village_a1.id)], []), [300])
        self.assertEqual(households([("station_id", "=", self.station_a.id)], ["station_id"]), [350])
