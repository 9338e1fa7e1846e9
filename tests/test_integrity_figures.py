"""Issue 15, findings 3 and 8, and "one time zone" for the figures: over real
JSON-RPC, the station figures of `helpdesk.ticket.team` obey the reader's
record rules (another station's account manager, a plain internal user and a
portal user never get them), the daily statistics are read-only rows of the
service area's days, and a final row is never rewritten."""

from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase, moment

# helpdesk.ticket.team: the fields this addon adds that hold figures
FIGURE_FIELDS = [
    "village_count",
    "village_manager_ids",
    "chat_group_coverage",
    "agreement_count",
    "agreement_coverage",
    "dash_week_collected",
    "dash_week_rectified",
    "dash_week_closed_out",
    "dash_total_collected",
    "dash_total_rectified",
    "dash_total_closed_out",
    "dash_overdue",
    "dash_rectification_rate",
    "dash_week_meetings",
    "dash_inquiries_due",
    "dash_inquiries_overdue",
    "dash_demand_kw",
]
# the figures of station A in the fixture (see setUpClass), as its bureau reads them
FIGURES_A = {
    "village_count": 2,
    "dash_total_collected": 3,
    "dash_total_rectified": 1,
    "dash_overdue": 1,
    "dash_week_meetings": 1,
    "dash_demand_kw": 40.0,
}
MUTED = ("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.models")


