"""Issue 21, "Data": the sample county `data/samples/villages_sample.csv`
has the columns the README names (*Name*, *Area Kind*, *Parent Area*,
*Power Supply Station*, *Account Manager*, *Households*), and imported by
the bureau with Odoo's import (`load` over JSON-RPC, the columns matched to
the fields by their labels as the import screen does) puts each village in
its station with its account manager: none lands in the coverage report's
"None" row."""

import csv
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import USER, VillageRpcMixin, VillageServiceCase

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "villages_sample.csv"
# the columns of the README's "Importing villages and households"
README_COLUMNS = ["Name", "Area Kind", "Parent Area", "Power Supply Station", "Account Manager", "Households"]


def read_sample():
    with SAMPLE.open(newline="", encoding="utf-8") as sample:
        rows = list(csv.reader(sample))
    return rows[0], rows[1:]


@tagged("post_install", "-at_install")
class TestVillagesSample(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.header, cls.rows = read_sample()
        # the stations and account managers the sample names: the demo
        # county's; made here when the database has no demo data
        station_col = cls.header.index("Power Supply Station") if "Power Supply Station" in cls.header else None
        manager_col = cls.header.index("Account Manager") if "Account Manager" in cls.header else None
        Team = cls.env["helpdesk.ticket.team"]
        Users = cls.env["res.users"].with_context(active_test=False)
        for row in cls.rows:
            station_name = row[station_col] if station_col is not None else ""
            manager_name = row[manager_col] if manager_col is not None else ""
            station = cls._station(station_name) if station_name else Team
            if manager_name and not Users.search([("name", "=", manager_name)], limit=1):
                login = "vs_sample_" + manager_name.lower().replace(" ", "_")
                manager = Users.create({"name": manager_name, "login": login, "group_ids": cls._groups(USER)})
                station.user_ids = [Command.link(manager.id)]

    @classmethod
    def _station(cls, complete_name):
        """The station of that full name ("Bureau / Station", as the import
        and an export name a station), made with its bureau when missing."""
        Team = cls.env["helpdesk.ticket.team"]
        station = Team.search([("complete_name", "=", complete_name)], limit=1)
        if not station:
            parent = Team
            for depth, name in enumerate(complete_name.split(" / ")):
                team = Team.search([("name", "=", name), ("parent_id", "=", parent.id)], limit=1)
                parent = team or Team.create({"name": name, "parent_id": parent.id, "is_station": depth > 0})
            station = parent
        return station

    @classmethod
    def _groups(cls, xmlids):
        return [Command.set([cls.env.ref(xmlid).id for xmlid in xmlids.split(",")])]

    def test_sample_has_the_readme_columns(self):
        self.assertEqual(self.header, README_COLUMNS)
        villages = [row for row in self.rows if row[1] in ("Village Committee", "Community / Street Office")]
        self.assertTrue(villages)
        for row in villages:
            self.assertTrue(row[3], f"{row[0]}: no station")
            self.assertTrue(row[4], f"{row[0]}: no account manager")
        # derived: never imported
        for label in ("Village", "Township"):
            self.assertNotIn(label, self.header)

    def test_bureau_imports_villages_into_their_station_and_manager(self):
        self.authenticate("vs_bureau", "vs_bureau")
        # the import screen's matching: a column is the field of that label
        reply = self.rpc("res.partner", "fields_get", [], ["string", "type", "readonly"])
        self.assertNotIn("error", reply, reply.get("error"))
        labels = {}
        for name, field in reply["result"].items():
            if not field.get("readonly"):
                labels.setdefault(field["string"], []).append(name)
        fields = []
        for column in self.header:
            self.assertEqual(len(labels.get(column, [])), 1, f"column {column!r}: {labels.get(column)}")
            fields.append(labels[column][0])
        self.assertNotIn("village_id", fields)
        self.assertNotIn("village_township_id", fields)

        reply = self.rpc("res.partner", "load", fields, self.rows)
        self.assertNotIn("error", reply, reply.get("error"))
        result = reply["result"]
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        self.assertEqual(len(result["ids"]), len(self.rows))

        col = {name: self.header.index(label) for name, label in zip(fields, self.header, strict=True)}
        Team = self.env["helpdesk.ticket.team"]
        Users = self.env["res.users"]
        partners = self.env["res.partner"].browse(result["ids"])
        expected = {}
        for partner, row in zip(partners, self.rows, strict=True):
            self.assertEqual(partner.name, row[col["name"]])
            if partner.village_kind not in ("village", "community"):
                continue
            station = Team.search([("complete_name", "=", row[col["village_station_id"]])])
            manager = Users.search([("name", "=", row[col["village_manager_id"]])])
            self.assertEqual(partner.village_station_id, station, partner.name)
            self.assertEqual(partner.village_manager_id, manager, partner.name)
            self.assertIn(manager, station.user_ids, f"{partner.name}: the manager works at the station")
            self.assertEqual(partner.village_township_id.name, "Changgang Town")
            expected[partner.id] = (station.id, manager.id)
        self.assertTrue(expected)

        # the coverage report, as the bureau reads it: each village under its station
        reply = self.rpc(
            "village.coverage.report",
            "search_read",
            [("village_id", "in", list(expected))],
            ["village_id", "station_id", "manager_id"],
        )
        self.assertNotIn("error", reply, reply.get("error"))
        report = {
            row["village_id"][0]: (
                row["station_id"] and row["station_id"][0],
                row["manager_id"] and row["manager_id"][0],
            )
            for row in reply["result"]
        }
        self.assertEqual(report, expected)
        reply = self.rpc(
            "village.coverage.report",
            "formatted_read_group",
            [("village_id", "in", list(expected))],
            ["station_id"],
            ["village_count:sum"],
        )
        self.assertNotIn("error", reply, reply.get("error"))
        groups = reply["result"]
        self.assertNotIn(False, [group["station_id"] for group in groups], "a village in the 'None' row")
        self.assertEqual(sum(group["village_count:sum"] for group in groups), len(expected))
