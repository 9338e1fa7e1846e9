from odoo import api, models
from odoo.exceptions import ValidationError


class VillageLinkGuard(models.AbstractModel):
    """Refuses a value for a link (Many2one) that is not a record id.

    The ORM turns anything it does not recognise as an id -- a dict, a list, a
    string, a float -- into an empty link: over RPC or in an import such a
    value would silently clear the village, station or manager of an official
    record. Here it is an error that names the field instead."""

    _name = "village.link.guard"
    _description = "Link Value Check"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._village_check_links(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._village_check_links(vals)
        return super().write(vals)

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
