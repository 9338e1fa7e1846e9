"""Bad input through JSON-RPC on a running server: wrong types, unknown ids,
oversize text, HTML and script in names. Each gets an error the client can
show (HTTP 200, a JSON-RPC error naming the exception with a message; never
a 500 nor a database error) and leaves the data unchanged, or is stored as
text and shown escaped in reports and messages."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import VillageRpcMixin, VillageServiceCase

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
CLEAR_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "builtins.ValueError",
    "builtins.TypeError",
    "werkzeug.exceptions.NotFound",
}


@tagged("post_install", "-at_install")
class TestBadInputRpc(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Meter reading disputed", "description": "x", "partner_id": cls.household_a1.id}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Pumps for the orchard",
                "type": "opportunity",
                "village_id": cls.village_a1.id,
                "user_id": cls.manager_a.id,
                "power_demand_type": "irrigation",
                "power_demand_kw": 30.0,
            }
        )

    def _assert_clear_error(self, reply, *, contains=None):
        error = reply.get("error")
        self.assertTrue(error, f"expected an error, got {reply.get('result')!r}")
        data = error["data"]
        self.assertIn(data["name"], CLEAR_ERRORS, data.get("message"))
        self.assertTrue(data["message"].strip())
        self.assertNotIn("psycopg2", data["message"])
        if contains:
            self.assertIn(contains, data["message"])
        return data["message"]

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.service.model")
    def test_wrong_types_and_unknown_ids(self):
        self.authenticate("vs_manager_a", "vs_manager_a")
        # a string for a number, a dict for a Many2one
        self._assert_clear_error(self.rpc("crm.lead", "write", self.lead.ids, {"power_demand_kw": "lots"}))
        # anything but an id for a link: the ORM would store an empty link,
        # silently clearing the village; refused with the field's name instead
        for value in ({"id": self.village_a2.id}, {"name": "New village"}, str(self.village_a2.id), [1], 1.5, True):
            message = self._assert_clear_error(
                self.rpc("helpdesk.ticket", "write", self.ticket.ids, {"village_id": value}), contains="Village"
            )
            self.assertIn("not the id of a record", message)
        self._assert_clear_error(
            self.rpc("crm.lead", "write", self.lead.ids, {"village_id": {"id": self.village_a1.id}}),
            contains="not the id of a record",
        )
        self._assert_clear_error(
            self.rpc("helpdesk.ticket", "create", [{"name": "Dict village", "village_id": {"id": 1}}]),
            contains="not the id of a record",
        )
        self._assert_clear_error(self.rpc("crm.lead", "write", self.lead.ids, {"power_demand_kw": -5}))
        self._assert_clear_error(
            self.rpc("helpdesk.ticket", "write", self.ticket.ids, {"rectification_deadline": "next tuesday"})
        )
        # unknown records, and links to unknown records
        self._assert_clear_error(self.rpc("helpdesk.ticket", "write", [987654321], {"name": "x"}))
        self._assert_clear_error(self.rpc("helpdesk.ticket", "action_rectify", [987654321]))
        self._assert_clear_error(
            self.rpc("helpdesk.ticket", "create", [{"name": "Ghost village", "village_id": 987654321}])
        )
        self._assert_clear_error(self.rpc("no.such.model", "search_read", []))
        # a ticket of another station: refused, not revealed
        self._assert_clear_error(self.rpc("helpdesk.ticket", "read", [self._ticket_b().id], ["name"]))
        # nothing changed
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.power_demand_kw, 30.0)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.village_id, self.village_a1)
        self.assertEqual(self.lead.village_id, self.village_a1)
        self.assertFalse(self.ticket.rectification_deadline)
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "in", ("Ghost village", "Dict village"))]))
        # and the server still answers
        reply = self.rpc("helpdesk.ticket", "read", self.ticket.ids, ["closeout_state"])
        self.assertEqual(reply["result"][0]["closeout_state"], "open")

    def test_links_accept_records_and_pairs(self):
        # what Odoo's own code passes for a link besides an id: a record, an
        # (id, name) pair; the routing reads them as ids
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.manager_a)
            .create(
                {
                    "name": "Leaning pole",
                    "description": "x",
                    "village_id": self.village_a1,
                    "partner_id": (self.household_a1.id, self.household_a1.name),
                }
            )
        )
        self.assertEqual((ticket.village_id, ticket.partner_id), (self.village_a1, self.household_a1))
        self.assertEqual(ticket.team_id, self.station_a)
        ticket.write({"village_id": (self.village_a2.id, self.village_a2.name)})
        self.assertEqual(ticket.village_id, self.village_a2)

    def _ticket_b(self):
        return self.env["helpdesk.ticket"].create(
            {"name": "Low voltage in B1", "description": "x", "partner_id": self.household_b1.id}
        )

    @mute_logger("odoo.http")
    def test_oversize_measure_is_stored_whole(self):
        self.authenticate("vs_manager_a", "vs_manager_a")
        measure = "Replace the cable. " * 55_000  # ~1 MB
        reply = self.rpc(
            "helpdesk.ticket",
            "write",
            self.ticket.ids,
            {
                "rectification_measure": measure,
                "rectification_deadline": fields.Date.to_string(self.env["village.service.area"]._today()),
            },
        )
        self.assertTrue(reply.get("result"), reply.get("error"))
        reply = self.rpc("helpdesk.ticket", "action_rectify", self.ticket.ids)
        self.assertTrue(reply.get("result"), reply.get("error"))
        self.ticket.invalidate_recordset()
        self.assertEqual(len(self.ticket.rectification_measure), len(measure))
        self.assertEqual(self.ticket.closeout_state, "rectified")

    @mute_logger("odoo.http")
    def test_script_in_names_is_shown_escaped(self):
        self.authenticate("vs_bureau", "vs_bureau")
        reply = self.rpc(
            "res.partner",
            "create",
            [
                {
                    "name": f"Village {SCRIPT}",
                    "village_kind": "village",
                    "village_parent_id": self.township_a.id,
                    "village_station_id": self.station_a.id,
                    "village_manager_id": self.manager_a.id,
                }
            ],
        )
        [village_id] = reply["result"]
        reply = self.rpc(
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": f"Problem {SCRIPT}",
                    "description": f"<p>described {SCRIPT}</p>",
                    "village_id": village_id,
                    "rectification_measure": f"Measure {SCRIPT}",
                }
            ],
        )
        [ticket_id] = reply["result"]
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.name, f"Problem {SCRIPT}", "a name is plain text, stored as typed")
        self.assertEqual(ticket.team_id, self.station_a)
        self.assertNotIn("<script", ticket.description, "HTML fields are sanitized")

        # the weekly report shows the names escaped
        today = self.env["village.service.area"]._today()
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.head_a)
            ._render_qweb_html(
                "village_service.report_weekly_station",
                self.station_a.ids,
                data={
                    "date_from": fields.Date.to_string(today - timedelta(days=6)),
                    "date_to": fields.Date.to_string(today),
                },
            )
        )
        html = html.decode()
        self.assertIn(f"Problem {ESCAPED}", html)
        self.assertIn(f"Village {ESCAPED}", html)
        self.assertNotIn(SCRIPT, html)

        # and so does the chatter message of a revisit note
        ticket.with_user(self.manager_a).action_rectify()
        self.authenticate("vs_head_a", "vs_head_a")
        reply = self.rpc(
            "helpdesk.ticket.closeout",
            "create",
            [{"ticket_ids": [ticket_id], "satisfaction": "not_satisfied", "note": f"Said {SCRIPT}"}],
        )
        [wizard_id] = reply["result"]
        reply = self.rpc("helpdesk.ticket.closeout", "action_confirm", [wizard_id])
        self.assertNotIn("error", reply, reply.get("error"))
        message = ticket.message_ids.filtered(lambda m: "Revisit" in (m.body or ""))[:1]
        self.assertIn(ESCAPED, message.body)
        self.assertNotIn(SCRIPT, message.body)
        self.assertEqual(ticket.closeout_state, "planned")
