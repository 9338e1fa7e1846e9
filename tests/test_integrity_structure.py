"""Integrity of the service area (issue 15, finding 4 and the household count
of finding 10) and of the portal's reach, attacked over JSON-RPC as each role:
townships, villages' kind, parent, station, manager and archiving, and the
kinds and parents of all areas are the bureau's; account managers and station
heads edit what a field worker needs; the derived village and township are
set by nobody; a portal user of a village reads, and posts on, only their
own problems unless they are the village's appointed contact."""

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase

SNAPSHOT = (
    "name",
    "active",
    "village_kind",
    "village_parent_id",
    "village_id",
    "village_township_id",
    "village_station_id",
    "village_manager_id",
)


@tagged("post_install", "-at_install")
class TestIntegrityStructure(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crm_user = new_test_user(
            cls.env, login="vs_crm_plain", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.areas = (
            cls.township_a
            | cls.township_b
            | cls.village_a1
            | cls.village_a2
            | cls.village_b1
            | cls.group_a1
            | cls.household_a1
            | cls.household_b1
        )

    def _snapshot(self):
        self.env.invalidate_all()
        return {
            partner.id: {name: partner[name] for name in SNAPSHOT}
            for partner in self.areas.with_context(active_test=False)
        }

    def assertStructureHolds(self):
        """Every village under a township, its township stored right; groups
        and households in the village and township of their parent."""
        self.env.invalidate_all()
        Partner = self.env["res.partner"].with_context(active_test=False)
        for area in Partner.search([("village_kind", "!=", False)]):
            parent = area.village_parent_id
            if area.village_kind == "township":
                self.assertFalse(parent, area.name)
                self.assertEqual(area.village_township_id, area)
            elif area.village_kind in ("village", "community"):
                self.assertEqual(parent.village_kind, "township", area.name)
                self.assertEqual(area.village_township_id, parent, area.name)
                self.assertEqual(area.village_id, area)
            else:
                self.assertIn(parent.village_kind, ("village", "community"), area.name)
                self.assertEqual(area.village_id, parent)
                self.assertEqual(area.village_township_id, parent.village_township_id)
        for household in self.household_a1 | self.household_b1:
            self.assertEqual(household.village_id, household.village_parent_id.village_id)
            self.assertEqual(household.village_township_id, household.village_parent_id.village_township_id)

    def _attacks(self):
        """(label, model, method, args, kwargs) of structure edits nobody but the bureau may make."""
        township, village, group = self.township_a.id, self.village_a1.id, self.group_a1.id
        new_village = {
            "name": "Forged Village",
            "village_kind": "village",
            "village_parent_id": self.township_b.id,
            "village_station_id": self.station_b.id,
            "village_manager_id": self.manager_a.id,
        }
        return [
            ("rename township", "write", [[township], {"name": "Renamed Town"}], {}),
            (
                "township made a village of mine",
                "write",
                [[township], {"village_kind": "village", "village_manager_id": self.manager_a.id}],
                {},
            ),
            ("archive township", "action_archive", [[township]], {}),
            ("archive township by write", "write", [[township], {"active": False}], {}),
            ("village to another township", "write", [[village], {"village_parent_id": self.township_b.id}], {}),
            ("village out of its township", "write", [[village], {"village_parent_id": False}], {}),
            ("village to another station", "write", [[village], {"village_station_id": self.station_b.id}], {}),
            ("village to another manager", "write", [[village], {"village_manager_id": self.manager_a2.id}], {}),
            ("village made a community", "write", [[village], {"village_kind": "community"}], {}),
            ("archive own village", "action_archive", [[village]], {}),
            ("group to another village", "write", [[group], {"village_parent_id": self.village_a2.id}], {}),
            ("group made a village", "write", [[group], {"village_kind": "village"}], {}),
            (
                "township linked below my village",
                "write",
                [[village], {"village_child_ids": [Command.link(township)]}],
                {},
            ),
            (
                "group unlinked from my village",
                "write",
                [[village], {"village_child_ids": [Command.unlink(group)]}],
                {},
            ),
            ("areas below my village cleared", "write", [[village], {"village_child_ids": [Command.clear()]}], {}),
            (
                "another station's household linked below my village",
                "write",
                [[village], {"village_child_ids": [Command.link(self.household_b1.id)]}],
                {},
            ),
            (
                "another station's household linked as a member",
                "write",
                [[village], {"village_member_ids": [Command.link(self.household_b1.id)]}],
                {},
            ),
            (
                "my household made contact of another station's village",
                "write",
                [[self.household_a1.id], {"village_contact_village_ids": [Command.link(self.village_b1.id)]}],
                {},
            ),
            ("village of another station", "create", [new_village], {}),
            ("new township", "create", [{"name": "Forged Town", "village_kind": "township"}], {}),
            ("copy of a village", "copy", [[village]], {}),
            ("copy of a township", "copy", [[township]], {"default": {"name": "Forged Town Copy"}}),
            ("derived village forged", "write", [[self.household_a1.id], {"village_id": self.village_b1.id}], {}),
            ("derived township forged", "write", [[village], {"village_township_id": self.township_b.id}], {}),
        ]

    def _try_as(self, login):
        self.authenticate(login, login)
        accepted = []
        for label, method, args, kwargs in self._attacks():
            with self.subTest(login=login, attack=label), mute_logger("odoo.http"):
                reply = self.rpc("res.partner", method, *args, **kwargs)
                if "error" not in reply:
                    accepted.append(label)
        # a client-sent default_<field> makes no village either
        with mute_logger("odoo.http"):
            self.rpc(
                "res.partner",
                "create",
                [{"name": f"Forged By Defaults {login}"}],
                context={
                    "default_village_kind": "village",
                    "default_village_station_id": self.station_b.id,
                    "default_village_manager_id": self.manager_a.id,
                    "default_village_id": self.village_b1.id,
                },
            )
        made = self.env["res.partner"].search([("name", "=", f"Forged By Defaults {login}")])
        self.assertFalse(
            made.filtered(lambda p: p.village_kind or p.village_station_id or p.village_manager_id or p.village_id)
        )
        # import: a new village and a renamed township, refused with a message
        reply = self.rpc(
            "res.partner",
            "load",
            ["name", "village_kind", "village_parent_id/.id", "village_station_id/.id", "village_manager_id/.id"],
            [["Imported Village", "village", str(self.township_b.id), str(self.station_b.id), str(self.manager_a.id)]],
        )
        if not reply["result"]["messages"]:
            accepted.append("import of a village")
        reply = self.rpc("res.partner", "load", [".id", "name"], [[str(self.township_a.id), "Imported Town"]])
        if not reply["result"]["messages"]:
            accepted.append("import renaming a township")
        return accepted

    def test_structure_is_the_bureaus(self):
        before = self._snapshot()
        for login in ("vs_manager_a", "vs_head_a", "vs_plain", "vs_crm_plain"):
            self.assertEqual(self._try_as(login), [], f"{login}: structure edits accepted")
            self.assertEqual(self._snapshot(), before, f"{login}: the structure changed")
        forged = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("name", "in", ("Forged Village", "Forged Town", "Imported Village", "Forged Town Copy"))])
        )
        self.assertFalse(forged.filtered("village_kind"))
        self.assertFalse(
            self.env["res.partner"].search([("village_manager_id", "=", self.manager_a.id)]) - self.village_a1
        )
        self.assertStructureHolds()

        # the bureau keeps the structure, and what lies below follows
        self.authenticate("vs_bureau", "vs_bureau")
        self.assertNotIn("error", self.rpc("res.partner", "write", [self.township_b.id], {"name": "Town B2"}))
        reply = self.rpc(
            "res.partner",
            "write",
            [self.village_a1.id],
            {"village_parent_id": self.township_b.id, "village_manager_id": self.manager_a2.id},
        )
        self.assertNotIn("error", reply)
        self.env.invalidate_all()
        self.assertEqual(self.household_a1.village_township_id, self.township_b)
        # derived links are derived for the bureau too
        with mute_logger("odoo.http"):
            for vals in (
                {"village_member_ids": [Command.link(self.household_b1.id)]},
                {"village_contact_village_ids": [Command.link(self.village_b1.id)]},
                {"village_id": self.village_b1.id},
            ):
                self.assertRefused(self.rpc("res.partner", "write", [self.village_a1.id], vals))
        self.env.invalidate_all()
        self.assertEqual(self.household_b1.village_id, self.village_b1)
        self.assertFalse(self.village_b1.village_contact_id)
        self.assertStructureHolds()

    def test_field_workers_edit_their_villages_only(self):
        """A village's contact, households, phone, notes and care tags: the
        account manager's; a household goes below an area of theirs only."""
        tag = self.env.ref("village_service.care_tag_elderly_alone")
        self.authenticate("vs_manager_a", "vs_manager_a")
        village = self.village_a1
        reply = self.rpc(
            "res.partner",
            "write",
            [village.id],
            {
                "village_household_count": 321,
                "phone": "+86 139 0000 1111",
                "comment": "<p>committee meets on Mondays</p>",
                "village_contact_id": self.household_a1.id,
                # unchanged structure values pass (an exported file re-imported)
                "village_parent_id": self.township_a.id,
                "village_station_id": self.station_a.id,
                "village_kind": "village",
            },
        )
        self.assertNotIn("error", reply, reply.get("error"))
        reply = self.rpc(
            "res.partner",
            "create",
            [
                {
                    "name": "New Household A1",
                    "village_parent_id": self.group_a1.id,
                    "care_tag_ids": [Command.set(tag.ids)],
                }
            ],
        )
        self.assertNotIn("error", reply, reply.get("error"))
        new = self.env["res.partner"].browse(reply["result"])
        self.assertNotIn("error", self.rpc("res.partner", "write", new.ids, {"village_parent_id": village.id}))
        self.assertNotIn("error", self.rpc("res.partner", "action_archive", new.ids))
        with mute_logger("odoo.http"):
            # a household of mine moved to another station's village, a new one
            # created there, a contact of another station: refused
            self.assertRefused(
                self.rpc("res.partner", "write", [self.household_a1.id], {"village_parent_id": self.village_b1.id})
            )
            self.assertRefused(
                self.rpc(
                    "res.partner", "copy", [self.household_a1.id], default={"village_parent_id": self.village_b1.id}
                )
            )
            self.assertRefused(
                self.rpc("res.partner", "write", [village.id], {"village_contact_id": self.household_b1.id})
            )
            self.assertRefused(
                self.rpc("res.partner", "create", [{"name": "Forged B1", "village_parent_id": self.village_b1.id}])
            )
        self.env.invalidate_all()
        self.assertEqual(village.village_household_count, 321)
        self.assertEqual(village.village_contact_id, self.household_a1)
        self.assertEqual(self.household_a1.village_id, self.village_a1)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forged B1")]))
        self.assertEqual(self.village_b1.village_member_count, 1)
        self.assertStructureHolds()

    def test_household_count_is_never_negative(self):
        for login in ("vs_manager_a", "vs_bureau"):
            self.authenticate(login, login)
            with self.subTest(login=login), mute_logger("odoo.http", "odoo.sql_db"):
                message = self.assertRefused(
                    self.rpc("res.partner", "write", [self.village_a1.id], {"village_household_count": -5})
                )
                self.assertIn("cannot be negative", message)
                reply = self.rpc(
                    "res.partner",
                    "load",
                    [".id", "village_household_count"],
                    [[str(self.village_a1.id), "-1"]],
                )
                self.assertTrue(reply["result"]["messages"])
        self.env.invalidate_all()
        self.assertGreaterEqual(self.village_a1.village_household_count, 0)


