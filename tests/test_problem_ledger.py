import io
from datetime import date, datetime, timedelta
from unittest.mock import patch

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VillageServiceCase, moment


class LedgerCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.household_a1.email = "household.a1@example.com"
        cls.today = cls.env["village.service.area"]._today()

    def _problem(self, user=None, **vals):
        values = {"name": "Street light out", "description": "<p>Dark at night</p>"}
        values.update(vals)
        values.setdefault("partner_id", self.household_a1.id)
        return self.env["helpdesk.ticket"].with_user(user or self.manager_a).create(values)

    def _rectified(self, user=None, **vals):
        ticket = self._problem(user, **vals)
        ticket.write({"rectification_measure": "Replace the lamp", "rectification_deadline": self.today})
        ticket.action_rectify()
        return ticket

    def _closeout(self, tickets, user, satisfied=True, note="Customer confirmed"):
        wizard = (
            self.env["helpdesk.ticket.closeout"]
            .with_user(user)
            .create(
                {
                    "ticket_ids": [Command.set(tickets.ids)],
                    "satisfaction": "satisfied" if satisfied else "not_satisfied",
                    "note": note,
                }
            )
        )
        return wizard.action_confirm()


@tagged("post_install", "-at_install")
class TestProblemLedger(LedgerCase):
    def test_problem_is_routed_to_the_village_grid(self):
        ticket = self._problem(user=self.head_a)
        self.assertEqual(ticket.village_id, self.village_a1)
        self.assertEqual(ticket.team_id, self.station_a)
        self.assertEqual(ticket.user_id, self.manager_a)
        self.assertEqual(ticket.closeout_state, "open")
        # what was set explicitly stays
        explicit = self._problem(user=self.head_a, user_id=self.head_a.id)
        self.assertEqual(explicit.user_id, self.head_a)

    def test_problem_by_email_reaches_its_grid_manager(self):
        message = (
            "From: Household A1 <household.a1@example.com>\r\n"
            "To: station@example.com\r\n"
            "Subject: No power since this morning\r\n"
            "Message-ID: <vs-test-1@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "The whole group has no power.\r\n"
        )
        ticket_id = self.env["mail.thread"].message_process("helpdesk.ticket", message)
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.household_a1)
        self.assertEqual(ticket.team_id, self.station_a)
        self.assertEqual(ticket.user_id, self.manager_a)

    def test_plan_needs_measure_and_deadline(self):
        ticket = self._problem()
        with self.assertRaisesRegex(UserError, "measure"), self.env.cr.savepoint():
            ticket.action_plan()
        ticket.rectification_measure = "Trim the trees along the line"
        with self.assertRaisesRegex(UserError, "deadline"), self.env.cr.savepoint():
            ticket.action_plan()
        self.assertEqual(ticket.closeout_state, "open")
        # a measure with its deadline is a plan: no extra tap in the field
        ticket.rectification_deadline = self.today + timedelta(days=3)
        self.assertEqual(ticket.closeout_state, "planned")
        self.assertTrue(ticket.date_planned)
        ticket.action_plan()  # planning again is harmless
        self.assertEqual(ticket.closeout_state, "planned")

    def test_deadline_before_collection_is_refused(self):
        ticket = self._problem()
        with self.assertRaisesRegex(ValidationError, "cannot be before"), self.env.cr.savepoint():
            ticket.rectification_deadline = self.today - timedelta(days=2)
        ticket.invalidate_recordset()
        self.assertFalse(ticket.rectification_deadline)

    def test_rectify_without_measure_is_refused(self):
        ticket = self._problem()
        with self.assertRaisesRegex(UserError, "no rectification measure"), self.env.cr.savepoint():
            ticket.action_rectify()
        self.assertEqual(ticket.closeout_state, "open")
        self.assertFalse(ticket.date_rectified)

    def test_rectify_records_who_and_when(self):
        ticket = self._rectified()
        self.assertEqual(ticket.closeout_state, "rectified")
        self.assertEqual(ticket.rectified_by_id, self.manager_a)
        self.assertTrue(ticket.date_rectified)

    def test_closeout_before_rectified_is_refused(self):
        ticket = self._problem()
        ticket.write({"rectification_measure": "Fix", "rectification_deadline": self.today})
        ticket.action_plan()
        with self.assertRaisesRegex(UserError, "not rectified yet"), self.env.cr.savepoint():
            ticket.with_user(self.head_a).action_closeout()
        self.assertEqual(ticket.closeout_state, "planned")

    def test_account_manager_cannot_close_out(self):
        ticket = self._rectified()
        with self.assertRaisesRegex(UserError, "station head"), self.env.cr.savepoint():
            ticket.with_user(self.manager_a2).action_closeout()
        self.assertEqual(ticket.closeout_state, "rectified")

    def test_rectifier_cannot_close_out_unless_allowed(self):
        ticket = self._rectified(user=self.head_a)
        with self.assertRaisesRegex(UserError, "someone else"), self.env.cr.savepoint():
            self._closeout(ticket, self.head_a)
        self.assertEqual(ticket.closeout_state, "rectified")
        self.env["ir.config_parameter"].sudo().set_param("village_service.allow_self_closeout", "True")
        self._closeout(ticket, self.head_a)
        self.assertEqual(ticket.closeout_state, "closed")

    def test_closeout_strikes_off_and_closes_the_stage(self):
        ticket = self._rectified()
        action = ticket.with_user(self.head_a).action_closeout()
        self.assertEqual(action["res_model"], "helpdesk.ticket.closeout")
        self._closeout(ticket, self.head_a)
        self.assertEqual(ticket.closeout_state, "closed")
        self.assertTrue(ticket.stage_id.closed)
        self.assertEqual(ticket.closeout_by_id, self.head_a)
        self.assertEqual(ticket.closeout_satisfaction, "satisfied")
        self.assertTrue(ticket.date_closeout)

    def test_customer_not_satisfied_sends_back_to_planning(self):
        ticket = self._rectified()
        self._closeout(ticket, self.head_a, satisfied=False, note="Still flickering")
        self.assertEqual(ticket.closeout_state, "planned")
        self.assertFalse(ticket.stage_id.closed)
        self.assertFalse(ticket.date_rectified)
        self.assertEqual(ticket.closeout_satisfaction, "not_satisfied")
        self.assertIn("Still flickering", ticket.message_ids[:1].body)

    def test_stage_gate_refuses_closing_by_stage(self):
        ticket = self._rectified()
        for user in (self.manager_a, self.head_a, self.bureau_user):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(ValidationError, "only be closed by close-out"),
                self.env.cr.savepoint(),
            ):
                ticket.with_user(user).write({"stage_id": self.stage_done.id})
            ticket.invalidate_recordset()
            self.assertFalse(ticket.stage_id.closed)
            self.assertEqual(ticket.closeout_state, "rectified")

    def test_stage_gate_refuses_closed_problems_on_import(self):
        result = (
            self.env["helpdesk.ticket"]
            .with_user(self.head_a)
            .load(
                ["name", "description", "team_id", "stage_id"],
                [["Imported", "<p>x</p>", "Test County Bureau / Test Station A", "Done"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("close-out", " ".join(m["message"] for m in result["messages"]))
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Imported")]))

    def test_teams_that_are_not_stations_close_as_plain_helpdesk(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "IT Support"})
        self.assertFalse(team.require_closeout)
        ticket = self._problem(user=self.bureau_user, team_id=team.id, partner_id=False)
        ticket.with_user(self.bureau_user).stage_id = self.stage_done
        self.assertTrue(ticket.closed)
        self.assertEqual(ticket.closeout_state, "open")

    def test_reopen_counts_the_problem_as_open_again(self):
        ticket = self._rectified()
        self._closeout(ticket, self.head_a)
        # a closed-out problem is part of the official record: the station reopens it
        with self.assertRaises(UserError):
            ticket.with_user(self.manager_a).action_reopen()
        ticket.with_user(self.head_a).action_reopen()
        self.assertEqual(ticket.closeout_state, "planned")
        self.assertFalse(ticket.stage_id.closed)
        self.assertFalse(ticket.date_closeout)
        self.assertFalse(ticket.date_rectified)
        self.assertEqual(ticket.reopen_count, 1)
        figures = self.env["village.daily.stat"]._station_figures(self.station_a, self.today, self.today)
        self.assertEqual(figures[self.station_a.id]["closed_out_total"], 0)
        self.assertEqual(figures[self.station_a.id]["rectified_total"], 0)

    def test_figures_see_the_work_of_the_same_transaction(self):
        ticket = self._rectified()
        figures = self.env["village.daily.stat"]._station_figures(self.station_a, self.today, self.today)
        self.assertEqual(figures[self.station_a.id]["rectified"], 1)
        self._closeout(ticket, self.head_a)
        rows = self.env["village.closeout.report"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((rows.rectified, rows.closed_out), (1, 1))

    def test_dragging_a_closed_out_problem_back_reopens_it(self):
        ticket = self._rectified()
        self._closeout(ticket, self.head_a)
        ticket.with_user(self.head_a).write({"stage_id": self.stage_new.id})
        self.assertEqual(ticket.closeout_state, "planned")
        self.assertEqual(ticket.reopen_count, 1)

    def test_closed_out_problem_keeps_measure_and_rectification(self):
        ticket = self._rectified()
        self._closeout(ticket, self.head_a)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            ticket.with_user(self.bureau_user).rectification_measure = False

    def test_overdue_follows_the_service_areas_midnight(self):
        with moment(self.env, "2026-03-09 02:00:00"):
            ticket = self._problem()
            ticket.write({"rectification_measure": "Fix", "rectification_deadline": date(2026, 3, 10)})
        # 16:30 UTC on the 10th is 00:30 on the 11th in Asia/Shanghai (Settings):
        # overdue for every reader, whatever their own time zone
        with moment(self.env, "2026-03-10 16:30:00"):
            for tz in ("Asia/Shanghai", "UTC", "Europe/Brussels"):
                reader = ticket.with_context(tz=tz)
                reader.invalidate_recordset(["is_overdue"])
                self.assertTrue(reader.is_overdue, tz)
                self.assertIn(ticket, reader.search([("is_overdue", "=", True)]), tz)
        with moment(self.env, "2026-03-10 15:30:00"):  # 23:30 on the 10th in Shanghai
            for tz in ("Asia/Shanghai", "UTC"):
                ticket.invalidate_recordset(["is_overdue"])
                self.assertFalse(ticket.with_context(tz=tz).is_overdue, tz)
                self.assertIn(ticket, ticket.with_context(tz=tz).search([("is_overdue", "=", False)]), tz)
        # a service area in another zone moves the day for everyone
        self.env["ir.config_parameter"].set_param("village_service.tz", "UTC")
        with moment(self.env, "2026-03-10 16:30:00"):
            ticket.invalidate_recordset(["is_overdue"])
            self.assertFalse(ticket.with_context(tz="Asia/Shanghai").is_overdue)

    def test_other_station_cannot_read_the_ledger(self):
        ticket = self._problem()
        with self.assertRaises(AccessError):
            ticket.with_user(self.manager_b).read(["name"])
        with self.assertRaises(AccessError):
            ticket.with_user(self.head_b).read(["name"])
        self.env.flush_all()
        report = self.env["village.closeout.report"]
        self.assertTrue(report.with_user(self.head_a).search([("ticket_id", "=", ticket.id)]))
        self.assertFalse(report.with_user(self.head_b).search([("ticket_id", "=", ticket.id)]))


@tagged("post_install", "-at_install")
class TestLedgerStatistics(LedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the source practice: 75 problems collected, 69 rectified (6 of them closed out)
        with moment(cls.env, "2026-05-04 02:00:00"):  # a Monday, 10:00 in Shanghai
            tickets = cls.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Problem {n}",
                        "description": "<p>x</p>",
                        "partner_id": cls.household_a1.id,
                        "rectification_measure": "Fix it",
                        "rectification_deadline": date(2026, 5, 6),
                    }
                    for n in range(75)
                ]
            )
        with moment(cls.env, "2026-05-05 03:00:00"):
            tickets[:69].with_user(cls.manager_a).action_rectify()
        with moment(cls.env, "2026-05-06 03:00:00"):
            tickets[:6].with_user(cls.head_a)._closeout(True, "ok")
        cls.tickets = tickets

    def test_figures_of_the_source_practice(self):
        Stat = self.env["village.daily.stat"].with_user(self.head_a)
        figures = Stat._station_figures(self.station_a, date(2026, 5, 4), date(2026, 5, 10))[self.station_a.id]
        self.assertEqual(figures["collected_total"], 75)
        self.assertEqual(figures["rectified_total"], 69)
        self.assertEqual(figures["closed_out_total"], 6)
        self.assertEqual(figures["rectification_rate"], 92.0)
        self.assertEqual(figures["overdue"], 6)  # deadline the 6th, never rectified
        day = Stat._station_figures(self.station_a, date(2026, 5, 5), date(2026, 5, 5))[self.station_a.id]
        self.assertEqual((day["collected"], day["rectified"], day["closed_out"]), (0, 69, 0))
        self.assertEqual(day["overdue"], 0)  # on the 5th nothing was past its deadline yet

    def test_daily_snapshot_job_is_idempotent_and_keeps_history(self):
        cron = self.env.ref("village_service.ir_cron_village_daily_stat")
        Stat = self.env["village.daily.stat"]
        with moment(self.env, "2026-05-05 15:00:00"), self.enter_registry_test_mode():  # 23:00 in Shanghai
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        with moment(self.env, "2026-05-05 16:30:00"), self.enter_registry_test_mode():  # 00:30 the next day
            cron.method_direct_trigger()
        rows = Stat.search([("station_id", "=", self.station_a.id), ("date", "=", date(2026, 5, 5))])
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.collected_total, rows.rectified_total, rows.rectification_rate), (75, 69, 92.0))
        # next day: a rectified problem is reopened; the 5th keeps its figures
        self.tickets[10].with_user(self.manager_a).action_reopen()
        with moment(self.env, "2026-05-06 15:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        Stat.invalidate_model()
        fifth = Stat.search([("station_id", "=", self.station_a.id), ("date", "=", date(2026, 5, 5))])
        sixth = Stat.search([("station_id", "=", self.station_a.id), ("date", "=", date(2026, 5, 6))])
        self.assertEqual(fifth.rectified_total, 69)
        self.assertEqual(sixth.rectified_total, 68)
        self.assertEqual(sixth.closed_out_total, 6)
        # station heads read their own station's rows only
        self.assertTrue(Stat.with_user(self.head_a).search([("station_id", "=", self.station_a.id)]))
        self.assertFalse(Stat.with_user(self.head_b).search([("station_id", "=", self.station_a.id)]))

    def test_snapshot_job_crashing_half_way_goes_on_without_double_work(self):
        cron = self.env.ref("village_service.ir_cron_village_daily_stat")
        Stat = self.env["village.daily.stat"]
        station = [("station_id", "=", self.station_a.id)]
        with moment(self.env, "2026-05-03 15:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        snapshot = type(Stat)._snapshot
        days = []

        def crash_on_the_third_day(model, day, stations=None):
            days.append(day)
            if len(days) == 3:
                raise RuntimeError("the server went down")
            return snapshot(model, day, stations)

        with (
            moment(self.env, "2026-05-07 15:00:00"),
            self.enter_registry_test_mode(),
            patch.object(type(Stat), "_snapshot", crash_on_the_third_day),
            mute_logger("odoo.addons.base.models.ir_cron"),
        ):
            cron.method_direct_trigger()
        # the scheduler ran the job again after the crash: it went on from the
        # last day committed, without recomputing the days before
        day = date(2026, 5, 3)
        self.assertEqual(
            days,
            [day, day + timedelta(1), day + timedelta(2), day + timedelta(2), day + timedelta(3), day + timedelta(4)],
        )
        Stat.invalidate_model()
        rows = Stat.search(station, order="date")
        self.assertEqual(rows.mapped("date"), [date(2026, 5, 3) + timedelta(days=n) for n in range(5)])
        for row in rows:  # each equals a clean computation of its day
            clean = Stat._station_figures(self.station_a, row.date, row.date)[self.station_a.id]
            self.assertEqual(
                (row.collected_total, row.rectified_total, row.overdue),
                (clean["collected_total"], clean["rectified_total"], clean["overdue"]),
            )

    def test_snapshot_queries_do_not_grow_with_tickets(self):
        Stat = self.env["village.daily.stat"]
        stations = self.station_a | self.station_b
        Stat._snapshot(date(2026, 5, 6), stations)
        with self.assertQueryCount(2):
            Stat._snapshot(date(2026, 5, 6), stations)

    def test_weekly_report_queries_do_not_grow_with_tickets(self):
        Weekly = self.env["report.village_service.report_weekly_station"].with_user(self.head_a)
        period = (date(2026, 5, 4), date(2026, 5, 10))
        self.env.invalidate_all()
        Weekly._weekly_values(self.station_a, *period)  # warm up caches of rules and users
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Weekly._weekly_values(self.station_a, *period)
        with_75 = self.env.cr.sql_log_count - before
        with moment(self.env, "2026-05-04 02:00:00"):
            self.env["helpdesk.ticket"].create(
                [{"name": f"More {n}", "description": "x", "partner_id": self.household_a1.id} for n in range(40)]
            )
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Weekly._weekly_values(self.station_a, *period)
        self.assertEqual(self.env.cr.sql_log_count - before, with_75)

    def test_weekly_report_pdf(self):
        data = {"date_from": "2026-05-04", "date_to": "2026-05-10"}
        Report = self.env["ir.actions.report"].with_user(self.head_a)
        html = Report._render_qweb_html("village_service.report_weekly_station", self.station_a.ids, data)[0]
        html = html.decode()
        self.assertIn("Test Station A", html)
        self.assertIn("92.0", html)
        self.assertIn("Problem 70", html)  # an open, overdue problem is listed
        pdf = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "village_service.report_weekly_station", self.station_a.ids, data
        )[0]
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_weekly_report_of_another_station_is_refused(self):
        data = {"date_from": "2026-05-04", "date_to": "2026-05-10"}
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.head_b)._render_qweb_html(
                "village_service.report_weekly_station", self.station_a.ids, data
            )

    def test_closeout_ledger_xlsx(self):
        data = {"date_from": "2026-05-04", "date_to": "2026-05-10"}
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.head_a)
            ._render("village_service.closeout_ledger_xlsx", self.station_a.ids, data)
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        summary = book.worksheets[0]
        row = [cell.value for cell in summary[4]]
        self.assertEqual(row[0], "Test Station A")
        # collected, planned, rectified, closed out in the week; then cumulative figures
        self.assertEqual(row[1:], [75, 75, 69, 6, 75, 69, 6, 6, 92.0])
        ledger = book.worksheets[1]
        self.assertEqual(ledger.max_row - 1, 75)  # 69 open + 6 closed out this week
        overdue = [r for r in ledger.iter_rows(min_row=2, values_only=True) if r[12]]
        self.assertEqual(len(overdue), 6)

    def test_closeout_ledger_xlsx_by_chunks(self):
        # read 10 problems at a time (out of the cache in between), the ledger
        # lists the same rows in the same order as read at once
        data = {"date_from": "2026-05-04", "date_to": "2026-05-10"}
        Xlsx = type(self.env["report.village_service.closeout_ledger_xlsx"])

        def ledger_rows(chunk_size):
            with patch.object(Xlsx, "_ledger_chunk_size", chunk_size):
                content, _kind = (
                    self.env["ir.actions.report"]
                    .with_user(self.head_a)
                    ._render("village_service.closeout_ledger_xlsx", self.station_a.ids, data)
                )
            return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True))

        whole, chunked = ledger_rows(1000), ledger_rows(10)
        self.assertEqual(len(whole), 76)
        self.assertEqual(chunked, whole)
        self.assertEqual({row[3] for row in whole[1:]}, {self.village_a1.name})
        self.assertTrue(all(row[0] and row[7] for row in whole[1:]), "numbers and measures are written")

    def test_closeout_ledger_xlsx_queries_grow_per_chunk_not_per_row(self):
        # the same 75 rows read in 1, 3 and 5 chunks: each chunk adds the
        # same few queries (its problems and the names they show), a row none
        data = {"date_from": "2026-05-04", "date_to": "2026-05-10"}
        Xlsx = type(self.env["report.village_service.closeout_ledger_xlsx"])
        Report = self.env["ir.actions.report"].with_user(self.head_a)
        Report._render("village_service.closeout_ledger_xlsx", self.station_a.ids, data)  # caches warm
        counts = {}
        for chunk_size in (75, 25, 15):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with patch.object(Xlsx, "_ledger_chunk_size", chunk_size):
                content, _kind = Report._render("village_service.closeout_ledger_xlsx", self.station_a.ids, data)
            counts[chunk_size] = self.cr.sql_log_count - before
            self.assertEqual(openpyxl.load_workbook(io.BytesIO(content)).worksheets[1].max_row, 76)  # 75 rows
        per_chunk = (counts[25] - counts[75]) // 2
        self.assertEqual(counts[15] - counts[25], 2 * per_chunk, counts)
        # a chunk: its problems, the names of their 4 links (the users' through their partners)
        self.assertLessEqual(per_chunk, 6, counts)
        # and 75 rows in one chunk: the figures, the rows to list, one chunk (not a query per row)
        self.assertLessEqual(counts[75], 16, counts)

    def test_wizard_prints_from_station(self):
        wizard = (
            self.env["village.weekly.report.wizard"]
            .with_user(self.head_a)
            .with_context(active_model="helpdesk.ticket.team", active_ids=self.station_a.ids)
            .create({})
        )
        self.assertEqual(wizard.station_ids, self.station_a)
        self.assertEqual(wizard.date_from.weekday(), 0)
        self.assertEqual((wizard.date_to - wizard.date_from).days, 6)
        action = wizard.action_print_xlsx()
        self.assertEqual(action["report_type"], "xlsx")
        with self.assertRaises(ValidationError):
            wizard.write({"date_to": wizard.date_from - timedelta(days=1)})

    def test_closeout_report_counts(self):
        self.env.flush_all()
        Report = self.env["village.closeout.report"].with_user(self.head_a)
        with moment(self.env, datetime(2026, 5, 8, 2, 0)):
            groups = Report.with_context(tz="Asia/Shanghai")._read_group(
                [("station_id", "=", self.station_a.id)],
                [],
                ["collected:sum", "rectified:sum", "closed_out:sum", "overdue:sum"],
            )
        self.assertEqual(groups[0], (75, 69, 6, 6))

    def test_dashboard_figures(self):
        station = self.station_a.with_user(self.head_a)
        self.assertEqual(station.dash_total_collected, 75)
        self.assertEqual(station.dash_total_rectified, 69)
        self.assertEqual(station.dash_total_closed_out, 6)
        self.assertEqual(station.dash_rectification_rate, 92.0)
        self.assertEqual(station.dash_overdue, 6)

    def test_dashboard_queries_do_not_grow_with_stations(self):
        Team = self.env["helpdesk.ticket.team"].with_user(self.bureau_user)
        one = Team.browse(self.station_a.ids)
        one.mapped("dash_overdue")  # warm up
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        one.mapped("dash_overdue")
        with_one = self.env.cr.sql_log_count - before
        more = Team.create([{"name": f"Station {n}", "is_station": True} for n in range(5)]) | one
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        more.mapped("dash_overdue")
        self.assertEqual(self.env.cr.sql_log_count - before, with_one)
