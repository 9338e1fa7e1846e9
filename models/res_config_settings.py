from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    village_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days before end)",
        config_parameter="village_service.renewal_reminder_days",
        default=30,
    )