@tagged("post_install", "-at_install")
class TestIntegrityPortalReach(VillageRpcMixin, HttpCase, VillageServiceCase):
    """The appointed contact of a village reads and posts on its problems;
    another portal user of the village only on their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.villager = Partner.create(
            {"name": "Test Villager A1", "email": "villager@example.com", "village_parent_id": cls.group_a1.id}
        )
        cls.contact = Partner.create({"name": "Test Contact A1", "email": "contact@example.com"})
        cls.village_a1.village_contact_id = cls.contact
        new_test_user(cls.env, login="vs_villager", groups="base.group_portal", partner_id=cls.villager.id)
        new_test_user(cls.env, login="vs_contact", groups="base.group_portal", partner_id=cls.contact.id)
        Ticket = cls.env["helpdesk.ticket"]
        cls.neighbours = Ticket.create(
            {"name": "Neighbour's meter", "description": "x", "partner_id": cls.household_a1.id}
        )
        cls.own = Ticket.create({"name": "My own meter", "description": "x", "partner_id": cls.villager.id})

    def _post(self, ticket, body):
        response = self.url_open(
            "/mail/message/post",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": ticket.id,
                    "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
                },
            },
        )
        return response.status_code == 200 and "error" not in response.json()

    def _posted(self, ticket, body):
        return bool(
            self.env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id), ("body", "ilike", body)]
            )
        )

    def test_villager_reads_and_posts_on_their_own_problems_only(self):
        self.assertEqual(self.neighbours.village_id, self.villager.village_id)
        self.authenticate("vs_villager", "vs_villager")
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/my/ticket/{self.neighbours.id}", allow_redirects=False).status_code, 404)
            self.assertNotIn(self.neighbours.name, self.url_open("/my/tickets").text)
            self.assertRefused(self.rpc("helpdesk.ticket", "read", [self.neighbours.id], ["name"]))
            self.assertFalse(self._post(self.neighbours, "villager on the neighbour"))
        self.assertFalse(self._posted(self.neighbours, "villager on the neighbour"))
        self.assertEqual(self.url_open(f"/my/ticket/{self.own.id}", allow_redirects=False).status_code, 200)
        self.assertTrue(self._post(self.own, "villager on their own"))
        self.assertTrue(self._posted(self.own, "villager on their own"))

        # the appointed contact of the village reads and posts on both
        self.authenticate("vs_contact", "vs_contact")
        for ticket in self.neighbours | self.own:
            self.assertEqual(self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False).status_code, 200)
            self.assertTrue(self._post(ticket, f"contact on {ticket.id}"))
            self.assertTrue(self._posted(ticket, f"contact on {ticket.id}"))
