from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError


class VillageLinkGuard(models.AbstractModel):
    """What a client may send in `create`/`write` (web client, JSON-RPC, import, copy).

    Links: the ORM turns anything it does not recognise as an id -- a dict, a
    list, a string, a float -- into an empty link; over RPC or in an import
    such a value would silently clear the village, station or manager of an
    official record. Here it is an error that names the field instead.

    Workflow fields (`_village_workflow_fields`: a state and its who/when):
    written only by the model's action methods, which check the transition and
    then write through `_village_workflow_write` in superuser mode. A client can
    never reach superuser mode, unlike a context key, which it can send.

    Derived fields (computed or related, read-only, of this addon): refused
    too, as the ORM would store a client's value in them."""

    _name = "village.link.guard"
    _description = "Client Input Check"

    # fields written by the action methods only
    _village_workflow_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._village_check_client_vals(vals)
        if not self.env.su:
            # a client-sent default_<field> would set the field on create as well
            forged = {
                key
                for key in self.env.context
                if key.startswith("default_")
                and (key[8:] in self._village_workflow_fields or self._village_is_derived(key[8:]))
            }
            if forged:
                context = {key: value for key, value in self.env.context.items() if key not in forged}
                return super(VillageLinkGuard, self.with_context(context)).create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        return super().write(vals)

    @api.model
    def _village_check_client_vals(self, vals):
        self._village_check_links(vals)
        if self.env.su:
            return
        forged = [name for name in vals if name in self._village_workflow_fields or self._village_is_derived(name)]
        if forged:
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s cannot be written directly: they follow from its buttons "
                    "and its other fields; nothing was changed.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in forged),
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )

    @api.model
    def _village_is_derived(self, name):
        """A field of this addon computed from others (a village's township, a
        demand's station): the ORM stores whatever a client writes into it,
        until the next recomputation."""
        field = self._fields.get(name)
        return bool(
            field and field._module == "village_service" and field.compute and field.readonly and not field.inverse
        )

    def _village_workflow_write(self, vals):
        """Write workflow fields for an action method that has checked the
        transition: the user must be allowed to write the records (access
        rights and record rules), and stays their author (write_uid, tracking)."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _village_check_user_villages(self, villages):
        """The acting user may link `villages` to records of this model: account
        managers and station heads work for the villages of their own stations,
        the bureau anywhere. Called by create/write where a record rule cannot
        say it (a rule sees the record, not who linked which village); not a
        constraint, which runs for every writer including the code's own
        superuser writes."""
        if self.env.su:
            return
        for village in villages._village_outside_user_stations()[:1]:
            raise AccessError(
                self.env._(
                    "%(model)s: you cannot link %(village)s, it is not served by one of your power supply stations.",
                    model=self.env["ir.model"]._get(self._name).name,
                    village=village.name,
                )
            )

    def _village_check_station_of_village(self):
        """A record's station is its village's: otherwise the other station
        would see and count it. (A village moved by the bureau to another
        station leaves its records where they are until they are edited.)"""
        for record in self:
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

    @api.model
    def _village_check_links(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or field.type != "many2one" or not value:
                continue
            if type(value) is int and value > 0:
                continue
            # a record, or the (id, name) pair that name_get-era code still
            # passes: made an id, as the overrides read the value with browse()
            if isinstance(value, models.BaseModel) and value._name == field.comodel_name and len(value) == 1:
                vals[name] = value.id
                continue
            if type(value) is tuple and type(value[0]) is int and value[0] > 0:
                vals[name] = value[0]
                continue
            shown = repr(value)
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not the id of a record; nothing was changed.",
                    field=field._description_string(self.env),
                    value=shown if len(shown) <= 60 else shown[:57] + "...",
                )
            )
