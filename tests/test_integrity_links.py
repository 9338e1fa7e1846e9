"""A record's station is its village's (issue 15, finding 6), for WeChat
groups and power demands, whatever the client sends: create, write, copy,
import, a default in the context."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import VillageRpcMixin, VillageServiceCase

ROLES = ("vs_manager_a", "vs_head_a", "vs_bureau")


class LinksCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls.env["village.chat.group"].create(
            {
                "name": "Test Group A1",
                "village_ids": [Command.set(cls.village_a1.ids)],
                "manager_id": cls.manager_a.id,
                "member_count": 120,
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Test Orchard Pumps",
                "type": "opportunity",
                "village_id": cls.village_a1.id,
                "user_id": cls.manager_a.id,
                "power_demand_type": "irrigation",
                "power_demand_kw": 30.0,
            }
        )

    def assertInvariants(self):
        """Every group's villages are of its station; every demand's station is its village's."""
        self.env.invalidate_all()
        villages = self.village_a1 | self.village_a2 | self.village_b1
        for group in self.env["village.chat.group"].with_context(active_test=False).search([]):
            for village in group.village_ids:
                self.assertEqual(village.village_station_id, group.station_id, group.name)
            if not group.village_ids:
                self.assertFalse(group.station_id, group.name)
        for lead in self.env["crm.lead"].with_context(active_test=False).search([("village_id", "in", villages.ids)]):
            self.assertEqual(lead.station_id, lead.village_id.village_station_id, lead.name)
        for lead in self.env["crm.lead"].with_context(active_test=False).search([("village_id", "=", False)]):
            self.assertFalse(lead.station_id, lead.name)


