import io
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from psycopg2 import IntegrityError

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import USER
from .digest_common import WEEKLY_MOMENT, WORK_LIST_MOMENT, DigestCase, moment

RUN_LOGGER = "odoo.addons.village_service.models.village_digest_run"


@tagged("post_install", "-at_install")
class TestWorkList(DigestCase):
    def test_each_manager_gets_only_their_villages_problems(self):
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        run = self._runs("work_list", self.manager_a)
        self.assertEqual((run.state, run.period_start), ("sent", date(2026, 5, 5)))
        mail = run.mail_id
        self.assertEqual(mail, self._mails_to(self.manager_a))
        self.assertIn(self.manager_a.email, mail.email_to)
        body = str(mail.body_html)
        for ticket in self.overdue_a1 | self.due_a1 | self.new_a1:
            self.assertIn(ticket.number, body)
        # not yet due, or of another manager's village
        for ticket in self.later_a1 | self.overdue_a2 | self.due_b1:
            self.assertNotIn(ticket.number, body)
        self.assertIn("Overdue problems", body)
        self.assertIn("Problems due today", body)
        self.assertIn("Problems newly assigned to you", body)
        # the other managers get theirs
        self.assertIn(self.overdue_a2.number, str(self._runs("work_list", self.manager_a2).mail_id.body_html))
        body_b = str(self._runs("work_list", self.manager_b).mail_id.body_html)
        self.assertIn(self.due_b1.number, body_b)
        self.assertNotIn(self.overdue_a1.number, body_b)

    def test_sections_respect_the_recipients_access(self):
        sections = self.env["village.today"].with_user(self.manager_a)._work_list_sections(date(2026, 5, 5))
        listed = {line["name"].split()[0] for section in sections for line in section["lines"]}
        self.assertEqual(listed, set((self.overdue_a1 | self.due_a1 | self.new_a1).mapped("number")))
        # a ticket of village A2 assigned to manager_a is theirs; manager_b never sees station A's
        self.overdue_a2.user_id = self.manager_a
        sections = self.env["village.today"].with_user(self.manager_b)._work_list_sections(date(2026, 5, 5))
        listed_b = {line["name"].split()[0] for section in sections for line in section["lines"]}
        self.assertEqual(listed_b, {self.due_b1.number})
        # the ledger rows: each user reads their own, the bureau all
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        own = self.Run.with_user(self.manager_a).search([("kind", "=", "work_list")])
        self.assertEqual(own.user_id, self.manager_a)
        with self.assertRaises(AccessError):
            self._runs("work_list", self.manager_b).with_user(self.manager_a).read(["state"])
        self.assertGreaterEqual(len(self.Run.with_user(self.bureau_user).search([("kind", "=", "work_list")])), 3)

    def test_work_list_never_lists_a_problem_the_rules_hide(self):
        """The sections are searched from the manager's villages, with the
        manager's rights: a village they are given in another station (whose
        problems their rules do not let them read) lists none of its
        problems but those their rules let them read."""
        self.village_b1.sudo().village_manager_id = self.manager_a
        day = date(2026, 5, 5)
        self.assertFalse(self.due_b1.with_user(self.manager_a).has_access("read"))
        sections = self.env["village.today"].with_user(self.manager_a)._work_list_sections(day)
        listed = {line["name"].split()[0] for section in sections for line in section["lines"]}
        self.assertEqual(listed, set((self.overdue_a1 | self.due_a1 | self.new_a1).mapped("number")))
        # once their rules let them read it (a follower of the problem), it is on their list
        self.due_b1.message_subscribe(partner_ids=self.manager_a.partner_id.ids)
        self.assertTrue(self.due_b1.with_user(self.manager_a).has_access("read"))
        sections = self.env["village.today"].with_user(self.manager_a)._work_list_sections(day)
        listed = {line["name"].split()[0] for section in sections for line in section["lines"]}
        self.assertIn(self.due_b1.number, listed)

    def test_work_list_has_inquiries_and_meetings_of_the_day(self):
        meeting = self.env["village.meeting"].create(
            {
                "kind": "courtyard",
                "village_id": self.village_a1.id,
                "user_id": self.manager_a.id,
                "date": datetime(2026, 5, 5, 1, 0),  # 09:00 in Shanghai
            }
        )
        self.env["village.meeting"].create(
            {
                "kind": "visit",
                "village_id": self.village_a1.id,
                "user_id": self.manager_a.id,
                "date": datetime(2026, 5, 6, 1, 0),
            }
        )
        rule = self.env.ref("village_service.inquiry_rule_committee")
        self._inquiry(rule, self.village_a1, self.manager_a, date(2026, 5, 5))
        self._inquiry(rule, self.village_b1, self.manager_b, date(2026, 5, 5))
        sections = {
            section["name"]: section["lines"]
            for section in self.env["village.today"].with_user(self.manager_a)._work_list_sections(date(2026, 5, 5))
        }
        self.assertEqual([line["name"] for line in sections["meetings_today"]], [meeting.name])
        self.assertEqual(len(sections["inquiries_due"]), 1)
        self.assertIn(self.village_a1.name, sections["inquiries_due"][0]["name"])

    def test_nothing_to_do_sends_nothing(self):
        idle = new_test_user(self.env, login="vs_idle", groups=USER, tz="Asia/Shanghai")
        self.env["res.partner"].create(
            {
                "name": "Quiet Village",
                "village_kind": "village",
                "village_parent_id": self.township_a.id,
                "village_station_id": self.station_a.id,
                "village_manager_id": idle.id,
            }
        )
        # manager_b's only problem gets rectified before the morning
        self.due_b1.with_user(self.manager_b).action_rectify()
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        for user in idle | self.manager_b:
            run = self._runs("work_list", user)
            self.assertEqual(run.state, "empty")
            self.assertFalse(run.mail_id)
            self.assertFalse(self._mails_to(user))
        # account managers of no village get no work list
        self.assertFalse(self._runs("work_list", self.head_a))

    def test_no_work_list_without_an_address(self):
        # manager_a2 has a problem due but no email: no row, no mail that would
        # fail in the outgoing queue; the others still get theirs
        self.manager_a2.email = False
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        self.assertFalse(self._runs("work_list", self.manager_a2))
        self.assertEqual(self._runs("work_list", self.manager_a).state, "sent")
        digests = self.env["mail.mail"].search([("model", "=", "village.digest.run")])
        self.assertTrue(digests)
        self.assertTrue(all(digests.mapped("email_to")))

    def test_recipients_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.manager_a.lang = "zh_CN"
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        mail_zh = self._runs("work_list", self.manager_a).mail_id
        mail_en = self._runs("work_list", self.manager_b).mail_id
        # dates in the recipient's format: zh_CN %Y/%m/%d, en_US %m/%d/%Y
        self.assertIn("2026/05/05", mail_zh.subject)
        self.assertIn("2026/05/03", str(mail_zh.body_html))  # the overdue deadline
        self.assertIn("05/05/2026", mail_en.subject)
        self.assertNotIn("2026/05/05", str(mail_en.body_html))

    def test_reruns_send_each_period_once(self):
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        self._trigger(self.work_list_cron, "2026-05-05 02:00:00")  # later the same day
        for user in self.manager_a | self.manager_a2 | self.manager_b:
            self.assertEqual(len(self._runs("work_list", user)), 1)
            self.assertEqual(len(self._mails_to(user)), 1)
        # the period is planned: a next run plans nothing, and a second row
        # for a recipient and period is refused by the database
        with moment(self.env, "2026-05-05 02:00:00"):
            self.assertEqual(self.Run._due_periods("work_list"), [])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Run._plan("work_list", date(2026, 5, 5), date(2026, 5, 5))
        self.assertEqual(len(self._runs("work_list", self.manager_a)), 1)

    def test_failure_in_the_middle_is_resent_once(self):
        Run = type(self.Run)
        original = Run._send

        def crash_after_queueing(run, *args):
            result = original(run, *args)
            if run.user_id == self.manager_a2:
                raise RuntimeError("worker died")
            return result

        with patch.object(Run, "_send", crash_after_queueing), mute_logger(RUN_LOGGER):
            self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        failed = self._runs("work_list", self.manager_a2)
        self.assertEqual(failed.state, "pending")
        self.assertIn("worker died", failed.error)
        self.assertFalse(self._mails_to(self.manager_a2), "the mail queued before the crash is rolled back")
        self.assertEqual(self._runs("work_list", self.manager_b).state, "sent")
        # the next run sends the failed one, and only that one
        self._trigger(self.work_list_cron, "2026-05-05 00:30:00")
        self.assertEqual(failed.state, "sent")
        self.assertFalse(failed.error)
        for user in self.manager_a | self.manager_a2 | self.manager_b:
            self.assertEqual(len(self._mails_to(user)), 1, user.login)

    def test_missed_days_are_sent_on_the_next_run(self):
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        # no run on the 6th; the run of the 7th sends the 6th too
        self._trigger(self.work_list_cron, "2026-05-06 23:30:00")
        periods = self._runs("work_list", self.manager_a).mapped("period_start")
        self.assertEqual(sorted(periods), [date(2026, 5, 5), date(2026, 5, 6), date(2026, 5, 7)])
        self.assertEqual(len(self._mails_to(self.manager_a)), 3)
        # a long stop: at most the last 3 days are caught up
        self._trigger(self.work_list_cron, "2026-05-19 23:30:00")
        periods = self._runs("work_list", self.manager_a).mapped("period_start")
        self.assertEqual(sorted(periods)[3:], [date(2026, 5, 18), date(2026, 5, 19), date(2026, 5, 20)])

    def test_turned_off_sends_nothing(self):
        self.env["ir.config_parameter"].set_param("village_service.work_list_enabled", False)
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        self.assertFalse(self._runs("work_list"))

    def test_run_manually_while_the_job_runs_is_refused(self):
        """The guarantee the digests rely on: while a worker runs the job (it
        holds the job's row), "Run Manually" is refused and sends nothing."""
        worker = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            worker.execute("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE", [self.work_list_cron.id])
            with self.assertRaisesRegex(UserError, "already executing"):
                self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        finally:
            worker.rollback()
            worker.close()
        self.assertFalse(self._runs("work_list"))
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)  # the worker is done: it runs
        self.assertEqual(self._runs("work_list", self.manager_a).state, "sent")


