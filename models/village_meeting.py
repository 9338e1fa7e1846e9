from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

# Helpdesk channel (XML id) of the problems logged from each kind of meeting.
KIND_CHANNEL = {
    "courtyard": "village_service.helpdesk_ticket_channel_courtyard",
    "visit": "village_service.helpdesk_ticket_channel_visit",
    "phone": "village_service.helpdesk_ticket_channel_phone_inquiry",
}
DEFAULT_CHANNEL = "village_service.helpdesk_ticket_channel_courtyard"


class VillageMeeting(models.Model):
    """A courtyard meeting, committee talk, visit, phone inquiry or education
    session: where problems and demands of a village surface."""

    _name = "village.meeting"
    _description = "Village Meeting"
    _inherit = ["village.link.guard", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # planned -> done / cancelled -> planned: action_done/action_cancel/action_plan only
    _village_workflow_fields = ("state",)

    name = fields.Char(
        string="Title",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    kind = fields.Selection(
        [
            ("courtyard", "Courtyard Meeting"),
            ("committee", "Committee Talk"),
            ("visit", "Door-to-door Visit"),
            ("phone", "Phone Inquiry"),
            ("education", "Safety / Legal Education"),
        ],
        required=True,
        default="courtyard",
        index=True,
        tracking=True,
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        readonly=True,
        default="planned",
        index=True,
        tracking=True,
        copy=False,
    )
    date = fields.Datetime(default=fields.Datetime.now, index=True, tracking=True, copy=False)
    duration = fields.Float(default=1.0, help="Duration in hours.")
    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        required=True,
        index=True,
        tracking=True,
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        compute="_compute_station_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_station', '=', True)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Staff Present",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Household / Contact",
        index="btree_not_null",
        help="The household visited or phoned, or the main contact of the meeting.",
    )
    partner_ids = fields.Many2many("res.partner", string="Attendees")
    attendee_count = fields.Integer(string="Attendee Count", tracking=True)
    topic_ids = fields.Many2many("village.meeting.topic", string="Topics")
    minutes = fields.Html(sanitize_style=True)
    ticket_ids = fields.One2many("helpdesk.ticket", "meeting_id", string="Problems")
    ticket_count = fields.Integer(string="Problem Count", compute="_compute_ticket_count")
    lead_ids = fields.One2many("crm.lead", "meeting_id", string="Demands")
    lead_count = fields.Integer(string="Demand Count", compute="_compute_lead_count")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)

    _duration_positive = models.Constraint("CHECK(duration >= 0)", "The duration of a meeting cannot be negative.")
    _attendee_count_positive = models.Constraint(
        "CHECK(attendee_count >= 0)", "The attendee count of a meeting cannot be negative."
    )

    @api.depends("kind", "village_id")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for meeting in self:
            if meeting.village_id:
                meeting.name = self.env._(
                    "%(kind)s · %(village)s",
                    kind=kinds.get(meeting.kind, ""),
                    village=meeting.village_id.name,
                )
            else:
                meeting.name = kinds.get(meeting.kind) or meeting.name

    @api.depends("name", "kind")
    def _compute_display_name(self):
        # a meeting whose title was cleared (or not computed yet) never reads "False"
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for meeting in self:
            meeting.display_name = meeting.name or kinds.get(meeting.kind) or self.env._("New Meeting")

    @api.depends("village_id")
    def _compute_station_id(self):
        # when the bureau moves a village to another station, its meetings stay
        # with the station that held them (no dependency on the village's
        # station); a later change of their village or station must agree with
        # the village again (_check_station_of_village)
        for meeting in self:
            meeting.station_id = meeting.village_id.village_station_id

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group([("meeting_id", "in", self.ids)], ["meeting_id"], ["__count"])
        )
        for meeting in self:
            meeting.ticket_count = counts.get(meeting, 0)

    def _compute_lead_count(self):
        counts = dict(self.env["crm.lead"]._read_group([("meeting_id", "in", self.ids)], ["meeting_id"], ["__count"]))
        for meeting in self:
            meeting.lead_count = counts.get(meeting, 0)

    @api.constrains("attendee_count")
    def _check_attendee_count(self):
        # also a CHECK in the database; this message names the meeting
        for meeting in self:
            if meeting.attendee_count < 0:
                raise meeting._attendee_count_error(meeting.name)

    @api.model
    def _attendee_count_error(self, name):
        return ValidationError(self.env._("The attendee count of %(meeting)s cannot be negative.", meeting=name))

    @api.constrains("state", "date")
    def _check_date(self):
        now = fields.Datetime.now()
        for meeting in self:
            if meeting.state == "done" and not meeting.date:
                raise ValidationError(self.env._("%(meeting)s cannot be done without a date.", meeting=meeting.name))
            if meeting.state == "done" and meeting.date > now:
                raise ValidationError(
                    self.env._(
                        "%(meeting)s is done: its date cannot be in the future (%(date)s).",
                        meeting=meeting.name,
                        date=self.env["village.service.area"]._moment_shown(meeting.date),
                    )
                )
            if meeting.date and meeting.date > now + relativedelta(years=1):
                raise ValidationError(
                    self.env._(
                        "%(meeting)s cannot be planned more than a year ahead (%(date)s).",
                        meeting=meeting.name,
                        date=self.env["village.service.area"]._moment_shown(meeting.date),
                    )
                )

    @api.constrains("station_id", "village_id")
    def _check_station_of_village(self):
        self.env["res.partner"]._village_check_station_of(self)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # before the row is inserted, where the database's CHECK would answer first
            if isinstance(vals.get("attendee_count"), int) and vals["attendee_count"] < 0:
                if vals.get("name"):
                    raise self._attendee_count_error(vals["name"])
                raise ValidationError(self.env._("The attendee count of a meeting cannot be negative."))
        meetings = super(VillageMeeting, self._village_check_create(vals_list)).create(vals_list)
        meetings.sudo().village_id._village_check_linkable_by(meetings)
        return meetings

    def write(self, vals):
        self._village_check_client_vals(vals)
        result = super().write(vals)
        if "village_id" in vals:
            self.sudo().village_id._village_check_linkable_by(self)
        return result

    def action_done(self):
        now = fields.Datetime.now()
        for meeting in self:
            if meeting.state != "planned":
                raise UserError(
                    self.env._("Only a planned meeting can be marked done (%(meeting)s).", meeting=meeting.name)
                )
            if not meeting.date:
                raise UserError(self.env._("Set the date of %(meeting)s before marking it done.", meeting=meeting.name))
            if meeting.date > now:
                raise UserError(
                    self.env._(
                        "%(meeting)s is planned for %(date)s: it cannot be marked done before it is held.",
                        meeting=meeting.name,
                        date=self.env["village.service.area"]._moment_shown(meeting.date),
                    )
                )
        self._check_held_with_attendees_and_minutes()
        self._village_workflow_write({"state": "done"})
        return True

    def _check_held_with_attendees_and_minutes(self):
        """A meeting is marked done with who came and what was said: its
        attendee count and minutes."""
        for meeting in self:
            if meeting.attendee_count < 1:
                raise UserError(
                    self.env._(
                        "Enter how many people attended %(meeting)s before marking it done.", meeting=meeting.name
                    )
                )
            if is_html_empty(meeting.minutes):
                raise UserError(
                    self.env._("Write the minutes of %(meeting)s before marking it done.", meeting=meeting.name)
                )

    def action_open_done_wizard(self):
        """*Mark Done*: a dialog asks for the attendee count and the minutes,
        then marks the meeting done (action_done)."""
        self.ensure_one()
        if self.state != "planned":
            raise UserError(self.env._("Only a planned meeting can be marked done (%(meeting)s).", meeting=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark Done"),
            "res_model": "village.meeting.done",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_meeting_id": self.id},
        }

    def action_cancel(self):
        if any(meeting.state != "planned" for meeting in self):
            raise UserError(self.env._("Only a planned meeting can be cancelled."))
        self._village_workflow_write({"state": "cancelled"})
        return True

    def action_plan(self):
        """Back to planned: a cancelled meeting only (a done one stays done)."""
        if any(meeting.state != "cancelled" for meeting in self):
            raise UserError(self.env._("Only a cancelled meeting can be planned again."))
        self._village_workflow_write({"state": "planned"})
        return True

    def _get_log_partner(self):
        """The partner a problem or demand logged from the meeting is about."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id
        if len(self.partner_ids) == 1:
            return self.partner_ids
        return self.village_id.village_contact_id or self.village_id

    def _get_ticket_channel(self):
        self.ensure_one()
        return self.env.ref(KIND_CHANNEL.get(self.kind, DEFAULT_CHANNEL), raise_if_not_found=False) or self.env.ref(
            DEFAULT_CHANNEL, raise_if_not_found=False
        )

    def _ticket_context(self):
        self.ensure_one()
        channel = self._get_ticket_channel()
        return {
            "default_meeting_id": self.id,
            "default_village_id": self.village_id.id,
            "default_partner_id": self._get_log_partner().id,
            "default_channel_id": channel.id if channel else False,
            "default_team_id": self.station_id.id,
            "default_user_id": self.user_id.id,
            "default_description": Markup("<p>%s</p>") % self.env._("Raised at %(meeting)s.", meeting=self.name),
        }

    def _lead_context(self):
        self.ensure_one()
        return {
            "default_meeting_id": self.id,
            "default_village_id": self.village_id.id,
            "default_partner_id": self._get_log_partner().id,
            "default_user_id": self.user_id.id,
            "default_type": "opportunity",
        }

    def _demand_form_view(self):
        """The short demand form of the account managers (the CRM form stays for the bureau)."""
        return self.env.ref("village_service.crm_lead_view_form_demand")

    def action_log_problem(self):
        """One tap from the meeting: a new problem (ticket) prefilled from it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Problem"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._ticket_context(),
        }

    def action_log_demand(self):
        """One tap from the meeting: a new power demand (lead) prefilled from it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Demand"),
            "res_model": "crm.lead",
            "view_mode": "form",
            "views": [(self._demand_form_view().id, "form")],
            "target": "current",
            "context": self._lead_context(),
        }

    @api.readonly
    def action_view_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Problems"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("meeting_id", "=", self.id)],
            "context": self._ticket_context(),
        }

    @api.readonly
    def action_view_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Demands"),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("village_service.crm_lead_view_list_demand").id, "list"),
                (self._demand_form_view().id, "form"),
            ],
            "domain": [("meeting_id", "=", self.id)],
            "context": self._lead_context(),
        }