@tagged("post_install", "-at_install")
class TestLinksIntegrityRpc(VillageRpcMixin, HttpCase, LinksCase):
    def test_demand_meeting_of_another_station_is_refused(self):
        meeting_b = self.env["village.meeting"].create({"village_id": self.village_b1.id})
        for login in ("vs_manager_a", "vs_head_a"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(self.rpc("crm.lead", "write", self.lead.ids, {"meeting_id": meeting_b.id}))
                self.assertRefused(
                    self.rpc(
                        "crm.lead",
                        "create",
                        {
                            "name": "Forged",
                            "type": "opportunity",
                            "village_id": self.village_a1.id,
                            "meeting_id": meeting_b.id,
                        },
                    )
                )
        self.lead.invalidate_recordset()
        self.assertFalse(self.lead.meeting_id)
        # the bureau re-links
        self.authenticate("vs_bureau", "vs_bureau")
        self.assertTrue(self.rpc("crm.lead", "write", self.lead.ids, {"meeting_id": meeting_b.id}).get("result"))
        self.assertInvariants()

    def test_chat_group_station_is_its_villages(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(
                    self.rpc(
                        "village.chat.group",
                        "create",
                        {
                            "name": "Forged",
                            "village_ids": [Command.set(self.village_a1.ids)],
                            "station_id": self.station_b.id,
                        },
                    ),
                    contains=self.station_b.name if login == "vs_bureau" else None,
                )
                self.assertRefused(
                    self.rpc(
                        "village.chat.group",
                        "create",
                        {"name": "Forged", "village_ids": [Command.set(self.village_a1.ids)]},
                        context={"default_station_id": self.station_b.id},
                    )
                )
                # without villages, no station to count it in
                self.assertRefused(
                    self.rpc("village.chat.group", "create", {"name": "Forged", "station_id": self.station_b.id})
                )
                self.assertRefused(
                    self.rpc("village.chat.group", "write", self.group.ids, {"station_id": self.station_b.id})
                )
                self.assertRefused(
                    self.rpc("village.chat.group", "copy", self.group.ids, default={"station_id": self.station_b.id})
                )
                reply = self.rpc(
                    "village.chat.group",
                    "load",
                    ["name", "village_ids/.id", "station_id/.id"],
                    [["Forged import", str(self.village_a1.id), str(self.station_b.id)]],
                )
                self.assertFalse(reply["result"]["ids"], reply["result"])
                self.assertTrue(reply["result"]["messages"])
        self.group.invalidate_recordset()
        self.assertEqual(self.group.station_id, self.station_a)
        self.assertInvariants()

    def test_chat_group_villages_of_one_station(self):
        # only the bureau reaches villages of two stations
        self.authenticate("vs_bureau", "vs_bureau")
        message = self.assertRefused(
            self.rpc(
                "village.chat.group",
                "create",
                {"name": "Two stations", "village_ids": [Command.set((self.village_a1 | self.village_b1).ids)]},
            )
        )
        self.assertIn(self.village_b1.name, message)
        self.assertRefused(
            self.rpc("village.chat.group", "write", self.group.ids, {"village_ids": [Command.link(self.village_b1.id)]})
        )
        # a group of one station's villages is fine, its station follows them
        reply = self.rpc(
            "village.chat.group",
            "write",
            self.group.ids,
            {"village_ids": [Command.set(self.village_b1.ids)]},
        )
        self.assertTrue(reply.get("result"), reply)
        self.group.invalidate_recordset()
        self.assertEqual(self.group.station_id, self.station_b)
        self.assertInvariants()

    def test_negative_member_count_is_refused(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(self.rpc("village.chat.group", "write", self.group.ids, {"member_count": -1}))
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'village_chat_group'::regclass AND contype = 'c'"
        )
        self.assertIn("village_chat_group_member_count_positive", {name for (name,) in self.env.cr.fetchall()})
        self.assertEqual(self.group.member_count, 120)

    def test_demand_station_is_its_village(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(self.rpc("crm.lead", "write", self.lead.ids, {"station_id": self.station_b.id}))
                self.assertRefused(self.rpc("crm.lead", "write", self.lead.ids, {"station_id": False}))
                self.assertRefused(
                    self.rpc(
                        "crm.lead",
                        "create",
                        {
                            "name": "Forged",
                            "type": "opportunity",
                            "village_id": self.village_a1.id,
                            "station_id": self.station_b.id,
                        },
                    )
                )
                # a default sent in the context is dropped: the station is the village's
                reply = self.rpc(
                    "crm.lead",
                    "create",
                    {"name": "Defaulted", "type": "opportunity", "village_id": self.village_a1.id},
                    context={"default_station_id": self.station_b.id},
                )
                self.assertEqual(self.env["crm.lead"].browse(reply["result"]).station_id, self.station_a)
                self.assertRefused(
                    self.rpc(
                        "crm.lead", "create", {"name": "Forged", "type": "opportunity", "station_id": self.station_b.id}
                    )
                )
                self.assertRefused(
                    self.rpc("crm.lead", "copy", self.lead.ids, default={"station_id": self.station_b.id})
                )
                reply = self.rpc(
                    "crm.lead",
                    "load",
                    ["name", "village_id/.id", "station_id/.id"],
                    [["Forged import", str(self.village_a1.id), str(self.station_b.id)]],
                )
                self.assertFalse(reply["result"]["ids"], reply["result"])
                self.assertTrue(reply["result"]["messages"])
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.station_id, self.station_a)
        # station B neither sees nor counts it
        self.assertFalse(self.env["crm.lead"].with_user(self.head_b).search([("id", "=", self.lead.id)]))
        self.assertInvariants()


@tagged("post_install", "-at_install")
class TestLinksVillageMoved(LinksCase):
    def test_village_moved_to_another_station(self):
        """A demand follows its village to the station that serves it now; a
        WeChat group keeps its station until its villages or station change,
        and the change must agree with the villages again."""
        group_a2 = self.env["village.chat.group"].create(
            {"name": "Test Group A", "village_ids": [Command.set((self.village_a1 | self.village_a2).ids)]}
        )
        self.village_a1.with_user(self.bureau_user).village_station_id = self.station_b
        self.assertEqual(self.lead.station_id, self.station_b)
        self.assertEqual(group_a2.station_id, self.station_a)
        group_a2.with_user(self.manager_a).member_count = 80
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            group_a2.with_user(self.bureau_user).station_id = self.station_b
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            group_a2.with_user(self.bureau_user).name = "Renamed"
            group_a2.with_user(self.bureau_user).station_id = self.station_a
        group_a2.with_user(self.bureau_user).village_ids = self.village_a2
        self.assertEqual(group_a2.station_id, self.station_a)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.lead.with_user(self.bureau_user).write({"station_id": self.station_a.id})
        # the first group follows once its villages are saved again
        self.group.with_user(self.bureau_user).village_ids = self.village_a1
        self.assertEqual(self.group.station_id, self.station_b)
        self.assertInvariants()
