from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class VillageAgreementService(models.Model):
    """A service the station commits to in a service-point agreement
    (outage notices, remote business handling, ...). Shipped as data, editable."""

    _name = "village.agreement.service"
    _description = "Service-Point Agreement Service"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="The commitment as printed in the agreement.")
    is_default = fields.Boolean(
        string="Included by Default",
        default=True,
        help="Proposed on every new agreement and by the bulk signing wizard.",
    )
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A service with this name already exists.")


class VillageAgreement(models.Model):
    """Service-point agreement between the bureau (a station) and a village
    committee or community."""

    _name = "village.agreement"
    _description = "Service-Point Agreement"
    _inherit = ["village.link.guard", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    # the agreement's life: written by action_activate/_terminate/action_renew
    # and the scheduler only, never from a client's values
    _village_workflow_fields = (
        "state",
        "date_terminated",
        "termination_reason",
        "renewed_from_id",
        "renewal_reminded",
    )
    # what was signed: frozen once the agreement leaves the draft state
    _village_signed_fields = (
        "village_id",
        "station_id",
        "village_signatory_id",
        "station_signatory_id",
        "date_signed",
        "date_start",
        "service_ids",
    )

    # records processed per committed batch by the scheduler
    _cron_batch_size = 100

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        required=True,
        index=True,
        tracking=True,
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    township_id = fields.Many2one(
        "res.partner", string="Township", related="village_id.village_township_id", store=True, index=True
    )
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        compute="_compute_station_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain="[('is_station', '=', True)]",
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        compute="_compute_manager_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    village_signatory_id = fields.Many2one(
        "res.partner",
        string="Village Signatory",
        compute="_compute_village_signatory_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Who signs for the village committee or community.",
    )
    station_signatory_id = fields.Many2one(
        "res.users",
        string="Station Signatory",
        compute="_compute_station_signatory_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Who signs for the power supply station.",
    )
    date_signed = fields.Date(string="Signed on", tracking=True, copy=False)
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=lambda self: self.env["village.service.area"]._today(),
        tracking=True,
    )
    date_end = fields.Date(string="End Date", tracking=True, help="Leave empty for an open-ended agreement.")
    service_ids = fields.Many2many(
        "village.agreement.service",
        string="Services",
        default=lambda self: self.env["village.agreement.service"].search([("is_default", "=", True)]),
    )
    service_point_address = fields.Char(string="Service Point Address")
    note = fields.Html()
    signed_scan = fields.Binary(string="Signed Scan", attachment=True, copy=False)
    signed_scan_filename = fields.Char(copy=False)
    has_signed_scan = fields.Boolean(string="Signed Scan Attached", compute="_compute_has_signed_scan", store=True)
    date_terminated = fields.Date(string="Terminated on", readonly=True, copy=False, tracking=True)
    termination_reason = fields.Text(readonly=True, copy=False)
    renewed_from_id = fields.Many2one("village.agreement", string="Renewal of", readonly=True, copy=False, index=True)
    renewal_ids = fields.One2many("village.agreement", "renewed_from_id", string="Renewals")
    renewal_reminded = fields.Boolean(
        string="Renewal Reminder Sent",
        readonly=True,
        copy=False,
        help="Set when the scheduler has planned the renewal activity; it never plans a second one.",
    )

    _state_end_idx = models.Index("(state, date_end)")

    _date_order = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "The end date of an agreement cannot be before its start date.",
    )

    @api.depends("village_id")
    def _compute_station_id(self):
        # when the bureau moves a village to another station, its agreements
        # keep the station that signed them (no dependency on the village's
        # station); a later change of their village or station must agree
        # with the village again (_check_station_of_village)
        for agreement in self:
            agreement.station_id = agreement.village_id.village_station_id

    @api.depends("village_id")
    def _compute_manager_id(self):
        for agreement in self:
            agreement.manager_id = agreement.village_id.village_manager_id or agreement.manager_id

    @api.depends("village_id")
    def _compute_village_signatory_id(self):
        for agreement in self:
            agreement.village_signatory_id = agreement.village_id.village_contact_id or agreement.village_signatory_id

    @api.depends("station_id")
    def _compute_station_signatory_id(self):
        for agreement in self:
            agreement.station_signatory_id = agreement.station_id.user_id or agreement.station_signatory_id

    @api.depends("signed_scan")
    def _compute_has_signed_scan(self):
        for agreement in self:
            agreement.has_signed_scan = bool(agreement.signed_scan)

    @api.constrains("state", "village_id", "date_start", "date_end")
    def _check_single_active(self):
        for agreement in self.filtered(lambda a: a.state == "active"):
            domain = [
                ("id", "!=", agreement.id),
                ("village_id", "=", agreement.village_id.id),
                ("state", "=", "active"),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", agreement.date_start),
            ]
            if agreement.date_end:
                domain.append(("date_start", "<=", agreement.date_end))
            other = self.sudo().with_context(active_test=False).search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(village)s already has an active agreement (%(other)s) over this period; "
                        "terminate it or let it expire before activating %(name)s.",
                        village=agreement.village_id.name,
                        other=other.name,
                        name=agreement.name,
                    )
                )

    @api.constrains("state", "date_signed", "village_signatory_id", "station_signatory_id")
    def _check_signed(self):
        """An agreement that is or was in force was signed by both parties,
        whoever wrote it (import, script, data file)."""
        for agreement in self.filtered(lambda a: a.state != "draft"):
            if not (agreement.date_signed and agreement.village_signatory_id and agreement.station_signatory_id):
                raise ValidationError(
                    self.env._(
                        "Agreement %(name)s is %(state)s: it needs its sign date and both signatories.",
                        name=agreement.name,
                        state=agreement._state_label(),
                    )
                )

    @api.constrains("station_id", "village_id")
    def _check_station_of_village(self):
        self.env["res.partner"]._village_check_station_of(self)

    @api.model_create_multi
    def create(self, vals_list):
        agreements = self._village_check_create(vals_list)
        new = self.env._("New")
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == new:
                vals["name"] = self.env["ir.sequence"].next_by_code("village.agreement") or new
        return super(VillageAgreement, agreements).create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        if not self.env.su:
            signed = [name for name in self._village_signed_fields if name in vals]
            for agreement in self.filtered(lambda a: a.state != "draft") if signed else ():
                raise UserError(
                    self.env._(
                        "Agreement %(name)s is %(state)s: what was signed (%(fields)s) cannot be changed; "
                        "renew it, or terminate it and draft a new one.",
                        name=agreement.name,
                        state=agreement._state_label(),
                        fields=", ".join(self._fields[name]._description_string(self.env) for name in signed),
                    )
                )
        result = super().write(vals)
        if "village_id" in vals:
            # record rules check the agreement before the write, not the village it moves to
            self.sudo().village_id._village_check_linkable_by(self)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active_or_expired(self):
        for agreement in self:
            if agreement.state in ("active", "expired"):
                raise UserError(
                    self.env._(
                        "Agreement %(name)s is %(state)s and cannot be deleted: archive it instead.",
                        name=agreement.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[agreement.state],
                    )
                )

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def action_activate(self):
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft agreement can be activated; %(name)s is %(state)s.",
                        name=agreement.name,
                        state=agreement._state_label(),
                    )
                )
            missing = []
            if not agreement.date_signed:
                missing.append(self.env._("the sign date"))
            if not agreement.village_signatory_id:
                missing.append(self.env._("the village signatory"))
            if not agreement.station_signatory_id:
                missing.append(self.env._("the station signatory"))
            if missing:
                raise UserError(
                    self.env._(
                        "Agreement %(name)s cannot be activated without %(missing)s.",
                        name=agreement.name,
                        missing=", ".join(missing),
                    )
                )
        self._village_workflow_write({"state": "active"})
        return True

    def _check_can_terminate(self):
        for agreement in self:
            if agreement.state != "active":
                raise UserError(
                    self.env._(
                        "Only an active agreement can be terminated; %(name)s is %(state)s.",
                        name=agreement.name,
                        state=agreement._state_label(),
                    )
                )

    def action_terminate(self):
        """Open the wizard that asks for the reason."""
        self._check_can_terminate()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Terminate Agreement"),
            "res_model": "village.agreement.terminate",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _terminate(self, reason, date=None):
        """Terminate in force agreements (the wizard's confirmation): a station
        head or the bureau decides it, as the wizard is theirs (a client can
        call the wizard's button without its form); the termination takes
        effect now, so its date is not in the future."""
        if not self.env.su and not self.env.user.has_group("village_service.group_village_station"):
            raise AccessError(self.env._("Only a station head or the bureau can terminate an agreement."))
        self._check_can_terminate()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for terminating the agreement."))
        today = self.env["village.service.area"]._today()
        date = fields.Date.to_date(date) or today
        if date > today:
            raise UserError(self.env._("An agreement cannot be terminated in the future (%(date)s).", date=date))
        self._village_workflow_write({"state": "terminated", "date_terminated": date, "termination_reason": reason})
        for agreement in self:
            agreement.message_post(
                body=self.env._("Agreement terminated on %(date)s. Reason: %(reason)s", date=date, reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _renewal_values(self):
        self.ensure_one()
        if self.date_end:
            date_start = self.date_end + timedelta(days=1)
            term = relativedelta(self.date_end + timedelta(days=1), self.date_start)
            date_end = date_start + term - timedelta(days=1)
        else:
            date_start = self.env["village.service.area"]._today()
            date_end = False
        return {
            "village_id": self.village_id.id,
            "station_id": self.station_id.id,
            "manager_id": self.manager_id.id,
            "village_signatory_id": self.village_signatory_id.id,
            "station_signatory_id": self.station_signatory_id.id,
            "date_start": date_start,
            "date_end": date_end,
            "service_ids": [fields.Command.set(self.service_ids.ids)],
            "service_point_address": self.service_point_address,
            "note": self.note,
        }

    def action_renew(self):
        renewals = self.browse()
        for agreement in self:
            if agreement.state == "draft":
                raise UserError(
                    self.env._(
                        "Agreement %(name)s is a draft: activate it, or edit it, rather than renew it.",
                        name=agreement.name,
                    )
                )
            open_renewal = agreement.renewal_ids.filtered(lambda r: r.state in ("draft", "active"))
            if open_renewal:
                raise UserError(
                    self.env._(
                        "Agreement %(name)s is already renewed by %(renewal)s.",
                        name=agreement.name,
                        renewal=open_renewal[0].name,
                    )
                )
            # created with the user's rights, then linked as the workflow does
            renewal = self.create(agreement._renewal_values())
            renewal._village_workflow_write({"renewed_from_id": agreement.id})
            renewals |= renewal
        for agreement, renewal in zip(self, renewals, strict=True):
            agreement.message_post(
                body=self.env._("Renewal %(renewal)s drafted.", renewal=renewal.name),
                subtype_xmlid="mail.mt_note",
            )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Renewals"),
            "res_model": self._name,
        }
        if len(renewals) == 1:
            action.update(view_mode="form", res_id=renewals.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", renewals.ids)])
        return action

    @api.readonly
    def action_view_renewals(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renewals"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("renewed_from_id", "=", self.id)],
        }

    # Scheduler -------------------------------------------------------------

    @api.model
    def _renewal_reminder_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("village_service.renewal_reminder_days", 30)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return 30

    @api.model
    def _expire_domain(self):
        # the service area's day, whoever runs the job
        return [("state", "=", "active"), ("date_end", "<", self.env["village.service.area"]._today())]

    @api.model
    def _remind_domain(self):
        limit = self.env["village.service.area"]._today() + timedelta(days=self._renewal_reminder_days())
        return [
            ("state", "=", "active"),
            ("renewal_reminded", "=", False),
            ("date_end", "!=", False),
            ("date_end", "<=", limit),
        ]

    def _expire(self):
        self._village_workflow_write({"state": "expired"})

    def _schedule_renewal_activity(self):
        for agreement in self:
            # a successor already drafted or signed: no reminder needed
            if not agreement.renewal_ids.filtered(lambda r: r.state in ("draft", "active")):
                agreement.activity_schedule(
                    "village_service.mail_activity_type_agreement_renewal",
                    date_deadline=agreement.date_end,
                    summary=self.env._("Renew agreement %(name)s", name=agreement.name),
                    user_id=(agreement.manager_id or agreement.station_id.user_id or self.env.user).id,
                )
        self._village_workflow_write({"renewal_reminded": True})

    @api.model
    def _cron_expire_and_remind(self):
        """Expire the past-end agreements, then plan one renewal activity per
        agreement ending within N days. Each batch is committed with its
        progress; since processed records leave the domains, a rerun after a
        crash resumes where the last committed batch stopped."""
        Cron = self.env["ir.cron"]
        batch_size = self._cron_batch_size
        expire_domain = self._expire_domain()
        remind_domain = self._remind_domain()
        Agreement = self.with_context(active_test=False)
        Cron._commit_progress(remaining=Agreement.search_count(expire_domain) + Agreement.search_count(remind_domain))
        for domain, method in ((expire_domain, "_expire"), (remind_domain, "_schedule_renewal_activity")):
            while batch := Agreement.search(domain, limit=batch_size, order="date_end, id"):
                getattr(batch, method)()
                remaining = Agreement.search_count(domain)
                if method == "_expire":
                    remaining += Agreement.search_count(remind_domain)
                if not Cron._commit_progress(len(batch), remaining=remaining):
                    return
