from odoo import fields, models
from odoo.addons.base.models.res_partner import _tz_get


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    village_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (days before end)",
        config_parameter="village_service.renewal_reminder_days",
        default=30,
    )
    village_allow_self_closeout = fields.Boolean(
        string="Rectifier may close out",
        config_parameter="village_service.allow_self_closeout",
        help="Allow the person who recorded a rectification to close the problem out too.",
    )
    village_tz = fields.Selection(
        _tz_get,
        string="Time Zone of the Service Area",
        config_parameter="village_service.tz",
        default="Asia/Shanghai",
        help="Where a day starts and ends for scheduled jobs, statistics and deadlines.",
    )
    village_large_demand_kw = fields.Float(
        string="Large Demand (kW)",
        config_parameter="village_service.large_demand_kw",
        default=50.0,
        help="Demands of at least this power, needed within six months, are listed as large demands.",
    )
