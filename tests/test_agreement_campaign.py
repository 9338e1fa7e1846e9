from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase


@tagged("post_install", "-at_install")
class TestAgreementCampaign(VillageRpcMixin, HttpCase, VillageServiceCase):
    """A signing campaign: a target of agreements within a few days, the
    signatures of each day as a graph, the villages not yet signed by station
    and township; each station reads its own part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        for village in cls.village_a1 | cls.village_a2 | cls.village_b1:
            village.village_contact_id = Partner.create(
                {"name": f"Test Contact of {village.name}", "village_parent_id": village.id}
            )
        cls.start = date(2025, 3, 1)
        # station A signs its village on the first day, station B on the third;
        # community A2 is not signed yet
        for village, day in ((cls.village_a1, cls.start), (cls.village_b1, cls.start + timedelta(days=2))):
            agreement = cls.env["village.agreement"].create(
                {"village_id": village.id, "date_signed": day, "date_start": day}
            )
            agreement.with_user(cls.bureau_user).action_activate()
        # signed before the campaign: not counted
        cls.env["village.agreement"].create(
            {"village_id": cls.village_a2.id, "date_signed": date(2024, 1, 5), "date_start": date(2024, 1, 5)}
        )
        Campaign = cls.env["village.agreement.campaign"].with_user(cls.bureau_user)
        cls.campaign_a = Campaign.create(
            {
                "name": "Test Campaign A",
                "station_id": cls.station_a.id,
                "target_count": 2,
                "date_start": cls.start,
                "date_end": cls.start + timedelta(days=9),
            }
        )
        cls.campaign_b = Campaign.create(
            {
                "name": "Test Campaign B",
                "station_id": cls.station_b.id,
                "target_count": 1,
                "date_start": cls.start,
                "date_end": cls.start + timedelta(days=9),
            }
        )

    def test_progress_against_the_target(self):
        campaign = self.campaign_a.with_user(self.head_a)
        self.assertEqual(campaign.day_count, 10)
        self.assertEqual((campaign.signed_count, campaign.target_count, campaign.signed_rate), (1, 2, 50.0))
        self.assertEqual(campaign.unsigned_count, 1)
        self.assertEqual(self.campaign_b.with_user(self.head_b).signed_rate, 100.0)

    def test_the_graph_shows_every_day_of_the_campaign(self):
        campaign = self.campaign_a.with_user(self.head_a)
        per_day = campaign._signed_per_day()
        self.assertEqual([day for day, _count in per_day], [self.start + timedelta(days=n) for n in range(10)])
        self.assertEqual([count for _day, count in per_day], [1] + [0] * 9)
        # the graph the button opens: agreements grouped by their day of signature
        action = campaign.action_view_signed_per_day()
        self.assertEqual(action["res_model"], "village.agreement")
        self.assertEqual(action["context"]["group_by"], ["date_signed:day"])
        view_id = action["views"][0][0]
        arch = self.env["village.agreement"].with_user(self.head_a).get_views([(view_id, "graph")])
        self.assertIn('interval="day"', arch["views"]["graph"]["arch"])
        groups = (
            self.env["village.agreement"]
            .with_user(self.head_a)
            .formatted_read_group(action["domain"], ["date_signed:day"], ["__count"])
        )
        self.assertEqual([group["__count"] for group in groups], [1])

    def test_villages_not_yet_signed_by_station_and_township(self):
        action = self.campaign_a.with_user(self.head_a).action_view_unsigned()
        self.assertEqual(action["res_model"], "village.coverage.report")
        self.assertEqual(action["context"]["group_by"], ["station_id", "township_id"])
        rows = self.env["village.coverage.report"].with_user(self.head_a).search(action["domain"])
        self.assertEqual(rows.village_id, self.village_a2)
        groups = (
            self.env["village.coverage.report"]
            .with_user(self.bureau_user)
            ._read_group(
                [("agreement_covered", "=", 0), ("station_id", "in", (self.station_a | self.station_b).ids)],
                ["station_id", "township_id"],
                ["__count"],
            )
        )
        self.assertEqual(groups, [(self.station_a, self.township_a, 1)])

    def test_stations_see_their_campaigns_the_bureau_all(self):
        Campaign = self.env["village.agreement.campaign"]
        self.assertEqual(Campaign.with_user(self.head_a).search([("name", "like", "Test Campaign")]), self.campaign_a)
        self.assertEqual(
            Campaign.with_user(self.manager_b).search([("name", "like", "Test Campaign")]), self.campaign_b
        )
        self.assertEqual(
            Campaign.with_user(self.bureau_user).search([("name", "like", "Test Campaign")]),
            self.campaign_a | self.campaign_b,
        )
        with self.assertRaises(AccessError):
            self.campaign_b.with_user(self.head_a).read(["signed_count"])
        # a county-wide campaign: every station reads its own part of it
        county = Campaign.with_user(self.bureau_user).create(
            {
                "name": "Test County Campaign",
                "target_count": 3,
                "date_start": self.start,
                "date_end": self.start + timedelta(days=9),
            }
        )
        self.assertEqual(county.with_user(self.head_b).signed_count, 1)
        self.assertEqual(county.with_user(self.head_b).unsigned_count, 0)

    def test_only_the_bureau_plans_a_campaign(self):
        vals = {"name": "Test Campaign", "date_start": self.start, "date_end": self.start, "target_count": 1}
        for user in (self.head_a, self.manager_a):
            with self.assertRaises(AccessError):
                self.env["village.agreement.campaign"].with_user(user).create(vals)
            with self.assertRaises(AccessError):
                self.campaign_a.with_user(user).write({"target_count": 5})
        # over JSON-RPC too
        self.authenticate("vs_head_a", "vs_head_a")
        self.assertRefused(self.rpc("village.agreement.campaign", "write", [self.campaign_a.id], {"target_count": 5}))
        self.assertEqual(self.campaign_a.target_count, 2)

    @mute_logger("odoo.sql_db")
    def test_a_campaign_ends_after_it_starts(self):
        with self.assertRaises(IntegrityError):
            self.env["village.agreement.campaign"].with_user(self.bureau_user).create(
                {"name": "Test Backwards", "date_start": self.start, "date_end": self.start - timedelta(days=1)}
            )
