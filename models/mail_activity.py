from odoo import SUPERUSER_ID, fields, models
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

    def write(self, vals):
        res = super().write(vals)
        if "date_deadline" in vals and any(self.mapped("inquiry_rule_id")):
            states = self.env["village.inquiry.state"].sudo().search([("activity_id", "in", self.ids)])
            today = fields.Date.context_today(self)
            for state in states:
                deadline = state.activity_id.date_deadline
                state.write({"date_deadline": deadline, "status": "overdue" if deadline < today else "due"})
        return res

    def _action_done(self, feedback=False, attachment_ids=None):
        inquiries = [
            (activity.inquiry_rule_id, activity.res_id, activity.date_deadline)
            for activity in self
            if activity.inquiry_rule_id and activity.res_model == "res.partner" and activity.active
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if inquiries:
            self._village_inquiry_done(inquiries, feedback)
        return result

    def _village_inquiry_done(self, inquiries, feedback):
        """Record the completion: the next inquiry falls due one interval
        after today; a rule may also log a meeting with the feedback."""
        today = fields.Date.context_today(self)
        State = self.env["village.inquiry.state"].sudo()
        rules = self.env["village.inquiry.rule"].sudo().with_context(active_test=False)
        partners = self.env["res.partner"].sudo()
        states = {
            (state.rule_id.id, state.partner_id.id): state
            for state in State.search(
                [
                    ("rule_id", "in", [rule.id for rule, _pid, _deadline in inquiries]),
                    ("partner_id", "in", [pid for _rule, pid, _deadline in inquiries]),
                ]
            )
        }
        meeting_vals = []
        for inquiry_rule, partner_id, deadline in inquiries:
            rule = rules.browse(inquiry_rule.id)
            on_time = today <= deadline
            vals = {
                "last_done": today,
                "last_deadline": deadline,
                "next_due": today + rule._get_interval(),
                "status": "done" if on_time else "late",
                "activity_id": False,
                "date_deadline": False,
            }
            state = states.get((rule.id, partner_id))
            if state:
                state.write(
                    {
                        **vals,
                        "done_count": state.done_count + 1,
                        "on_time_count": state.on_time_count + int(on_time),
                    }
                )
            else:
                State.create(
                    {
                        "rule_id": rule.id,
                        "partner_id": partner_id,
                        "user_id": self.env.user.id,
                        "done_count": 1,
                        "on_time_count": int(on_time),
                        **vals,
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
