from odoo import fields, models
from odoo.tools import SQL

from ..models.helpdesk_ticket import CLOSEOUT_STATES


class VillageCloseoutReport(models.Model):
    """Close-out analysis: one row per problem, with 0/1 measures that add up
    in a pivot (stations × week by default)."""

    _name = "village.closeout.report"
    _description = "Close-out Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc"
    _depends = {
        "helpdesk.ticket": [
            "active",
            "create_date",
            "team_id",
            "village_id",
            "user_id",
            "channel_id",
            "category_id",
            "closeout_state",
            "rectification_deadline",
            "date_rectified",
            "date_closeout",
        ],
        "res.partner": ["village_township_id", "village_manager_id"],
    }

    ticket_id = fields.Many2one("helpdesk.ticket", string="Problem", readonly=True)
    date = fields.Date(string="Collected on", readonly=True)
    station_id = fields.Many2one("helpdesk.ticket.team", string="Power Supply Station", readonly=True)
    township_id = fields.Many2one("res.partner", string="Township", readonly=True)
    village_id = fields.Many2one("res.partner", string="Village", readonly=True)
    manager_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    channel_id = fields.Many2one("helpdesk.ticket.channel", string="Channel", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", string="Category", readonly=True)
    closeout_state = fields.Selection(CLOSEOUT_STATES, string="Close-out Status", readonly=True)
    rectification_deadline = fields.Date(string="Rectification Deadline", readonly=True)
    collected = fields.Integer(readonly=True, aggregator="sum")
    planned = fields.Integer(readonly=True, aggregator="sum")
    rectified = fields.Integer(readonly=True, aggregator="sum")
    closed_out = fields.Integer(string="Closed Out", readonly=True, aggregator="sum")
    overdue = fields.Integer(readonly=True, aggregator="sum")
    days_to_closeout = fields.Float(string="Days to Close-out", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        tz = self.env["village.service.area"]._tz()
        Ticket = self.env["helpdesk.ticket"]
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   (t.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
                   t.team_id AS station_id,
                   v.village_township_id AS township_id,
                   t.village_id AS village_id,
                   v.village_manager_id AS manager_id,
                   t.user_id AS user_id,
                   t.channel_id AS channel_id,
                   t.category_id AS category_id,
                   t.closeout_state AS closeout_state,
                   t.rectification_deadline AS rectification_deadline,
                   1 AS collected,
                   (t.closeout_state <> 'open')::int AS planned,
                   (t.closeout_state IN ('rectified', 'closed'))::int AS rectified,
                   (t.closeout_state = 'closed')::int AS closed_out,
                   (%(overdue)s)::int AS overdue,
                   EXTRACT(EPOCH FROM t.date_closeout - t.create_date) / 86400.0 AS days_to_closeout
              FROM helpdesk_ticket t
         LEFT JOIN res_partner v ON v.id = t.village_id
             WHERE t.active
            """,
            tz=tz,
            overdue=Ticket._village_overdue_sql("t", self.env["village.service.area"]._today()),
        )
