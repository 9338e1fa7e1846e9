"""Query counts of the operations whose cost must not grow with the size of
the database (issue 10: see docs/benchmarks.md and `make bench`): the daily
snapshot, the station figures, the dashboard, the ticket list page and
kanban, the close-out pivot, a batch of problems logged, the work list, a
batch of the inquiry job, notifying an outage notice and the grid headroom. A
regression (a query per station, per ticket, per household or per row)
fails here."""

from datetime import timedelta
from xml.etree import ElementTree

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tests.common import new_test_user, warmup

from .common import USER, VillageServiceCase
from .test_field_forms import PHOTO

# the headroom report's default pivot view: rows month of crossing
PIVOT_GROUPING_SETS = [[], ["month_crossing:month"]]


@tagged("post_install", "-at_install")
class TestPerformance(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["helpdesk.ticket.team"]
        cls.more_stations = Team.create(
            [{"name": f"Perf Station {n}", "is_station": True, "parent_id": cls.bureau.id} for n in range(8)]
        )
        cls.ten_stations = cls.station_a | cls.station_b | cls.more_stations
        Ticket = cls.env["helpdesk.ticket"].with_context(tracking_disable=True, mail_notrack=True)
        villages = [(cls.village_a1, cls.household_a1), (cls.village_b1, cls.household_b1)]
        cls.tickets = Ticket.create(
            [
                {
                    "name": f"Perf problem {n}",
                    "description": "<p>Low voltage</p>",
                    "village_id": villages[n % 2][0].id,
                    "partner_id": villages[n % 2][1].id,
                    "rectification_measure": "Rebalance the phases" if n % 3 else False,
                    "rectification_deadline": cls.env["village.service.area"]._today() + timedelta(days=n % 7),
                }
                for n in range(90)
            ]
        )
        cls.today = cls.env["village.service.area"]._today()

    @warmup
    def test_snapshot_constant_queries(self):
        """Three queries (compute, read the rows, update them; a fourth
        inserts the missing rows) for 2 stations as for 10."""
        Stat = self.env["village.daily.stat"].with_user(self.bureau_user)
        two = (self.station_a | self.station_b).with_user(self.bureau_user)
        ten = self.ten_stations.with_user(self.bureau_user)
        with self.assertQueryCount(3):
            Stat._snapshot(self.today, two)
        with self.assertQueryCount(3):
            Stat._snapshot(self.today, ten)
        rows = Stat.search([("date", "=", self.today), ("station_id", "in", ten.ids)])
        self.assertEqual(len(rows), 10)
        self.assertEqual(rows.filtered(lambda r: r.station_id == self.station_a).collected_total, 45)

    @warmup
    def test_station_figures_one_query(self):
        Stat = self.env["village.daily.stat"].with_user(self.bureau_user)
        ten = self.ten_stations.with_user(self.bureau_user)
        with self.assertQueryCount(1):
            figures = Stat._station_figures(ten, self.today - timedelta(days=6), self.today)
        self.assertEqual(figures[self.station_b.id]["collected"], 45)
        self.assertEqual(figures[self.more_stations[0].id]["collected"], 0)

    @warmup
    def test_dashboard_constant_queries(self):
        """The dashboard of 2 stations and of 10 costs the same queries."""
        names = [name for name in self.env["helpdesk.ticket.team"]._fields if name.startswith("dash_")]
        two = (self.station_a | self.station_b).with_user(self.bureau_user)
        ten = self.ten_stations.with_user(self.bureau_user)
        # the read, the ticket figures, and one query for meetings, inquiries, demand and
        # households to reach (6 before: a query each)
        with self.assertQueryCount(3):
            two.read(names)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            values = ten.read(names)
        self.assertEqual(values[0]["dash_total_collected"], 45)

    @warmup
    def test_county_headline_constant_queries(self):
        """The county weekly report's figures (and the headline block of the
        station report): one grouped query per figure, as many for 2
        stations as for 10."""
        County = self.env["report.village_service.report_weekly_county"].with_user(self.bureau_user)
        two = (self.station_a | self.station_b).with_user(self.bureau_user)
        ten = self.ten_stations.with_user(self.bureau_user)
        week = (self.today - timedelta(days=6), self.today)
        # problems (with its flush), by channel (2) and the channels' names,
        # meetings (2), inquiries (2), villages, agreements and WeChat groups
        # (4), demand (2), outage reach (2), revisits (2)
        counts = []
        for stations in (two, ten):
            self.env.invalidate_all()
            with self.assertQueryCount(18):
                before = self.cr.sql_log_count
                headline = County._headline(stations, *week)
                counts.append(self.cr.sql_log_count - before)
        if self.warm:  # the first (cold) run fills the caches
            self.assertEqual(counts[0], counts[1])
        self.assertEqual(headline["rows"][self.station_a.id]["collected"], 45)
        self.assertEqual(headline["total"]["collected"], 90)

    def _list_spec(self, Model, view_type="list", view_id=False):
        """The fields the web client reads for a page of the view, with the names of the linked records."""
        arch = ElementTree.fromstring(Model.get_views([(view_id, view_type)])["views"][view_type]["arch"])
        spec = {}
        for node in arch.iter("field"):
            field = Model._fields.get(node.get("name"))
            if field and field.name not in spec:
                relational = field.type in ("many2one", "one2many", "many2many")
                spec[field.name] = {"fields": {"display_name": {}}} if relational else {}
        return spec

    @warmup
    def test_ticket_kanban_page_reads_no_photo(self):
        """A page of cards costs the same queries whether its problems have
        photos or not: the camera icon reads the stored flag, not the
        photos' attachments."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.bureau_user)
        spec = self._list_spec(Ticket, "kanban")
        self.assertNotIn("photo", spec)
        domain = [("id", "in", self.tickets.ids)]
        counts = []
        for photos in (False, True):
            if photos:
                self.tickets[:40].write({"photo": PHOTO})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            page = Ticket.web_search_read(domain, spec, limit=100)
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(sum(record["has_photo"] for record in page["records"]), 40)
        if self.warm:
            self.assertEqual(counts[0], counts[1])

    @warmup
    def test_ticket_list_page_queries(self):
        """A page of 80 problems: the queries of plain helpdesk, whatever the
        number of rows; the village is the name stored on the ticket, not a
        second query for the villages' names (10 queries before)."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.bureau_user)
        spec = self._list_spec(Ticket)
        self.assertIn("village_name", spec)
        self.assertNotIn("village_id", spec)
        domain = [("id", "in", self.tickets.ids)]
        with self.assertQueryCount(9):
            page = Ticket.web_search_read(domain, spec, limit=80, count_limit=10001)
        self.assertEqual(len(page["records"]), 80)
        self.assertEqual(page["length"], 90)
        self.assertIn(page["records"][0]["village_name"], ("Test Village A1", "Test Village B1"))

    def test_ticket_village_name_follows_the_village(self):
        """The stored village name of the list and the cards is the village's
        name as it stands: renamed by the bureau, moved to another village."""
        ticket = self.tickets[0].with_user(self.bureau_user)
        village = ticket.village_id.with_user(self.bureau_user)
        village.name = "Renamed Village"
        self.env.invalidate_all()
        self.assertEqual(ticket.village_name, "Renamed Village")
        other = self.village_b1 if village == self.village_a1 else self.village_a1
        ticket.write({"village_id": other.id, "team_id": other.village_station_id.id})
        self.assertEqual(ticket.village_name, other.name)
        Ticket = self.env["helpdesk.ticket"].with_user(self.bureau_user)
        found = Ticket.search([("village_name", "=", "Renamed Village"), ("id", "in", self.tickets.ids)])
        self.assertEqual(found, self.tickets.filtered(lambda t: t.village_id == village))

    @warmup
    def test_closeout_pivot_one_query(self):
        """The close-out pivot (stations x week) is one query, with the
        context the web client sends (its language: without it Odoo looks
        the week's first day up through the user's company)."""
        Report = self.env["village.closeout.report"].with_user(self.bureau_user).with_context(lang="en_US")
        with self.assertQueryCount(1):
            groups = Report._read_group(
                [("ticket_id", "in", self.tickets.ids)],
                ["station_id", "date:week"],
                ["collected:sum", "rectified:sum", "closed_out:sum", "overdue:sum"],
            )
        collected = dict.fromkeys(self.station_a | self.station_b, 0)
        for station, _week, count, *_rest in groups:
            if station in collected:
                collected[station] += count
        self.assertEqual(collected, {self.station_a: 45, self.station_b: 45})

    def _weekly_call_rule(self):
        """The only active inquiry rule: a weekly call to households living
        alone (the care tag it returns)."""
        Rule = self.env["village.inquiry.rule"]
        Rule.search([]).action_archive()
        tag = self.env.ref("village_service.care_tag_elderly_alone")
        Rule.create(
            {
                "name": "Perf weekly call",
                "activity_type_id": self.env.ref("village_service.mail_activity_type_inquiry_phone").id,
                "interval_number": 1,
                "interval_unit": "week",
                "target": "household",
                "care_tag_ids": [Command.set(tag.ids)],
            }
        )
        return tag

    def test_inquiry_batch_queries_do_not_grow_with_targets(self):
        """The cadence job's batch costs the same for 5 households of a
        village as for 25: no query per target (the activities' document
        names are read for the batch at once)."""
        tag = self._weekly_call_rule()
        Rule = self.env["village.inquiry.rule"]
        households = self.env["res.partner"].create(
            [
                {"name": f"Perf household {n}", "village_parent_id": self.group_a1.id, "care_tag_ids": tag.ids}
                for n in range(32)
            ]
        )
        # one village, one account manager
        work = [(rule, pid) for rule, pid in Rule._inquiry_work() if pid in households.ids]
        self.assertEqual(len(work), 32)
        counts = self._batch_queries(Rule, [work[:2], work[2:7], work[7:32]])  # a warm-up, then 5 and 25 targets
        self.assertEqual(counts[1], counts[2], "queries for 5 targets, then for 25")
        self.assertLessEqual(counts[2], 25)

    def _batch_queries(self, Rule, batches):
        """The queries of each inquiry batch of `batches`, each scheduled in
        full after an empty record cache (as after the job's commit)."""
        counts = []
        for batch in batches:
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(Rule._schedule_batch(batch), len(batch))
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
        return counts

    def _outage_villages(self, count, households):
        """`count` villages of station A (account managers A and A2 in turn),
        each with its WeChat group and `households` households to reach."""
        Partner = self.env["res.partner"]
        managers = self.manager_a | self.manager_a2
        villages = self._station_a_villages(
            f"Perf Outage Village {households}", [managers[n % 2] for n in range(count)]
        )
        Partner.create(
            [
                # half of them with a number to call (a phone line), half to visit
                {
                    "name": f"{village.name} household {n}",
                    "village_parent_id": village.id,
                    "phone": "138" if n % 2 else False,
                }
                for village in villages
                for n in range(households)
            ]
        )
        self.env["village.chat.group"].create(
            [{"name": f"{village.name} WeChat", "village_ids": [Command.set(village.ids)]} for village in villages]
        )
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        return (
            self.env["village.outage.notice"]
            .with_user(self.head_a)
            .create(
                {
                    "station_id": self.station_a.id,
                    "date_start": start,
                    "date_end": start + timedelta(hours=6),
                    "reason": "Perf line maintenance",
                    "village_ids": [Command.set(villages.ids)],
                }
            )
        )

    @warmup
    def test_outage_notify_queries_do_not_grow_with_households(self):
        """Notifying, as the station head, a notice of 2 villages x 5
        households costs the queries of 2 villages x 45: WeChat texts, reach
        lines, their call activities and followers are each written in one
        batch. (Past 100 lines the ORM writes 100 rows per INSERT: a few
        queries per hundred households, see docs/benchmarks.md.)"""
        small = self._outage_villages(2, 5)
        big = self._outage_villages(2, 45)
        for notice in (small, big):
            # each in a request of its own, as the web client calls it (creation messages logged)
            self.env.flush_all()
            self.env.cr.flush()  # the notices' creation tracking, which reads the station head's partner
            self.env.invalidate_all()
            # 45: one more since a notice may name transformer areas (read once, whatever the households)
            with self.assertQueryCount(45):
                notice.with_context(mail_create_nolog=False).action_notify()
        for notice, households in ((small, 10), (big, 90)):
            reaches = notice.sudo().reach_ids
            self.assertEqual(len(reaches), households)
            self.assertEqual(len(reaches.activity_ids), households)
            self.assertEqual(set(reaches.mapped("user_id")), {self.manager_a, self.manager_a2})
            self.assertEqual(set(reaches.mapped("channel")), {"phone", "visit"})
            self.assertEqual(len(reaches.message_ids), households, "each line logs its creation")
            self.assertEqual(len(notice.sudo().post_ids), 2)

    def _grid_areas(self, count, code):
        """`count` transformer areas of village A1 (station A), each with a
        counted demand; every other one crossing the threshold."""
        feeder = self.env["village.grid.feeder"].create(
            {"name": f"Perf line {code}", "code": f"PF-{code}", "station_id": self.station_a.id}
        )
        areas = self.env["village.transformer.area"].create(
            [
                {
                    "name": f"Perf area {code}-{n}",
                    "code": f"PA-{code}-{n}",
                    "feeder_id": feeder.id,
                    "village_ids": [Command.set(self.village_a1.ids)],
                    "capacity_kva": 100,
                    "peak_load_kw": 70 if n % 2 else 30,
                }
                for n in range(count)
            ]
        )
        self.env["crm.lead"].create(
            [
                {
                    "type": "opportunity",
                    "village_id": self.village_a1.id,
                    "transformer_area_id": area.id,
                    "power_demand_type": "irrigation",
                    # unlike any other demand of the village: none is a likely duplicate
                    "power_demand_kw": 5 + n + count / 100,
                    "power_needed_by": self.today + timedelta(days=40 + 31 * (n % 3)),
                }
                for n, area in enumerate(areas)
            ]
        )
        return areas

    @warmup
    def test_headroom_screen_constant_queries(self):
        """The planner's headroom screen as the station head reads it (record
        rules apply), with the action's default filter (each crossing area's
        row at its month of crossing): the pivot (by month of crossing, one
        query of grouping sets as the pivot view reads it) and
        the list's first page, the areas to act on first. 2 areas cost the
        queries of 20."""
        Report = self.env["village.grid.headroom.report"].with_user(self.head_a)
        spec = self._list_spec(Report)
        counts = []
        for areas in (self._grid_areas(2, "S"), self._grid_areas(20, "L")):
            self.env.flush_all()
            self.env.invalidate_all()
            # the pivot (one query), the list page (its rows, the names of their areas, feeders, stations
            # and townships), the reader's rules and company
            with self.assertQueryCount(13):
                before = self.cr.sql_log_count
                pivot = Report.formatted_read_grouping_sets(
                    [("area_id", "in", areas.ids), ("is_crossing", "=", True)],
                    PIVOT_GROUPING_SETS,
                    ["__count", "loading:max"],
                )
                page = Report.web_search_read(
                    [("area_id", "in", areas.ids), ("is_crossing", "=", True)], spec, limit=80, count_limit=10001
                )
                counts.append(self.cr.sql_log_count - before)
            self.assertEqual(page["length"], len(areas) // 2)
            self.assertEqual({row["area_id"]["id"] for row in page["records"]}, set(areas[1::2].ids))
            self.assertEqual(pivot[0][0]["__count"], len(areas) // 2)  # the total: the areas crossing
        if self.warm:
            self.assertEqual(counts[0], counts[1])

    @warmup
    def test_areas_to_act_on_constant_queries(self):
        """The planner's first screen (Areas to Act On) as the station head:
        the first page of the crossing areas, read from the month stored on
        each area, and its pivot by month of crossing. 2 areas cost the
        queries of 20."""
        Area = self.env["village.transformer.area"].with_user(self.head_a).with_context(lang="en_US")
        view = self.env.ref("village_service.village_transformer_area_view_list_act_first")
        spec = self._list_spec(Area, view_id=view.id)
        counts = []
        for areas in (self._grid_areas(2, "S"), self._grid_areas(20, "L")):
            domain = [("id", "in", areas.ids), ("month_crossing", "!=", False)]
            self.env.flush_all()
            self.env.invalidate_all()
            # the page (its rows, the names of feeders, stations, townships, managers) and the pivot
            with self.assertQueryCount(8):
                before = self.cr.sql_log_count
                page = Area.web_search_read(domain, spec, limit=80, order="month_crossing, code, id")
                pivot = Area.formatted_read_grouping_sets(domain, PIVOT_GROUPING_SETS, ["__count"])
                counts.append(self.cr.sql_log_count - before)
            self.assertEqual({row["id"] for row in page["records"]}, set(areas[1::2].ids))
            self.assertEqual(pivot[0][0]["__count"], len(areas) // 2)
        if self.warm:
            self.assertEqual(counts[0], counts[1])

    @warmup
    def test_areas_over_threshold_one_query(self):
        """The dashboard's transformer areas over the threshold: one grouped
        query for 2 stations as for 10, as the bureau and the station head."""
        self._grid_areas(4, "D")
        for user in (self.bureau_user, self.head_a):
            two = (self.station_a | self.station_b).with_user(user)
            ten = self.ten_stations.with_user(user)
            for stations in (two, ten):
                self.env.invalidate_all()
                with self.assertQueryCount(1):
                    counts = self.env["village.transformer.area"].with_user(user)._over_threshold_counts(stations)
                self.assertEqual(counts, {self.station_a.id: 2})

    # -- problems logged (make bench's create case) ---------------------------

    def test_problem_batch_routing_queries_do_not_grow_with_villages(self):
        """An account manager logging a batch of problems of households costs
        the same queries whether the households live in 1 village or in 3,
        and the routing itself (station and account manager from each
        household's village) costs the same for 1 problem as for 6: it reads
        the batch's customers, villages, stations and members at once."""
        manager = new_test_user(self.env, login="vs_perf_create", groups=USER, tz="Asia/Shanghai")
        self.station_a.user_ids = [Command.link(manager.id)]
        Partner = self.env["res.partner"]
        villages = self._station_a_villages("Create village", [manager] * 3)
        Ticket = self.env["helpdesk.ticket"].with_user(manager)

        def batch_queries(tag, households):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            tickets = Ticket.create(
                [
                    {"name": f"Create problem {tag} {n}", "description": "<p>Low voltage</p>", "partner_id": h.id}
                    for n, h in enumerate(households)
                ]
            )
            self.env.flush_all()
            return self.cr.sql_log_count - before, tickets

        def households(tag, spread):
            return Partner.create(
                [
                    {"name": f"Create household {tag} {n}", "village_parent_id": spread[n % len(spread)].id}
                    for n in range(6)
                ]
            )

        batch_queries("warm-up", households("warm-up", villages))  # the manager's rules and groups cached
        one, in_one = batch_queries("one", households("one", villages[:1]))
        three, in_three = batch_queries("three", households("three", villages))
        # routed: the villages' station and account manager
        self.assertEqual(set((in_one | in_three).mapped("team_id")), {self.station_a})
        self.assertEqual(set((in_one | in_three).mapped("user_id")), {manager})
        self.assertEqual(len(in_three.village_id), 3)
        self.assertEqual(one, three, "queries for 6 problems of 1 village, then of 3 villages")

        def routing_queries(households):
            vals_list = [{"name": "Routed", "partner_id": h.id} for h in households]
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Ticket._route_to_grid_prefetch(vals_list)
            for vals in vals_list:
                Ticket._route_to_grid(vals)
            self.assertEqual({vals["team_id"] for vals in vals_list}, {self.station_a.id})
            return self.cr.sql_log_count - before

        spread = households("routed", villages)
        self.assertEqual(routing_queries(spread[:1]), routing_queries(spread), "routing 1 problem, then 6")

    # -- the daily work list (issue 20) -------------------------------------

    def _work_list_problems(self, manager, villages, count, deadline):
        """`count` problems over `villages` (managed by `manager`), half
        assigned to the manager, due on `deadline`."""
        Ticket = self.env["helpdesk.ticket"].with_context(tracking_disable=True, mail_notrack=True)
        return Ticket.create(
            [
                {
                    "name": f"Work list problem {n}",
                    "description": "<p>Low voltage</p>",
                    "village_id": villages[n % len(villages)].id,
                    "team_id": self.station_a.id,
                    "user_id": manager.id if n % 2 else False,
                    "rectification_measure": "Rebalance the phases",
                    "rectification_deadline": deadline,
                }
                for n in range(count)
            ]
        )

    def _work_list_queries(self, manager, day):
        Today = self.env["village.today"].with_user(manager)
        Today._work_list_sections(day)  # the manager's rules and groups in the caches, as for every manager
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        sections = Today._work_list_sections(day)
        return self.cr.sql_log_count - before, {s["name"]: len(s["lines"]) for s in sections}

    def test_work_list_queries_do_not_grow_with_problems_or_villages(self):
        """A manager's work list costs the same queries with 5 problems as
        with 50, and with 1 village as with 5: each section is one search
        (the problems' three in one) on the manager's villages and their own
        assignments, and the labels of each section are read at once."""
        day = self.today + timedelta(days=30)
        counts = {}
        for login, villages_count, problems in (("vs_perf_list_small", 1, 5), ("vs_perf_list_big", 5, 50)):
            manager = new_test_user(self.env, login=login, groups=USER, tz="Asia/Shanghai")
            self.station_a.user_ids = [Command.link(manager.id)]
            villages = self._station_a_villages(f"Work list village {login}", [manager] * villages_count)
            # overdue on the day, and due on the day
            self._work_list_problems(manager, villages, problems, day - timedelta(days=3))
            self._work_list_problems(manager, villages, problems, day)
            counts[login] = self._work_list_queries(manager, day)
        (small, small_lines), (big, big_lines) = counts["vs_perf_list_small"], counts["vs_perf_list_big"]
        self.assertEqual((small_lines["overdue_problems"], small_lines["problems_due_today"]), (5, 5))
        self.assertEqual((big_lines["overdue_problems"], big_lines["problems_due_today"]), (50, 50))
        self.assertEqual(small, big, "queries for 5 problems of 1 village, then for 50 of 5 villages")
        # villages, problems, villages' names, inquiries, meetings, households to reach (and the user)
        self.assertLessEqual(big, 9)

    def test_inquiry_batch_queries_do_not_grow_with_assignees(self):
        """A batch of the cadence job costs the same for households of 2
        account managers as for households of 10: the assignees are made
        followers of their households in one insert for the batch, not one
        subscription per manager (mail.activity's create). Each still
        follows each household they were given, with Odoo's default
        subscription, and no one else's."""
        tag = self._weekly_call_rule()
        Rule = self.env["village.inquiry.rule"]
        Partner = self.env["res.partner"]
        managers = self.env["res.users"]
        for n in range(13):
            managers |= new_test_user(self.env, login=f"vs_perf_inquiry_{n}", groups=USER, tz="Asia/Shanghai")
        self.station_a.user_ids = [Command.link(manager.id) for manager in managers]
        villages = self._station_a_villages("Perf inquiry village", managers)
        # 10 households in each of the first 2 villages, 1 in each of the next 10 (and the warm-up's)
        households = Partner.create(
            [
                {"name": f"Perf inquiry household {village.name} {n}", "village_parent_id": village.id}
                for village, count in zip(villages, [10, 10] + [1] * 11, strict=True)
                for n in range(count)
            ]
        )
        households.care_tag_ids = [Command.set(tag.ids)]
        work = {pid: (rule, pid) for rule, pid in Rule._inquiry_work() if pid in households.ids}
        by_village = households.grouped("village_id")
        two = [work[pid] for village in villages[:2] for pid in by_village[village].ids[:5]]
        ten = [work[pid] for village in villages[2:12] for pid in by_village[village].ids]
        rest = by_village[villages[12]].ids + by_village[villages[0]].ids[5:] + by_village[villages[1]].ids[5:]
        warmup_batch = [work[pid] for pid in rest]
        counts = self._batch_queries(Rule, [warmup_batch, two, ten])
        self.assertEqual(counts[1], counts[2], "queries for 10 targets of 2 managers, then of 10 managers")
        # each assignee follows their households, with the subtypes Odoo's subscription gives them
        followers = self.env["mail.followers"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", households.ids),
                ("partner_id", "in", managers.partner_id.ids),
            ]
        )
        self.assertEqual(
            {(f.res_id, f.partner_id.id) for f in followers},
            {(h.id, h.village_id.village_manager_id.partner_id.id) for h in households},
        )
        reference = Partner.create({"name": "Perf subscription reference"})
        reference.message_subscribe(partner_ids=managers[0].partner_id.ids)
        odoo_follower = reference.message_follower_ids.filtered(lambda f: f.partner_id == managers[0].partner_id)
        self.assertEqual(
            set(followers.mapped(lambda f: tuple(sorted(f.subtype_ids.ids)))),
            {tuple(sorted(odoo_follower.subtype_ids.ids))},
        )
