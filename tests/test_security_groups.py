from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestSecurityGroups(VillageServiceCase):
    def _menu_ids(self, user):
        return set(self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())

    def test_groups_are_implied_in_order(self):
        self.assertTrue(self.bureau_user.has_group("village_service.group_village_station"))
        self.assertTrue(self.bureau_user.has_group("village_service.group_village_user"))
        self.assertTrue(self.head_a.has_group("village_service.group_village_user"))
        self.assertFalse(self.head_a.has_group("village_service.group_village_manager"))
        self.assertFalse(self.manager_a.has_group("village_service.group_village_station"))

    def test_account_manager(self):
        root = self.env.ref("village_service.village_service_menu_root")
        config = self.env.ref("village_service.village_service_menu_config")
        menus = self._menu_ids(self.manager_a)
        self.assertIn(root.id, menus)
        self.assertNotIn(config.id, menus)
        tag = self.env.ref("village_service.care_tag_elderly_alone").with_user(self.manager_a)
        self.assertTrue(tag.name)
        with self.assertRaises(AccessError):
            tag.name = "Renamed"
        group = self.env["village.chat.group"].with_user(self.manager_a).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            group.unlink()

    def test_station_head(self):
        group = (
            self.env["village.chat.group"]
            .with_user(self.head_a)
            .create({"name": "Station A group", "village_ids": [Command.set(self.village_a2.ids)]})
        )
        self.assertEqual(group.station_id, self.station_a)
        group.unlink()
        with self.assertRaises(AccessError):
            self.env["village.care.tag"].with_user(self.head_a).create({"name": "New tag"})

    def test_bureau_manager(self):
        self.assertIn(
            self.env.ref("village_service.village_service_menu_config").id,
            self._menu_ids(self.bureau_user),
        )
        tag = self.env["village.care.tag"].with_user(self.bureau_user).create({"name": "Pregnant"})
        tag.unlink()

    def test_plain_internal_user_sees_no_village_menu(self):
        root = self.env.ref("village_service.village_service_menu_root")
        self.assertNotIn(root.id, self._menu_ids(self.plain_user))
        with self.assertRaises(AccessError):
            self.env["village.chat.group"].with_user(self.plain_user).search([])