@tagged("post_install", "-at_install")
class TestWeeklyReport(DigestCase):
    def test_weekly_report_to_heads_bureau_and_extra_recipients(self):
        self.env["ir.config_parameter"].set_param(
            "village_service.weekly_report_extra_emails", "office@example.com, chief@example.com"
        )
        self._trigger(self.weekly_cron, WEEKLY_MOMENT)
        runs = self._runs("weekly_report")
        self.assertEqual(set(runs.mapped("period_start")), {date(2026, 5, 4)})
        self.assertEqual(set(runs.mapped("period_end")), {date(2026, 5, 10)})
        self.assertEqual(set(runs.mapped("state")), {"sent"})
        self.assertTrue(self.head_a | self.head_b | self.bureau_user <= runs.user_id)
        self.assertFalse(runs.user_id & (self.manager_a | self.manager_b))
        self.assertEqual(
            set(runs.filtered(lambda r: not r.user_id).mapped("email")), {"office@example.com", "chief@example.com"}
        )

        head_mail = self._runs("weekly_report", self.head_a).mail_id
        self.assertIn("05/04/2026", head_mail.subject)
        self.assertIn("Test Station A", str(head_mail.body_html))
        self.assertNotIn("Test Station B", str(head_mail.body_html))
        pdf = head_mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
        xlsx = head_mail.attachment_ids - pdf
        self.assertEqual(len(pdf), 1)
        self.assertEqual(len(xlsx), 1)
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertTrue(xlsx.name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(xlsx.raw))
        stations = [row[0] for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)]
        self.assertEqual(stations, ["Test Station A"])
        self.assertEqual(book.worksheets[0]["B4"].value, 1)  # collected in the week: the outage of the 4th
        self.assertEqual(book.worksheets[0]["I4"].value, 3)  # overdue by the 10th
        self.assertEqual(set(head_mail.attachment_ids.mapped("res_model")), {"mail.mail"})
        self.assertEqual(set(head_mail.attachment_ids.mapped("res_id")), {head_mail.id})

        # the bureau: the county report (PDF, XLSX) and the close-out ledger
        # of every station
        bureau_mail = self._runs("weekly_report", self.bureau_user).mail_id
        attachments = {a.name: a for a in bureau_mail.attachment_ids}
        self.assertEqual(
            set(attachments),
            {
                "County Weekly Report 2026-05-04 - 2026-05-10.pdf",
                "County Weekly Report 2026-05-04 - 2026-05-10.xlsx",
                "Close-out Ledger 2026-05-04 - 2026-05-10.xlsx",
            },
        )
        self.assertTrue(attachments["County Weekly Report 2026-05-04 - 2026-05-10.pdf"].raw.startswith(b"%PDF"))
        sheet = openpyxl.load_workbook(
            io.BytesIO(attachments["County Weekly Report 2026-05-04 - 2026-05-10.xlsx"].raw)
        ).worksheets[0]
        first = self.env["report.village_service.county_report_xlsx"]._first_row + 1
        lines = {line[0]: line for line in sheet.iter_rows(min_row=first, values_only=True)}
        self.assertEqual(list(lines)[-1], "County Total")
        self.assertIn("Test Station A", lines)
        self.assertIn("Test Station B", lines)
        # collected in the week (column B): the total is the sum of the stations
        self.assertEqual(lines["Test Station A"][1], 1)
        self.assertEqual(
            lines["County Total"][1], sum(line[1] for name, line in lines.items() if name != "County Total")
        )
        book = openpyxl.load_workbook(io.BytesIO(attachments["Close-out Ledger 2026-05-04 - 2026-05-10.xlsx"].raw))
        stations = [row[0] for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)]
        self.assertIn("Test Station A", stations)
        self.assertIn("Test Station B", stations)
        office = self._runs("weekly_report", email="office@example.com").mail_id
        self.assertEqual(office.email_to, "office@example.com")
        self.assertEqual(len(office.attachment_ids), 3)

    def test_weekly_report_is_sent_once_per_week(self):
        self._trigger(self.weekly_cron, WEEKLY_MOMENT)
        self._trigger(self.weekly_cron, "2026-05-12 01:00:00")  # a rerun in the same week
        self.assertEqual(len(self._runs("weekly_report", self.head_a)), 1)
        self.assertEqual(len(self._mails_to(self.head_a, "weekly_report")), 1)
        # two weeks later, the missed week is sent too
        self._trigger(self.weekly_cron, "2026-05-24 23:30:00")
        periods = self._runs("weekly_report", self.head_a).mapped("period_start")
        self.assertEqual(sorted(periods), [date(2026, 5, 4), date(2026, 5, 11), date(2026, 5, 18)])


