from odoo import fields, models
from odoo.exceptions import UserError

INQUIRY_OUTCOMES = [
    ("answered_ok", "Answered, all well"),
    ("answered_need", "Answered, needs something"),
    ("no_answer", "No answer"),
    ("visit_needed", "Visit needed"),
]


class VillageInquiryState(models.Model):
    """Where each target stands in each inquiry cadence: the open activity,
    the last completion and the next due date. One row per rule and target;
    the overview of due, done and overdue inquiries is a list/pivot of it."""

    _name = "village.inquiry.state"
    _description = "Inquiry Status"
    _order = "date_deadline, next_due, id"
    _rec_name = "partner_id"

    rule_id = fields.Many2one("village.inquiry.rule", string="Inquiry Rule", required=True, ondelete="cascade")
    activity_type_id = fields.Many2one(related="rule_id.activity_type_id", string="Activity Type")
    partner_id = fields.Many2one(
        "res.partner", string="Household / Village", required=True, index=True, ondelete="cascade"
    )
    village_id = fields.Many2one(related="partner_id.village_id", string="Village", store=True, index=True)
    station_id = fields.Many2one(
        related="partner_id.village_id.village_station_id",
        string="Power Supply Station",
        store=True,
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Account Manager", index=True)
    activity_id = fields.Many2one("mail.activity", string="Open Activity", index="btree_not_null", ondelete="set null")
    date_deadline = fields.Date(string="Due Date", help="Due date of the open activity.")
    status = fields.Selection(
        [("due", "Due"), ("overdue", "Overdue"), ("done", "Done on Time"), ("late", "Done Late")],
        required=True,
        default="due",
        index=True,
    )
    last_done = fields.Date(string="Last Done")
    last_deadline = fields.Date(string="Last Due Date")
    next_due = fields.Date(string="Next Due", help="One interval after the last completion.")
    last_outcome = fields.Selection(
        INQUIRY_OUTCOMES,
        string="Last Outcome",
        readonly=True,
        help="What the last completed inquiry found, as chosen in the Inquired dialog.",
    )
    last_note = fields.Text(string="Last Note", readonly=True)
    done_count = fields.Integer(string="Done")
    on_time_count = fields.Integer(string="Done on Time")

    _rule_partner_uniq = models.UniqueIndex("(rule_id, partner_id)")

    def action_inquired(self):
        """One tap on an open inquiry: the outcome dialog of its activity."""
        activities = self.activity_id
        if not activities:
            raise UserError(self.env._("This inquiry has no open activity to mark done."))
        return self.env["village.inquiry.done"].action_open(activities.ids)
