from odoo import api, fields, models


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
    village_count = fields.Integer(compute="_compute_village_stats", string="Villages")
    village_manager_ids = fields.Many2many("res.users", compute="_compute_village_stats", string="Account Managers")
    chat_group_coverage = fields.Float(
        compute="_compute_village_stats",
        string="WeChat Group Coverage (%)",
        help="Villages with at least one active customer-service WeChat group, out of all villages of the station.",
    )

    agreement_count = fields.Integer(compute="_compute_agreement_stats", string="Agreements")
    agreement_coverage = fields.Float(
        compute="_compute_agreement_stats",
        string="Agreement Coverage (%)",
        help="Villages with an active service-point agreement, out of all villages of the station.",
    )

    @api.depends("is_station")
    def _compute_require_closeout(self):
        for team in self:
            team.require_closeout = team.is_station

    def _compute_village_stats(self):
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

    def action_view_villages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.res_partner_action_village")
        action["domain"] = [("village_station_id", "=", self.id)]
        action["context"] = {"default_village_station_id": self.id, "default_village_kind": "village"}
        return action

    def _compute_agreement_stats(self):
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

    def action_view_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.village_agreement_action")
        action["domain"] = [("station_id", "=", self.id)]
        action["context"] = {"default_station_id": self.id}
        return action