@tagged("post_install", "-at_install")
class TestStationFiguresRpc(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["helpdesk.ticket"]
        today = cls.env["village.service.area"]._today()
        with moment(cls.env, fields.Datetime.now() - timedelta(days=10)):
            cls.tickets_a = Ticket.create(
                [
                    {
                        "name": f"Figures problem {n}",
                        "description": "x",
                        "partner_id": cls.household_a1.id,
                        "rectification_measure": "Replace the meter box",
                        # the second one is overdue
                        "rectification_deadline": today + timedelta(days=-2 if n == 1 else 3),
                    }
                    for n in range(3)
                ]
            )
        cls.tickets_a[0].with_user(cls.manager_a).action_rectify()
        monday = today - timedelta(days=today.weekday())
        cls.env["village.meeting"].create(
            {
                "kind": "courtyard",
                "village_id": cls.village_a1.id,
                "user_id": cls.manager_a.id,
                # this week, and not in the future
                "date": max(
                    cls.env["village.service.area"]._day_start(monday), fields.Datetime.now() - timedelta(hours=1)
                ),
                "attendee_count": 20,
                "minutes": "<p>Safe use of electricity.</p>",
            }
        ).with_user(cls.manager_a).action_done()
        cls.env["crm.lead"].create(
            {
                "name": "Cold store of the cooperative",
                "type": "opportunity",
                "village_id": cls.village_a1.id,
                "user_id": cls.manager_a.id,
                "power_demand_type": "irrigation",
                "power_demand_kw": 40.0,
            }
        )
        cls.env["village.chat.group"].create(
            {
                "name": "A1 service group",
                "village_ids": [Command.set(cls.village_a1.ids)],
                "manager_id": cls.manager_a.id,
            }
        )
        cls.portal_a1 = new_test_user(
            cls.env, login="vs_portal_figures", groups="base.group_portal", partner_id=cls.household_a1.id
        )
        cls.env.flush_all()

    def _read_figures(self, login):
        self.authenticate(login, login)
        return self.rpc("helpdesk.ticket.team", "read", self.station_a.ids, FIGURE_FIELDS)

    def _assert_no_figure(self, reply, login):
        """A refusal, or nothing but zeros: never station A's figures."""
        if reply.get("error"):
            self.assertRefused(reply)
            return
        values = reply["result"][0]
        leaked = {name: values[name] for name in FIGURE_FIELDS if values.get(name)}
        self.assertFalse(leaked, f"{login} reads station A's figures")

    def test_bureau_and_station_head_read_the_figures(self):
        for login in ("vs_bureau", "vs_head_a"):
            reply = self._read_figures(login)
            self.assertNotIn("error", reply, reply.get("error"))
            values = reply["result"][0]
            for name, expected in FIGURES_A.items():
                self.assertEqual(values[name], expected, f"{login}: {name}")
            self.assertEqual(values["chat_group_coverage"], 50.0, login)

    @mute_logger(*MUTED)
    def test_other_station_plain_user_and_portal_never_read_them(self):
        for login in ("vs_manager_b", "vs_plain", "vs_portal_figures"):
            self._assert_no_figure(self._read_figures(login), login)
            # the web client's way, for the kanban dashboard
            reply = self.rpc(
                "helpdesk.ticket.team",
                "web_search_read",
                [("id", "=", self.station_a.id)],
                {name: {} for name in FIGURE_FIELDS if name != "village_manager_ids"},
            )
            if reply.get("error"):
                self.assertRefused(reply)
            else:
                for record in reply["result"]["records"]:
                    leaked = {k: v for k, v in record.items() if k != "id" and v}
                    self.assertFalse(leaked, f"{login} reads station A's figures by web_search_read")

    @mute_logger(*MUTED)
    def test_plain_and_portal_users_are_refused_the_fields(self):
        """Who may not read the figures at all gets a refusal, not zeros."""
        for login in ("vs_plain", "vs_portal_figures"):
            self.authenticate(login, login)
            for name in ("dash_total_collected", "village_count", "agreement_coverage"):
                self.assertRefused(self.rpc("helpdesk.ticket.team", "read", self.station_a.ids, [name]))

    def test_figure_field_check_is_odoos_group_check(self):
        """The stations answer the figures' group check themselves (once per
        figure read, without parsing): the same answer as Odoo's has_groups()
        for every kind of user, for reading and for writing, and for the views
        (fields_get); the superuser passes."""
        Team = self.env["helpdesk.ticket.team"]
        users = self.bureau_user | self.head_a | self.manager_a | self.manager_b | self.plain_user | self.portal_a1
        figures = [Team._fields[name] for name in FIGURE_FIELDS]
        self.assertTrue(all(field.groups == "village_service.group_village_user" for field in figures))
        for user in users:
            stations = self.station_a.with_user(user)
            expected = user.has_groups("village_service.group_village_user")
            self.assertEqual(expected, user in (self.bureau_user | self.head_a | self.manager_a | self.manager_b))
            for field in figures:
                for operation in ("read", "write"):
                    self.assertEqual(stations._has_field_access(field, operation), expected, (user.login, field.name))
            if user.has_group("base.group_user"):  # fields_get: internal users (portal users get an AccessError)
                self.assertEqual(set(FIGURE_FIELDS) <= set(stations.fields_get(FIGURE_FIELDS)), expected, user.login)
        self.assertTrue(self.station_a.sudo()._has_field_access(figures[0], "read"))

    def test_account_manager_reads_what_their_rules_show(self):
        """Reader's rights, not sudo(): an account manager of station A counts
        the villages they manage, not their colleague's."""
        values = self._read_figures("vs_manager_a")["result"][0]
        self.assertEqual(values["village_count"], 1)  # A1, not A2 of manager_a2
        self.assertEqual(values["dash_total_collected"], 3)  # team tickets: their rules show them
        self.assertEqual(values["dash_demand_kw"], 40.0)

    def test_figures_are_per_reader_in_one_transaction(self):
        """The cached value of one reader is never served to another."""
        station = self.station_a
        self.assertEqual(station.with_user(self.bureau_user).dash_total_collected, 3)
        self.assertEqual(station.with_user(self.manager_b).dash_total_collected, 0)
        self.assertEqual(station.with_user(self.bureau_user).village_count, 2)
        self.assertEqual(station.with_user(self.manager_b).village_count, 0)


@tagged("post_install", "-at_install")
class TestDailyStatisticsRpc(VillageRpcMixin, HttpCase, VillageServiceCase):
    """Finding 8: the rows are the snapshot's, of the service area's days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with moment(cls.env, "2026-05-05 02:00:00"):  # 10:00 in Shanghai
            cls.tickets = cls.env["helpdesk.ticket"].create(
                [{"name": f"Stat problem {n}", "description": "x", "partner_id": cls.household_a1.id} for n in range(4)]
            )
        Stat = cls.env["village.daily.stat"]
        with moment(cls.env, "2026-05-05 16:30:00"):  # 00:30 on the 6th in Shanghai: the 5th is over
            Stat._snapshot(date(2026, 5, 5), cls.station_a | cls.station_b)
        cls.final = Stat.search([("station_id", "=", cls.station_a.id), ("date", "=", date(2026, 5, 5))])
        cls.bureau_user.tz = "Europe/Brussels"

    @mute_logger(*MUTED)
    def test_clients_cannot_write_create_or_delete_rows(self):
        for login in ("vs_bureau", "vs_head_a", "vs_manager_a"):
            self.authenticate(login, login)
            self.assertRefused(
                self.rpc("village.daily.stat", "write", self.final.ids, {"collected_total": 999, "overdue": 0})
            )
            self.assertRefused(
                self.rpc(
                    "village.daily.stat",
                    "create",
                    [{"station_id": self.station_a.id, "date": "2026-04-01", "collected_total": 999}],
                )
            )
            self.assertRefused(self.rpc("village.daily.stat", "unlink", self.final.ids))
            reply = self.rpc(
                "village.daily.stat",
                "load",
                ["station_id/.id", "date", "collected_total"],
                [[str(self.station_a.id), "2026-04-02", "999"]],
            )
            if reply.get("error"):
                self.assertRefused(reply)
            else:  # `load` reports its failures in its result
                self.assertFalse(reply["result"]["ids"], f"{login} imported a statistics row")
        self.final.invalidate_recordset()
        self.assertEqual((self.final.collected_total, self.final.overdue), (4, 0))

    def test_a_final_row_is_never_rewritten(self):
        """Written after its day ended: neither a refresh (whoever clicks,
        whatever their time zone), nor the job, nor a superuser write
        changes it."""
        self.tickets[:2].sudo().write({"active": False})
        Stat = self.env["village.daily.stat"]
        # 18:30 on the 5th in Brussels, 00:30 on the 6th in Shanghai
        with moment(self.env, "2026-05-05 16:30:00"):
            Stat.with_user(self.bureau_user).with_context(tz="Europe/Brussels").action_refresh_today()
        with moment(self.env, "2026-05-06 16:30:00"), self.enter_registry_test_mode():
            self.env.ref("village_service.ir_cron_village_daily_stat").method_direct_trigger()
        with self.assertRaises(UserError):
            self.final.write({"collected_total": 2})
        self.final.invalidate_recordset()
        self.assertEqual(self.final.collected_total, 4)
        # the refresh wrote the service area's today, the 6th
        sixth = Stat.search([("station_id", "=", self.station_a.id), ("date", "=", date(2026, 5, 6))])
        self.assertEqual(sixth.collected_total, 2)

    def test_today_filters_are_the_service_areas_days(self):
        """The list's Today / Yesterday filters count in Shanghai's days,
        not in the browser's (Brussels here)."""
        Stat = self.env["village.daily.stat"].with_user(self.bureau_user).with_context(tz="Europe/Brussels")
        with moment(self.env, "2026-05-05 16:30:00"):  # the 6th in Shanghai, the 5th in Brussels
            self.assertEqual(Stat.search([("station_id", "=", self.station_a.id), ("days_ago", "=", 1)]), self.final)
            self.assertFalse(Stat.search([("station_id", "=", self.station_a.id), ("days_ago", "=", 0)]))
            self.assertEqual(Stat.search([("station_id", "=", self.station_a.id), ("days_ago", "<", 7)]), self.final)


@tagged("post_install", "-at_install")
class TestDigestDays(VillageServiceCase):
    """One time zone for the digests: their days are the service area's,
    not UTC's nor the recipient's."""

    def _kpi(self, user, field, start, end):
        digest = self.env.ref("village_service.digest_digest_village_service")
        digest = digest.with_user(user).with_context(start_datetime=start, end_datetime=end, tz="Europe/Brussels")
        digest.invalidate_recordset([field])
        return digest[field]

    def test_inquiries_done_on_time_count_the_service_areas_days(self):
        rule = self.env.ref("village_service.inquiry_rule_committee")
        self._inquiry(rule, self.village_a1, self.manager_a, date(2026, 5, 4), done=date(2026, 5, 4))
        # done late: not counted
        self._inquiry(rule, self.village_a1, self.manager_a, date(2026, 5, 1), done=date(2026, 5, 4))
        # the digest sent at 07:30 on the 5th in Shanghai (23:30 UTC on the
        # 4th): its last 24 hours are the 4th in Shanghai, the 3rd-4th in UTC
        last_day = (datetime(2026, 5, 3, 23, 30), datetime(2026, 5, 4, 23, 30))
        field = "kpi_village_inquiries_on_time_value"
        self.assertEqual(self._kpi(self.bureau_user, field, *last_day), 1)
        # the day before: not yet
        day_before = (datetime(2026, 5, 2, 23, 30), datetime(2026, 5, 3, 23, 30))
        self.assertEqual(self._kpi(self.bureau_user, field, *day_before), 0)

    def test_work_list_day_is_the_service_areas(self):
        """The job's day at 23:30 UTC is already the next one in Shanghai,
        whatever the job user's time zone."""
        Run = self.env["village.digest.run"].with_context(tz="Europe/Brussels")
        Run.search([("kind", "=", "work_list")]).unlink()  # no period planned yet
        with moment(self.env, "2026-05-04 23:30:00"):
            self.assertEqual(Run._due_periods("work_list"), [(date(2026, 5, 5), date(2026, 5, 5))])
