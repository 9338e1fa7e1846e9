from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Which kinds of area may stand directly above each kind ("" = a household or
# any other contact of a village).
ALLOWED_PARENT_KINDS = {
    "township": (),
    "village": ("township",),
    "community": ("township",),
    "group": ("village", "community"),
    "": ("village", "community", "group"),
}

# The structure of the service area, kept by the bureau (group_village_manager):
# on an area partner (a township, village, community or village group) these
# fields; a township as a whole (record rules); on any partner, the station and
# account manager (only villages use them) and turning it into an area.
VILLAGE_STRUCTURE_FIELDS = ("village_kind", "village_parent_id", "village_station_id", "village_manager_id", "active")
# Derived from the hierarchy, written by nobody (the ORM recomputes them)
VILLAGE_DERIVED_FIELDS = ("village_id", "village_township_id")
# One2many views of links kept on the other side: the ORM assigns the inverse
# of a linked or unlinked line without the line's write() (no record rule, no
# check), so a client may only create lines, edit them (their own write) or
# delete them (their own unlink), and only in the area list; the others are read only.
VILLAGE_LINE_COMMANDS = {
    "village_child_ids": (Command.CREATE, Command.UPDATE, Command.DELETE),
    "village_member_ids": (),
    "village_contact_village_ids": (),
    "village_agreement_ids": (),
    "village_relative_ids": (Command.CREATE, Command.UPDATE, Command.DELETE),
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "village.link.guard"]

    village_kind = fields.Selection(
        [
            ("township", "Township"),
            ("village", "Village Committee"),
            ("community", "Community / Street Office"),
            ("group", "Village Group"),
        ],
        string="Area Kind",
        index=True,
        tracking=True,
        help="Set on the partners that make up the service area; empty for households and ordinary contacts.",
    )
    village_parent_id = fields.Many2one(
        "res.partner",
        string="Parent Area",
        index=True,
        tracking=True,
        domain="[('village_kind', '!=', False)]",
        help="The area above: a group's village, a village's township, or for a "
        "household its village or village group.",
    )
    village_child_ids = fields.One2many("res.partner", "village_parent_id", string="Areas and Households Below")
    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        compute="_compute_village_id",
        store=True,
        recursive=True,
        index=True,
        help="The village committee or community this partner belongs to.",
    )
    village_township_id = fields.Many2one(
        "res.partner",
        string="Township",
        compute="_compute_village_township_id",
        store=True,
        recursive=True,
        index=True,
    )
    village_station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        index=True,
        tracking=True,
        domain="[('is_station', '=', True)]",
    )
    village_manager_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        index=True,
        tracking=True,
        help="The grid account manager who serves this village.",
    )
    village_contact_id = fields.Many2one(
        "res.partner",
        string="Village Contact",
        tracking=True,
        help="The full-time contact appointed by the village committee.",
    )
    village_contact_village_ids = fields.One2many(
        "res.partner", "village_contact_id", string="Contact of the Villages", readonly=True
    )
    village_household_count = fields.Integer(string="Households")
    village_structure_editable = fields.Boolean(
        string="May Edit the Service Area",
        compute="_compute_village_structure_editable",
        help="Technical: the bureau edits the structure of the service area.",
    )
    care_tag_ids = fields.Many2many("village.care.tag", string="Care Tags", help="e.g. elderly living alone")
    village_chat_group_ids = fields.Many2many(
        "village.chat.group",
        "village_chat_group_village_rel",
        "village_id",
        "chat_group_id",
        string="WeChat Groups",
    )
    # A household not known to have a smartphone is reached by phone or visit
    # (outage notices, inquiries): the safe default is "no", since a wrong "no"
    # costs a call and a wrong "yes" leaves someone without power unwarned.
    village_has_smartphone = fields.Boolean(
        string="Has a Smartphone",
        default=False,
        help="Households without one get outage notices by phone or visit, not through the WeChat groups.",
    )
    village_relation = fields.Char(
        string="Relation",
        help="How this contact is related to the household, e.g. son, works in Guangzhou.",
    )
    village_relative_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Relatives to Call",
        domain=[("active", "=", True)],
        help="The household's relatives (children working away...) to call when the household cannot be reached.",
    )
    village_member_ids = fields.One2many("res.partner", "village_id", string="Members of the Village")
    transformer_area_id = fields.Many2one(
        "village.transformer.area",
        string="Transformer Area",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        domain="[('village_ids', '=', village_id)]",
        help="The transformer area that supplies this household: one of the areas serving its village.",
    )
    # the areas serving a village, as its reader may see them (kept on the areas by the bureau)
    village_transformer_area_ids = fields.Many2many(
        "village.transformer.area",
        string="Transformer Areas",
        compute="_compute_village_transformer_area_ids",
        groups="village_service.group_village_user",
    )
    village_member_count = fields.Integer(string="Registered Households", compute="_compute_village_member_count")
    village_agreement_ids = fields.One2many("village.agreement", "village_id", string="Agreements")
    village_agreement_count = fields.Integer(string="Agreements Count", compute="_compute_village_agreement_count")
    village_has_active_agreement = fields.Boolean(
        string="Has an Active Agreement",
        compute="_compute_village_has_active_agreement",
        search="_search_village_has_active_agreement",
        # read and searched with the reader's rights on agreements: only for the app's users
        groups="village_service.group_village_user",
    )

    _village_household_count_positive = models.Constraint(
        "CHECK(village_household_count >= 0)",
        "The number of households of a village cannot be negative.",
    )

    @api.depends("village_kind", "village_parent_id.village_id")
    def _compute_village_id(self):
        for partner in self:
            if partner.village_kind in ("village", "community"):
                partner.village_id = partner
            elif partner.village_kind == "township":
                partner.village_id = False
            else:
                partner.village_id = partner.village_parent_id.village_id

    @api.depends("village_kind", "village_parent_id.village_township_id")
    def _compute_village_township_id(self):
        for partner in self:
            if partner.village_kind == "township":
                partner.village_township_id = partner
            else:
                partner.village_township_id = partner.village_parent_id.village_township_id

    @api.depends_context("uid")
    def _compute_village_structure_editable(self):
        self.village_structure_editable = self._village_may_edit_structure()

    def _compute_village_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("village_id", "in", self.ids), ("village_kind", "=", False)],
                ["village_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.village_member_count = counts.get(partner, 0)

    def _compute_village_transformer_area_ids(self):
        Area = self.env["village.transformer.area"]
        by_village = Area._by_village(self.filtered(lambda p: p.village_kind in ("village", "community")))
        for partner in self:
            partner.village_transformer_area_ids = by_village.get(partner.id, Area)

    def _compute_village_agreement_count(self):
        counts = dict(
            self.env["village.agreement"]._read_group([("village_id", "in", self.ids)], ["village_id"], ["__count"])
        )
        for partner in self:
            partner.village_agreement_count = counts.get(partner, 0)

    def _compute_village_has_active_agreement(self):
        covered = set(
            self.env["village.agreement"]
            .search([("village_id", "in", self.ids), ("state", "=", "active")])
            .village_id.ids
        )
        for partner in self:
            partner.village_has_active_agreement = partner.id in covered

    def _search_village_has_active_agreement(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [("village_agreement_ids", "any", [("state", "=", "active")])]

    def _village_without_agreement(self):
        """The villages and communities of self without a draft or active agreement."""
        villages = self.filtered(lambda p: p.village_kind in ("village", "community"))
        taken = (
            self.env["village.agreement"]
            .sudo()
            .search([("village_id", "in", villages.ids), ("state", "in", ("draft", "active"))])
            .village_id
        )
        return villages - taken

    @api.constrains("village_kind", "village_parent_id")
    def _check_village_hierarchy(self):
        for partner in self:
            parent = partner.village_parent_id
            if not parent:
                continue
            if parent == partner:
                raise ValidationError(self.env._("%(name)s cannot be its own parent area.", name=partner.name))
            allowed = ALLOWED_PARENT_KINDS[partner.village_kind or ""]
            if parent.village_kind not in allowed:
                raise ValidationError(self._village_parent_error(partner, parent))
        if self._has_cycle("village_parent_id"):
            raise ValidationError(
                self.env._("The service area cannot contain a cycle: an area cannot lie below itself.")
            )

    @api.constrains("transformer_area_id", "village_parent_id")
    def _check_transformer_area_of_village(self):
        for partner in self:
            area = partner.transformer_area_id
            if area and partner.village_id not in area.sudo().village_ids:
                raise ValidationError(
                    self.env._(
                        "Transformer area %(area)s does not serve %(village)s, the village of %(name)s.",
                        area=area.sudo().display_name,
                        village=partner.village_id.name or self.env._("no village"),
                        name=partner.name,
                    )
                )

    def _village_parent_error(self, partner, parent):
        kinds = dict(self._fields["village_kind"]._description_selection(self.env))
        if not partner.village_kind:
            return self.env._(
                "%(name)s is a household: it must belong to a village committee, a "
                "community or a village group, not to %(parent)s.",
                name=partner.name,
                parent=parent.name,
            )
        if partner.village_kind == "township":
            return self.env._("A township is the top of the service area and has no parent area.")
        return self.env._(
            "%(kind)s %(name)s cannot lie below %(parent)s (%(parent_kind)s): "
            "a village group belongs to a village committee or community, and a "
            "village committee or community to a township.",
            kind=kinds[partner.village_kind],
            name=partner.name,
            parent=parent.name,
            parent_kind=kinds.get(parent.village_kind) or self.env._("household"),
        )

    # Structure of the service area -----------------------------------------

    @api.model
    def _village_may_edit_structure(self):
        """The bureau keeps the structure; scheduled jobs and the code's own
        writes run in superuser mode, which no client reaches."""
        return self.env.su or self.env.user.has_group("village_service.group_village_manager")

    @api.model_create_multi
    def create(self, vals_list):
        checked = self._village_check_create(vals_list)
        if self.env.su:
            return super(ResPartner, checked).create(vals_list)._village_contacts_created()
        # a client-sent default_<field> would set the field as well: dropped for
        # the derived fields and (but for the bureau) the structure, checked for
        # the parent area and the village contact
        dropped = set(VILLAGE_DERIVED_FIELDS)
        if not self._village_may_edit_structure():
            dropped.update(("village_kind", "village_station_id", "village_manager_id"))
        forged = {f"default_{name}" for name in dropped} & set(self.env.context)
        context = {k: v for k, v in checked.env.context.items() if k not in forged}
        partners = checked.with_context(context) if forged else checked
        defaults = {
            name: self.env.context[f"default_{name}"]
            for name in ("village_parent_id", "village_contact_id")
            if f"default_{name}" in self.env.context
        }
        for vals in vals_list:
            partners._village_check_client_structure(partners.browse(), {**defaults, **vals})
        return super(ResPartner, partners).create(vals_list)._village_contacts_created()

    def write(self, vals):
        self._village_check_client_vals(vals)
        if not self.env.su:
            self._village_check_client_structure(self, vals)
        # each partner's village contact before the write, and whether it was active
        watched = {"village_contact_id", "active"} & vals.keys()
        before = {partner: (partner.village_contact_id, partner.active) for partner in self} if watched else {}
        result = super().write(vals)
        if any(
            contact != partner.village_contact_id or (contact and active != partner.active)
            for partner, (contact, active) in before.items()
        ):
            self._village_contacts_changed()
        return result

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # the inquiry job made the assignees of a batch followers of their
        # targets at once (village.inquiry.rule._village_subscribe_assignees);
        # mail.activity's create would subscribe them again, one user at a
        # time. Only pairs the job set (a frozenset no client can send) skip.
        done = self.env.context.get("village_followers_added")
        if (
            isinstance(done, frozenset)
            and partner_ids
            and not subtype_ids
            and all((res_id, pid) in done for res_id in self.ids for pid in partner_ids)
        ):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _village_contacts_created(self):
        if self.village_contact_id:
            self._village_contacts_changed()
        return self

    @api.model
    def _village_contacts_changed(self):
        """The portal's record rules read the villages a user is the contact
        of (`user.partner_id.village_contact_village_ids`), and Odoo caches a
        rule's domain per user: when a village gets, changes or loses its
        contact, or is archived or restored, that cache is dropped, so that
        the former contact no longer reads its problems and outage notices,
        and the new one does, from their next request on."""
        self.env.registry.clear_cache()

    @api.model
    def _village_check_client_structure(self, partners, vals):
        """Refuse what a client may not change (on create `partners` is empty):
        the derived village and township, for everyone; the structure, for all
        but the bureau; a household's parent area and a village's contact must
        be partners the user may see. Unchanged values pass (an import of an
        exported file sends every column)."""
        for name, allowed in VILLAGE_LINE_COMMANDS.items():
            if any(
                not isinstance(command, (list, tuple)) or command[0] not in allowed for command in vals.get(name) or ()
            ):
                raise UserError(
                    self.env._(
                        "%(field)s: set the parent area, village or village contact on the partners "
                        "(or agreements) themselves; nothing was changed.",
                        field=self._village_field_names([name]),
                    )
                )
        derived = [name for name in VILLAGE_DERIVED_FIELDS if self._village_changes(partners, name, vals)]
        if derived:
            raise UserError(
                self.env._(
                    "%(fields)s: set by the parent area, never directly; nothing was changed.",
                    fields=self._village_field_names(derived),
                )
            )
        if not self._village_may_edit_structure():
            areas = partners.filtered("village_kind")
            forbidden = [
                name
                for name in ("village_kind", "village_station_id", "village_manager_id")
                if self._village_changes(partners, name, vals)
            ]
            if areas:
                forbidden += [
                    name for name in ("village_parent_id", "active") if self._village_changes(areas, name, vals)
                ]
            # a township as a whole (the record rules say so for the app's users,
            # this for anyone else who may write partners)
            townships = areas.filtered(lambda p: p.village_kind == "township")
            if townships:
                forbidden += [
                    name
                    for name in vals
                    if name in self._fields
                    and name not in forbidden
                    and (
                        self._fields[name].type in ("one2many", "many2many")
                        or self._village_changes(townships, name, vals)
                    )
                ]
            if forbidden:
                raise AccessError(
                    self.env._(
                        "%(fields)s: the service area (townships, villages, communities, village "
                        "groups, their kind, parent area, station, account manager, archiving) is "
                        "kept by the power supply bureau; nothing was changed.",
                        fields=self._village_field_names(forbidden),
                    )
                )
        # a household goes below an area the user may edit (their villages;
        # for the bureau, those of its companies); a village's contact is a
        # partner the user may see
        for name, operation in (("village_parent_id", "write"), ("village_contact_id", "read")):
            if vals.get(name) and self._village_changes(partners, name, vals):
                try:
                    self.browse(vals[name]).check_access(operation)
                except AccessError as exc:
                    raise AccessError(
                        self.env._(
                            "%(field)s: partner %(id)s is not one of yours; nothing was changed.",
                            field=self._village_field_names([name]),
                            id=vals[name],
                        )
                    ) from exc

    @api.model
    def _village_changes(self, partners, name, vals):
        """Whether `vals` changes field `name` of `partners` (for a new
        partner, `partners` empty: whether `vals` sets it)."""
        if name not in vals:
            return False
        if not partners:
            return bool(vals[name])
        field = self._fields[name]
        return any(
            field.convert_to_record(field.convert_to_cache(vals[name], partner), partner) != partner[name]
            for partner in partners
        )

    @api.model
    def _village_field_names(self, names):
        return ", ".join(self._fields[name]._description_string(self.env) for name in names)

    def _village_phones(self):
        """The numbers to call about a household: its own, then its relatives'."""
        return [line["number"] for line in self._village_phone_lines()]

    def _village_phone_lines(self):
        """The numbers of _village_phones, each with whom it calls:
        [{"label", "number"}] (the today screen's tap-to-call links). The
        relatives are read with the reader's rights; called on each household
        of one recordset, it reads the relatives of all at once (prefetch)."""
        self.ensure_one()
        return [
            {"label": partner.name or "", "number": partner.phone}
            for partner in (self, *self.child_ids)
            if partner.phone
        ]

    def _village_check_linkable_by(self, records):
        """The user acting on `records` may link them to these villages:
        account managers and station heads work for the villages of their own
        stations, the bureau anywhere. Called by create/write where a record
        rule cannot say it (a rule sees the record, not the village it is
        given); not a constraint, which also runs for the code's own superuser
        writes."""
        user = records.env.user
        if records.env.su or not user.has_group("village_service.group_village_user"):
            return
        if user.has_group("village_service.group_village_manager"):
            return
        teams = user.sudo().helpdesk_team_ids
        for village in self.sudo().filtered(lambda v: v.village_station_id not in teams)[:1]:
            raise AccessError(
                self.env._(
                    "%(model)s: you cannot link %(village)s, it is not served by one of your power supply stations.",
                    model=self.env["ir.model"]._get(records._name).name,
                    village=village.name,
                )
            )

    @api.model
    def _village_check_station_of(self, records):
        """A record's station is its village's: otherwise the other station
        would see and count it. (A village moved by the bureau to another
        station leaves its records where they are until they are edited.)"""
        for record in records:
            station = record.village_id.sudo().village_station_id
            if record.station_id == station:
                continue
            if not record.village_id:
                raise ValidationError(
                    self.env._(
                        "%(record)s has no village: it cannot be given to %(other)s. Set its village, the "
                        "station follows it.",
                        record=record.display_name,
                        other=record.station_id.name,
                    )
                )
            raise ValidationError(
                self.env._(
                    "%(village)s is served by %(station)s: %(record)s cannot be given to %(other)s.",
                    village=record.village_id.name,
                    station=station.name or self.env._("no station"),
                    record=record.display_name,
                    other=record.station_id.name or self.env._("no station"),
                )
            )

    @api.readonly
    def action_view_village_households(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.res_partner_action_household")
        action["domain"] = [("village_id", "=", self.id), ("village_kind", "=", False)]
        action["context"] = {"default_village_parent_id": self.id}
        return action

    @api.readonly
    def action_view_village_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.village_agreement_action")
        action["domain"] = [("village_id", "=", self.id)]
        action["context"] = {"default_village_id": self.id}
        return action

    village_inquiry_count = fields.Integer(
        string="Inquiries",
        compute="_compute_village_inquiry_count",
        # counted with the reader's rights on inquiries: only for the app's users
        groups="village_service.group_village_user",
    )

    def _compute_village_inquiry_count(self):
        counts = dict(
            self.env["village.inquiry"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.village_inquiry_count = counts.get(partner, 0)

    @api.readonly
    def action_view_village_inquiries(self):
        """The household's inquiries in the order they happened: the chain
        call → committee → visit and what each found."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.village_inquiry_action_household")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"village_household_chain": True}
        action["display_name"] = self.env._("Inquiries of %(partner)s", partner=self.display_name)
        return action

    village_demand_count = fields.Integer(string="Power Demands", compute="_compute_village_demand")
    village_demand_kw = fields.Float(string="Demand (kW)", digits=(16, 1), compute="_compute_village_demand")

    def _compute_village_demand(self):
        """Open and won demands of the village (lost leads are archived)."""
        villages = self.filtered("id")
        groups = self.env["crm.lead"]._read_group(
            [("village_id", "in", villages.ids), ("won_status", "!=", "lost")],
            ["village_id"],
            ["__count", "power_demand_kw:sum"],
        )
        figures = {village: (count, kw) for village, count, kw in groups}
        for partner in self:
            partner.village_demand_count, partner.village_demand_kw = figures.get(partner, (0, 0.0))

    @api.readonly
    def action_view_village_demands(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("village_service.crm_lead_action_demand")
        action["domain"] = [("village_id", "=", self.id)]
        action["context"] = {
            "default_village_id": self.id,
            "default_type": "opportunity",
        }
        return action
