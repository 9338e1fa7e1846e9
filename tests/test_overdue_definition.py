from datetime import date, datetime, timedelta

from odoo import Command
from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import SQL

from .common import VillageServiceCase, moment

# The week of the weekly report in these tests: Monday 4 to Sunday 10 May 2026.
MONDAY = date(2026, 5, 4)
SUNDAY = date(2026, 5, 10)


@tagged("post_install", "-at_install")
class TestOverdueDefinition(VillageServiceCase):
    """One definition of "overdue on a day": the domain and its SQL twin
    agree, and every consumer (the weekly report, the daily statistics, the
    digest, the close-out analysis, the ledger's filter) counts by it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env["village.service.area"]._today()
        P = cls._problem
        # name: (collected, deadline, measure?) then the story below
        cls.open_late = P("open, deadline 3 May", "2026-05-01 02:00:00", date(2026, 5, 3), measure=False)
        cls.planned_late = P("planned, deadline 5 May", "2026-05-01 02:00:00", date(2026, 5, 5))
        cls.no_deadline = P("open, no deadline", "2026-05-01 02:00:00", False, measure=False)
        cls.due_later = P("planned, deadline 20 May", "2026-05-01 02:00:00", date(2026, 5, 20))
        cls.rectified_in_week = P("rectified on 6 May", "2026-05-01 02:00:00", date(2026, 5, 3))
        cls.rectified_after = P("rectified after the week", "2026-05-01 02:00:00", date(2026, 5, 3))
        cls.closed_in_week = P("closed out in the week", "2026-05-01 02:00:00", date(2026, 5, 2))
        cls.reopened = P("rectified, then reopened", "2026-05-01 02:00:00", date(2026, 5, 3))
        cls.collected_after = P("collected after the week", "2026-05-12 02:00:00", date(2026, 5, 12))
        cls.rectify(cls.rectified_in_week, "2026-05-06 02:00:00")
        # 16:30 UTC on the 10th is already the 11th in the service area
        cls.rectify(cls.rectified_after, "2026-05-10 16:30:00")
        cls.closeout(cls.rectified_after, "2026-05-13 02:00:00")
        cls.rectify(cls.closed_in_week, "2026-05-04 02:00:00")
        cls.closeout(cls.closed_in_week, "2026-05-05 02:00:00")
        cls.rectify(cls.reopened, "2026-05-05 02:00:00")
        with moment(cls.env, "2026-05-07 02:00:00"):
            cls.reopened.with_user(cls.manager_a).action_reopen()
        cls.rectify(cls.collected_after, "2026-05-14 02:00:00")
        cls.problems = (
            cls.open_late
            | cls.planned_late
            | cls.no_deadline
            | cls.due_later
            | cls.rectified_in_week
            | cls.rectified_after
            | cls.closed_in_week
            | cls.reopened
            | cls.collected_after
        )
        cls.days = [
            date(2026, 5, 2),
            date(2026, 5, 3),
            date(2026, 5, 4),
            date(2026, 5, 5),
            date(2026, 5, 6),
            SUNDAY,
            date(2026, 5, 11),
            date(2026, 5, 13),
            date(2026, 5, 21),
            cls.today - timedelta(days=1),
            cls.today,
            cls.today + timedelta(days=3),
        ]

    @classmethod
    def _problem(cls, name, when, deadline, measure=True):
        with moment(cls.env, when):
            ticket = (
                cls.env["helpdesk.ticket"]
                .with_user(cls.manager_a)
                .create({"name": name, "description": "<p>x</p>", "partner_id": cls.household_a1.id})
            )
            vals = {"rectification_deadline": deadline}
            if measure:
                vals["rectification_measure"] = "Replace the lamp"
            ticket.write(vals)
        return ticket

    @classmethod
    def rectify(cls, ticket, when):
        with moment(cls.env, when):
            ticket.with_user(cls.manager_a).write({"rectification_measure": "Replace the lamp"})
            ticket.with_user(cls.manager_a).action_rectify()

    @classmethod
    def closeout(cls, ticket, when):
        with moment(cls.env, when):
            cls.env["helpdesk.ticket.closeout"].with_user(cls.head_a).create(
                {"ticket_ids": [Command.set(ticket.ids)], "satisfaction": "satisfied", "note": "ok"}
            ).action_confirm()

    def _by_domain(self, day):
        Ticket = self.env["helpdesk.ticket"].with_user(self.head_a)
        return Ticket.search(Ticket._village_overdue_domain(day) & Domain("id", "in", self.problems.ids))

    def _by_sql(self, day):
        Ticket = self.env["helpdesk.ticket"]
        Ticket.flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT t.id FROM helpdesk_ticket t WHERE t.id IN %s AND %s",
                tuple(self.problems.ids),
                Ticket._village_overdue_sql("t", day),
            )
        )
        return Ticket.browse(sorted(row[0] for row in rows))

    def test_domain_and_sql_agree_on_every_day(self):
        for day in self.days:
            with self.subTest(day=day):
                self.assertEqual(set(self._by_domain(day).ids), set(self._by_sql(day).ids))

    def test_overdue_on_past_days(self):
        expected = {
            date(2026, 5, 3): self.closed_in_week,  # deadline 2 May, rectified 4 May
            date(2026, 5, 4): self.open_late | self.rectified_in_week | self.rectified_after | self.reopened,
            date(2026, 5, 5): self.open_late | self.rectified_in_week | self.rectified_after | self.reopened,
            date(2026, 5, 6): (self.open_late | self.planned_late | self.rectified_after | self.reopened),
            SUNDAY: self.open_late | self.planned_late | self.rectified_after | self.reopened,
            date(2026, 5, 11): self.open_late | self.planned_late | self.reopened,
            date(2026, 5, 13): self.open_late | self.planned_late | self.reopened | self.collected_after,
            date(2026, 5, 21): self.open_late | self.planned_late | self.reopened | self.due_later,
        }
        for day, tickets in expected.items():
            with self.subTest(day=day):
                self.assertEqual(self._by_domain(day), tickets.sorted("id"))

    def test_today_is_the_ledger_as_it_stands(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.head_a)
        now = self.open_late | self.planned_late | self.reopened | self.due_later
        self.assertEqual(self._by_domain(self.today), now.sorted("id"))
        # the index-friendly form of today and the history form agree
        history = Ticket.search(
            Ticket._village_overdue_history_domain(self.today) & Domain("id", "in", self.problems.ids)
        )
        self.assertEqual(history, now.sorted("id"))
        self.assertEqual(self.problems.with_user(self.head_a).filtered("is_overdue"), now)
        self.assertEqual(Ticket.search([("is_overdue", "=", True), ("id", "in", self.problems.ids)]), now.sorted("id"))
        Report = self.env["village.closeout.report"].with_user(self.head_a)
        rows = Report.search([("ticket_id", "in", self.problems.ids), ("overdue", "=", 1)])
        self.assertEqual(rows.ticket_id, now)

    def test_weekly_report_counts_what_it_lists(self):
        Weekly = self.env["report.village_service.report_weekly_station"].with_user(self.head_a)
        for date_from, date_to in (
            (MONDAY, SUNDAY),
            (MONDAY, date(2026, 5, 5)),
            (date(2026, 5, 11), date(2026, 5, 17)),
        ):
            with self.subTest(period=(date_from, date_to)):
                report = Weekly._weekly_values(self.station_a, date_from, date_to)[0]
                self.assertEqual(report["figures"]["overdue"], len(report["overdue_tickets"]))
                self.assertEqual(report["overdue_tickets"], self._by_domain(date_to).sorted())
        report = Weekly._weekly_values(self.station_a, MONDAY, SUNDAY)[0]
        # rectified on the 11th (local) and closed out since: overdue when the week ended
        self.assertIn(self.rectified_after, report["overdue_tickets"])
        self.assertEqual(report["figures"]["overdue"], 4)
        # the other sections are unchanged: open now, closed out in the week
        self.assertNotIn(self.rectified_after, report["open_tickets"] | report["closed_tickets"])
        self.assertEqual(report["closed_tickets"], self.closed_in_week)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.head_a)
            ._render_qweb_html(
                "village_service.report_weekly_station",
                self.station_a.ids,
                {"date_from": "2026-05-04", "date_to": "2026-05-10"},
            )[0]
            .decode()
        )
        self.assertIn("rectified after the week", html)

    def test_daily_statistics_and_digest_count_by_the_definition(self):
        Stat = self.env["village.daily.stat"].with_user(self.head_a)
        for day in self.days:
            with self.subTest(day=day):
                figures = Stat._station_figures(self.station_a, day, day)[self.station_a.id]
                self.assertEqual(figures["overdue"], len(self._by_domain(day)))
        digest = self.env.ref("village_service.digest_digest_village_service").with_user(self.head_a)
        # a digest sent at 10:00 on Monday 11 May (service area)
        digest = digest.with_context(start_datetime=datetime(2026, 5, 4, 2), end_datetime=datetime(2026, 5, 11, 2))
        self.assertEqual(digest.kpi_village_problems_overdue_value, len(self._by_domain(date(2026, 5, 11))))
