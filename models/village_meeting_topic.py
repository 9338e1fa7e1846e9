from odoo import fields, models


class VillageMeetingTopic(models.Model):
    _name = "village.meeting.topic"
    _description = "Meeting Topic"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A meeting topic with this name already exists.")
