from datetime import date, datetime

from .common import VillageServiceCase


class TestServiceArea(VillageServiceCase):
    """Every day of the addon starts at the service area's midnight
    (Settings, Asia/Shanghai by default), not at the reader's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("village_service.tz", "Asia/Shanghai")
        # the reader's own time zone must not move the day
        cls.manager_a.tz = "Europe/Paris"

    def test_late_evening_utc_is_next_day(self):
        Area = self.env["village.service.area"].with_user(self.manager_a)
        self.assertEqual(Area._tz(), "Asia/Shanghai")
        # a problem logged at 23:30 UTC is logged at 07:30 next morning in the area
        self.assertEqual(Area._local_day(datetime(2026, 3, 9, 23, 30)), date(2026, 3, 10))
        self.assertEqual(Area._local_day(datetime(2026, 3, 9, 15, 59)), date(2026, 3, 9))

    def test_day_start_is_local_midnight(self):
        Area = self.env["village.service.area"].with_user(self.manager_a)
        self.assertEqual(Area._day_start(date(2026, 3, 10)), datetime(2026, 3, 9, 16, 0))
        self.assertEqual(Area._local_day(Area._day_start(date(2026, 3, 10))), date(2026, 3, 10))
