from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..models.village_inquiry import INQUIRY_OUTCOMES


class VillageInquiryDone(models.TransientModel):
    """The Inquired dialog: what the inquiry found and a note, then the
    inquiry activities are marked done with that feedback (posted in the
    chatter of the household or village) and the outcome is kept on the
    inquiry status."""

    _name = "village.inquiry.done"
    _description = "Mark an Inquiry Done"

    activity_ids = fields.Many2many("mail.activity", string="Inquiries", required=True)
    partner_names = fields.Char(string="Household / Village", compute="_compute_partner_names")
    outcome = fields.Selection(INQUIRY_OUTCOMES, required=True)
    note = fields.Text()

    @api.depends("activity_ids")
    def _compute_partner_names(self):
        for wizard in self:
            wizard.partner_names = ", ".join(name for name in wizard.activity_ids.mapped("res_name") if name)

    @api.readonly
    @api.model
    def action_open(self, activity_ids):
        """The dialog on these inquiry activities (the today screen's and the
        inquiry list's *Inquired*); what it may change is checked on confirm."""
        activities = self.env["mail.activity"].browse(activity_ids)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Inquired"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(self.env.ref("village_service.village_inquiry_done_view_form").id, "form")],
            "target": "new",
            "context": {"default_activity_ids": activities.ids},
        }

    def action_confirm(self):
        self.ensure_one()
        # every activity of the dialog, also those the user cannot read (the
        # relation hides them), checked with the user's own rights: another
        # station's inquiry is refused
        activities = self.sudo().activity_ids.sudo(False)
        activities.check_access("write")
        activities = activities.filtered("active")
        if not activities or any(not activity.inquiry_rule_id for activity in activities):
            raise UserError(self.env._("Only open inquiries can be marked inquired."))
        outcome = dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]
        feedback = self.env._("Outcome: %(outcome)s", outcome=outcome)
        if self.note:
            feedback = f"{feedback}\n{self.note}"
        households = (
            self.env["res.partner"]
            .sudo()
            .browse(
                activity.res_id
                for activity in activities.sudo()
                if activity.res_model == "res.partner" and activity.inquiry_rule_id
            )
        )
        activities.with_context(
            village_inquiry_outcome=self.outcome, village_inquiry_note=self.note or False
        ).action_feedback(feedback=feedback)
        household = households.filtered(lambda partner: not partner.village_kind and partner.village_id)[:1]
        if self.outcome == "answered_need" and household:
            return self._action_new_problem(household)
        return {"type": "ir.actions.act_window_close"}

    def _action_new_problem(self, household):
        """A new problem about the household that needs something, prefilled
        with its village, station and the note."""
        village = household.village_id
        context = {
            "default_partner_id": household.id,
            "default_village_id": village.id,
            "default_name": self.env._("Need of %(household)s", household=household.name),
        }
        if village.village_station_id:
            context["default_team_id"] = village.village_station_id.id
        if self.note:
            context["default_description"] = plaintext2html(self.note)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Problem"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }
