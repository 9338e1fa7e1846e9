from odoo import api, fields, models


class VillageMeetingDone(models.TransientModel):
    """*Mark Done* on a meeting: who came and what was said, then the meeting
    is marked done (village.meeting.action_done)."""

    _name = "village.meeting.done"
    _description = "Mark a Meeting Done"

    meeting_id = fields.Many2one("village.meeting", string="Meeting", required=True, readonly=True, ondelete="cascade")
    attendee_count = fields.Integer(
        string="Attendee Count",
        compute="_compute_from_meeting",
        store=True,
        readonly=False,
        precompute=True,
        compute_sudo=False,
        required=True,
    )
    topic_ids = fields.Many2many(
        "village.meeting.topic",
        string="Topics",
        compute="_compute_from_meeting",
        store=True,
        readonly=False,
        precompute=True,
        compute_sudo=False,
    )
    minutes = fields.Html(
        compute="_compute_from_meeting",
        store=True,
        readonly=False,
        precompute=True,
        compute_sudo=False,
        sanitize_style=True,
    )

    @api.depends("meeting_id")
    def _compute_from_meeting(self):
        for wizard in self:
            wizard.attendee_count = wizard.meeting_id.attendee_count
            wizard.topic_ids = wizard.meeting_id.topic_ids
            wizard.minutes = wizard.meeting_id.minutes

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # opened by those who may write the meeting (its minutes are shown)
        wizards.meeting_id.check_access("write")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        meeting = self.meeting_id
        # action_done refuses a meeting without attendees or minutes; the
        # request's transaction then leaves the meeting as it was
        meeting.write(
            {
                "attendee_count": self.attendee_count,
                "topic_ids": [fields.Command.set(self.topic_ids.ids)],
                "minutes": self.minutes,
            }
        )
        meeting.action_done()
        return {"type": "ir.actions.act_window_close"}
