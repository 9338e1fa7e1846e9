from odoo import api, fields, models

from ..models.crm_lead import POWER_DEMAND_TYPES


class HelpdeskTicketCreateLead(models.TransientModel):
    """A problem ticket that turns out to be a power demand becomes a lead
    carrying the ticket's village and the demand figures."""

    _inherit = "helpdesk.ticket.create.lead"

    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    power_demand_type = fields.Selection(POWER_DEMAND_TYPES, string="Demand Type")
    power_demand_kw = fields.Float(string="Demand (kW)", digits=(16, 1))
    power_needed_by = fields.Date(string="Needed By")

    @api.model
    def default_get(self, fields):
        vals = super().default_get(fields)
        ticket = self.env["helpdesk.ticket"].browse(vals.get("ticket_id"))
        if "village_id" in fields and ticket.village_id and not vals.get("village_id"):
            vals["village_id"] = ticket.village_id.id
        return vals

    def _prepare_vals(self):
        vals = super()._prepare_vals()
        vals.update(
            {
                "village_id": (self.village_id or self.ticket_id.village_id).id,
                "power_demand_type": self.power_demand_type,
                "power_demand_kw": self.power_demand_kw,
                "power_needed_by": self.power_needed_by,
            }
        )
        return vals
