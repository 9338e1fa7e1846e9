from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class MailActivity(models.Model):
    _inherit = "mail.activity"

    inquiry_rule_id = fields.Many2one(
        "village.inquiry.rule",
        string="Inquiry Rule",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    # what ties an inquiry to its household, village and cadence
    _village_inquiry_links = ("inquiry_rule_id", "res_model", "res_model_id", "res_id")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("inquiry_rule_id") for vals in vals_list):
            raise UserError(self.env._("Inquiries are scheduled by their cadence rules, not created by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if (
            not self.env.su
            and any(name in vals for name in self._village_inquiry_links)
            and (vals.get("inquiry_rule_id") or any(self.mapped("inquiry_rule_id")))
        ):
            raise UserError(
                self.env._("An inquiry stays with the household or village it was scheduled for; nothing was changed.")
            )
        res = super().write(vals)
        if "date_deadline" in vals and any(self.mapped("inquiry_rule_id")):
            states = self.env["village.inquiry.state"].sudo().search([("activity_id", "in", self.ids)])
            today = self.env["village.service.area"]._today()
            for state in states:
                deadline = state.activity_id.date_deadline
                state.write({"date_deadline": deadline, "status": "overdue" if deadline < today else "due"})
        return res

    def _action_done(self, feedback=False, attachment_ids=None):
        inquiries = self.filtered(
            lambda activity: activity.inquiry_rule_id and activity.res_model == "res.partner" and activity.active
        )
        # read before the activities are archived or deleted (the state's link is cleared then)
        states = {
            state.activity_id.id: state
            for state in self.env["village.inquiry.state"].sudo().search([("activity_id", "in", inquiries.ids)])
        }
        done = [
            (states[activity.id], activity.inquiry_rule_id, activity.res_id, activity.date_deadline)
            for activity in inquiries
            if activity.id in states
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if done:
            self._village_inquiry_done(done, feedback)
        return result

    def _village_inquiry_done(self, inquiries, feedback):
        """Record the completion: the next inquiry falls due one interval
        after today; a rule may also log a meeting with the feedback. Only the
        activity the scheduler planned for a target (its state's open
        activity) counts for that target."""
        today = self.env["village.service.area"]._today()
        # the Inquired dialog (wizards/village_inquiry_done.py) says what the inquiry found
        outcome = self.env.context.get("village_inquiry_outcome")
        if outcome not in dict(self.env["village.inquiry.state"]._fields["last_outcome"].selection):
            outcome = False
        rules = self.env["village.inquiry.rule"].sudo().with_context(active_test=False)
        partners = self.env["res.partner"].sudo()
        meeting_vals = []
        for state, inquiry_rule, partner_id, deadline in inquiries:
            if state.rule_id != inquiry_rule or state.partner_id.id != partner_id:
                continue  # not the activity the scheduler planned for this target
            rule = rules.browse(inquiry_rule.id)
            on_time = today <= deadline
            state.write(
                {
                    "last_done": today,
                    "last_deadline": deadline,
                    "next_due": today + rule._get_interval(),
                    "status": "done" if on_time else "late",
                    "activity_id": False,
                    "date_deadline": False,
                    "done_count": state.done_count + 1,
                    "on_time_count": state.on_time_count + int(on_time),
                    "last_outcome": outcome,
                    "last_note": (outcome and self.env.context.get("village_inquiry_note")) or False,
                }
            )
            partner = partners.browse(partner_id)
            if rule.meeting_kind and partner.village_id:
                meeting_vals.append(
                    {
                        "kind": rule.meeting_kind,
                        "state": "done",
                        "date": fields.Datetime.now(),
                        "village_id": partner.village_id.id,
                        "partner_id": partner.id if partner != partner.village_id else False,
                        "partner_ids": [partner.id],
                        "attendee_count": 1,
                        "user_id": self.env.user.id,
                        "user_ids": [self.env.user.id],
                        "minutes": plaintext2html(feedback) if feedback else False,
                        "name": self.env._("%(rule)s · %(partner)s", rule=rule.name, partner=partner.name),
                    }
                )
        if meeting_vals:
            # logged by the system for the user, wherever the target lies
            self.env["village.meeting"].with_user(SUPERUSER_ID).create(meeting_vals)
