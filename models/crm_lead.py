from odoo import api, fields, models


class CrmLead(models.Model):
    """Power demand collected in villages, followed up for grid planning."""

    _inherit = "crm.lead"

    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        compute="_compute_village_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    power_demand_type = fields.Selection(
        [
            ("new_connection", "New Connection"),
            ("capacity_increase", "Capacity Increase"),
            ("irrigation", "Irrigation Pumping"),
            ("farming", "Farming"),
            ("relocation", "Relocation"),
            ("other", "Other"),
        ],
        string="Demand Type",
        tracking=True,
    )
    power_demand_kw = fields.Float(string="Demand (kW)", digits=(16, 1), tracking=True)
    power_needed_by = fields.Date(string="Needed By", tracking=True)

    @api.depends("partner_id")
    def _compute_village_id(self):
        for lead in self:
            if lead.partner_id.village_id:
                lead.village_id = lead.partner_id.village_id

    meeting_id = fields.Many2one(
        "village.meeting", string="Meeting", index="btree_not_null", tracking=True, ondelete="set null"
    )
