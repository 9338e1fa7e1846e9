from odoo import fields, models


class VillageAgreementTerminate(models.TransientModel):
    _name = "village.agreement.terminate"
    _description = "Terminate a Service-Point Agreement"

    agreement_ids = fields.Many2many(
        "village.agreement",
        string="Agreements",
        default=lambda self: (
            self.env.context.get("active_model") == "village.agreement" and self.env.context.get("active_ids")
        ),
    )
    date = fields.Date(
        string="Terminated on",
        required=True,
        default=lambda self: self.env["village.service.area"]._today(),
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.agreement_ids._terminate(self.reason, self.date)
        return {"type": "ir.actions.act_window_close"}
