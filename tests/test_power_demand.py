import io

from dateutil.relativedelta import relativedelta
from openpyxl import load_workbook
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestPowerDemand(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("village_service.large_demand_kw", "50")
        cls.today = fields.Date.context_today(cls.env.user)
        first = cls.today.replace(day=1)
        # months needed, all in the future: m1 and m2 within six months, m3 beyond
        cls.m1 = first + relativedelta(months=2)
        cls.m2 = first + relativedelta(months=4)
        cls.m3 = first + relativedelta(months=9)
        Lead = cls.env["crm.lead"]

        def demand(name, village, kind, kw, needed, *, user):
            return Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "village_id": village.id,
                    "power_demand_type": kind,
                    "power_demand_kw": kw,
                    "power_needed_by": needed,
                    "user_id": user.id,
                }
            )

        # village_a1 is managed by manager_a; this demand is followed by manager_a2
        cls.orchard = demand(
            "Orchard pumps",
            cls.village_a1,
            "irrigation",
            75,
            cls.m1 + relativedelta(days=5),
            user=cls.manager_a2,
        )
        cls.fish_pond = demand(
            "Fish pond", cls.village_a2, "farming", 25, cls.m1 + relativedelta(days=10), user=cls.manager_a2
        )
        cls.workshop = demand("Workshop", cls.village_a1, "new_connection", 40, cls.m2, user=cls.manager_a)
        cls.far_future = demand("School", cls.village_a1, "new_connection", 90, cls.m3, user=cls.manager_a)
        cls.pig_farm = demand("Pig farm", cls.village_b1, "capacity_increase", 120, cls.m1, user=cls.manager_b)
        cls.cold_store = demand("Cold store", cls.village_b1, "new_connection", 80, cls.m1, user=cls.manager_b)
        cls.plain_lead = Lead.create({"name": "Not a power demand", "type": "opportunity"})
        cls.won_stage = cls.env["crm.stage"].create({"name": "Test Connected", "is_won": True, "sequence": 99})
        cls.workshop.action_set_won()
        cls.cold_store.action_set_lost()
        cls.fixture = cls.orchard | cls.fish_pond | cls.workshop | cls.far_future | cls.pig_farm | cls.cold_store

    # defaults and constraints

    def test_village_station_and_township_default_from_the_partner(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.manager_a)
            .create({"name": "Pumps", "partner_id": self.household_a1.id, "power_demand_type": "irrigation"})
        )
        self.assertEqual(lead.village_id, self.village_a1)
        self.assertEqual(lead.station_id, self.station_a)
        self.assertEqual(lead.township_id, self.township_a)
        # the station follows when the village moves to another station
        self.village_a1.village_station_id = self.station_b
        self.assertEqual(lead.station_id, self.station_b)

    def test_quick_create_form_fills_the_village_from_the_household(self):
        form = Form(
            self.env["crm.lead"].with_user(self.manager_a).with_context(default_type="opportunity"),
            view="village_service.crm_lead_view_form_demand_quick_create",
        )
        form.name = "Rice mill"
        form.partner_id = self.household_a1
        self.assertEqual(form.village_id, self.village_a1)
        form.power_demand_type = "other"
        form.power_demand_kw = 22
        lead = form.save()
        self.assertEqual(
            (lead.village_id, lead.power_demand_type, lead.power_demand_kw), (self.village_a1, "other", 22)
        )

    def test_negative_kw_is_refused(self):
        lead = self.orchard.with_user(self.manager_a)
        # a CHECK of the database (its message reaches a client through RPC)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            lead.power_demand_kw = -5
            lead.flush_recordset()
        lead.invalidate_recordset()
        self.assertEqual(lead.power_demand_kw, 75)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            lead.create({"name": "Bad", "village_id": self.village_a1.id, "power_demand_kw": -1})
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Bad")]))

    def test_needed_by_before_creation_is_refused(self):
        lead = self.orchard.with_user(self.manager_a)
        before = lead.power_needed_by
        created = fields.Date.context_today(lead, timestamp=lead.create_date)
        with (
            self.assertRaisesRegex(ValidationError, "before the demand was recorded"),
            self.env.cr.savepoint(),
        ):
            lead.power_needed_by = created - relativedelta(days=1)
            lead.flush_recordset()
        lead.invalidate_recordset()
        self.assertEqual(lead.power_needed_by, before)
        # the day of creation itself is fine
        lead.power_needed_by = created
        self.assertEqual(lead.power_needed_by, created)

    # entry point: ticket -> lead wizard

    def test_ticket_to_lead_wizard_carries_village_and_demand(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Pig farm asks for more power",
                "description": "<p>The farm doubles its sows.</p>",
                "team_id": self.station_a.id,
                "partner_id": self.household_a1.id,
                "user_id": self.head_a.id,
            }
        )
        self.assertEqual(ticket.village_id, self.village_a1)
        Wizard = self.env["helpdesk.ticket.create.lead"].with_user(self.manager_a)
        form = Form(Wizard.with_context(active_id=ticket.id, active_model="helpdesk.ticket"))
        self.assertEqual(form.village_id, self.village_a1)
        form.power_demand_type = "capacity_increase"
        form.power_demand_kw = 63
        form.power_needed_by = self.m2
        wizard = form.save()
        action = wizard.action_helpdesk_ticket_to_lead()
        lead = self.env["crm.lead"].with_user(self.manager_a).browse(action["res_id"])
        self.assertEqual(lead.ticket_id, ticket)
        self.assertEqual(lead.village_id, self.village_a1)
        self.assertEqual(lead.station_id, self.station_a)
        self.assertEqual(lead.power_demand_type, "capacity_increase")
        self.assertEqual(lead.power_demand_kw, 63)
        self.assertEqual(lead.power_needed_by, self.m2)
        # the lead is the ticket's owner's, yet manager_a manages the village and sees it
        self.assertEqual(lead.user_id, self.head_a)
        self.assertIn(lead, ticket.with_user(self.manager_a).lead_ids)

    # grid-planning report

    def _report_figures(self, user):
        groups = (
            self.env["village.demand.report"]
            .with_user(user)
            ._read_group(
                [("lead_id", "in", self.fixture.ids)],
                ["township_id", "month_needed:month"],
                ["power_demand_kw:sum", "demand_count:sum"],
            )
        )
        return {(township, month): (kw, count) for township, month, kw, count in groups}

    def test_report_sums_kw_by_township_and_month_without_lost_leads(self):
        expected = {
            (self.township_a, self.m1): (100.0, 2),  # orchard 75 + fish pond 25
            (self.township_a, self.m2): (40.0, 1),  # workshop, won: counts
            (self.township_a, self.m3): (90.0, 1),
            (self.township_b, self.m1): (120.0, 1),  # pig farm; the lost cold store does not count
        }
        self.assertEqual(self._report_figures(self.bureau_user), expected)
        self.assertNotIn(self.plain_lead.id, self.env["village.demand.report"].search([]).lead_id.ids, "not a demand")

    def test_report_leaves_out_relocations_and_likely_duplicates(self):
        Lead = self.env["crm.lead"].with_user(self.manager_a)
        relocation, repeat = Lead.create(
            [
                {
                    "name": "Move the transformer",
                    "type": "opportunity",
                    "village_id": self.village_a1.id,
                    "power_demand_type": "relocation",
                    "power_demand_kw": 50,
                    "power_needed_by": self.m1,
                },
                {
                    "name": "Orchard pumps again",
                    "type": "opportunity",
                    "village_id": self.village_a1.id,
                    "power_demand_type": "irrigation",
                    "power_demand_kw": 75,
                    "power_needed_by": self.m1,
                },
            ]
        )
        self.assertEqual(repeat.power_demand_duplicate_of_id, self.orchard)
        leads = self.fixture | relocation | repeat
        groups = (
            self.env["village.demand.report"]
            .with_user(self.bureau_user)
            ._read_group(
                [("lead_id", "in", leads.ids)],
                ["township_id", "month_needed:month"],
                ["power_demand_kw:sum", "demand_count:sum", "requested_kw:sum"],
            )
        )
        figures = {(township, month): (kw, count, requested) for township, month, kw, count, requested in groups}
        # the relocation is a demand with no kW on the grid; the repeat is neither until confirmed
        self.assertEqual(figures[self.township_a, self.m1], (100.0, 3, 225.0))
        rows = self.env["village.demand.report"].with_user(self.bureau_user).search([("lead_id", "in", leads.ids)])
        self.assertEqual(rows.filtered("is_likely_duplicate").lead_id, repeat)
        self.assertEqual(rows.filtered(lambda row: not row.adds_load).lead_id, relocation)
        # the station dashboard's open demand is the same counted kW
        station = self.station_a.with_user(self.head_a)
        self.assertEqual(station.dash_demand_kw, 75 + 25 + 40 + 90)

        report = self.env.ref("village_service.village_demand_report_xlsx")
        content, _kind = self.env["ir.actions.report"].with_user(self.bureau_user)._render_xlsx(report.id, rows.ids, {})
        detail = load_workbook(io.BytesIO(content)).worksheets[0]
        reasons = {row[3]: (row[8], row[9], row[10]) for row in detail.iter_rows(min_row=2, values_only=True) if row[3]}
        self.assertEqual(reasons["Move the transformer"], (0, 50, "Adds no load"))
        self.assertEqual(reasons["Orchard pumps again"], (0, 75, "Likely duplicate"))
        self.assertEqual(reasons["Orchard pumps"], (75, 75, None))
        repeat.with_user(self.manager_a).action_confirm_not_duplicate()
        self.env.invalidate_all()
        self.assertEqual(station.dash_demand_kw, 75 + 25 + 40 + 90 + 75)

    def test_report_rows_follow_the_record_rules(self):
        figures = self._report_figures(self.head_b)
        self.assertEqual(figures, {(self.township_b, self.m1): (120.0, 1)})
        rows = self.env["village.demand.report"].with_user(self.manager_a).search([("lead_id", "in", self.fixture.ids)])
        self.assertEqual(rows.lead_id, self.orchard | self.workshop | self.far_future)

    def test_xlsx_export_reads_back(self):
        report = self.env.ref("village_service.village_demand_report_xlsx")
        content, kind = (
            self.env["ir.actions.report"].with_user(self.bureau_user)._render_xlsx(report.id, self.fixture.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        workbook = load_workbook(io.BytesIO(content))
        detail, by_month = workbook.worksheets
        rows = list(detail.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Township")
        names = {row[3] for row in rows[1:-1]}
        self.assertEqual(names, {"Orchard pumps", "Fish pond", "Workshop", "School", "Pig farm"})
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][8], 350)
        grid = list(by_month.iter_rows(values_only=True))
        months = list(grid[0])
        self.assertEqual(
            months[1:],
            [self.m1.strftime("%Y-%m"), self.m2.strftime("%Y-%m"), self.m3.strftime("%Y-%m"), "Total"],
        )
        by_township = {row[0]: row[1:] for row in grid[1:]}
        self.assertEqual(by_township["Test Town A"], (100, 40, 90, 230))
        self.assertEqual(by_township["Test Town B"], (120, 0, 0, 120))
        self.assertEqual(by_township["Total"], (220, 40, 90, 350))

    def test_print_from_the_demand_list(self):
        action = (self.orchard | self.pig_farm).with_user(self.manager_a).action_print_demand_xlsx()
        self.assertEqual(action["report_name"], "village_service.demand_xlsx")
        self.assertEqual(action["context"]["active_ids"], (self.orchard | self.pig_farm).ids)

    # large demands

    def test_large_demands_threshold_and_horizon(self):
        Lead = self.env["crm.lead"].with_user(self.bureau_user)
        large = Lead.search([("is_large_demand", "=", True), ("id", "in", self.fixture.ids)])
        # >= 50 kW and needed within six months; not the 90 kW school (9 months), not the lost cold store
        self.assertEqual(large, self.orchard | self.pig_farm)
        self.assertTrue(self.orchard.is_large_demand)
        self.assertFalse(self.far_future.is_large_demand)
        not_large = Lead.search([("is_large_demand", "=", False), ("id", "in", self.fixture.ids)])
        self.assertEqual(not_large, self.fish_pond | self.workshop | self.far_future)
        # the threshold is a setting (Settings are the administrator's)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.village_large_demand_kw, 50)
        settings.village_large_demand_kw = 100
        settings.execute()
        large = Lead.search([("is_large_demand", "=", True), ("id", "in", self.fixture.ids)])
        self.assertEqual(large, self.pig_farm)

    # record rules and the village smart button

    def test_manager_sees_the_demands_of_their_villages(self):
        visible = self.env["crm.lead"].with_user(self.manager_a).search([("id", "in", self.fixture.ids)])
        self.assertIn(self.orchard, visible, "village_a1 is managed by manager_a, the lead is manager_a2's")
        self.assertNotIn(self.pig_farm, visible, "village_b1 is not manager_a's")
        self.assertNotIn(self.fish_pond, visible, "village_a2 is manager_a2's")
        # a station head sees the demands of the villages of the station
        visible = self.env["crm.lead"].with_user(self.head_a).search([("id", "in", self.fixture.ids)])
        self.assertEqual(visible, self.orchard | self.fish_pond | self.workshop | self.far_future)
        # the bureau sees everything, including the lost demand
        visible = (
            self.env["crm.lead"]
            .with_user(self.bureau_user)
            .with_context(active_test=False)
            .search([("id", "in", self.fixture.ids)])
        )
        self.assertEqual(visible, self.fixture)

    def test_village_smart_button_counts_open_and_won_demands(self):
        village_a1 = self.village_a1.with_user(self.bureau_user)
        self.assertEqual(village_a1.village_demand_count, 3)
        self.assertEqual(village_a1.village_demand_kw, 205)
        village_b1 = self.village_b1.with_user(self.bureau_user)
        self.assertEqual((village_b1.village_demand_count, village_b1.village_demand_kw), (1, 120))
        action = village_a1.action_view_village_demands()
        leads = self.env["crm.lead"].with_user(self.bureau_user).search(action["domain"])
        self.assertEqual(leads, self.orchard | self.workshop | self.far_future)
