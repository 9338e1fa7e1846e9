from odoo import api, models

from .village_transformer_area import GRID_LOADING_THRESHOLD_PARAM


class IrConfigParameter(models.Model):
    """The grid's loading threshold is a system parameter (Settings): when it
    changes, whichever way (Settings, set_param, an import), the transformer
    areas' stored month of crossing follows."""

    _inherit = "ir.config_parameter"

    @api.model_create_multi
    def create(self, vals_list):
        parameters = super().create(vals_list)
        if parameters._village_is_grid_threshold():
            self.env["village.transformer.area"]._village_threshold_changed()
        return parameters

    def write(self, vals):
        touched = self._village_is_grid_threshold()
        result = super().write(vals)
        if touched or self._village_is_grid_threshold():
            self.env["village.transformer.area"]._village_threshold_changed()
        return result

    def unlink(self):
        touched = self._village_is_grid_threshold()
        result = super().unlink()
        if touched:
            self.env["village.transformer.area"]._village_threshold_changed()
        return result

    def _village_is_grid_threshold(self):
        return any(parameter.key == GRID_LOADING_THRESHOLD_PARAM for parameter in self)
