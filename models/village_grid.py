from odoo import api, fields, models


class VillageGridSubstation(models.Model):
    """A substation (变电站) of the bureau, from which 10 kV feeders leave."""

    _name = "village.grid.substation"
    _description = "Substation"
    _inherit = ["village.link.guard"]
    _order = "code, name, id"
    _rec_names_search = ["code", "name"]

    name = fields.Char(string="Substation", required=True)
    code = fields.Char(string="Code", required=True, copy=False, help="The grid's own code, used to import by code.")
    company_id = fields.Many2one("res.company", string="Company", default=lambda self: self.env.company, index=True)
    feeder_ids = fields.One2many("village.grid.feeder", "substation_id", string="Feeders")
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a substation must be unique.")

    @api.depends("name", "code")
    def _compute_display_name(self):
        for substation in self:
            substation.display_name = f"[{substation.code}] {substation.name}" if substation.code else substation.name

    @api.model_create_multi
    def create(self, vals_list):
        return super(VillageGridSubstation, self._village_check_create(vals_list)).create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        return super().write(vals)


class VillageGridFeeder(models.Model):
    """A 10 kV feeder (线路) from a substation, run by a power supply station;
    the transformer areas hang off it."""

    _name = "village.grid.feeder"
    _description = "Feeder"
    _inherit = ["village.link.guard"]
    _order = "code, name, id"
    _rec_names_search = ["code", "name"]

    name = fields.Char(string="Feeder", required=True)
    code = fields.Char(string="Code", required=True, copy=False, help="The grid's own code, used to import by code.")
    substation_id = fields.Many2one(
        "village.grid.substation", string="Substation", index="btree_not_null", ondelete="restrict"
    )
    station_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Power Supply Station",
        index="btree_not_null",
        domain="[('is_station', '=', True)]",
        ondelete="restrict",
    )
    area_ids = fields.One2many("village.transformer.area", "feeder_id", string="Transformer Areas")
    area_count = fields.Integer(string="Transformer Areas Count", compute="_compute_area_count")
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a feeder must be unique.")

    @api.depends("name", "code")
    def _compute_display_name(self):
        for feeder in self:
            feeder.display_name = f"[{feeder.code}] {feeder.name}" if feeder.code else feeder.name

    def _compute_area_count(self):
        counts = dict(
            self.env["village.transformer.area"]._read_group(
                [("feeder_id", "in", self.ids)], ["feeder_id"], ["__count"]
            )
        )
        for feeder in self:
            feeder.area_count = counts.get(feeder, 0)

    @api.model_create_multi
    def create(self, vals_list):
        return super(VillageGridFeeder, self._village_check_create(vals_list)).create(vals_list)

    def write(self, vals):
        self._village_check_client_vals(vals)
        return super().write(vals)
