from odoo import api, models
from odoo.exceptions import UserError, ValidationError


class VillageLinkGuard(models.AbstractModel):
    """What a client may send in `create`/`write` (web client, JSON-RPC,
    import, copy) to the official records (problems, demands, villages,
    agreements, meetings, WeChat groups, inquiry rules). Each of them calls
    `_village_check_create`/`_village_check_client_vals` first thing in its
    create/write, before its own code or the upstream code reads the values.

    Links: `Many2one.convert_to_cache` turns a value that is not an id -- a
    string, a list, a float -- into an empty link, which would silently clear
    the village, station or manager of a record. Here it is an error.

    Workflow fields (`_village_workflow_fields`, a state and its who/when) and
    derived fields (computed or related, read-only, of this addon, which the
    ORM would store as sent): refused, also as `default_<field>` in the
    context. Action methods check the transition and write them with
    `_village_workflow_write`, in superuser mode, which no client reaches."""

    _name = "village.link.guard"
    _description = "Client Input Check"

    _village_workflow_fields = ()

    @api.model
    def _village_check_create(self, vals_list):
        """Check `vals_list` of a client's create; return the model to create
        with, without the client-sent `default_<field>` of forged fields."""
        for vals in vals_list:
            self._village_check_client_vals(vals)
        forged = [] if self.env.su else [key for key in self.env.context if self._village_is_forged(key, "default_")]
        return self.with_context({k: v for k, v in self.env.context.items() if k not in forged}) if forged else self

    @api.model
    def _village_is_forged(self, name, prefix=""):
        """A field no client writes: a workflow field, or one of this addon
        computed from others (a village's township, a demand's station)."""
        field = self._fields.get(name.removeprefix(prefix)) if name.startswith(prefix) else None
        if field is None:
            return False
        derived = field._module == "village_service" and field.compute and field.readonly and not field.inverse
        return field.name in self._village_workflow_fields or bool(derived)

    @api.model
    def _village_check_client_vals(self, vals):
        self._village_check_links(vals)
        forged = [] if self.env.su else [name for name in vals if self._village_is_forged(name)]
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
    def _village_check_links(self, vals):
        """Many2one values must be ids; a record or an (id, name) pair from
        the code is made its id, as the overrides read the value with browse()."""
        for name, sent in vals.items():
            field = self._fields.get(name)
            if field is None or field.type != "many2one" or not sent:
                continue
            value = sent
            if isinstance(sent, models.BaseModel) and sent._name == field.comodel_name and len(sent) == 1:
                value = vals[name] = sent.id
            elif type(sent) is tuple and type(sent[0]) is int:
                value = vals[name] = sent[0]
            if type(value) is not int or value <= 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(value)s is not the id of a record; nothing was changed.",
                        field=field._description_string(self.env),
                        value=repr(sent)[:60],
                    )
                )

    def _village_workflow_write(self, vals):
        """Write workflow fields for an action method that has checked the
        transition: the user must be allowed to write the records (access
        rights and record rules), and stays their author (write_uid, tracking)."""
        self.check_access("write")
        return self.sudo().write(vals)
