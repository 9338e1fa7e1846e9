from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestLayers(VillageServiceCase):
    """Access in create/write and rules, not in constraints; row rules in the database."""

    def test_a_village_of_another_station_is_an_access_error(self):
        Meeting = self.env["village.meeting"]
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Meeting.with_user(self.manager_a).create({"village_id": self.village_b1.id})
        meeting = Meeting.with_user(self.manager_a).create({"village_id": self.village_a1.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            meeting.with_user(self.head_a).write({"village_id": self.village_b1.id})
        # a demand without salesperson passes crm's salesman rule: refused all the same
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["crm.lead"].with_user(self.manager_a).create(
                {"name": "Forged", "village_id": self.village_b1.id, "user_id": False}
            )
        Group = self.env["village.chat.group"].with_user(self.manager_a)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Group.create({"name": "Group B1", "village_ids": [Command.set(self.village_b1.ids)]})
        self.assertFalse(self.env["village.chat.group"].search([("name", "=", "Group B1")]))

    def test_the_code_in_superuser_mode_is_not_checked_as_the_user(self):
        # a constraint ran the user's check on the code's own superuser writes too
        Meeting = self.env["village.meeting"].with_user(self.manager_a).sudo()
        meeting = Meeting.create({"village_id": self.village_b1.id})
        self.assertEqual(meeting.station_id, self.station_b)

    def test_terminating_is_refused_as_an_access_error(self):
        with self.assertRaises(AccessError):
            self.env["village.agreement"].with_user(self.manager_a)._terminate("no")

    def test_a_meeting_cannot_take_a_station_of_another_company(self):
        other = self.env["res.company"].create({"name": "Other Grid Company"})
        station = self.env["helpdesk.ticket.team"].create(
            {"name": "Station of another company", "is_station": True, "company_id": other.id}
        )
        self.village_b1.village_station_id = station
        self.bureau_user.company_ids |= other
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["village.meeting"].with_user(self.bureau_user).create(
                {"village_id": self.village_b1.id, "company_id": self.env.company.id}
            )
        self.assertFalse(self.env["village.meeting"].search([("village_id", "=", self.village_b1.id)]))

    def test_row_rules_are_checks_in_the_database(self):
        lead = self.env["crm.lead"].with_user(self.manager_a).create({"name": "Mill", "village_id": self.village_a1.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            lead.power_demand_kw = -5
            lead.flush_recordset()
        agreement = (
            self.env["village.agreement"]
            .with_user(self.head_a)
            .create({"village_id": self.village_a1.id, "date_start": "2026-03-01"})
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            agreement.date_end = "2026-02-01"
            agreement.flush_recordset()

    def test_set_null_links_are_indexed(self):
        for table, column in (("mail_activity", "inquiry_rule_id"), ("village_digest_run", "mail_id")):
            self.env.cr.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                (table, f"%({column})%"),
            )
            self.assertTrue(self.env.cr.fetchone(), f"{table}.{column}")
