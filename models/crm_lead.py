from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.translate import code_translations

LARGE_DEMAND_PARAM = "village_service.large_demand_kw"
LARGE_DEMAND_DEFAULT_KW = 50.0
LARGE_DEMAND_MONTHS = 6
POWER_DEMAND_TYPES = [
    ("new_connection", "New Connection"),
    ("capacity_increase", "Capacity Increase"),
    ("irrigation", "Irrigation Pumping"),
    ("farming", "Farming"),
    ("relocation", "Relocation"),
    ("other", "Other"),
]
# demand types that add no load to the grid (a transformer moved elsewhere)
NO_LOAD_DEMAND_TYPES = ("relocation",)
# a demand like another of the same village, type and kW recorded within this many days is a likely duplicate
DUPLICATE_DAYS = 30


class CrmLead(models.Model):
    """Power demand collected in villages, followed up for grid planning."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "village.link.guard"]
    _village_workflow_fields = ("power_demand_duplicate_confirmed",)

    # precomputed, as the demand's title (name) follows from them before the row is inserted
    name = fields.Char(compute="_compute_name", store=True, readonly=False, precompute=True)
    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        compute="_compute_village_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    power_demand_type = fields.Selection(POWER_DEMAND_TYPES, string="Demand Type", tracking=True)
    power_demand_kw = fields.Float(string="Demand (kW)", digits=(16, 1), tracking=True)
    power_needed_by = fields.Date(string="Needed By", tracking=True)
    meeting_id = fields.Many2one(
        "village.meeting", string="Meeting", index="btree_not_null", tracking=True, ondelete="set null"
    )
    # the station of the village, and follows it when the bureau moves the
    # village to another station: an open demand is planned by the station
    # that serves the village now. A client cannot write it (a derived field,
    # village.link.guard); _check_station_of_village holds for any writer.
    station_id = fields.Many2one(
        related="village_id.village_station_id",
        string="Power Supply Station",
        store=True,
        index="btree_not_null",
    )
    township_id = fields.Many2one(
        related="village_id.village_township_id",
        string="Township",
        store=True,
        index="btree_not_null",
    )
    transformer_area_id = fields.Many2one(
        "village.transformer.area",
        string="Transformer Area",
        compute="_compute_transformer_area_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        domain="[('village_ids', '=', village_id)]",
        help="Where on the grid the load lands: the household's area, or the village's only one.",
    )
    power_demand_adds_load = fields.Boolean(
        string="Adds Load",
        compute="_compute_power_demand_adds_load",
        store=True,
        help="Whether the demand's kW add load to its transformer area (a relocation does not).",
    )
    power_demand_duplicate_of_id = fields.Many2one(
        "crm.lead",
        string="Possible Duplicate of",
        compute="_compute_power_demand_duplicate_of_id",
        store=True,
        index="btree_not_null",
        tracking=True,
        help="An earlier demand of the same village, type and kW within 30 days, or of the same household "
        "and type: this one is left out of the grid's sums until confirmed as a demand of its own.",
    )
    power_demand_duplicate_confirmed = fields.Boolean(string="Confirmed Not a Duplicate", copy=False, tracking=True)
    photo = fields.Image(string="Photo", max_width=1920, max_height=1920)
    is_large_demand = fields.Boolean(
        string="Large Demand",
        compute="_compute_is_large_demand",
        search="_search_is_large_demand",
        help="At least the threshold set in Settings and needed within six months.",
    )

    _power_demand_kw_positive = models.Constraint(
        "CHECK(power_demand_kw >= 0)", "The power demand of a lead cannot be negative."
    )

    @api.depends("partner_id", "village_id", "power_demand_type")
    def _compute_name(self):
        """A demand is titled "<village> — <demand type>" until its author
        types a title: never CRM's "<contact>'s opportunity"."""
        demands = self.filtered(lambda lead: lead.village_id or lead.power_demand_type)
        for lead in demands:
            if not lead.name or lead._village_is_automatic_name():
                lead.name = lead._village_demand_title()
        super(CrmLead, self - demands)._compute_name()

    @api.depends("name", "village_id", "power_demand_type")
    def _compute_display_name(self):
        super()._compute_display_name()
        for lead in self:
            if not lead.name:
                lead.display_name = (
                    lead._village_demand_title()
                    if lead.village_id or lead.power_demand_type
                    else self.env._("New Demand")
                )

    def _village_demand_title(self, village=None, demand_type=None):
        """ "<village> — <demand type>", of this demand or of the given values."""
        if village is None:
            village = self.village_id.name or self.env._("Village")
        if demand_type is None:
            types = dict(self._fields["power_demand_type"]._description_selection(self.env))
            demand_type = types.get(self.power_demand_type) or self.env._("Power Demand")
        return self.env._("%(village)s — %(type)s", village=village, type=demand_type)

    def _village_is_automatic_name(self):
        """Whether the title was given by the code, not typed: a demand title
        ("<any village> — <a demand type>") or CRM's "<contact>'s opportunity"."""
        self.ensure_one()
        types = dict(self._fields["power_demand_type"]._description_selection(self.env))
        for label in [*types.values(), self.env._("Power Demand")]:
            prefix, _sep, suffix = self._village_demand_title(village="\x00", demand_type=label).partition("\x00")
            if self.name.startswith(prefix) and self.name.endswith(suffix) and len(self.name) > len(prefix + suffix):
                return True
        source = "%s's opportunity"
        opportunity = code_translations.get_python_translations("crm", self.env.lang or "en_US").get(source, source)
        prefix, sep, suffix = opportunity.partition("%s")
        return bool(sep) and self.name.startswith(prefix) and self.name.endswith(suffix)

    @api.depends("partner_id")
    def _compute_village_id(self):
        for lead in self:
            if lead.partner_id.village_id:
                lead.village_id = lead.partner_id.village_id

    @api.depends("partner_id.transformer_area_id", "village_id")
    def _compute_transformer_area_id(self):
        self.env["village.transformer.area"]._assign_areas(self)

    @api.depends("power_demand_type")
    def _compute_power_demand_adds_load(self):
        for lead in self:
            lead.power_demand_adds_load = lead.power_demand_type not in NO_LOAD_DEMAND_TYPES

    @api.depends(
        "village_id",
        "partner_id",
        "user_id",
        "power_demand_type",
        "power_demand_kw",
        "power_demand_duplicate_confirmed",
    )
    def _compute_power_demand_duplicate_of_id(self):
        """An earlier open demand of the same type: of the same village and kW
        recorded within 30 days, or of the same household. Stored, so compared
        with every demand whoever saves it; it shows no reader what their rules
        hide: the earlier demand is of the same village (a household's demand
        is its village's), which its manager, station and the bureau read; and
        one the demand's salesperson may read (CRM lets them read their own
        demands of other villages, and every salesman the unassigned ones)."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=True)
        for lead in self:
            if lead.power_demand_duplicate_confirmed or not lead.power_demand_type or not lead.id:
                lead.power_demand_duplicate_of_id = False
                continue
            created = lead.create_date or fields.Datetime.now()
            household = lead.partner_id if lead.partner_id and not lead.partner_id.village_kind else None
            same = (
                Domain("village_id", "=", lead.village_id.id)
                & Domain("power_demand_kw", "=", lead.power_demand_kw)
                & Domain("create_date", ">=", created - relativedelta(days=DUPLICATE_DAYS))
            )
            if household:
                same |= Domain("partner_id", "=", household.id)
            domain = (
                Domain("id", "<", lead.id)
                & Domain("power_demand_type", "=", lead.power_demand_type)
                & Domain("won_status", "!=", "lost")
                # of the same village only: its readers may read the earlier demand
                & Domain("village_id", "=", lead.village_id.id)
                & (same if lead.village_id else Domain.FALSE)
            )
            # searched as the salesperson when there is one (their rules), among unassigned ones if not
            readers = Lead.with_user(lead.user_id) if lead.user_id else Lead
            if not lead.user_id:
                domain &= Domain("user_id", "=", False)
            lead.power_demand_duplicate_of_id = readers.search(domain, order="id", limit=1).sudo()

    @api.model
    def _village_counted_demand_domain(self):
        """The demands whose kW count on the grid: open or won, adding load,
        not a likely duplicate (until confirmed)."""
        return [
            ("won_status", "!=", "lost"),
            ("power_demand_adds_load", "=", True),
            ("power_demand_duplicate_of_id", "=", False),
        ]

    @api.depends("power_demand_kw", "power_needed_by", "active", "won_status")
    def _compute_is_large_demand(self):
        threshold, horizon = self._large_demand_limits()
        for lead in self:
            lead.is_large_demand = bool(
                lead.active
                and lead.won_status != "lost"
                and lead.power_demand_kw >= threshold
                and lead.power_needed_by
                and lead.power_needed_by <= horizon
            )

    def _search_is_large_demand(self, operator, value):
        if operator != "in":
            return NotImplemented
        threshold, horizon = self._large_demand_limits()
        domain = [
            ("power_demand_kw", ">=", threshold),
            ("power_needed_by", "<=", horizon),
            ("won_status", "!=", "lost"),
        ]
        if True in value:
            return domain
        return ~Domain(domain)

    def _large_demand_limits(self):
        """The kW threshold (Settings) and the last needed-by date that counts as due soon."""
        param = self.env["ir.config_parameter"].sudo().get_param(LARGE_DEMAND_PARAM)
        try:
            threshold = float(param) if param else LARGE_DEMAND_DEFAULT_KW
        except ValueError:
            threshold = LARGE_DEMAND_DEFAULT_KW
        horizon = self.env["village.service.area"]._today() + relativedelta(months=LARGE_DEMAND_MONTHS)
        return threshold, horizon

    @api.model_create_multi
    def create(self, vals_list):
        # before crm reads the ids
        leads = super(CrmLead, self._village_check_create(vals_list)).create(vals_list)
        leads._check_villages_of_user()
        return leads

    def write(self, vals):
        self._village_check_client_vals(vals)
        result = super().write(vals)
        if {"village_id", "partner_id", "meeting_id"} & set(vals):
            self._check_villages_of_user()
        return result

    def _check_villages_of_user(self):
        """A demand is recorded for, and linked to a meeting of, the villages of
        the user's own stations; the bureau anywhere. Not a record rule: the
        salesman's rule of crm lets any lead without a salesperson through."""
        leads = self.sudo()
        (leads.village_id | leads.meeting_id.village_id)._village_check_linkable_by(self)

    @api.constrains("station_id", "village_id")
    def _check_station_of_village(self):
        self.env["res.partner"]._village_check_station_of(self)

    @api.constrains("transformer_area_id", "village_id")
    def _check_transformer_area_of_village(self):
        self.env["village.transformer.area"]._check_serves_village(self)

    @api.constrains("power_needed_by")
    def _check_power_needed_by(self):
        for lead in self:
            if not lead.power_needed_by:
                continue
            created = fields.Date.context_today(
                lead.with_context(tz=self.env["village.service.area"]._tz()),
                timestamp=lead.create_date or fields.Datetime.now(),
            )
            if lead.power_needed_by < created:
                raise ValidationError(
                    self.env._(
                        "The power of %(lead)s cannot be needed by %(needed)s, before the demand "
                        "was recorded on %(created)s.",
                        lead=lead.name,
                        needed=lead.power_needed_by,
                        created=created,
                    )
                )

    def action_confirm_not_duplicate(self):
        """The demand is one of its own, not a repeat of the earlier one: it
        counts on the grid from now on."""
        self._village_workflow_write({"power_demand_duplicate_confirmed": True})
        return True

    @api.readonly
    def action_print_demand_xlsx(self):
        """The grid-planning workbook of the selected demands (all visible
        ones when none is selected): a report row has its lead's id."""
        report = self.env.ref("village_service.village_demand_report_xlsx")
        return report.with_context(active_ids=self.ids).report_action(self.ids, config=False)
