from odoo.tests import HttpCase, tagged

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestVillageTours(HttpCase, VillageServiceCase):
    def test_account_manager_opens_my_villages(self):
        self.start_tour("/odoo", "village_service_my_villages", login=self.manager_a.login)
