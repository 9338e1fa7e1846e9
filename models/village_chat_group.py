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
    wecom_webhook_url = fields.Char(
        string="WeCom Robot Webhook",
        groups="village_service.group_village_station",
        help="The webhook URL of the group's WeCom robot: outage notices are posted there by a scheduled job. "
        "Without one, the text is shown on the notice to copy into the group.",
    )
    date_start = fields.Date(string="Started on", default=fields.Date.context_today)
    note = fields.Html()
    ticket_ids = fields.One2many("helpdesk.ticket", "chat_group_id", string="Problems")
    ticket_count = fields.Integer(compute="_compute_ticket_count", string="Problems Collected")

    _member_count_positive = models.Constraint(
        "CHECK(member_count >= 0)", "The number of members of a WeChat group cannot be negative."
    )

    @api.depends("village_ids")
    def _compute_station_id(self):
        # the station of its villages (all of one station), none without
        # villages. When the bureau moves a village to another station, its
        # groups keep their station (no dependency on the villages' station):
        # the next change of their villages or station must agree again
        # (_check_station_of_villages)
        for group in self:
            group.station_id = group.village_ids[:1].village_station_id

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group([("chat_group_id", "in", self.ids)], ["chat_group_id"], ["__count"])
        )
        for group in self:
            group.ticket_count = counts.get(group, 0)

    @api.constrains("station_id", "village_ids")
    def _check_station_of_villages(self):
        for group in self:
            villages = group.village_ids.sudo()
            other = next((village for village in villages if village.village_station_id != group.station_id), None)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(village)s is served by %(station)s: it cannot be in the WeChat group %(group)s "
                        "of %(other)s. A group gathers villages of one station.",
                        village=other.name,
                        station=other.village_station_id.name or self.env._("no station"),
                        group=group.name,
                        other=group.station_id.name or self.env._("no station"),
                    )
                )
            if not villages and group.station_id:
                raise ValidationError(
                    self.env._(
                        "The WeChat group %(group)s has no village: it cannot be given to %(station)s. "
                        "Add its villages, the station follows them.",
                        group=group.name,
                        station=group.station_id.name,
                    )
                )

    @api.constrains("member_count")
    def _check_member_count(self):
        # also a CHECK in the database; this message names the group
        for group in self.filtered(lambda group: group.member_count < 0):
            raise group._member_count_error(group.name, group.member_count)

    @api.model
    def _member_count_error(self, name, count):
        return ValidationError(
            self.env._("The number of members of %(group)s cannot be negative (%(count)s).", group=name, count=count)
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # before the row is inserted, where the database's CHECK would answer first
            if isinstance(vals.get("member_count"), int) and vals["member_count"] < 0:
                raise self._member_count_error(vals.get("name"), vals["member_count"])
        groups = super(VillageChatGroup, self._village_check_create(vals_list)).create(vals_list)
        groups.sudo().village_ids._village_check_linkable_by(groups)
        return groups

    def write(self, vals):
        self._village_check_client_vals(vals)
        if "village_ids" not in vals or self.env.su:
            return super().write(vals)
        before = {group: group.village_ids for group in self.sudo()}
        result = super().write(vals)
        added = self.env["res.partner"].union(*(group.village_ids - villages for group, villages in before.items()))
        added._village_check_linkable_by(self)
        return result

    @api.readonly
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_mgmt.helpdesk_ticket_action")
        action["domain"] = [("chat_group_id", "=", self.id)]
        action["context"] = {
            "default_chat_group_id": self.id,
            "default_village_id": self.village_ids[:1].id,
        }
        return action
