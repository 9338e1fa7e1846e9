from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare

GRID_LOADING_THRESHOLD_PARAM = "village_service.grid_loading_threshold"
GRID_LOADING_THRESHOLD_DEFAULT = 80.0


class VillageTransformerArea(models.Model):
    """A transformer area (台区): the low-voltage area behind one distribution
    transformer, fed by a feeder, serving one or more villages. Its capacity
    (kVA × power factor) against the measured peak and the open demand of its
    households is the headroom a planner reads."""

    _name = "village.transformer.area"
    _description = "Transformer Area"
    _inherit = ["mail.thread", "mail.activity.mixin", "village.link.guard"]
    _order = "code, name, id"
    _rec_names_search = ["code", "name"]

    name = fields.Char(string="Transformer Area", required=True, tracking=True)
    code = fields.Char(
        string="Code", required=True, copy=False, tracking=True, help="The grid's own code, used to import by code."
    )
    feeder_id = fields.Many2one(
        "village.grid.feeder", string="Feeder", index="btree_not_null", tracking=True, ondelete="restrict"
    )
    substation_id = fields.Many2one(related="feeder_id.substation_id", string="Substation", store=True)
    village_ids = fields.Many2many(
        "res.partner",
        "village_transformer_area_village_rel",
        "area_id",
        "village_id",
        string="Villages Served",
        domain="[('village_kind', 'in', ('village', 'community'))]",
        help="The village committees or communities whose households this transformer supplies.",
    )
    # the station of its (first) village, else of its feeder
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        compute="_compute_station_id",
        store=True,
        index="btree_not_null",
    )
    township_id = fields.Many2one(
        "res.partner", string="Township", compute="_compute_station_id", store=True, index="btree_not_null"
    )
    company_id = fields.Many2one(related="station_id.company_id", string="Company", store=True)
    manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        compute="_compute_manager_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="The account manager of the area; by default the one of its village.",
    )
    capacity_kva = fields.Float(string="Capacity (kVA)", digits=(16, 1), tracking=True)
    power_factor = fields.Float(string="Power Factor", digits=(16, 2), default=0.9, tracking=True)
    capacity_kw = fields.Float(
        string="Capacity (kW)", digits=(16, 1), compute="_compute_capacity_kw", store=True, aggregator="sum"
    )
    peak_load_kw = fields.Float(string="Peak Load (kW)", digits=(16, 1), tracking=True)
    date_peak_measured = fields.Date(string="Peak Measured On", tracking=True)
    loading = fields.Float(
        string="Loading (%)",
        digits=(16, 1),
        compute="_compute_loading",
        store=True,
        aggregator="max",
        help="Measured peak load over capacity (kVA × power factor).",
    )
    lead_ids = fields.One2many("crm.lead", "transformer_area_id", string="Demands")
    open_demand_kw = fields.Float(
        string="Open Demand (kW)",
        digits=(16, 1),
        compute="_compute_headroom",
        help="Open demands on the area that add load, duplicates left out until confirmed.",
    )
    demand_loading = fields.Float(
        string="Loading with Demand (%)",
        digits=(16, 1),
        compute="_compute_headroom",
        help="Measured peak plus open demand, over capacity.",
    )
    headroom_kw = fields.Float(
        string="Headroom (kW)",
        digits=(16, 1),
        compute="_compute_headroom",
        help="Capacity left after the measured peak and the open demand.",
    )
    month_crossing = fields.Date(
        string="Month of Crossing",
        compute="_compute_month_crossing",
        store=True,
        index="btree_not_null",
        help="The month the area's loading (measured peak + open demand cumulated by month needed) reaches the "
        "threshold of Settings; for an area over it by its measured peak alone, the month the peak was measured. "
        "Empty if it does not cross.",
    )
    household_count = fields.Integer(string="Households", compute="_compute_household_count")
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a transformer area must be unique.")
    _capacity_positive = models.Constraint(
        "CHECK(capacity_kva >= 0 AND peak_load_kw >= 0)",
        "The capacity and the peak load of a transformer area cannot be negative.",
    )
    _power_factor_range = models.Constraint(
        "CHECK(power_factor > 0 AND power_factor <= 1)",
        "The power factor of a transformer area is above 0 and at most 1.",
    )

    @api.depends("name", "code")
    def _compute_display_name(self):
        for area in self:
            area.display_name = f"[{area.code}] {area.name}" if area.code else area.name

    @api.depends("village_ids.village_station_id", "village_ids.village_township_id", "feeder_id.station_id")
    def _compute_station_id(self):
        for area in self:
            village = area.village_ids.sorted("id")[:1]
            area.station_id = village.village_station_id or area.feeder_id.station_id
            area.township_id = village.village_township_id

    @api.depends("village_ids.village_manager_id")
    def _compute_manager_id(self):
        for area in self:
            if not area.manager_id or area.manager_id not in area.village_ids.village_manager_id:
                area.manager_id = area.village_ids.sorted("id")[:1].village_manager_id

    @api.depends("capacity_kva", "power_factor")
    def _compute_capacity_kw(self):
        for area in self:
            area.capacity_kw = area.capacity_kva * area.power_factor

    @api.depends("peak_load_kw", "capacity_kw")
    def _compute_loading(self):
        for area in self:
            area.loading = area.peak_load_kw / area.capacity_kw * 100 if area.capacity_kw else 0.0

    @api.depends("capacity_kw", "peak_load_kw")
    @api.depends_context("uid")
    def _compute_headroom(self):
        # the counted demands the reader may read: no figure shows what their rules hide
        demand = dict(
            self.env["crm.lead"]._read_group(
                [("transformer_area_id", "in", self.ids), *self.env["crm.lead"]._village_counted_demand_domain()],
                ["transformer_area_id"],
                ["power_demand_kw:sum"],
            )
        )
        for area in self:
            kw = demand.get(area._origin, 0.0) or 0.0
            area.open_demand_kw = kw
            area.headroom_kw = area.capacity_kw - area.peak_load_kw - kw
            area.demand_loading = (area.peak_load_kw + kw) / area.capacity_kw * 100 if area.capacity_kw else 0.0

    @api.depends(
        "active",
        "capacity_kw",
        "peak_load_kw",
        "date_peak_measured",
        "lead_ids.active",
        "lead_ids.power_demand_kw",
        "lead_ids.power_needed_by",
        "lead_ids.won_status",
        "lead_ids.power_demand_adds_load",
        "lead_ids.power_demand_duplicate_of_id",
    )
    def _compute_month_crossing(self):
        """Stored, so that the planner's list of the areas to act on is an
        indexed read, not the headroom report's windows over every demand
        (docs/benchmarks.md). Counted over every demand of the area, as the
        headroom report's rows are (the area is the planner's unit); the same
        arithmetic as the report's loading. Recomputed when a demand or the
        area changes, and for every area when the threshold does
        (ir.config_parameter)."""
        threshold = self._loading_threshold()
        months = defaultdict(list)
        area_ids = [area_id for area_id in self._ids if isinstance(area_id, int)]
        if area_ids:
            Lead = self.env["crm.lead"]
            Lead.flush_model(
                [
                    "transformer_area_id",
                    "active",
                    "won_status",
                    "power_demand_adds_load",
                    "power_demand_duplicate_of_id",
                    "power_needed_by",
                    "power_demand_kw",
                ]
            )
            for area_id, month, kw in self.env.execute_query(
                SQL(
                    """
                    -- crm.lead._village_counted_demand_domain(), active: as the headroom report
                    SELECT transformer_area_id,
                           date_trunc('month', COALESCE(power_needed_by, create_date::date))::date,
                           SUM(COALESCE(power_demand_kw, 0.0))
                      FROM crm_lead
                     WHERE transformer_area_id = ANY(%s)
                       AND active
                       AND (won_status IS NULL OR won_status != 'lost')
                       AND power_demand_adds_load
                       AND power_demand_duplicate_of_id IS NULL
                  GROUP BY 1, 2
                  ORDER BY 1, 2
                    """,
                    area_ids,
                )
            ):
                months[area_id].append((month, kw))
        this_month = self.env["village.service.area"]._today().replace(day=1)
        for area in self:
            demand = months.get(area._origin.id, [])
            capacity = area.capacity_kw
            crossing = False
            if area.active and capacity:
                # the report compares exact decimals in SQL: compare the floats as rounded
                if float_compare(area.peak_load_kw * 100.0 / capacity, threshold, precision_digits=6) >= 0:
                    measured = (area.date_peak_measured or this_month).replace(day=1)
                    crossing = min([measured, *(month for month, _kw in demand)])
                else:
                    cumulated = 0.0
                    for month, kw in demand:
                        cumulated += kw
                        loading = (area.peak_load_kw + cumulated) * 100.0 / capacity
                        if float_compare(loading, threshold, precision_digits=6) >= 0:
                            crossing = month
                            break
            area.month_crossing = crossing

    @api.model
    def _village_threshold_changed(self):
        """The threshold of Settings changed: every area's month of crossing
        is recomputed (one query for the demands of all of them)."""
        areas = self.sudo().with_context(active_test=False).search([])
        self.env.add_to_compute(self._fields["month_crossing"], areas)

    def _compute_household_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("transformer_area_id", "in", self.ids)], ["transformer_area_id"], ["__count"]
            )
        )
        for area in self:
            area.household_count = counts.get(area, 0)

    @api.model
    def _loading_threshold(self):
        """The loading (%) from which an area must be acted on (Settings)."""
        param = self.env["ir.config_parameter"].sudo().get_param(GRID_LOADING_THRESHOLD_PARAM)
        try:
            return float(param) if param else GRID_LOADING_THRESHOLD_DEFAULT
        except ValueError:
            return GRID_LOADING_THRESHOLD_DEFAULT

    @api.model
    def _village_own_areas_domain(self):
        """The areas a reader acts on: an account manager's own (theirs or of
        the villages they manage, as the headroom report's rule reads them),
        every area they may read for a station head or the bureau."""
        if self.env.user.has_group("village_service.group_village_station"):
            return []
        uid = self.env.uid
        return ["|", ("manager_id", "=", uid), ("village_ids.village_manager_id", "=", uid)]

    @api.model
    def _over_threshold_query(self, stations):
        """The query of the areas of `stations` whose loading now (measured
        peak + counted open demand, over capacity) is at or over the
        threshold of Settings, with this environment's rules on the areas and
        on the demands (no figure counts what the reader may not read); not
        the headroom report, a view over every demand of every month."""
        Lead = self.env["crm.lead"]
        demand = Lead._search(
            [
                ("station_id", "in", stations.ids),
                ("transformer_area_id", "!=", False),
                *Lead._village_counted_demand_domain(),
            ]
        )
        area_of_demand = Lead._field_to_sql(demand.table, "transformer_area_id", demand)
        demand.groupby = area_of_demand
        areas = self._search([("station_id", "in", stations.ids), *self._village_own_areas_domain()])
        areas.add_join(
            "LEFT JOIN",
            "demand",
            SQL(
                "(%s)",
                demand.select(
                    SQL("%s AS area_id", area_of_demand),
                    SQL("SUM(COALESCE(%s, 0)) AS kw", Lead._field_to_sql(demand.table, "power_demand_kw", demand)),
                ),
            ),
            SQL("%s = %s", SQL.identifier("demand", "area_id"), SQL.identifier(areas.table, "id")),
        )
        capacity = self._field_to_sql(areas.table, "capacity_kw", areas)
        areas.add_where(
            SQL(
                "%s > 0 AND (COALESCE(%s, 0) + COALESCE(%s, 0)) * 100 >= %s * %s",
                capacity,
                self._field_to_sql(areas.table, "peak_load_kw", areas),
                SQL.identifier("demand", "kw"),
                self._loading_threshold(),
                capacity,
            )
        )
        return areas

    @api.model
    def _over_threshold_counts(self, stations):
        """{station id: areas at or over the threshold now}: one grouped query
        for all `stations`."""
        if not stations:
            return {}
        query = self._over_threshold_query(stations)
        station = self._field_to_sql(query.table, "station_id", query)
        query.groupby = station
        return dict(self.env.execute_query(query.select(station, SQL("COUNT(*)"))))

    @api.model
    def _by_village(self, villages):
        """{village id: its transformer areas}, the areas this environment may read."""
        empty = self.browse()
        by_village = {}
        for area in self.search([("village_ids", "in", villages.ids)]) if villages else empty:
            for village in area.village_ids:
                by_village[village.id] = by_village.get(village.id, empty) | area
        return by_village

    @api.model
    def _assign_areas(self, records):
        """The transformer area of demands or problems: the household's when
        it serves the record's village, else the one the record has if it
        still does, else the village's area when it has only one."""
        Area = self.sudo()
        by_village = Area._by_village(records.village_id)
        for record in records:
            village_areas = by_village.get(record.village_id.id, Area)
            household_area = record.partner_id.sudo().transformer_area_id
            if household_area and household_area in village_areas:
                record.transformer_area_id = household_area
            elif record.transformer_area_id and record.transformer_area_id.sudo() in village_areas:
                continue
            else:
                record.transformer_area_id = village_areas if len(village_areas) == 1 else False

    @api.model
    def _check_serves_village(self, records):
        """A record's transformer area is one of its village's."""
        for record in records:
            area = record.transformer_area_id.sudo()
            if area and record.village_id not in area.village_ids:
                raise ValidationError(
                    self.env._(
                        "Transformer area %(area)s does not serve %(village)s, the village of %(record)s.",
                        area=area.display_name,
                        village=record.village_id.name or self.env._("no village"),
                        record=record.display_name,
                    )
                )

    @api.constrains("village_ids", "feeder_id")
    def _check_one_station(self):
        for area in self:
            stations = area.village_ids.village_station_id | area.feeder_id.station_id
            if len(stations) > 1:
                raise ValidationError(
                    self.env._(
                        "Transformer area %(area)s serves villages of, or hangs off a feeder of, several "
                        "stations (%(stations)s): an area belongs to one station.",
                        area=area.display_name,
                        stations=", ".join(stations.mapped("name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        return super(VillageTransformerArea, self._village_check_create(vals_list)).create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        return super().write(vals)

    @api.readonly
    def action_view_demands(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.crm_lead_action_demand")
        action["domain"] = [("transformer_area_id", "=", self.id)]
        action["context"] = {"default_transformer_area_id": self.id}
        return action

    @api.readonly
    def action_view_households(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.res_partner_action_household")
        action["domain"] = [("transformer_area_id", "=", self.id)]
        return action
