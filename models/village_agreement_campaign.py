from datetime import timedelta

from odoo import api, fields, models


class VillageAgreementCampaign(models.Model):
    """A signing campaign (签约专项行动): a target number of service-point
    agreements to sign between two dates, for the whole bureau or one
    station. Its figures are read over the agreements and villages the
    reader may see: a station head follows their station's part."""

    _name = "village.agreement.campaign"
    _description = "Agreement Signing Campaign"
    _order = "date_start desc, id desc"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        index=True,
        domain="[('is_station', '=', True)]",
        help="Leave empty for a campaign of every station of the bureau.",
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=lambda self: self.env["village.service.area"]._today()
    )
    date_end = fields.Date(string="End Date", required=True)
    target_count = fields.Integer(string="Target", help="Agreements to sign within the campaign.")
    day_count = fields.Integer(string="Days", compute="_compute_day_count")
    signed_count = fields.Integer(string="Signed", compute="_compute_figures")
    signed_rate = fields.Float(string="Progress (%)", digits=(5, 1), compute="_compute_figures")
    unsigned_count = fields.Integer(
        string="Not Yet Signed",
        compute="_compute_figures",
        help="Villages and communities without an active agreement.",
    )

    _dates_check = models.Constraint("CHECK(date_end >= date_start)", "A campaign cannot end before it starts.")
    _target_positive = models.Constraint("CHECK(target_count >= 0)", "The target of a campaign cannot be negative.")

    @api.depends("date_start", "date_end")
    def _compute_day_count(self):
        for campaign in self:
            ok = campaign.date_start and campaign.date_end
            campaign.day_count = (campaign.date_end - campaign.date_start).days + 1 if ok else 0

    def _signed_domain(self):
        """Agreements signed within the campaign (active or since ended)."""
        self.ensure_one()
        domain = [
            ("state", "!=", "draft"),
            ("date_signed", ">=", self.date_start),
            ("date_signed", "<=", self.date_end),
        ]
        if self.station_id:
            domain.append(("station_id", "=", self.station_id.id))
        return domain

    def _unsigned_domain(self):
        self.ensure_one()
        domain = [("agreement_covered", "=", 0)]
        if self.station_id:
            domain.append(("station_id", "=", self.station_id.id))
        return domain

    @api.depends("date_start", "date_end", "station_id", "target_count")
    @api.depends_context("uid")
    def _compute_figures(self):
        # read as the reader: a station head counts the agreements and villages of their stations
        Agreement = self.env["village.agreement"]
        Coverage = self.env["village.coverage.report"]
        for campaign in self:
            if not (campaign.date_start and campaign.date_end):
                campaign.signed_count = campaign.unsigned_count = campaign.signed_rate = 0
                continue
            campaign.signed_count = Agreement.search_count(campaign._signed_domain())
            campaign.unsigned_count = Coverage.search_count(campaign._unsigned_domain())
            campaign.signed_rate = self.env["village.daily.stat"]._rate(campaign.signed_count, campaign.target_count)

    @api.readonly
    def action_view_signed_per_day(self):
        """The agreements signed on each day of the campaign, as a graph."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Signed per Day: %(campaign)s", campaign=self.name),
            "res_model": "village.agreement",
            "view_mode": "graph,list,form",
            "views": [
                (self.env.ref("village_service.village_agreement_view_graph_campaign").id, "graph"),
                (False, "list"),
                (False, "form"),
            ],
            "domain": self._signed_domain(),
            "context": {"group_by": ["date_signed:day"]},
        }

    @api.readonly
    def action_view_unsigned(self):
        """The villages and communities not yet signed, by station and township."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Not Yet Signed: %(campaign)s", campaign=self.name),
            "res_model": "village.coverage.report",
            "view_mode": "list,pivot",
            "views": [(False, "list"), (False, "pivot")],
            "domain": self._unsigned_domain(),
            "context": {"group_by": ["station_id", "township_id"]},
        }

    def _signed_per_day(self):
        """[(day, signed that day)] for every day of the campaign, days
        without a signature included."""
        self.ensure_one()
        groups = self.env["village.agreement"]._read_group(self._signed_domain(), ["date_signed:day"], ["__count"])
        counts = dict(groups)
        return [
            (day, counts.get(day, 0)) for day in (self.date_start + timedelta(days=n) for n in range(self.day_count))
        ]
