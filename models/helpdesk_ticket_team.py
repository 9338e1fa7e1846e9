from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# The station figures are for the village service's staff only, and each of
# them sees what their record rules let them see (see _compute_dashboard).
FIGURE_GROUPS = "village_service.group_village_user"


class HelpdeskTicketTeam(models.Model):
    """A power supply station is a helpdesk team; the bureau is their parent team."""

    _inherit = "helpdesk.ticket.team"

    is_station = fields.Boolean(string="Is a Power Supply Station", index=True, tracking=True)
    require_closeout = fields.Boolean(
        string="Require Close-out",
        compute="_compute_require_closeout",
        store=True,
        readonly=False,
        help="Tickets of this team reach a closed stage only by close-out (rectified, verified and struck off).",
    )
    village_ids = fields.One2many("res.partner", "village_station_id", string="Villages Served")
    village_count = fields.Integer(compute="_compute_village_stats", string="Villages", groups=FIGURE_GROUPS)
    village_manager_ids = fields.Many2many(
        "res.users", compute="_compute_village_stats", string="Account Managers", groups=FIGURE_GROUPS
    )
    chat_group_coverage = fields.Float(
        compute="_compute_village_stats",
        string="WeChat Group Coverage (%)",
        groups=FIGURE_GROUPS,
        help="Villages with at least one active customer-service WeChat group, out of all villages of the station.",
    )

    agreement_count = fields.Integer(compute="_compute_agreement_stats", string="Agreements", groups=FIGURE_GROUPS)
    agreement_coverage = fields.Float(
        compute="_compute_agreement_stats",
        string="Agreement Coverage (%)",
        groups=FIGURE_GROUPS,
        help="Villages with an active service-point agreement, out of all villages of the station.",
    )

    # dashboard: this week and cumulative
    dash_week_collected = fields.Integer(
        string="Collected This Week", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_week_rectified = fields.Integer(
        string="Rectified This Week", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_week_closed_out = fields.Integer(
        string="Closed Out This Week", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_total_collected = fields.Integer(
        string="Collected (cumulative)", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_total_rectified = fields.Integer(
        string="Rectified (cumulative)", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_total_closed_out = fields.Integer(
        string="Closed Out (cumulative)", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_overdue = fields.Integer(string="Overdue Problems", compute="_compute_dashboard", groups=FIGURE_GROUPS)
    dash_rectification_rate = fields.Float(
        string="Rectification Rate (%)", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_week_meetings = fields.Integer(string="Meetings This Week", compute="_compute_dashboard", groups=FIGURE_GROUPS)
    dash_inquiries_due = fields.Integer(string="Inquiries Due", compute="_compute_dashboard", groups=FIGURE_GROUPS)
    dash_inquiries_overdue = fields.Integer(
        string="Inquiries Overdue", compute="_compute_dashboard", groups=FIGURE_GROUPS
    )
    dash_demand_kw = fields.Float(string="Open Demand (kW)", compute="_compute_dashboard", groups=FIGURE_GROUPS)
    dash_unreached = fields.Integer(
        string="Households to Reach",
        compute="_compute_dashboard",
        groups=FIGURE_GROUPS,
        help="Households of notified outage notices, not yet reached, whose outage has not started.",
    )

    grid_over_threshold_count = fields.Integer(
        string="Transformer Areas over the Threshold",
        compute="_compute_grid_over_threshold_count",
        groups=FIGURE_GROUPS,
        help="Transformer areas of the station whose loading now (measured peak + open demand, over capacity) "
        "is at or over the threshold of Settings; an account manager counts their own areas.",
    )

    def _has_field_access(self, field, operation):
        # Odoo asks this for each figure of each station read (13,000 times
        # for a province's 1,000 stations on the dashboard, a third of its
        # Python): the figures' single group is looked up directly, as
        # has_groups() would after parsing its specification
        if field.groups == FIGURE_GROUPS and not self.env.su:
            return self.env.user._has_group(FIGURE_GROUPS)
        return super()._has_field_access(field, operation)

    @api.depends("is_station")
    def _compute_require_closeout(self):
        for team in self:
            team.require_closeout = team.is_station

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_village_stats(self):
        # with the reader's rights: the villages and groups they may see
        villages = self.env["res.partner"].search_fetch(
            [("village_station_id", "in", self.ids), ("village_kind", "in", ("village", "community"))],
            ["village_station_id", "village_manager_id"],
        )
        covered = set(self.env["village.chat.group"].search([("village_ids", "in", villages.ids)]).village_ids.ids)
        for team in self:
            own = villages.filtered(lambda v, t=team: v.village_station_id == t)
            team.village_count = len(own)
            team.village_manager_ids = own.village_manager_id
            team.chat_group_coverage = 100.0 * len(set(own.ids) & covered) / len(own) if own else 0.0

    @api.readonly
    def action_view_villages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.res_partner_action_village")
        action["domain"] = [("village_station_id", "=", self.id)]
        action["context"] = {"default_village_station_id": self.id, "default_village_kind": "village"}
        return action

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_agreement_stats(self):
        # with the reader's rights: the agreements and villages they may see
        counts = dict(
            self.env["village.agreement"]._read_group([("station_id", "in", self.ids)], ["station_id"], ["__count"])
        )
        domain = [("village_station_id", "in", self.ids), ("village_kind", "in", ("village", "community"))]
        Partner = self.env["res.partner"]
        totals = dict(Partner._read_group(domain, ["village_station_id"], ["__count"]))
        covered = dict(
            Partner._read_group(
                [*domain, ("village_has_active_agreement", "=", True)], ["village_station_id"], ["__count"]
            )
        )
        for team in self:
            team.agreement_count = counts.get(team, 0)
            total = totals.get(team, 0)
            team.agreement_coverage = 100.0 * covered.get(team, 0) / total if total else 0.0

    @api.readonly
    def action_view_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.village_agreement_action")
        action["domain"] = [("station_id", "=", self.id)]
        action["context"] = {"default_station_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Dashboard: this week and cumulative, a fixed number of queries for
    # any number of stations. Computed with the reader's rights: each figure
    # counts the records their rules let them see, never a sudo() count of
    # another station (the fields are for the village service's staff only).
    # ------------------------------------------------------------------

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_dashboard(self):
        stations = self.filtered("is_station")
        Area = self.env["village.service.area"]
        today = Area._today()
        monday = today - timedelta(days=today.weekday())
        figures = self.env["village.daily.stat"]._station_figures(stations, monday, today)
        week_start = Area._day_start(monday)
        Notice = self.env["village.outage.notice"]
        counts = self._dashboard_counts(
            [
                # (model, domain, extra group, aggregate): the reader's rules apply to each
                (
                    "village.meeting",
                    [("station_id", "in", stations.ids), ("state", "=", "done"), ("date", ">=", week_start)],
                    None,
                    "__count",
                ),
                (
                    "village.inquiry",
                    [("station_id", "in", stations.ids), ("status", "in", ("due", "overdue"))],
                    "status",
                    "__count",
                ),
                (
                    "crm.lead",
                    [("station_id", "in", stations.ids), *self.env["crm.lead"]._village_counted_demand_domain()],
                    None,
                    "power_demand_kw:sum",
                ),
                ("village.outage.reach", Notice._unreached_domain(stations), None, "__count"),
            ]
        )
        meetings = counts["village.meeting"]
        inquiries = counts["village.inquiry"]
        demand = counts["crm.lead"]
        unreached = counts["village.outage.reach"]
        for team in self:
            values = figures.get(team.id, {})
            team.dash_week_collected = values.get("collected", 0)
            team.dash_week_rectified = values.get("rectified", 0)
            team.dash_week_closed_out = values.get("closed_out", 0)
            team.dash_total_collected = values.get("collected_total", 0)
            team.dash_total_rectified = values.get("rectified_total", 0)
            team.dash_total_closed_out = values.get("closed_out_total", 0)
            team.dash_overdue = values.get("overdue", 0)
            team.dash_rectification_rate = values.get("rectification_rate", 0.0)
            team.dash_week_meetings = meetings.get(team.id, 0)
            team.dash_inquiries_due = inquiries.get((team.id, "due"), 0)
            team.dash_inquiries_overdue = inquiries.get((team.id, "overdue"), 0)
            team.dash_demand_kw = demand.get(team.id, 0.0)
            team.dash_unreached = unreached.get(team.id, 0)

    def _dashboard_counts(self, figures):
        """One query for the per-station figures of other models: each
        (model, domain, extra group, aggregate) of `figures` is grouped by
        station_id (and the extra group) with the reader's access rights and
        record rules, as _read_group would, and the groups are read in one
        UNION ALL instead of a query each (docs/benchmarks.md).
        Returns {model: {station_id or (station_id, extra): value}}."""
        parts = []
        for model, domain, extra, aggregate in figures:
            Model = self.env[model]
            query = Model._search(domain)
            station = Model._read_group_groupby(Model._table, "station_id", query)
            group = Model._read_group_groupby(Model._table, extra, query) if extra else SQL("NULL")
            query.groupby = SQL("%s, %s", station, group) if extra else station
            parts.append(
                SQL(
                    "(%s)",
                    query.select(
                        SQL("%s", model),
                        station,
                        SQL("%s::varchar", group),
                        SQL("%s::float", Model._read_group_select(aggregate, query)),
                    ),
                )
            )
        counts = {model: {} for model, *_rest in figures}
        extras = {model: extra for model, _domain, extra, _aggregate in figures}
        for model, station_id, group, value in self.env.execute_query(SQL(" UNION ALL ").join(parts)):
            counts[model][(station_id, group) if extras[model] else station_id] = value or 0
        return counts

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_grid_over_threshold_count(self):
        # with the reader's rights on the areas and the demands: one grouped query for all stations
        counts = self.env["village.transformer.area"]._over_threshold_counts(self.filtered("is_station"))
        for team in self:
            team.grid_over_threshold_count = counts.get(team.id, 0)

    @api.readonly
    def action_view_areas_over_threshold(self):
        self.ensure_one()
        Area = self.env["village.transformer.area"]
        query = Area._over_threshold_query(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.village_transformer_area_action")
        action["domain"] = [("id", "in", [area_id for (area_id,) in self.env.execute_query(query.select())])]
        action["name"] = self.env._("Transformer Areas over the Threshold")
        return action

    @api.readonly
    def action_open_ledger(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.helpdesk_ticket_action_ledger")
        action["domain"] = [("team_id", "=", self.id)]
        return action

    @api.readonly
    def action_open_overdue(self):
        action = self.action_open_ledger()
        action["context"] = {"search_default_overdue": 1}
        return action
