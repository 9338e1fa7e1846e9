from odoo import fields, models


class VillageCareTag(models.Model):
    _name = "village.care.tag"
    _description = "Care Tag"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A care tag with this name already exists.")
