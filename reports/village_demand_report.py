from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_lead import POWER_DEMAND_TYPES


class VillageDemandReport(models.Model):
    """Grid planning: one row per open or won power demand lead, with its
    township, village, station, demand type and month needed; summed in a
    pivot, planners see where load will appear and when. Lost leads do not
    count. The kW summed are those that load the grid, as on the headroom
    report: a demand that adds no load (a relocation) keeps its row with
    its requested kW beside, and a likely duplicate counts neither kW nor as
    a demand until it is confirmed as one of its own."""

    _name = "village.demand.report"
    _description = "Power Demand Analysis"
    _auto = False
    _depends = {
        "crm.lead": [
            "active",
            "won_status",
            "village_id",
            "township_id",
            "station_id",
            "user_id",
            "power_demand_type",
            "power_needed_by",
            "power_demand_kw",
            "power_demand_adds_load",
            "power_demand_duplicate_of_id",
        ],
        "res.partner": ["village_township_id", "village_station_id", "village_manager_id"],
    }
    _rec_name = "lead_id"
    _order = "month_needed, township_id, village_id, lead_id"

    lead_id = fields.Many2one("crm.lead", string="Demand", readonly=True)
    township_id = fields.Many2one("res.partner", string="Township", readonly=True)
    village_id = fields.Many2one("res.partner", string="Village", readonly=True)
    station_id = fields.Many2one("helpdesk.ticket.team", string="Power Supply Station", readonly=True)
    manager_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    power_demand_type = fields.Selection(POWER_DEMAND_TYPES, string="Demand Type", readonly=True)
    month_needed = fields.Date(string="Month Needed", readonly=True)
    power_needed_by = fields.Date(string="Needed By", readonly=True)
    won_status = fields.Selection(
        [("pending", "Open"), ("won", "Won")],
        string="Status",
        readonly=True,
    )
    power_demand_kw = fields.Float(
        string="Demand (kW)",
        digits=(16, 1),
        readonly=True,
        aggregator="sum",
        help="The kW that load the grid: none for a demand that adds no load or a likely duplicate.",
    )
    requested_kw = fields.Float(
        string="Requested (kW)",
        digits=(16, 1),
        readonly=True,
        aggregator="sum",
        help="The kW written on the demand, counted or not.",
    )
    adds_load = fields.Boolean(string="Adds Load", readonly=True)
    is_likely_duplicate = fields.Boolean(string="Likely Duplicate", readonly=True)
    demand_count = fields.Integer(
        string="Demands", readonly=True, aggregator="sum", help="Likely duplicates are not counted."
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS lead_id,
                   COALESCE(v.village_township_id, l.township_id) AS township_id,
                   l.village_id AS village_id,
                   COALESCE(v.village_station_id, l.station_id) AS station_id,
                   v.village_manager_id AS manager_id,
                   l.user_id AS user_id,
                   l.power_demand_type AS power_demand_type,
                   date_trunc('month', l.power_needed_by)::date AS month_needed,
                   l.power_needed_by AS power_needed_by,
                   l.won_status AS won_status,
                   -- crm.lead._village_counted_demand_domain(), lost leads excluded below
                   CASE WHEN l.power_demand_adds_load AND l.power_demand_duplicate_of_id IS NULL
                        THEN COALESCE(l.power_demand_kw, 0.0) ELSE 0.0 END AS power_demand_kw,
                   COALESCE(l.power_demand_kw, 0.0) AS requested_kw,
                   COALESCE(l.power_demand_adds_load, FALSE) AS adds_load,
                   l.power_demand_duplicate_of_id IS NOT NULL AS is_likely_duplicate,
                   CASE WHEN l.power_demand_duplicate_of_id IS NULL THEN 1 ELSE 0 END AS demand_count
              FROM crm_lead l
         LEFT JOIN res_partner v ON v.id = l.village_id
             WHERE l.active
               AND l.won_status IN ('pending', 'won')
               AND (l.village_id IS NOT NULL OR l.power_demand_type IS NOT NULL)
            """
        )
