from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestVillagePartner(VillageServiceCase):
    def test_hierarchy_computes_village_and_township(self):
        self.assertEqual(self.village_a1.village_id, self.village_a1)
        self.assertEqual(self.group_a1.village_id, self.village_a1)
        self.assertEqual(self.household_a1.village_id, self.village_a1)
        self.assertEqual(self.household_a1.village_township_id, self.township_a)
        self.assertFalse(self.township_a.village_id)
        self.assertEqual(self.township_a.village_township_id, self.township_a)

    def test_village_recomputes_when_the_chain_changes(self):
        # the group moves to another village: its households follow
        self.group_a1.village_parent_id = self.village_b1
        self.assertEqual(self.household_a1.village_id, self.village_b1)
        self.assertEqual(self.household_a1.village_township_id, self.township_b)
        # the village moves to another township: everything below follows
        self.village_b1.village_parent_id = self.township_a
        self.assertEqual(self.household_a1.village_township_id, self.township_a)

    def test_parent_must_be_of_a_higher_kind(self):
        Partner = self.env["res.partner"].with_user(self.bureau_user)
        cases = [
            ({"village_kind": "group", "village_parent_id": self.township_a.id}, "village group"),
            ({"village_kind": "village", "village_parent_id": self.village_a1.id}, "township"),
            ({"village_kind": "township", "village_parent_id": self.township_b.id}, "top"),
            ({"village_parent_id": self.township_a.id}, "household"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                Partner.create(dict(vals, name="Bad"))

    def test_household_cannot_be_its_own_village(self):
        with self.assertRaisesRegex(ValidationError, "its own parent"), self.env.cr.savepoint():
            self.household_a1.with_user(self.bureau_user).village_parent_id = self.household_a1
        self.household_a1.invalidate_recordset()
        self.assertEqual(self.household_a1.village_parent_id, self.group_a1)

    def test_a_village_cannot_lie_below_its_own_group(self):
        with self.assertRaises(ValidationError):
            self.village_a1.with_user(self.bureau_user).village_parent_id = self.group_a1

    def test_manager_reads_and_edits_own_villages_only(self):
        village = self.village_a1.with_user(self.manager_a)
        village.village_household_count = 321
        self.assertEqual(village.village_household_count, 321)
        self.household_a1.with_user(self.manager_a).phone = "+86 139 1111 2222"
        with self.assertRaises(AccessError):
            self.village_b1.with_user(self.manager_a).read(["name"])
        with self.assertRaises(AccessError):
            self.household_b1.with_user(self.manager_a).read(["name"])
        # a colleague's village of the same station is not theirs either
        with self.assertRaises(AccessError):
            self.village_a2.with_user(self.manager_a).read(["name"])
        found = (
            self.env["res.partner"].with_user(self.manager_a).search([("village_kind", "in", ("village", "community"))])
        )
        self.assertIn(self.village_a1, found)
        self.assertNotIn(self.village_b1, found)

    def test_station_head_sees_the_villages_of_the_station(self):
        found = (
            self.env["res.partner"].with_user(self.head_a).search([("village_kind", "in", ("village", "community"))])
        )
        self.assertIn(self.village_a1, found)
        self.assertIn(self.village_a2, found)
        self.assertNotIn(self.village_b1, found)
        with self.assertRaises(AccessError):
            self.village_b1.with_user(self.head_a).read(["name"])

    def test_bureau_manager_sees_every_village(self):
        found = (
            self.env["res.partner"]
            .with_user(self.bureau_user)
            .search([("village_kind", "in", ("village", "community"))])
        )
        self.assertGreaterEqual(found, self.village_a1 | self.village_a2 | self.village_b1)

    def test_chat_group_coverage(self):
        ChatGroup = self.env["village.chat.group"].with_user(self.manager_a)
        self.assertEqual(self.station_a.chat_group_coverage, 0.0)
        group = ChatGroup.create({"name": "A1 service group", "village_ids": [Command.set(self.village_a1.ids)]})
        self.assertEqual(group.station_id, self.station_a)
        self.station_a.invalidate_recordset(["chat_group_coverage"])
        self.assertEqual(self.station_a.village_count, 2)
        self.assertEqual(self.station_a.chat_group_coverage, 50.0)
        self.assertEqual(self.station_b.chat_group_coverage, 0.0)

        Report = self.env["village.coverage.report"].with_user(self.head_a)
        rows = Report.search([("station_id", "=", self.station_a.id)])
        self.assertEqual(sum(rows.mapped("village_count")), 2)
        self.assertEqual(sum(rows.mapped("chat_group_covered")), 1)
        # an archived group no longer covers its village
        group.active = False
        self.env.flush_all()
        self.station_a.invalidate_recordset(["chat_group_coverage"])
        self.assertEqual(self.station_a.chat_group_coverage, 0.0)
        Report.invalidate_model()
        rows = Report.search([("station_id", "=", self.station_a.id)])
        self.assertEqual(sum(rows.mapped("chat_group_covered")), 0)

    def test_chat_group_of_another_station_is_refused(self):
        other = self.env["village.chat.group"].create(
            {
                "name": "B1 group",
                "village_ids": [Command.set(self.village_b1.ids)],
                "manager_id": self.manager_b.id,
            }
        )
        with self.assertRaises(AccessError):
            other.with_user(self.manager_a).read(["name"])
        with self.assertRaises(AccessError):
            other.with_user(self.head_a).read(["name"])
        other.with_user(self.head_b).read(["name"])

    def test_negative_member_count_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["village.chat.group"].with_user(self.manager_a).create({"name": "Bad", "member_count": -3})
