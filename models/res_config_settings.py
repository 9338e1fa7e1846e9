from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    village_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days before end)",
        config_parameter="village_service.renewal_reminder_days",
        default=30,
    )
    village_large_demand_kw = fields.Float(
        string="Large Demand (kW)",
        config_parameter="village_service.large_demand_kw",
        default=50.0,
        help="Demands of at least this power, needed within six months, are listed as large demands.",
    )
