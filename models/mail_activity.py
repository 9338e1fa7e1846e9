from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .village_inquiry import INQUIRY_OUTCOMES


class MailActivity(models.Model):
    _inherit = "mail.activity"

    inquiry_rule_id = fields.Many2one(
        "village.inquiry.rule",
        string="Inquiry Rule",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    # what the inquiry found, kept on the done (archived) activity: the
    # activities are the history of the three inquiries
    village_inquiry_outcome = fields.Selection(INQUIRY_OUTCOMES, string="Inquiry Outcome", readonly=True, copy=False)
    village_inquiry_note = fields.Text(string="Inquiry Note", readonly=True, copy=False)

    # what ties an inquiry to its household, village and cadence
    _village_inquiry_links = ("inquiry_rule_id", "res_model", "res_model_id", "res_id")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("inquiry_rule_id") for vals in vals_list):
            raise UserError(self.env._("Inquiries are scheduled by their cadence rules, not created by hand."))
        if not self.env.su and any(
            vals.get("village_inquiry_outcome") or vals.get("village_inquiry_note") for vals in vals_list
        ):
            raise UserError(self.env._("The outcome of an inquiry is recorded by marking it inquired."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and ("village_inquiry_outcome" in vals or "village_inquiry_note" in vals):
            raise UserError(self.env._("The outcome of an inquiry is recorded by marking it inquired."))
        if (
            not self.env.su
            and any(name in vals for name in self._village_inquiry_links)
            and (vals.get("inquiry_rule_id") or any(self.mapped("inquiry_rule_id")))
        ):
            raise UserError(
                self.env._("An inquiry stays with the household or village it was scheduled for; nothing was changed.")
            )
        return super().write(vals)

    def _action_done(self, feedback=False, attachment_ids=None):
        inquiries = self.filtered(
            lambda activity: activity.inquiry_rule_id and activity.res_model == "res.partner" and activity.active
        )
        done = [(activity.inquiry_rule_id, activity.res_id) for activity in inquiries]
        outcome = self.env.context.get("village_inquiry_outcome")
        if outcome not in dict(INQUIRY_OUTCOMES):
            outcome = False
        if inquiries and outcome:
            # on the activity itself, before it is archived as done: the
            # activities are the history of the three inquiries
            inquiries.sudo().write(
                {
                    "village_inquiry_outcome": outcome,
                    "village_inquiry_note": self.env.context.get("village_inquiry_note") or False,
                }
            )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if done:
            # done on the service area's day (mail dates it in UTC: 07:30 in
            # Shanghai would be the day before), which "on time" compares
            # with the due date
            inquiries.exists().sudo().write({"date_done": self.env["village.service.area"]._today()})
            self._village_inquiry_done(done, feedback, outcome)
        return result

    def _village_inquiry_done(self, inquiries, feedback, outcome):
        """After a completion: a rule may log a meeting with the feedback, and
        the outcome schedules the next link of the chain. The next inquiry of
        the cadence is planned by the daily job, one interval after this one."""
        rules = self.env["village.inquiry.rule"].sudo().with_context(active_test=False)
        partners = self.env["res.partner"].sudo()
        meeting_vals = []
        chain = []  # (rule, partner) whose outcome schedules the next link of the chain
        for inquiry_rule, partner_id in inquiries:
            rule = rules.browse(inquiry_rule.id)
            partner = partners.browse(partner_id)
            chain.append((rule, partner))
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
        if outcome and chain:
            self._village_inquiry_chain(chain, outcome)

    @api.model
    def _village_inquiry_chain(self, done, outcome):
        """The next link of the three inquiries: an unanswered call asks the
        village committee about the household (one open at a time) and, after
        enough unanswered calls in a row, a visit; a committee inquiry (or any
        inquiry) finding that a visit is needed schedules the visit."""
        Rule = self.env["village.inquiry.rule"].sudo()
        params = self.env["ir.config_parameter"].sudo()
        committee_days = int(params.get_param("village_service.committee_inquiry_days") or 3)
        calls_for_visit = int(params.get_param("village_service.unanswered_calls_for_visit") or 2)
        today = self.env["village.service.area"]._today()
        batch, deadlines = [], {}
        for rule, partner in done:
            if partner.village_kind or not partner.village_id:
                continue  # the chain is about households
            due = today + timedelta(days=max(committee_days, 0))
            follow = Rule.browse()
            if outcome == "no_answer" and rule.committee_rule_id:
                follow |= rule.committee_rule_id
                if self._village_unanswered_in_row(rule, partner) >= calls_for_visit and rule.visit_rule_id:
                    follow |= rule.visit_rule_id
            elif outcome == "visit_needed" and rule.visit_rule_id:
                follow |= rule.visit_rule_id
            for next_rule in follow.filtered("active"):
                batch.append((next_rule, partner.id))
                deadlines[next_rule.id, partner.id] = due
        if batch:
            Rule._schedule_batch(batch, deadlines=deadlines)

    @api.model
    def _village_unanswered_in_row(self, rule, partner):
        """Unanswered calls of this rule to this household since the last
        answered one: its done (archived) activities, newest first."""
        done = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("inquiry_rule_id", "=", rule.id),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("active", "=", False),
                    ("date_done", "!=", False),
                ],
                ["village_inquiry_outcome"],
                order="date_done desc, id desc",
            )
        )
        count = 0
        for activity in done:
            if activity.village_inquiry_outcome != "no_answer":
                break
            count += 1
        return count
