"""Issue 21, "Data": the daily statistics of today are current when opened
from the menu, without pressing *Refresh Today*. The menu runs a server
action that rewrites today's rows of the reader's stations, then shows the
list."""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import ConcurrencyError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase, moment


@tagged("post_install", "-at_install")
class TestDailyStatCurrent(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env["village.service.area"]._today()
        # an earlier snapshot of today (the job's, or a refresh): stale by the
        # time the next problem is logged
        cls.env["village.daily.stat"]._snapshot(cls.today, cls.station_a | cls.station_b)

    def _json(self, route, **params):
        response = self.url_open(route, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        self.assertEqual(response.status_code, 200, route)
        reply = response.json()
        self.assertNotIn("error", reply, reply.get("error"))
        return reply["result"]

    def _open_menu(self):
        """What the web client does on a click on the menu."""
        action_id = self.env.ref("village_service.village_daily_stat_menu").action.id
        action = self._json("/web/action/load", action_id=action_id)
        if action["type"] == "ir.actions.server":
            action = self._json("/web/action/run", action_id=action["id"])
        return action

    def _today_row(self, station):
        reply = self.rpc(
            "village.daily.stat",
            "search_read",
            [("station_id", "=", station.id), ("date", "=", str(self.today))],
            ["collected", "collected_total"],
        )
        self.assertNotIn("error", reply, reply.get("error"))
        self.assertEqual(len(reply["result"]), 1)
        return reply["result"][0]

    def test_menu_shows_current_figures_of_today(self):
        self.authenticate("vs_head_a", "vs_head_a")
        before = self._today_row(self.station_a)
        self.env["helpdesk.ticket"].with_user(self.head_a).create(
            {
                "name": "Leaning pole",
                "description": "<p>Pole leaning over the road</p>",
                "partner_id": self.household_a1.id,
            }
        )
        self.env.flush_all()
        self.assertEqual(self._today_row(self.station_a), before, "no refresh yet: the row is the snapshot's")

        action = self._open_menu()

        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "village.daily.stat")
        after = self._today_row(self.station_a)
        self.assertEqual(after["collected"], before["collected"] + 1)
        self.assertEqual(after["collected_total"], before["collected_total"] + 1)

    def test_menu_refreshes_only_the_readers_stations(self):
        """The head of station A opening the menu leaves station B's row alone."""
        self.env["helpdesk.ticket"].with_user(self.manager_b).create(
            {
                "name": "Meter box open",
                "description": "<p>Door broken</p>",
                "partner_id": self.household_b1.id,
            }
        )
        self.env.flush_all()
        Stat = self.env["village.daily.stat"]
        row_b = Stat.search([("station_id", "=", self.station_b.id), ("date", "=", self.today)])
        collected_b = row_b.collected
        self.authenticate("vs_head_a", "vs_head_a")
        self._open_menu()
        row_b.invalidate_recordset()
        self.assertEqual(row_b.collected, collected_b)
        # the bureau's menu makes every station current
        self.authenticate("vs_bureau", "vs_bureau")
        self._open_menu()
        row_b.invalidate_recordset()
        self.assertEqual(row_b.collected, collected_b + 1)

    def test_outsider_may_not_refresh(self):
        """A user outside the app (no read access to the statistics) refreshes nothing."""
        self.authenticate("vs_plain", "vs_plain")
        self.assertRefused(self.rpc("village.daily.stat", "action_open_daily_stats"))


@tagged("post_install", "-at_install")
class TestDailyStatFinal(VillageRpcMixin, HttpCase, VillageServiceCase):
    """Issue 16, point 6: a row says it is final with `is_final`. A row
    written during its day is not final and a refresh rewrites it; the row the
    nightly job writes once its day ended is final and keeps its figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with moment(cls.env, "2026-05-05 02:00:00"):  # 10:00 on the 5th in Shanghai
            cls.tickets = cls.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Final problem {n}",
                        "description": "<p>x</p>",
                        "partner_id": cls.household_a1.id,
                        "rectification_measure": "Fix it",
                        "rectification_deadline": date(2026, 5, 20),
                    }
                    for n in range(3)
                ]
            )
        with moment(cls.env, "2026-05-05 03:00:00"):
            cls.tickets[0].with_user(cls.manager_a).action_rectify()

    def _row(self, day):
        reply = self.rpc(
            "village.daily.stat",
            "search_read",
            [("station_id", "=", self.station_a.id), ("date", "=", str(day))],
            ["collected_total", "closed_out_total", "is_final"],
        )
        self.assertNotIn("error", reply, reply.get("error"))
        self.assertEqual(len(reply["result"]), 1, day)
        row = reply["result"][0]
        return row["collected_total"], row["closed_out_total"], row["is_final"]

    def _refresh(self):
        """The list's *Refresh Today* button, as the station head clicks it."""
        reply = self.rpc("village.daily.stat", "action_refresh_today", [])
        self.assertNotIn("error", reply, reply.get("error"))

    def _job(self):
        with self.enter_registry_test_mode():
            self.env.ref("village_service.ir_cron_village_daily_stat").method_direct_trigger()

    def test_row_of_the_day_is_rewritten_then_final(self):
        fifth, sixth = date(2026, 5, 5), date(2026, 5, 6)
        self.authenticate("vs_head_a", "vs_head_a")
        with moment(self.env, "2026-05-05 04:00:00"):  # 12:00 on the 5th
            self._refresh()
            self.assertEqual(self._row(fifth), (3, 0, False))
            self.env["helpdesk.ticket"].create(
                {"name": "Late problem", "description": "<p>x</p>", "partner_id": self.household_a1.id}
            )
            self.env.flush_all()
            self._refresh()
            self.assertEqual(self._row(fifth), (4, 0, False), "written during its day: rewritten")
        with moment(self.env, "2026-05-05 16:30:00"):  # 00:30 on the 6th: the 5th is over
            self._job()
            self.assertEqual(self._row(fifth), (4, 0, True), "the job's row of yesterday is final")
            self.assertEqual(self._row(sixth), (4, 0, False))
        with moment(self.env, "2026-05-06 03:00:00"):  # a problem of the 5th closed out on the 6th
            self.tickets[0].with_user(self.head_a)._closeout(True, "ok")
            self.env.flush_all()
            self._refresh()
            self.assertEqual(self._row(sixth), (4, 1, False))
        with moment(self.env, "2026-05-06 16:30:00"):  # 00:30 on the 7th: second run of the job
            self._job()
            self._refresh()
            self.assertEqual(self._row(fifth), (4, 0, True), "the final row keeps the figures of its day")
            self.assertEqual(self._row(sixth), (4, 1, True))
        final = self.env["village.daily.stat"].search([("station_id", "=", self.station_a.id), ("date", "=", fifth)])
        with self.assertRaises(UserError):
            final.write({"closed_out_total": 1})

    @mute_logger("odoo.sql_db")
    def test_two_writers_creating_one_row_is_a_retried_conflict(self):
        """A second writer creating the row another transaction just created
        (it read no row yet) hits the unique index: a ConcurrencyError, which
        the service layer retries, not an error shown to the station head."""
        Stat = self.env["village.daily.stat"]
        with moment(self.env, "2026-05-05 04:00:00"):
            Stat._snapshot(date(2026, 5, 5), self.station_a)
            with (
                patch.object(type(Stat), "search_fetch", lambda model, *args, **kwargs: model.browse()),
                self.assertRaises(ConcurrencyError),
                self.env.cr.savepoint(),
            ):
                Stat._snapshot(date(2026, 5, 5), self.station_a)