@tagged("post_install", "-at_install")
class TestDigestKpis(DigestCase):
    def _kpi(self, user, field, start, end):
        digest = self.env.ref("village_service.digest_digest_village_service")
        digest = digest.with_user(user).with_context(start_datetime=start, end_datetime=end)
        digest.invalidate_recordset([field])
        return digest[field]

    def test_shipped_digest_and_kpis(self):
        digest = self.env.ref("village_service.digest_digest_village_service")
        self.assertEqual(digest.periodicity, "weekly")
        kpis = digest._get_kpi_fields()
        for name in (
            "kpi_village_problems_collected",
            "kpi_village_problems_closed_out",
            "kpi_village_rectification_rate",
            "kpi_village_problems_overdue",
        ):
            self.assertIn(name, kpis)
        week = (datetime(2026, 4, 27), datetime(2026, 5, 4))
        with moment(self.env, "2026-05-02 02:00:00"):
            self.due_a1.with_user(self.manager_a).action_rectify()
        self.assertEqual(self._kpi(self.head_a, "kpi_village_problems_collected_value", *week), 4)  # station A
        self.assertEqual(self._kpi(self.head_b, "kpi_village_problems_collected_value", *week), 1)
        self.assertEqual(self._kpi(self.head_a, "kpi_village_rectification_rate_value", *week), 25.0)
        self.assertEqual(self._kpi(self.head_a, "kpi_village_problems_closed_out_value", *week), 0)
        # on the 6th: A1's and A2's problems due on the 3rd are overdue (A1's due on the 5th was rectified)
        by_6th = (datetime(2026, 5, 4), datetime(2026, 5, 6, 2, 0))
        self.assertEqual(self._kpi(self.head_a, "kpi_village_problems_overdue_value", *by_6th), 2)
        # B1's due on the 5th too, for the bureau
        self.assertGreaterEqual(self._kpi(self.bureau_user, "kpi_village_problems_overdue_value", *by_6th), 3)
        self.assertEqual(self._kpi(self.head_b, "kpi_village_problems_overdue_value", *by_6th), 1)
        with self.assertRaises(AccessError):
            self._kpi(self.plain_user, "kpi_village_problems_collected_value", *week)

    def test_meeting_and_coverage_kpis(self):
        week = (datetime(2026, 4, 27), datetime(2026, 5, 4))
        self.env["village.meeting"].create(
            {
                "kind": "courtyard",
                "village_id": self.village_a1.id,
                "user_id": self.manager_a.id,
                "date": datetime(2026, 4, 29, 2, 0),
                "state": "done",
            }
        )
        self.assertEqual(self._kpi(self.head_a, "kpi_village_meetings_held_value", *week), 1)
        self.assertEqual(self._kpi(self.head_b, "kpi_village_meetings_held_value", *week), 0)
        coverage = self._kpi(self.bureau_user, "kpi_village_agreement_coverage_value", *week)
        self.assertTrue(0.0 <= coverage <= 100.0)

    def test_digest_email_shows_the_kpis(self):
        digest = self.env.ref("village_service.digest_digest_village_service")
        kpis = digest._compute_kpis(self.head_a.company_id, self.head_a)
        names = [kpi["kpi_name"] for kpi in kpis]
        self.assertIn("kpi_village_problems_collected", names)
        self.assertIn("helpdesk_ticket_action_ledger", kpis[names.index("kpi_village_problems_overdue")]["kpi_action"])
        # users without access to the ledger get the digest without these KPIs
        plain = [kpi["kpi_name"] for kpi in digest._compute_kpis(self.plain_user.company_id, self.plain_user)]
        self.assertNotIn("kpi_village_problems_collected", plain)


