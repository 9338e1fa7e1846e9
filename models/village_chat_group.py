from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VillageChatGroup(models.Model):
    _name = "village.chat.group"
    _description = "Customer-Service WeChat Group"
    _inherit = ["village.link.guard", "mail.thread", "mail.activity.mixin"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    village_ids = fields.Many2many(
        "res.partner",
        "village_chat_group_village_rel",
        "chat_group_id",
        "village_id",
        string="Villages",
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        compute="_compute_station_id",
        store=True,
        readonly=False,
        index=True,
        domain="[('is_station', '=', True)]",
    )
    member_count = fields.Integer(string="Members", tracking=True)
    village_contact_id = fields.Many2one(
        "res.partner",
        string="Village Contact in the Group",
        help="The village's full-time contact, a member of the group.",
    )
    date_start = fields.Date(string="Started on", default=fields.Date.context_today)
    note = fields.Html()
    ticket_ids = fields.One2many("helpdesk.ticket", "chat_group_id", string="Problems")
    ticket_count = fields.Integer(compute="_compute_ticket_count", string="Problems Collected")

    @api.depends("village_ids.village_station_id")
    def _compute_station_id(self):
        for group in self:
            group.station_id = group.village_ids[:1].village_station_id or group.station_id

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group([("chat_group_id", "in", self.ids)], ["chat_group_id"], ["__count"])
        )
        for group in self:
            group.ticket_count = counts.get(group, 0)

    @api.constrains("village_ids")
    def _check_village_of_user(self):
        for village in self.village_ids._village_outside_user_stations()[:1]:
            raise ValidationError(
                self.env._(
                    "You cannot register a WeChat group for %(village)s: it is not served by one of "
                    "your power supply stations.",
                    village=village.name,
                )
            )

    @api.constrains("member_count")
    def _check_member_count(self):
        if any(group.member_count < 0 for group in self):
            raise ValidationError(self.env._("The number of members cannot be negative."))

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_mgmt.helpdesk_ticket_action")
        action["domain"] = [("chat_group_id", "=", self.id)]
        action["context"] = {
            "default_chat_group_id": self.id,
            "default_village_id": self.village_ids[:1].id,
        }
        return action
