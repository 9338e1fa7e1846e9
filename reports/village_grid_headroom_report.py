from odoo import fields, models
from odoo.tools import SQL


class VillageGridHeadroomReport(models.Model):
    """Headroom on the grid: one row per transformer area and month its open
    demand is needed by (one row, without a month, for an area without open
    demand). Each row carries the area's capacity (kVA × power factor), its
    measured peak, the demand of that month and the demand cumulated up to
    it, the loading (peak + cumulated demand) / capacity, and the month the
    area's loading crosses the threshold of Settings (80 % by default): the
    areas a planner acts on first. Counted: demands open or won, of a type
    that adds load, not a likely duplicate (until confirmed); a demand without
    a needed-by date counts from the month it was recorded.

    Rolled up (by feeder, station, township), capacity, peak and demand add
    up and the loading shown is that of the most loaded area (max)."""

    _name = "village.grid.headroom.report"
    _description = "Grid Headroom Analysis"
    _auto = False
    _rec_name = "area_id"
    _order = "month_crossing, area_id, month"
    _depends = {
        "crm.lead": [
            "active",
            "won_status",
            "transformer_area_id",
            "power_demand_kw",
            "power_needed_by",
            "power_demand_adds_load",
            "power_demand_duplicate_of_id",
        ],
        "village.transformer.area": [
            "active",
            "feeder_id",
            "substation_id",
            "station_id",
            "township_id",
            "manager_id",
            "capacity_kw",
            "peak_load_kw",
            "month_crossing",
        ],
    }

    area_id = fields.Many2one("village.transformer.area", string="Transformer Area", readonly=True)
    feeder_id = fields.Many2one("village.grid.feeder", string="Feeder", readonly=True)
    substation_id = fields.Many2one("village.grid.substation", string="Substation", readonly=True)
    station_id = fields.Many2one("helpdesk.ticket.team", string="Power Supply Station", readonly=True)
    township_id = fields.Many2one("res.partner", string="Township", readonly=True)
    manager_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    month = fields.Date(string="Month Needed", readonly=True)
    capacity_kw = fields.Float(string="Capacity (kW)", digits=(16, 1), readonly=True, aggregator="max")
    peak_load_kw = fields.Float(string="Peak Load (kW)", digits=(16, 1), readonly=True, aggregator="max")
    demand_kw = fields.Float(string="Demand of the Month (kW)", digits=(16, 1), readonly=True, aggregator="sum")
    cumulative_demand_kw = fields.Float(
        string="Cumulative Demand (kW)", digits=(16, 1), readonly=True, aggregator="max"
    )
    loading = fields.Float(
        string="Loading (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="max",
        help="(Measured peak + demand cumulated up to the month) / capacity; rolled up: the most loaded area.",
    )
    month_crossing = fields.Date(
        string="Month of Crossing",
        readonly=True,
        help="The month the area's loading reaches the threshold of Settings; empty if it does not.",
    )
    is_crossing = fields.Boolean(string="Crosses the Threshold", readonly=True)
    over_threshold = fields.Integer(
        string="Months over the Threshold", readonly=True, aggregator="sum", help="Rows at or over the threshold."
    )
    demand_count = fields.Integer(string="Demands", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        Area = self.env["village.transformer.area"]
        threshold = Area._loading_threshold()
        # One sort of the areas' months feeds both window passes: the demand
        # cumulated month by month, then (over the same partition, already in
        # order) the first month at or over the threshold. The station is a
        # partition column of both, so that a filter on it (a station head's
        # rule, a station's screen) is applied before the windows; so is the
        # month of crossing stored on the area (one value per area, so the
        # partitions are the same): the crossing areas' rows read only those
        # areas and their demands.
        return SQL(
            """
            WITH demand AS (
                -- crm.lead._village_counted_demand_domain(), active
                SELECT l.transformer_area_id AS area_id,
                       date_trunc('month', COALESCE(l.power_needed_by, l.create_date::date))::date AS month,
                       SUM(COALESCE(l.power_demand_kw, 0.0)) AS demand_kw,
                       COUNT(*) AS demand_count
                  FROM crm_lead l
                 WHERE l.transformer_area_id IS NOT NULL
                   AND l.active
                   AND (l.won_status IS NULL OR l.won_status != 'lost')
                   AND l.power_demand_adds_load
                   AND l.power_demand_duplicate_of_id IS NULL
              GROUP BY 1, 2
            )
            SELECT w.area_id::bigint * 100000
                       + COALESCE(EXTRACT(YEAR FROM w.month)::int * 12 + EXTRACT(MONTH FROM w.month)::int, 0) AS id,
                   w.area_id, w.feeder_id, w.substation_id, w.station_id, w.township_id, w.manager_id,
                   w.month, w.capacity_kw, w.peak_load_kw, w.demand_kw, w.demand_count,
                   w.cumulative_demand_kw,
                   COALESCE(w.loading, 0.0) AS loading,
                   -- stored on the area (village.transformer.area._compute_month_crossing)
                   w.month_crossing,
                   -- the area's first row at or over the threshold (its only row when it has no demand)
                   COALESCE(w.loading >= %(threshold)s AND w.month IS NOT DISTINCT FROM w.first_over, FALSE)
                       AS is_crossing,
                   CASE WHEN w.loading >= %(threshold)s THEN 1 ELSE 0 END AS over_threshold
              FROM (
                    SELECT c.*,
                           MIN(c.month) FILTER (WHERE c.loading >= %(threshold)s) OVER area AS first_over
                      FROM (
                            SELECT a.id AS area_id, a.feeder_id, a.substation_id, a.station_id, a.township_id,
                                   a.manager_id, a.month_crossing,
                                   COALESCE(a.capacity_kw, 0.0) AS capacity_kw,
                                   COALESCE(a.peak_load_kw, 0.0) AS peak_load_kw,
                                   d.month,
                                   COALESCE(d.demand_kw, 0.0) AS demand_kw,
                                   COALESCE(d.demand_count, 0) AS demand_count,
                                   SUM(COALESCE(d.demand_kw, 0.0)) OVER cumulated AS cumulative_demand_kw,
                                   (COALESCE(a.peak_load_kw, 0.0) + SUM(COALESCE(d.demand_kw, 0.0)) OVER cumulated)
                                       * 100.0 / NULLIF(a.capacity_kw, 0) AS loading
                              FROM village_transformer_area a
                         LEFT JOIN demand d ON d.area_id = a.id
                             WHERE a.active
                            WINDOW cumulated AS (PARTITION BY a.station_id, a.month_crossing, a.id ORDER BY d.month)
                           ) c
                    WINDOW area AS (PARTITION BY c.station_id, c.month_crossing, c.area_id)
                   ) w
            """,
            threshold=threshold,
        )