@tagged("post_install", "-at_install")
class TestDigestSettings(DigestCase):
    def test_settings_schedule_the_jobs(self):
        settings = self.env["res.config.settings"].create(
            {
                "village_work_list_enabled": True,
                "village_work_list_hour": 8.0,
                "village_weekly_report_enabled": False,
                "village_weekly_report_weekday": "4",
                "village_weekly_report_extra_emails": "office@example.com",
            }
        )
        with moment(self.env, "2026-05-05 02:00:00"):  # Tuesday 10:00 in Shanghai
            settings.execute()
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("village_service.weekly_report_extra_emails"), "office@example.com")
        self.assertFalse(params.get_param("village_service.weekly_report_enabled"))
        # next 08:00 in Shanghai: Wednesday 00:00 UTC
        self.assertEqual(self.work_list_cron.nextcall, datetime(2026, 5, 6, 0, 0))
        self.assertTrue(self.work_list_cron.active)
        # next Friday 08:00 in Shanghai, and the weekly job is off
        self.assertEqual(self.weekly_cron.nextcall, datetime(2026, 5, 8, 0, 0))
        self.assertFalse(self.weekly_cron.active)

    def test_menu_lists_the_sent_digests(self):
        menu = self.env.ref("village_service.village_digest_run_menu")
        self.assertEqual(menu.action, self.env.ref("village_service.village_digest_run_action"))
        config = self.env.ref("village_service.village_service_menu_config")
        self.assertEqual(menu.parent_id, config)
        self.assertFalse(config.with_user(self.manager_a)._filter_visible_menus())
        self.assertTrue(config.with_user(self.bureau_user)._filter_visible_menus())
