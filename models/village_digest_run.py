import logging
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date

_logger = logging.getLogger(__name__)

DIGEST_KINDS = [
    ("work_list", "Daily Work List"),
    ("weekly_report", "Weekly Station Report"),
]
TEMPLATES = {
    "work_list": "village_service.mail_template_village_work_list",
    "weekly_report": "village_service.mail_template_village_weekly_report",
}


class VillageDigestRun(models.Model):
    """The outbox of the scheduled emails, as `event.mail.registration` is of
    an event's: one row per digest, period and recipient, planned by the job,
    marked sent in the transaction that queues its mail, and committed one by
    one (`ir.cron._commit_progress`). Each email goes once because one job
    runs at a time (`ir.cron` locks the job's row while it runs; "Run
    Manually" takes the same lock) and a period is planned once (after the
    last one planned; the unique indexes refuse a second row)."""

    _name = "village.digest.run"
    _description = "Email Digest"
    _order = "period_start desc, kind, id desc"
    _rec_name = "kind"

    kind = fields.Selection(DIGEST_KINDS, string="Digest", required=True, readonly=True, index=True)
    period_start = fields.Date(string="Period Start", required=True, readonly=True)
    period_end = fields.Date(string="Period End", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Recipient", readonly=True, index=True, ondelete="cascade")
    email = fields.Char(
        string="Extra Recipient",
        readonly=True,
        help="Address of a recipient who is not a user (extra recipients of the weekly report).",
    )
    email_to = fields.Char(string="Sent to", compute="_compute_email_to")
    lang = fields.Char(string="Language", compute="_compute_lang")
    state = fields.Selection(
        [("pending", "To Send"), ("sent", "Sent"), ("empty", "Nothing to Send")],
        string="Status",
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    mail_id = fields.Many2one("mail.mail", string="Email", readonly=True, index="btree_not_null", ondelete="set null")
    date_sent = fields.Datetime(string="Queued on", readonly=True)
    error = fields.Text(string="Last Error", readonly=True)

    _kind_period_user_uniq = models.UniqueIndex(
        "(kind, period_start, user_id) WHERE user_id IS NOT NULL",
        "A digest period is sent only once to each recipient.",
    )
    _kind_period_email_uniq = models.UniqueIndex(
        "(kind, period_start, email) WHERE user_id IS NULL",
        "A digest period is sent only once to each recipient.",
    )
    _pending_idx = models.Index("(kind, period_start, id) WHERE state = 'pending'")

    @api.depends("user_id.email", "email")
    def _compute_email_to(self):
        for run in self:
            run.email_to = run.user_id.email_formatted if run.user_id else run.email

    @api.depends("user_id.lang")
    def _compute_lang(self):
        default = self.env.company.partner_id.lang or self.env.lang or "en_US"
        for run in self:
            run.lang = run.user_id.lang or default

    @api.depends("kind", "period_start", "user_id", "email")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for run in self:
            run.display_name = self.env._(
                "%(digest)s of %(start)s to %(recipient)s",
                digest=kinds.get(run.kind, ""),
                start=format_date(self.env, run.period_start),
                recipient=run.user_id.name or run.email or "",
            )

    @api.model
    def _cron_send_work_lists(self):
        self._send_due("work_list")

    @api.model
    def _cron_send_weekly_reports(self):
        self._send_due("weekly_report")

    @api.model
    def _is_enabled(self, kind):
        return bool(self.env["ir.config_parameter"].sudo().get_param(f"village_service.{kind}_enabled"))

    @api.model
    def _send_due(self, kind):
        """Plan the periods due, then send the pending rows, each committed
        with its mail. A row that fails stays pending for the next run."""
        if not self._is_enabled(kind):
            return
        for date_from, date_to in self._due_periods(kind):
            self._plan(kind, date_from, date_to)
        pending = self.search([("kind", "=", kind), ("state", "=", "pending")], order="period_start, id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(pending))
        rendered = {}  # station reports shared by the recipients of a period
        for run in pending:
            try:
                with self.env.cr.savepoint():
                    run._send(rendered)
            except Exception as error:  # one recipient must not block the others
                _logger.exception("Digest %s: sending %s failed; it stays pending", kind, run.id)
                run.error = str(error)
            if not cron._commit_progress(1):
                break  # out of time: the next run sends the rest

    @api.model
    def _due_periods(self, kind):
        """The periods after the last one planned up to the current one, at
        most `village_service.digest_catchup_periods` of them: a job that did
        not run (server down) sends its periods on the next run."""
        today = self.env["village.service.area"]._today()
        step = timedelta(days=7 if kind == "weekly_report" else 1)
        # the weekly report is of last week, Monday to Sunday
        start = today - timedelta(days=today.weekday() + 7) if kind == "weekly_report" else today
        last = self.search([("kind", "=", kind)], order="period_start desc", limit=1).period_start
        bound = int(self.env["ir.config_parameter"].sudo().get_param("village_service.digest_catchup_periods", 3))
        count = min(max(bound, 1), (start - last) // step) if last else 1
        return [(start - n * step, start - n * step + step - timedelta(days=1)) for n in reversed(range(count))]

    @api.model
    def _plan(self, kind, date_from, date_to):
        users, emails = self._recipients(kind)
        period = {"kind": kind, "period_start": date_from, "period_end": date_to}
        self.create([{**period, "user_id": user.id} for user in users] + [{**period, "email": e} for e in emails])

    @api.model
    def _recipients(self, kind):
        """(users, extra emails) of a digest: the account managers of the
        villages; the station heads and the bureau, and the extra addresses of
        Settings. Users without an address follow their work in the app."""
        if kind == "work_list":
            villages = [("village_kind", "in", ("village", "community")), ("village_manager_id", "!=", False)]
            managers = self.env["res.partner"].sudo()._read_group(villages, [], ["village_manager_id:recordset"])[0][0]
            users = managers & self.env.ref("village_service.group_village_user").all_user_ids
            return users.filtered(lambda u: u.email and not u.share), []
        bureau = self.env.ref("village_service.group_village_manager").all_user_ids
        users = (self.env["village.daily.stat"]._all_stations().user_id | bureau).filtered(
            lambda u: u.active and u.email
        )
        extra = self.env["ir.config_parameter"].sudo().get_param("village_service.weekly_report_extra_emails") or ""
        return users, list(dict.fromkeys(e for e in re.split(r"[\s,;]+", extra) if "@" in e))

    def _send(self, rendered=None):
        """Queue the mail of this row and mark it sent (or empty: a work list
        with nothing on it). `rendered` caches the station reports across the
        rows of one job run."""
        self.ensure_one()
        run = self.with_context(lang=self.lang)
        if self.kind == "work_list" and not any(section["lines"] for section in run._village_sections()):
            self.write({"state": "empty", "date_sent": fields.Datetime.now(), "error": False})
            return
        mail = self.env["mail.mail"].sudo().browse(self.env.ref(TEMPLATES[self.kind]).send_mail(self.id))
        if self.kind == "weekly_report" and self._gets_county_report():
            # the bureau's: the county report, counted with the recipient's
            # rights (an extra address, set by the bureau, reads the county)
            County = self.env["report.village_service.report_weekly_county"]
            County = County.with_user(self.user_id) if self.user_id else County.sudo()
            mail.attachment_ids = County.with_context(lang=self.lang)._digest_attachments(
                self.period_start, self.period_end, {} if rendered is None else rendered, mail
            )
        elif self.kind == "weekly_report" and (stations := run._weekly_stations()):
            Report = self.env["report.village_service.report_weekly_station"].sudo().with_context(lang=self.lang)
            mail.attachment_ids = Report._digest_attachments(
                stations, self.period_start, self.period_end, {} if rendered is None else rendered, mail
            )
        self.write({"state": "sent", "mail_id": mail.id, "date_sent": fields.Datetime.now(), "error": False})

    # the mail templates (noupdate, editable by the bureau) call the next two

    def _village_sections(self):
        """The recipient's work list, with their rights."""
        return self.env["village.today"].with_user(self.user_id)._work_list_sections(self.period_start)

    def _gets_county_report(self):
        """The bureau and the extra recipients get the county report; a
        station head their stations' reports."""
        self.ensure_one()
        return not self.user_id or self.user_id.has_group("village_service.group_village_manager")

    def _weekly_stations(self):
        """A station head's own stations; all for the bureau and the extra recipients."""
        stations = self.env["village.daily.stat"]._all_stations()
        if self.user_id and not self.user_id.has_group("village_service.group_village_manager"):
            stations = stations.filtered(lambda s: s.user_id == self.user_id)
        return stations

    def _village_weekly_lines(self):
        """Per station: {station, figures} of the period."""
        stations = self._weekly_stations()
        figures = self.env["village.daily.stat"].sudo()._station_figures(stations, self.period_start, self.period_end)
        return [{"station": station, "figures": figures[station.id]} for station in stations]
