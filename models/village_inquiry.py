from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

INQUIRY_OUTCOMES = [
    ("answered_ok", "Answered, all well"),
    ("answered_need", "Answered, needs something"),
    ("no_answer", "No answer"),
    ("visit_needed", "Visit needed"),
]


class VillageInquiry(models.Model):
    """The three inquiries as they happened: one row per inquiry activity a
    rule scheduled, open or done. The activities are the only record (done
    ones are archived with their date and outcome); this read-only view
    gives them the household's village and station, the status of the day,
    and the completion counts that the pivot sums."""

    _name = "village.inquiry"
    _description = "Inquiry"
    _auto = False
    _rec_name = "partner_id"
    _order = "date_deadline desc, id desc"
    _depends = {
        "mail.activity": [
            "active",
            "res_model",
            "res_id",
            "user_id",
            "date_deadline",
            "date_done",
            "inquiry_rule_id",
            "activity_type_id",
            "village_inquiry_outcome",
            "village_inquiry_note",
        ],
        "village.inquiry.rule": ["scheduling"],
        "res.partner": ["village_id", "village_station_id"],
    }

    activity_id = fields.Many2one("mail.activity", string="Activity", readonly=True)
    rule_id = fields.Many2one("village.inquiry.rule", string="Inquiry Rule", readonly=True)
    scheduling = fields.Selection(
        [("cadence", "On its cadence"), ("chained", "When a call goes unanswered")],
        readonly=True,
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Household / Village", readonly=True)
    village_id = fields.Many2one("res.partner", string="Village", readonly=True)
    station_id = fields.Many2one("helpdesk.ticket.team", string="Power Supply Station", readonly=True)
    # the activity's assignee as it is now, not as it was scheduled
    user_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    date_deadline = fields.Date(string="Due Date", readonly=True)
    date_done = fields.Date(string="Done on", readonly=True)
    status = fields.Selection(
        [("due", "Due"), ("overdue", "Overdue"), ("done", "Done on Time"), ("late", "Done Late")],
        readonly=True,
        help="Open inquiries are due or overdue on the service area's day; done ones were done on time "
        "when their done date is not after their due date.",
    )
    outcome = fields.Selection(INQUIRY_OUTCOMES, readonly=True)
    note = fields.Text(readonly=True)
    done_count = fields.Integer(string="Done", readonly=True, aggregator="sum")
    on_time_count = fields.Integer(string="Done on Time", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        today = self.env["village.service.area"]._today()
        return SQL(
            """
            SELECT a.id AS id,
                   a.id AS activity_id,
                   a.inquiry_rule_id AS rule_id,
                   r.scheduling AS scheduling,
                   a.activity_type_id AS activity_type_id,
                   a.res_id AS partner_id,
                   p.village_id AS village_id,
                   v.village_station_id AS station_id,
                   a.user_id AS user_id,
                   a.date_deadline AS date_deadline,
                   a.date_done AS date_done,
                   CASE WHEN a.active AND a.date_deadline < %(today)s THEN 'overdue'
                        WHEN a.active THEN 'due'
                        WHEN a.date_done <= a.date_deadline THEN 'done'
                        ELSE 'late' END AS status,
                   a.village_inquiry_outcome AS outcome,
                   a.village_inquiry_note AS note,
                   CASE WHEN a.active THEN 0 ELSE 1 END AS done_count,
                   CASE WHEN NOT a.active AND a.date_done <= a.date_deadline THEN 1 ELSE 0 END AS on_time_count
              FROM mail_activity a
              JOIN village_inquiry_rule r ON r.id = a.inquiry_rule_id
              JOIN res_partner p ON p.id = a.res_id
         LEFT JOIN res_partner v ON v.id = p.village_id
             WHERE a.inquiry_rule_id IS NOT NULL AND a.res_model = 'res.partner'
            """,
            today=today,
        )

    def action_inquired(self):
        """One tap on an open inquiry: the outcome dialog of its activity."""
        activities = self.activity_id.filtered("active")
        if not activities:
            raise UserError(self.env._("This inquiry is done: there is no open activity to mark inquired."))
        return self.env["village.inquiry.done"].action_open(activities.ids)

    @api.readonly
    def action_open_household(self):
        """The household (or village) the inquiry was about."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
        }
