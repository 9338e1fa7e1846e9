from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

CLOSEOUT_STATES = [
    ("open", "Open"),
    ("planned", "Measure Planned"),
    ("rectified", "Rectified"),
    ("closed", "Closed Out"),
]


class HelpdeskTicket(models.Model):
    """A problem of the ledger (问题台账): planned, rectified, then struck off (销号)."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "village.link.guard"]
    # the close-out record: written by action_plan/rectify/closeout/reopen only
    _village_workflow_fields = (
        "closeout_state",
        "date_planned",
        "date_rectified",
        "rectified_by_id",
        "date_closeout",
        "closeout_by_id",
        "closeout_satisfaction",
        "date_revisit",
        "closeout_note",
        "reopen_count",
    )

    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        compute="_compute_village_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    # the village as the ledger's list and cards show it, stored on the ticket: a page of problems
    # reads it with the ticket's own row instead of a second query and a name computed per village
    # (docs/benchmarks.md); renaming a village rewrites it on the village's problems
    village_name = fields.Char(string="Village Name", related="village_id.complete_name", store=True)
    chat_group_id = fields.Many2one("village.chat.group", string="WeChat Group", index="btree_not_null", tracking=True)
    transformer_area_id = fields.Many2one(
        "village.transformer.area",
        string="Transformer Area",
        compute="_compute_transformer_area_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        domain="[('village_ids', '=', village_id)]",
        help="Where on the grid the problem lies: the household's area, or the village's only one.",
        # the grid is the app's: plain helpdesk users read tickets without it
        groups="village_service.group_village_user",
    )
    require_closeout = fields.Boolean(related="team_id.require_closeout")
    meeting_id = fields.Many2one(
        "village.meeting", string="Meeting", index="btree_not_null", tracking=True, ondelete="set null"
    )
    closeout_state = fields.Selection(
        CLOSEOUT_STATES,
        string="Close-out Status",
        # no NOT NULL: plain helpdesk code (and its at_install tests) writes
        # tickets without knowing this column
        default="open",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    photo = fields.Image(string="Photo", max_width=1920, max_height=1920)
    # stored so that a page of cards shows the camera icon without reading the photos' attachments
    has_photo = fields.Boolean(string="Has a Photo", compute="_compute_has_photo", store=True)
    rectification_measure = fields.Text(string="Rectification Measure", tracking=True, copy=False)
    rectification_deadline = fields.Date(string="Rectification Deadline", tracking=True, copy=False)
    date_planned = fields.Datetime(string="Planned on", readonly=True, copy=False)
    date_rectified = fields.Datetime(string="Rectified on", readonly=True, copy=False, tracking=True)
    rectified_by_id = fields.Many2one("res.users", string="Rectified by", readonly=True, copy=False)
    date_closeout = fields.Datetime(string="Closed Out on", readonly=True, copy=False, tracking=True)
    closeout_by_id = fields.Many2one("res.users", string="Closed Out by", readonly=True, copy=False)
    closeout_satisfaction = fields.Selection(
        [("satisfied", "Satisfied"), ("not_satisfied", "Not Satisfied")],
        string="Revisit Result",
        readonly=True,
        copy=False,
        tracking=True,
        help="The customer's answer at the revisit (回访) before close-out.",
    )
    date_revisit = fields.Datetime(
        string="Revisited on",
        readonly=True,
        copy=False,
        help="When the customer was last asked at the revisit (回访), satisfied or not: the satisfaction rate "
        "of the weekly reports counts the revisits of the period.",
    )
    closeout_note = fields.Text(string="Revisit Note", readonly=True, copy=False)
    reopen_count = fields.Integer(string="Times Reopened", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="The rectification deadline has passed and the problem is not rectified.",
    )

    # the order of the close-out record, whatever wrote it
    _planned_before_rectified = models.Constraint(
        "CHECK(date_planned IS NULL OR date_rectified IS NULL OR date_planned <= date_rectified)",
        "A problem cannot be planned after it was rectified.",
    )
    _rectified_before_closeout = models.Constraint(
        "CHECK(date_rectified IS NULL OR date_closeout IS NULL OR date_rectified <= date_closeout)",
        "A problem cannot be closed out before it was rectified.",
    )
    _closeout_deadline_idx = models.Index("(rectification_deadline) WHERE closeout_state IN ('open', 'planned')")
    # helpdesk_mgmt's default order: without it a list page sorts every ticket (1.0 s at 1M tickets, see
    # docs/benchmarks.md); with it the first page is read from the index
    _list_order_idx = models.Index("(priority DESC, sequence, number DESC, id DESC)")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("number", "name")
    def _compute_display_name(self):
        # helpdesk_mgmt's "number - name" reads "/ - False" on a new problem
        # (number "/" until saved, no title yet): show what is known
        for ticket in self:
            number = ticket.number if ticket.number and ticket.number != "/" else ""
            if number and ticket.name:
                ticket.display_name = f"{number} - {ticket.name}"
            else:
                ticket.display_name = number or ticket.name or self.env._("New Problem")

    @api.depends("partner_id")
    def _compute_village_id(self):
        for ticket in self:
            if ticket.partner_id.village_id:
                ticket.village_id = ticket.partner_id.village_id

    @api.depends("photo")
    def _compute_has_photo(self):
        for ticket, sized in zip(self, self.with_context(bin_size=True), strict=True):
            ticket.has_photo = bool(sized.photo)

    @api.depends("rectification_deadline", "closeout_state")
    def _compute_is_overdue(self):
        # today's form of _village_overdue_domain, tested in Python: filtered_domain took a tenth
        # of a list page's time (docs/benchmarks.md); tests/test_overdue_definition.py holds them equal
        today = self.env["village.service.area"]._today()
        states = self._village_overdue_states
        for ticket in self:
            deadline = ticket.rectification_deadline
            ticket.is_overdue = bool(ticket.closeout_state in states and deadline and deadline < today)

    def _search_is_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        overdue = self._village_overdue_domain(self.env["village.service.area"]._today())
        return overdue if True in value else ~overdue

    # ------------------------------------------------------------------
    # "Overdue": the one definition (a domain and its SQL twin)
    # ------------------------------------------------------------------
    # A problem is overdue on day D (of the service area) when its
    # rectification deadline was before D and it was still not rectified when
    # D ended. For today and later days that is the ledger as it stands: open
    # or planned, the deadline before D. For a past day the stored dates tell
    # the state then: collected before D ended, and open or planned now or
    # rectified only after D. A problem reopened (or sent back at the revisit)
    # after D loses its date of rectification: it counts as unrectified on D,
    # the best the stored dates can tell. The two forms agree on today (a
    # rectification is never after now); the first one keeps the partial index
    # on the deadline usable for the ledger's Overdue filter.
    _village_overdue_states = ("open", "planned")

    @api.model
    def _village_overdue_domain(self, day):
        """Domain of the problems overdue on `day` (see above)."""
        if day >= self.env["village.service.area"]._today():
            return Domain("closeout_state", "in", self._village_overdue_states) & Domain(
                "rectification_deadline", "<", day
            )
        return self._village_overdue_history_domain(day)

    @api.model
    def _village_overdue_history_domain(self, day):
        end = self.env["village.service.area"]._day_start(day + timedelta(days=1))
        return Domain(
            [
                ("rectification_deadline", "<", day),
                ("create_date", "<", end),
                "|",
                ("closeout_state", "in", self._village_overdue_states),
                ("date_rectified", ">=", end),
            ]
        )

    @api.model
    def _village_overdue_sql(self, alias, day):
        """SQL twin of `_village_overdue_domain`: a condition on the
        helpdesk_ticket row `alias`, never NULL. The caller flushes."""

        def column(name):
            return SQL.identifier(alias, name)

        overdue = SQL(
            "%s IN %s AND %s < %s",
            column("closeout_state"),
            self._village_overdue_states,
            column("rectification_deadline"),
            day,
        )
        if day < self.env["village.service.area"]._today():
            end = self.env["village.service.area"]._day_start(day + timedelta(days=1))
            overdue = SQL(
                "%s < %s AND %s < %s AND (%s IN %s OR %s >= %s)",
                column("rectification_deadline"),
                day,
                column("create_date"),
                end,
                column("closeout_state"),
                self._village_overdue_states,
                column("date_rectified"),
                end,
            )
        return SQL("COALESCE(%s, FALSE)", overdue)

    @api.model
    def _closeout_state_labels(self):
        return dict(self._fields["closeout_state"]._description_selection(self.env))

    # ------------------------------------------------------------------
    # Constraints: the close-out gate
    # ------------------------------------------------------------------

    @api.constrains("stage_id", "team_id", "closeout_state")
    def _check_closeout_gate(self):
        for ticket in self:
            if not ticket.team_id.require_closeout:
                continue
            if ticket.stage_id.closed and ticket.closeout_state != "closed":
                raise ValidationError(
                    self.env._(
                        "Problem %(number)s of %(station)s can only be closed by close-out: "
                        "record its rectification, then use the Close Out button.",
                        number=ticket.number,
                        station=ticket.team_id.name,
                    )
                )
            if ticket.closeout_state == "closed" and not ticket.stage_id.closed:
                raise ValidationError(
                    self.env._(
                        "Problem %(number)s is closed out, so it must stay in a closed stage; "
                        "reopen it to work on it again.",
                        number=ticket.number,
                    )
                )

    @api.constrains("closeout_state", "rectification_measure", "date_rectified")
    def _check_closeout_rectified(self):
        for ticket in self:
            if ticket.closeout_state == "closed" and not (ticket._has_measure() and ticket.date_rectified):
                raise ValidationError(
                    self.env._(
                        "Problem %(number)s cannot be closed out without a rectification measure "
                        "and a recorded rectification.",
                        number=ticket.number,
                    )
                )
            if ticket.closeout_state in ("planned", "rectified") and not ticket._has_measure():
                raise ValidationError(
                    self.env._(
                        "The rectification measure of %(number)s cannot be cleared: it is planned or "
                        "rectified. Reopen it first to plan another measure.",
                        number=ticket.number,
                    )
                )

    @api.constrains("village_id", "meeting_id", "chat_group_id")
    def _check_source_of_village(self):
        """A problem raised at a meeting or in a WeChat group belongs to that
        meeting's village or one of the group's villages: otherwise it would
        count for another village's meeting or group."""
        for ticket in self:
            meeting, group = ticket.meeting_id.sudo(), ticket.chat_group_id.sudo()
            if meeting and meeting.village_id != ticket.village_id:
                raise ValidationError(
                    self.env._(
                        "Problem %(number)s of %(village)s cannot be linked to %(meeting)s, a meeting of "
                        "another village.",
                        number=ticket.number,
                        village=ticket.village_id.name or "-",
                        meeting=meeting.name,
                    )
                )
            if group and ticket.village_id not in group.village_ids:
                raise ValidationError(
                    self.env._(
                        "Problem %(number)s of %(village)s cannot be linked to the WeChat group %(group)s, "
                        "which does not serve that village.",
                        number=ticket.number,
                        village=ticket.village_id.name or "-",
                        group=group.name,
                    )
                )

    @api.depends("partner_id.transformer_area_id", "village_id")
    def _compute_transformer_area_id(self):
        self.env["village.transformer.area"]._assign_areas(self)

    @api.constrains("transformer_area_id", "village_id")
    def _check_transformer_area_of_village(self):
        self.env["village.transformer.area"]._check_serves_village(self)

    @api.constrains("team_id", "village_id")
    def _check_station_of_village(self):
        """A problem of a village is handled by that village's station (teams
        that are not stations behave as plain helpdesk)."""
        for ticket in self:
            station = ticket.village_id.village_station_id
            if ticket.team_id.is_station and station and ticket.team_id != station:
                raise ValidationError(
                    self.env._(
                        "%(village)s is served by %(station)s: its problem %(number)s cannot be given to %(team)s.",
                        village=ticket.village_id.name,
                        station=station.name,
                        number=ticket.number,
                        team=ticket.team_id.name,
                    )
                )

    @api.constrains("rectification_deadline")
    def _check_rectification_deadline(self):
        for ticket in self:
            if not ticket.rectification_deadline:
                continue
            created = fields.Datetime.context_timestamp(
                ticket.with_context(tz=self.env["village.service.area"]._tz()),
                ticket.create_date or fields.Datetime.now(),
            ).date()
            if ticket.rectification_deadline < created:
                raise ValidationError(
                    self.env._(
                        "The rectification deadline of %(number)s (%(deadline)s) cannot be before "
                        "the day the problem was collected (%(created)s).",
                        number=ticket.number,
                        deadline=ticket.rectification_deadline,
                        created=created,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: grid routing, reopening by stage
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # before the routing and helpdesk_mgmt read the ids
        checked = self._village_check_create(vals_list)
        self._route_to_grid_prefetch(vals_list)
        for vals in vals_list:
            self._route_to_grid(vals)
        tickets = super(HelpdeskTicket, checked).create(vals_list)
        tickets._plan_when_complete()
        return tickets

    @api.model
    def _route_to_grid_prefetch(self, vals_list):
        """Read what the routing of `vals_list` needs at once (the customers'
        villages, their stations and account managers, the stations'
        members): a batch of problems costs a few queries, not three per
        problem (docs/benchmarks.md)."""
        Partner = self.env["res.partner"].sudo()
        villages = Partner.browse({vals["village_id"] for vals in vals_list if vals.get("village_id")})
        customers = Partner.browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id") and not vals.get("village_id")}
        )
        villages |= customers.village_id
        villages.village_station_id.user_ids  # noqa: B018 (prefetch)

    @api.model
    def _route_to_grid(self, vals):
        """A problem of a known village goes to its station and account manager,
        unless they were set explicitly (from any channel, the mail gateway too)."""
        village = self.env["res.partner"].browse(vals.get("village_id"))
        if not village and vals.get("partner_id"):
            village = self.env["res.partner"].browse(vals["partner_id"]).sudo().village_id
        village = village.sudo()
        if not village.village_station_id:
            return
        if not vals.get("team_id") or self.env.user.share:
            # a village contact on the portal reports to their village's
            # station, whichever team helpdesk_mgmt's portal form offered
            vals["team_id"] = village.village_station_id.id
        manager = village.village_manager_id
        if (
            not vals.get("user_id")
            and manager
            and vals["team_id"] == village.village_station_id.id
            and manager in village.village_station_id.user_ids
        ):
            vals["user_id"] = manager.id

    @api.onchange("village_id")
    def _onchange_village_id_route(self):
        station = self.village_id.village_station_id
        if station and not self.team_id:
            self.team_id = station
        manager = self.village_id.village_manager_id
        if manager and not self.user_id and manager in self.team_id.user_ids:
            self.user_id = manager

    def write(self, vals):
        self._village_check_client_vals(vals)
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            closed_out = self.filtered(lambda t: t.closeout_state == "closed")
            if not stage.closed and closed_out and not self.env.su:
                # dragged out of the closed column: that is a reopening
                closed_out.action_reopen()
        result = super().write(vals)
        if "rectification_measure" in vals or "rectification_deadline" in vals:
            self._plan_when_complete()
        return result

    def _has_measure(self):
        self.ensure_one()
        return bool((self.rectification_measure or "").strip())

    def _plan_when_complete(self):
        """A measure with a deadline is a plan: no extra tap needed in the field
        (the same test as the Plan button)."""
        ready = self.filtered(lambda t: t.closeout_state == "open" and t._has_measure() and t.rectification_deadline)
        if ready:
            ready._village_workflow_write({"closeout_state": "planned", "date_planned": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_plan(self):
        for ticket in self:
            if ticket.closeout_state not in ("open", "planned"):
                raise UserError(
                    self.env._(
                        "Problem %(number)s is already rectified or closed out; reopen it to plan a new measure.",
                        number=ticket.number,
                    )
                )
            if not ticket._has_measure() or not ticket.rectification_deadline:
                raise UserError(
                    self.env._(
                        "Enter the rectification measure and its deadline of %(number)s before planning.",
                        number=ticket.number,
                    )
                )
        self.filtered(lambda t: t.closeout_state == "open")._village_workflow_write(
            {"closeout_state": "planned", "date_planned": fields.Datetime.now()}
        )
        return True

    def action_rectify(self):
        for ticket in self:
            if ticket.closeout_state not in ("open", "planned"):
                raise UserError(
                    self.env._("Problem %(number)s is already rectified or closed out.", number=ticket.number)
                )
            if not ticket._has_measure():
                raise UserError(
                    self.env._(
                        "Problem %(number)s has no rectification measure: record what was done first.",
                        number=ticket.number,
                    )
                )
        now = fields.Datetime.now()
        for ticket in self:
            ticket._village_workflow_write(
                {
                    "closeout_state": "rectified",
                    "date_planned": ticket.date_planned or now,
                    "date_rectified": now,
                    "rectified_by_id": self.env.uid,
                }
            )
        return True

    def action_closeout(self):
        """Open the revisit (回访) dialog; the close-out itself is `_closeout`."""
        self._check_can_closeout()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Out"),
            "res_model": "helpdesk.ticket.closeout",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def _check_can_closeout(self):
        if not self.env.user.has_group("village_service.group_village_station"):
            raise AccessError(self.env._("Only a station head or the bureau can close out problems."))
        allow_self = self.env["ir.config_parameter"].sudo().get_param("village_service.allow_self_closeout")
        for ticket in self:
            if ticket.closeout_state != "rectified":
                raise UserError(
                    self.env._(
                        "Problem %(number)s is not rectified yet: it can be closed out only once rectified.",
                        number=ticket.number,
                    )
                )
            if not ticket._has_measure():
                raise UserError(self.env._("Problem %(number)s has no rectification measure.", number=ticket.number))
            if not allow_self and ticket.rectified_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You recorded the rectification of %(number)s: close-out must be verified by "
                        "someone else (see Settings to allow it).",
                        number=ticket.number,
                    )
                )

    def _closeout(self, satisfied, note=False):
        """Strike the problems off after the revisit; a customer not satisfied
        sends them back to planning."""
        self._check_can_closeout()
        now = fields.Datetime.now()
        if not satisfied:
            self._village_workflow_write(
                {
                    "closeout_state": "planned",
                    "closeout_satisfaction": "not_satisfied",
                    "date_revisit": now,
                    "closeout_note": note,
                    "date_rectified": False,
                    "rectified_by_id": False,
                }
            )
            for ticket in self:
                ticket.message_post(
                    body=self.env._(
                        "Revisit: the customer is not satisfied; back to planning. %(note)s", note=note or ""
                    ),
                )
            return False
        for team, tickets in self.grouped("team_id").items():
            stage = team._get_applicable_stages().filtered("closed")[:1]
            if not stage:
                raise UserError(self.env._("%(team)s has no closed stage to close problems into.", team=team.name))
            tickets._village_workflow_write(
                {
                    "closeout_state": "closed",
                    "closeout_satisfaction": "satisfied",
                    "date_revisit": now,
                    "closeout_note": note,
                    "date_closeout": now,
                    "closeout_by_id": self.env.uid,
                    "stage_id": stage.id,
                }
            )
        return True

    def action_reopen(self):
        for ticket in self:
            if ticket.closeout_state not in ("rectified", "closed"):
                raise UserError(self.env._("Problem %(number)s is not rectified or closed out.", number=ticket.number))
        if any(t.closeout_state == "closed" for t in self) and not self.env.user.has_group(
            "village_service.group_village_station"
        ):
            # a closed-out problem is part of the official record
            raise AccessError(self.env._("Only a station head or the bureau can reopen a closed-out problem."))
        for ticket in self:
            vals = ticket._reopen_values()
            if ticket.stage_id.closed:
                open_stages = ticket.team_id._get_applicable_stages().filtered(lambda s: not s.closed)
                vals["stage_id"] = open_stages[:1].id
            ticket._village_workflow_write(vals)
            ticket._message_reopened()
        return True

    def _reopen_values(self):
        self.ensure_one()
        return {
            "closeout_state": "planned" if self.rectification_measure else "open",
            "date_rectified": False,
            "rectified_by_id": False,
            "date_closeout": False,
            "closeout_by_id": False,
            "closeout_satisfaction": False,
            "date_revisit": False,
            "reopen_count": self.reopen_count + 1,
        }

    def _message_reopened(self):
        self.message_post(body=self.env._("Problem reopened: it counts as open again."))
