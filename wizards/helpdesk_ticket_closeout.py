from odoo import fields, models


class HelpdeskTicketCloseout(models.TransientModel):
    """The revisit (回访) that precedes a close-out: the customer is asked
    whether the rectification solved the problem."""

    _name = "helpdesk.ticket.closeout"
    _description = "Close Out Problems"

    ticket_ids = fields.Many2many("helpdesk.ticket", string="Problems", required=True)
    satisfaction = fields.Selection(
        [("satisfied", "Satisfied"), ("not_satisfied", "Not Satisfied")],
        string="Revisit Result",
        required=True,
        default="satisfied",
    )
    note = fields.Text(string="Revisit Note", help="What the customer said at the revisit.")

    def action_confirm(self):
        self.ensure_one()
        self.ticket_ids._closeout(self.satisfaction == "satisfied", self.note)
        return {"type": "ir.actions.act_window_close"}
