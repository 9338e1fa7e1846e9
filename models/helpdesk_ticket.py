from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    village_id = fields.Many2one(
        "res.partner",
        string="Village",
        compute="_compute_village_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain="[('village_kind', 'in', ('village', 'community'))]",
    )
    chat_group_id = fields.Many2one(
        "village.chat.group", string="WeChat Group", index="btree_not_null", tracking=True
    )

    @api.depends("partner_id")
    def _compute_village_id(self):
        for ticket in self:
            if ticket.partner_id.village_id:
                ticket.village_id = ticket.partner_id.village_id

    meeting_id = fields.Many2one(
        "village.meeting", string="Meeting", index="btree_not_null", tracking=True, ondelete="set null"
    )
