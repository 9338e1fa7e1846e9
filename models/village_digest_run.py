import logging
import re
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz

from odoo import Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, format_date
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

DIGEST_KINDS = [
    ("work_list", "Daily Work List"),
    ("weekly_report", "Weekly Station Report"),
]
TEMPLATES = {
    "work_list": "village_service.mail_template_village_work_list",
    "weekly_report": "village_service.mail_template_village_weekly_report",
}
CRONS = {
    "work_list": "village_service.ir_cron_village_work_list",
    "weekly_report": "village_service.ir_cron_village_weekly_report",
}


class VillageDigestRun(models.Model):
    """The ledger of the scheduled emails: one row per digest kind, period and
    recipient. The row is written before the mail is built and marked sent in
    the same transaction as the queued mail, so a rerun, a crash or two
    workers at once never send a period twice to one person, and a period
    whose job did not run is sent by the next run."""

    _name = "village.digest.run"
    _description = "Email Digest Run"
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

    # ------------------------------------------------------------------
    # Scheduled jobs
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_work_lists(self):
        if self._village_enabled("work_list"):
            self._village_run("work_list")

    @api.model
    def _cron_send_weekly_reports(self):
        if self._village_enabled("weekly_report"):
            self._village_run("weekly_report")

    @api.model
    def _village_enabled(self, kind):
        return bool(self.env["ir.config_parameter"].sudo().get_param(f"village_service.{kind}_enabled"))

    @api.model
    def _village_run(self, kind):
        """Plan the due periods (one pending row per recipient, written once
        whatever the number of runs), then send the pending rows one by one,
        each committed with its queued mail."""
        self._village_retry_on_conflict(self._village_plan_due, kind)
        cron = self.env["ir.cron"]
        failed = []
        rendered = {}  # station reports shared by the recipients of a period
        cron._commit_progress(0, remaining=self._village_pending_count(kind, failed))
        while run := self._village_retry_on_conflict(self._village_lock_next, kind, failed):
            try:
                with self.env.cr.savepoint():
                    run._village_send(rendered)
            except Exception as error:  # one recipient must not block the others
                _logger.exception("Digest %s: sending run %s failed; it stays pending", kind, run.id)
                failed.append(run.id)
                run.error = str(error)
            if cron._commit_progress(1, remaining=self._village_pending_count(kind, failed)) <= 0:
                break  # out of time: the next run goes on with the pending rows

    @api.model
    def _village_retry_on_conflict(self, step, *args, attempts=5):
        """Run `step` (which starts a transaction of the job, after a commit);
        when another worker wrote the same rows first, REPEATABLE READ raises a
        serialization failure: roll back and run it again in a new
        transaction, which sees that worker's rows (planned or sent)."""
        for attempt in range(attempts):
            try:
                return step(*args)
            except psycopg2.errors.SerializationFailure:
                if attempt == attempts - 1:
                    raise
                _logger.info("Digest: another worker got there first; trying again")
                self.env.cr.rollback()

    @api.model
    def _village_plan_due(self, kind):
        for date_from, date_to in self._village_due_periods(kind):
            self._village_plan(kind, date_from, date_to, *self._village_recipients(kind, date_from, date_to))

    @api.model
    def _village_current_period(self, kind):
        today = self.env["village.service.area"]._today()
        if kind == "weekly_report":
            monday = today - timedelta(days=today.weekday() + 7)
            return monday, monday + timedelta(days=6)
        return today, today

    @api.model
    def _village_due_periods(self, kind):
        """The periods from the last one planned up to the current one, at
        most `village_service.digest_catchup_periods` of them: a job that did
        not run (server down) sends its periods on the next run."""
        date_from, date_to = self._village_current_period(kind)
        step = date_to - date_from + timedelta(days=1)
        last = self.search([("kind", "=", kind)], order="period_start desc", limit=1).period_start
        bound = int(self.env["ir.config_parameter"].sudo().get_param("village_service.digest_catchup_periods", 3))
        periods = []
        while len(periods) < max(bound, 1) and (not last or date_from > last):
            periods.append((date_from, date_to))
            if not last:
                break
            date_from, date_to = date_from - step, date_to - step
        return periods[::-1]

    @api.model
    def _village_recipients(self, kind, date_from, date_to):
        """(users, extra emails) who get the digest of the period."""
        if kind == "work_list":
            rows = (
                self.env["res.partner"]
                .sudo()
                ._read_group(
                    [("village_kind", "in", ("village", "community")), ("village_manager_id", "!=", False)],
                    ["village_manager_id"],
                )
            )
            users = self.env["res.users"].union(*(user for (user,) in rows))
            # a manager without an address follows their work in the app:
            # a mail to nobody would only fail in the outgoing queue
            users = users.filtered(
                lambda u: u.active and u.email and not u.share and u.has_group("village_service.group_village_user")
            )
            return users, []
        stations = self._village_all_stations()
        bureau = (
            self.env["res.users"]
            .sudo()
            .search([("share", "=", False)])
            .filtered(lambda u: u.has_group("village_service.group_village_manager"))
        )
        users = (stations.user_id | bureau).filtered(lambda u: u.active and u.email)
        extra = self.env["ir.config_parameter"].sudo().get_param("village_service.weekly_report_extra_emails") or ""
        emails = list(dict.fromkeys(e for e in re.split(r"[\s,;]+", extra) if "@" in e))
        return users, emails

    @api.model
    def _village_plan(self, kind, date_from, date_to, users, emails):
        """One pending row per recipient; rows already there (a rerun, another
        worker) are left as they are."""
        now = fields.Datetime.now()
        recipients = [(user.id, None) for user in users] + [(None, email) for email in emails]
        if not recipients:
            return
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, 'pending', %s, %s, %s, %s)",
                kind,
                date_from,
                date_to,
                user_id,
                email,
                self.env.uid,
                self.env.uid,
                now,
                now,
            )
            for user_id, email in recipients
        )
        self._village_execute(
            SQL(
                """
                INSERT INTO village_digest_run
                       (kind, period_start, period_end, user_id, email, state,
                        create_uid, write_uid, create_date, write_date)
                VALUES %s
                ON CONFLICT DO NOTHING
                """,
                values,
            )
        )

    @api.model
    def _village_lock_next(self, kind, failed):
        """The next pending row, locked; rows another worker is sending are skipped."""
        rows = self._village_execute(
            SQL(
                """
                SELECT id FROM village_digest_run
                 WHERE kind = %s AND state = 'pending' AND id NOT IN %s
              ORDER BY period_start, id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """,
                kind,
                tuple(failed) or (0,),
            )
        )
        return self.browse(rows[0][0]) if rows else None

    @api.model
    def _village_execute(self, query):
        """`env.execute_query` without logging a serialization failure as an
        error: the caller retries it (a logger muted around the call would be
        muted for every thread of the process)."""
        self.env.flush_query(query)
        self.env.cr.execute(query, log_exceptions=False)
        return self.env.cr.fetchall() if self.env.cr.description else []

    @api.model
    def _village_pending_count(self, kind, failed):
        return self.search_count([("kind", "=", kind), ("state", "=", "pending"), ("id", "not in", failed)])

    # ------------------------------------------------------------------
    # Building one email
    # ------------------------------------------------------------------

    def _village_send(self, rendered=None):
        """Queue the mail of this row and mark it sent (or empty). `rendered`
        caches the station reports across the rows of one job run."""
        self.ensure_one()
        run = self.with_context(lang=self.lang)
        if self.kind == "work_list" and not any(s["lines"] for s in run._village_sections()):
            self.write({"state": "empty", "date_sent": fields.Datetime.now(), "error": False})
            return
        template = self.env.ref(TEMPLATES[self.kind])
        mail = self.env["mail.mail"].sudo().browse(template.send_mail(self.id))
        if self.kind == "weekly_report":
            run._village_attach_reports(mail, {} if rendered is None else rendered)
        self.write({"state": "sent", "mail_id": mail.id, "date_sent": fields.Datetime.now(), "error": False})

    def _village_sections(self):
        """The sections of this row's work list, in the context's language
        (called by the mail template)."""
        self.ensure_one()
        return self._village_work_list_sections(self.user_id, self.period_start)

    @api.model
    def _village_work_list_sections(self, user, day):
        """The work list of `user` for `day`: a list of {title, lines}, each
        line a dict {name, detail, url}. Built with the user's access rights,
        so only what they may see is listed. Extend with super() to add
        sections (inquiries, meetings, ...)."""
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        mine = Domain("village_id.village_manager_id", "=", user.id) | Domain("user_id", "=", user.id)
        unrectified = Domain("closeout_state", "in", ("open", "planned"))
        overdue = Ticket.search(mine & Ticket._village_overdue_domain(day))
        due = Ticket.search(mine & unrectified & Domain("rectification_deadline", "=", day))
        assigned = (
            Ticket.search(
                [
                    ("user_id", "=", user.id),
                    ("closeout_state", "!=", "closed"),
                    ("assigned_date", ">=", self.env["village.service.area"]._day_start(day - timedelta(days=1))),
                    ("assigned_date", "<", self.env["village.service.area"]._day_start(day)),
                ]
            )
            - overdue
            - due
        )
        Inquiry = self.env["village.inquiry.state"].with_user(user)
        inquiries = Inquiry.search(
            [("user_id", "=", user.id), ("status", "in", ("due", "overdue")), ("date_deadline", "<=", day)],
            order="date_deadline, id",
        )
        Meeting = self.env["village.meeting"].with_user(user)
        meetings = Meeting.search(
            [
                "|",
                ("user_id", "=", user.id),
                ("user_ids", "in", user.id),
                ("state", "=", "planned"),
                ("date", ">=", self.env["village.service.area"]._day_start(day)),
                ("date", "<", self.env["village.service.area"]._day_start(day + timedelta(days=1))),
            ],
            order="date",
        )
        return [
            {
                "name": "overdue_problems",
                "title": self.env._("Overdue problems"),
                "lines": self._village_ticket_lines(overdue),
            },
            {
                "name": "problems_due_today",
                "title": self.env._("Problems due today"),
                "lines": self._village_ticket_lines(due),
            },
            {
                "name": "problems_assigned",
                "title": self.env._("Problems newly assigned to you"),
                "lines": self._village_ticket_lines(assigned),
            },
            {
                "name": "inquiries_due",
                "title": self.env._("Inquiries due"),
                "lines": [
                    {
                        "name": f"{inquiry.rule_id.sudo().name}: {inquiry.partner_id.sudo().name}",
                        "detail": self.env._("due %(date)s", date=format_date(self.env, inquiry.date_deadline)),
                        "url": f"{self.get_base_url()}/odoo/res.partner/{inquiry.partner_id.id}",
                    }
                    for inquiry in inquiries
                ],
            },
            {
                "name": "meetings_today",
                "title": self.env._("Meetings planned today"),
                "lines": [
                    {
                        "name": meeting.sudo().name,
                        "detail": meeting.sudo().village_id.name or "",
                        "url": f"{self.get_base_url()}/odoo/village.meeting/{meeting.id}",
                    }
                    for meeting in meetings
                ],
            },
        ]

    @api.model
    def _village_ticket_lines(self, tickets):
        # found with the recipient's rights; the labels are read as the job
        base_url = self.get_base_url()
        lines = []
        today = self.env["village.service.area"]._today()
        for ticket in tickets.sudo().sorted(lambda t: (t.rectification_deadline or today, t.id)):
            detail = ticket.village_id.name or ""
            if ticket.rectification_deadline:
                detail = self.env._(
                    "%(village)s, deadline %(deadline)s",
                    village=detail,
                    deadline=format_date(self.env, ticket.rectification_deadline),
                )
            lines.append(
                {
                    "name": f"{ticket.number} {ticket.name}",
                    "detail": detail,
                    "url": f"{base_url}/odoo/helpdesk.ticket/{ticket.id}",
                }
            )
        return lines

    def _village_weekly_stations(self):
        """The stations of this row's weekly report: those a station head
        heads; all for the bureau and the extra recipients."""
        self.ensure_one()
        stations = self._village_all_stations()
        if self.user_id and not self.user_id.has_group("village_service.group_village_manager"):
            stations = stations.filtered(lambda s: s.user_id == self.user_id)
        return stations

    def _village_weekly_lines(self):
        """Per station: {station, figures} of the period (called by the mail template)."""
        self.ensure_one()
        stations = self._village_weekly_stations()
        figures = self.env["village.daily.stat"].sudo()._station_figures(stations, self.period_start, self.period_end)
        return [{"station": station, "figures": figures[station.id]} for station in stations]

    def _village_attach_reports(self, mail, rendered):
        """The PDF weekly report and the XLSX close-out ledger of the period,
        rendered in the recipient's language, attached to the queued mail."""
        self.ensure_one()
        stations = self._village_weekly_stations()
        if not stations:
            return
        data = {
            "date_from": fields.Date.to_string(self.period_start),
            "date_to": fields.Date.to_string(self.period_end),
        }
        Report = self.env["ir.actions.report"].sudo().with_context(force_report_rendering=True)
        # one document per station, merged: an unpatched wkhtmltopdf cannot render several at once
        pdfs = []
        for station in stations:
            key = (station.id, self.env.lang, self.period_start)
            if key not in rendered:
                rendered[key] = Report._render_qweb_pdf(
                    "village_service.action_report_weekly_station", station.ids, data
                )[0]
            pdfs.append(rendered[key])
        pdf = merge_pdf(pdfs) if len(pdfs) > 1 else pdfs[0]
        xlsx = Report._render("village_service.action_report_closeout_ledger_xlsx", stations.ids, data)[0]
        period = {"start": data["date_from"], "end": data["date_to"]}
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._("Weekly Station Report %(start)s - %(end)s.pdf", **period),
                        "raw": pdf,
                        "mimetype": "application/pdf",
                        "res_model": "mail.mail",
                        "res_id": mail.id,
                    },
                    {
                        "name": self.env._("Close-out Ledger %(start)s - %(end)s.xlsx", **period),
                        "raw": xlsx,
                        "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "res_model": "mail.mail",
                        "res_id": mail.id,
                    },
                ]
            )
        )
        mail.attachment_ids = [Command.link(attachment.id) for attachment in attachments]

    @api.model
    def _village_all_stations(self):
        return self.env["helpdesk.ticket.team"].sudo().search([("is_station", "=", True)])

    # ------------------------------------------------------------------
    # Schedule (Settings)
    # ------------------------------------------------------------------

    @api.model
    def _village_schedule_crons(self):
        """Put the two jobs at the hour and weekday of Settings, in the time
        zone of the service area; a digest turned off deactivates its job."""
        params = self.env["ir.config_parameter"].sudo()
        hour = float(params.get_param("village_service.work_list_hour") or 7.5)
        weekday = int(params.get_param("village_service.weekly_report_weekday") or 0)
        for kind in ("work_list", "weekly_report"):
            cron = self.env.ref(CRONS[kind], raise_if_not_found=False)
            if not cron:
                continue
            cron.sudo().write(
                {
                    "active": self._village_enabled(kind),
                    "nextcall": self._village_next_call(hour, weekday if kind == "weekly_report" else None),
                }
            )

    @api.model
    def _village_next_call(self, hour, weekday=None, now=None):
        """The next UTC moment (naive) at `hour` (local), on `weekday` if given."""
        tz = pytz.timezone(self.env["village.service.area"]._tz())
        now_local = pytz.utc.localize(now or fields.Datetime.now()).astimezone(tz)
        minutes = round(hour * 60)
        at = time(minutes // 60 % 24, minutes % 60)
        day = now_local.date()
        for __ in range(8):
            candidate = tz.localize(datetime.combine(day, at))
            if candidate > now_local and (weekday is None or day.weekday() == weekday):
                return candidate.astimezone(pytz.utc).replace(tzinfo=None)
            day += timedelta(days=1)
        return None
