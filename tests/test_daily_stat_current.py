"""Issue 21, "Data": the daily statistics of today are current when opened
from the menu, without pressing *Refresh Today*. The menu runs a server
action that rewrites today's rows of the reader's stations, then shows the
list."""

from odoo.tests import HttpCase, tagged

from .common import VillageRpcMixin, VillageServiceCase


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
