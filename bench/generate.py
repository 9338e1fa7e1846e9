"""Fill a bench database (village_service installed without demo data) with a
county or a province: stations, their staff, townships, villages,
households (10 % with care tags), a 3-year problem ledger in every close-out
state, meetings, power demand leads, the grid (substations, feeders, about 3
transformer areas per village, the demands landed on them) and
service-point agreements.

The few structural records (stations, users) go through the ORM; the volume
goes through COPY. Each bulk table copies the row of one record created by
the ORM (a template: every default, required column and stored computed
field as the ORM writes it) and overrides the columns that differ per row,
including the stored computed fields (village_id, village_township_id,
commercial_partner_id, complete_name, the ticket number, close-out fields,
station/township of leads and agreements). Id and ticket-number sequences
are advanced, then the tables are analysed.

    python bench/generate.py --scale county [--config .local/odoo.conf]
    python bench/generate.py --scale province --db DB --steps grid   # a step alone, on an existing bench database
"""

import argparse
import csv
import io
import json
import logging
import random
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from common import SCALES, db_name, default_config, odoo_env

from odoo.tools import SQL, float_round

_logger = logging.getLogger("bench.generate")
COPY_CHUNK = 100_000
rng = random.Random(10)


def say(msg, *args):
    print(f"[bench-data {time.strftime('%H:%M:%S')}] " + (msg % args if args else msg), flush=True)


# ----------------------------------------------------------------------
# Bulk copy helpers
# ----------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return value


class BulkTable:
    """COPY rows into a table, every column taken from a template row unless
    overridden; ids are assigned here (max(id)+1...) and the id sequence is
    advanced at the end."""

    def __init__(self, env, table, template_id, drop_columns=()):
        self.env, self.cr, self.table = env, env.cr, table
        env.flush_all()  # the template's stored computed fields (crm.lead's won_status, ...) as the ORM writes them
        self.cr.execute(SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), template_id))
        names = [d.name for d in self.cr.description]
        self.template = dict(zip(names, self.cr.fetchone(), strict=True))
        for name in ("id", *drop_columns):
            self.template.pop(name, None)
        self.columns = list(self.template)
        self.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
        self.next_id = self.cr.fetchone()[0] + 1
        self.buffer, self.writer, self.count = io.StringIO(), None, 0
        self._reset()

    def _reset(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def new_id(self):
        new = self.next_id
        self.next_id += 1
        return new

    def add(self, row_id, **values):
        row = [row_id]
        for name in self.columns:
            value = values[name] if name in values else self.template[name]
            row.append(_csv_value(value))
        self.writer.writerow(row)
        self.count += 1
        if self.count % COPY_CHUNK == 0:
            self.flush()

    def flush(self):
        if not self.buffer.tell():
            return
        self.buffer.seek(0)
        copy_buffer(self.cr, self.table, ["id", *self.columns], self.buffer)
        self._reset()

    def finish(self):
        self.flush()
        self.cr.execute(
            SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM %s))",
                self.table,
                SQL.identifier(self.table),
            )
        )
        return self.count


def copy_buffer(cr, table, columns, buffer):
    """COPY a CSV buffer into table(columns); the statement built with SQL."""
    query = SQL(
        "COPY %s (%s) FROM STDIN WITH (FORMAT csv, NULL %s)",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
        "\\N",
    )
    cr._obj.copy_expert(cr.mogrify(query).decode(), buffer)


def copy_rows(cr, table, columns, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
        if count % COPY_CHUNK == 0:
            buffer.seek(0)
            copy_buffer(cr, table, columns, buffer)
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
    buffer.seek(0)
    copy_buffer(cr, table, columns, buffer)
    return count


def m2m_of(record, field_name):
    field = record._fields[field_name]
    return field.relation, field.column1, field.column2, record[field_name].ids


def drop_template(env, record):
    """Remove the ORM-made template row (and its chatter) once copied."""
    env.cr.execute(SQL("DELETE FROM mail_message WHERE model = %s AND res_id = %s", record._name, record.id))
    env.cr.execute(SQL("DELETE FROM mail_followers WHERE res_model = %s AND res_id = %s", record._name, record.id))
    env.cr.execute(SQL("DELETE FROM %s WHERE id = %s", SQL.identifier(record._table), record.id))
    record.invalidate_recordset()


# ----------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------


class Generator:
    def __init__(self, env, sizes):
        self.env, self.cr, self.sizes = env, env.cr, sizes
        self.now = datetime.utcnow().replace(microsecond=0)
        self.timings = {}

    def step(self, name, func):
        start = time.time()
        count = func()
        elapsed = time.time() - start
        self.timings[name] = {"rows": count, "seconds": round(elapsed, 1)}
        say("%-12s %9s rows in %6.1f s", name, count, elapsed)
        self.cr.commit()

    STEPS = (
        "stations",
        "users",
        "areas",
        "households",
        "tickets",
        "meetings",
        "leads",
        "grid",
        "agreements",
        "statistics",
        "analyze",
    )
    # the steps that can run alone on a generated bench database (they read what they need from it)
    ALONE = ("grid", "analyze")

    def run(self, steps=None):
        if steps:
            self.load_existing()
        for name in steps or self.STEPS:
            self.step(name, getattr(self, f"make_{name}" if name != "analyze" else "analyze"))
        return self.timings

    def load_existing(self):
        """The stations and villages of a generated bench database, as the
        steps before left them (villages in id order, as generated)."""
        self.stations = self.env["helpdesk.ticket.team"].search([("is_station", "=", True)], order="id")
        self.cr.execute(
            SQL(
                """SELECT id, village_township_id, village_station_id, village_manager_id, name
                     FROM res_partner
                    WHERE village_kind IN ('village', 'community') AND name LIKE %s
                 ORDER BY id""",
                "Bench Village %",
            )
        )
        self.villages = [tuple(row) for row in self.cr.fetchall()]
        say("existing: %s stations, %s villages", len(self.stations), len(self.villages))

    # -- structure through the ORM -------------------------------------

    def make_stations(self):
        Team = self.env["helpdesk.ticket.team"].with_context(mail_create_nolog=True, tracking_disable=True)
        self.bureau = Team.create({"name": "Bench Provincial Bureau"})
        n = self.sizes["stations"]
        self.stations = Team.create(
            [{"name": f"Bench Station {i + 1:04d}", "is_station": True, "parent_id": self.bureau.id} for i in range(n)]
        )
        # a plain helpdesk team (no station, no villages): the anchor of plain helpdesk behaviour
        self.plain_team = Team.create({"name": "Bench Plain Helpdesk Team"})
        return n + 2

    def make_users(self):
        """Station heads, account managers and one bureau user, created by the
        ORM without passwords (no hashing cost), in batches."""
        Users = self.env["res.users"].with_context(
            no_reset_password=True, mail_create_nolog=True, tracking_disable=True, mail_notrack=True
        )
        ref = self.env.ref
        internal = ref("base.group_user").id
        user_group = ref("village_service.group_village_user").id
        station_group = ref("village_service.group_village_station").id
        manager_group = ref("village_service.group_village_manager").id
        helpdesk_user = ref("helpdesk_mgmt.group_helpdesk_user_own").id

        def vals(login, name, group):
            return {
                "login": login,
                "name": name,
                "tz": "Asia/Shanghai",
                "group_ids": [(6, 0, [internal, group, helpdesk_user])],
            }

        n_st = len(self.stations)
        batch = 500
        heads, managers = self.env["res.users"], self.env["res.users"]
        head_vals = [vals(f"bench_head_{i + 1:04d}", f"Station Head {i + 1:04d}", station_group) for i in range(n_st)]
        manager_vals = [
            vals(f"bench_manager_{i + 1:04d}", f"Account Manager {i + 1:04d}", user_group)
            for i in range(self.sizes["managers"])
        ]
        start = time.time()
        for i in range(0, len(head_vals), batch):
            heads |= Users.create(head_vals[i : i + batch])
        for i in range(0, len(manager_vals), batch):
            managers |= Users.create(manager_vals[i : i + batch])
        self.bureau_user = Users.create(vals("bench_bureau", "Bench Bureau Manager", manager_group))
        created = len(heads) + len(managers) + 1
        say("res.users: %.1f ms per user (ORM, no password)", 1000 * (time.time() - start) / created)
        per_station = max(1, len(managers) // n_st)
        self.station_managers = {}
        # staff of the stations: rows of the team-users relation, in bulk
        relation, col1, col2, _ids = m2m_of(self.stations[:1], "user_ids")
        rows = []
        for index, station in enumerate(self.stations):
            own = managers[index * per_station : (index + 1) * per_station] or managers[index % len(managers)]
            self.station_managers[station.id] = own.ids
            rows += [(station.id, heads[index].id), *((station.id, uid) for uid in own.ids)]
            station_head = heads[index].id
            self.cr.execute(SQL("UPDATE helpdesk_ticket_team SET user_id = %s WHERE id = %s", station_head, station.id))
        rows.append((self.plain_team.id, self.bureau_user.id))
        copy_rows(self.cr, relation, [col1, col2], rows)
        self.env.invalidate_all()
        self.heads = {station.id: heads[i].id for i, station in enumerate(self.stations)}
        return created

    # -- areas and households through COPY ------------------------------

    def _partner_template(self, **vals):
        return self.env["res.partner"].with_context(mail_create_nolog=True, tracking_disable=True).create(vals)

    def make_areas(self):
        template = self._partner_template(name="Bench Template Area", village_kind="township")
        table = BulkTable(self.env, "res_partner", template.id)
        drop_template(self.env, template)
        n_town, n_vil = self.sizes["townships"], self.sizes["villages"]
        self.townships = []  # (id, station_id)
        for i in range(n_town):
            station = self.stations[i % len(self.stations)]
            tid = table.new_id()
            name = f"Bench Township {i + 1:05d}"
            table.add(
                tid,
                name=name,
                complete_name=name,
                commercial_partner_id=tid,
                village_kind="township",
                village_township_id=tid,
                village_id=None,
            )
            self.townships.append((tid, station.id))
        self.villages = []  # (id, township_id, station_id, manager_id, name)
        for i in range(n_vil):
            township_id, station_id = self.townships[i % n_town]
            managers = self.station_managers[station_id]
            manager_id = managers[(i // n_town) % len(managers)]
            vid = table.new_id()
            name = f"Bench Village {i + 1:05d}"
            table.add(
                vid,
                name=name,
                complete_name=name,
                commercial_partner_id=vid,
                village_kind="community" if i % 10 == 0 else "village",
                village_parent_id=township_id,
                village_township_id=township_id,
                village_id=vid,
                village_station_id=station_id,
                village_manager_id=manager_id,
                village_household_count=self.sizes["households"] // n_vil,
            )
            self.villages.append((vid, township_id, station_id, manager_id, name))
        return table.finish()

    def make_households(self):
        template = self._partner_template(name="Bench Template Household")
        table = BulkTable(self.env, "res_partner", template.id)
        drop_template(self.env, template)
        tags = self.env["village.care.tag"].search([]).ids
        relation, col1, col2, _ids = m2m_of(self.env["res.partner"], "care_tag_ids")
        per_village = self.sizes["households"] // len(self.villages)
        self.households = {}  # village id -> (first id, count)
        tag_rows = []
        for vid, township_id, _station_id, _manager_id, vname in self.villages:
            first = table.next_id
            for n in range(per_village):
                hid = table.new_id()
                name = f"{vname} Household {n + 1:04d}"
                table.add(
                    hid,
                    name=name,
                    complete_name=name,
                    commercial_partner_id=hid,
                    village_parent_id=vid,
                    village_id=vid,
                    village_township_id=township_id,
                )
                if n % 10 == 3:  # 10 % with a care tag
                    tag_rows.append((hid, tags[(n // 10) % len(tags)]))
            self.households[vid] = (first, per_village)
        count = table.finish()
        copy_rows(self.cr, relation, [col1, col2], tag_rows)
        return count

    def household_of(self, vid):
        first, count = self.households[vid]
        return first + rng.randrange(count)

    # -- the problem ledger ----------------------------------------------

    def make_tickets(self):
        Ticket = self.env["helpdesk.ticket"].with_context(mail_create_nolog=True, tracking_disable=True)
        vid, _t, station_id, manager_id, _n = self.villages[0]
        template = Ticket.create(
            {
                "name": "Bench template",
                "description": "<p>Bench template</p>",
                "team_id": station_id,
                "village_id": vid,
                "partner_id": self.household_of(vid),
                "user_id": manager_id,
            }
        )
        sequence = self.env.ref("helpdesk_mgmt.helpdesk_ticket_sequence")
        number_start = sequence.number_next_actual
        table = BulkTable(self.env, "helpdesk_ticket", template.id)
        drop_template(self.env, template)
        stages = self.stations[0]._get_applicable_stages()
        closed_stage = stages.filtered("closed")[:1]
        open_stages = stages.filtered(lambda s: not s.closed)
        new_stage, work_stage = open_stages[0], open_stages[1:2] or open_stages[0]
        unattended = {s.id: s.unattended for s in stages}
        channels = self.env["helpdesk.ticket.channel"].search([]).ids or [None]
        # importable once the registry has set up the addons path
        from odoo.addons.village_service.demo.village_demo import DEMO_MEASURES, DEMO_PROBLEMS  # noqa: PLC0415

        titles, measures = DEMO_PROBLEMS, DEMO_MEASURES
        span = 3 * 365 * 86400
        n = self.sizes["tickets"]
        for i in range(n):
            vid, _township, station_id, manager_id, _vname = self.villages[rng.randrange(len(self.villages))]
            created = self.now - timedelta(seconds=rng.randrange(span))
            age = (self.now - created).days
            roll = rng.random()
            # older problems are more often closed out: (closed, rectified, planned) thresholds
            closed, rectified, planned = (
                (0.85, 0.92, 0.97) if age > 60 else (0.5, 0.7, 0.9) if age > 14 else (0.1, 0.3, 0.7)
            )
            state = (
                "closed"
                if roll < closed
                else "rectified"
                if roll < rectified
                else "planned"
                if roll < planned
                else "open"
            )
            planned = created + timedelta(hours=rng.randint(1, 48))
            rectified = planned + timedelta(hours=rng.randint(4, 240))
            closeout = rectified + timedelta(hours=rng.randint(4, 120))
            # a date not reached yet: the problem is not there yet
            if state == "closed" and closeout > self.now:
                state = "rectified"
            if state == "rectified" and rectified > self.now:
                state = "planned"
            if state == "planned" and planned > self.now:
                state = "open"
            deadline = (created + timedelta(days=rng.randint(3, 30))).date()
            has_plan = state != "open"
            if state == "closed":
                stage_id = closed_stage.id
            else:
                stage_id = new_stage.id if state == "open" else work_stage.id
            last_stage = closeout if state == "closed" else planned if has_plan else created
            write_date = {"open": created, "planned": planned, "rectified": rectified, "closed": closeout}[state]
            table.add(
                table.new_id(),
                number=f"HT{number_start + i:05d}",
                name=titles[i % len(titles)],
                description=f"<p>{titles[i % len(titles)]}</p>",
                team_id=station_id,
                user_id=manager_id,
                village_id=vid,
                partner_id=(partner := self.household_of(vid)),
                commercial_partner_id=partner,
                partner_name=None,
                partner_email=None,
                channel_id=channels[i % len(channels)],
                stage_id=stage_id,
                unattended=unattended[stage_id],
                last_stage_update=last_stage,
                closed_date=closeout if state == "closed" else None,
                create_date=created,
                write_date=write_date,
                closeout_state=state,
                rectification_measure=measures[i % len(measures)] if has_plan else None,
                rectification_deadline=deadline if has_plan or i % 2 else None,
                date_planned=planned if has_plan else None,
                date_rectified=rectified if state in ("rectified", "closed") else None,
                rectified_by_id=manager_id if state in ("rectified", "closed") else None,
                date_closeout=closeout if state == "closed" else None,
                closeout_by_id=self.heads[station_id] if state == "closed" else None,
                closeout_satisfaction="satisfied" if state == "closed" else None,
                access_token=None,
            )
        count = table.finish()
        sequence.write({"number_next": number_start + n})
        return count

    def make_meetings(self):
        Meeting = self.env["village.meeting"].with_context(mail_create_nolog=True, tracking_disable=True)
        vid, _t, station_id, manager_id, _n = self.villages[0]
        template = Meeting.create({"village_id": vid, "user_id": manager_id, "kind": "courtyard", "state": "done"})
        table = BulkTable(self.env, "village_meeting", template.id)
        drop_template(self.env, template)
        relation, col1, col2, _ids = m2m_of(template, "user_ids")
        kinds = dict(Meeting._fields["kind"]._description_selection(self.env))
        span = 3 * 365 * 86400
        staff_rows = []
        for i in range(self.sizes["meetings"]):
            vid, _township, station_id, manager_id, vname = self.villages[i % len(self.villages)]
            when = self.now - timedelta(seconds=rng.randrange(span)) + timedelta(days=14)
            kind = list(kinds)[i % len(kinds)]
            mid = table.new_id()
            table.add(
                mid,
                name=f"{kinds[kind]} – {vname}",
                kind=kind,
                state="planned" if when > self.now else "cancelled" if i % 20 == 0 else "done",
                date=when,
                village_id=vid,
                station_id=station_id,
                user_id=manager_id,
                partner_id=self.household_of(vid) if kind in ("visit", "phone") else None,
                attendee_count=rng.randint(1, 40),
                create_date=min(when, self.now),
                write_date=min(when, self.now),
            )
            staff_rows.append((mid, manager_id))
        count = table.finish()
        copy_rows(self.cr, relation, [col1, col2], staff_rows)
        return count

    def make_leads(self):
        Lead = self.env["crm.lead"].with_context(mail_create_nolog=True, tracking_disable=True)
        vid, _t, station_id, manager_id, _n = self.villages[0]
        partner = self.household_of(vid)
        template = Lead.create(
            {
                "name": "Bench template",
                "type": "opportunity",
                "partner_id": partner,
                "village_id": vid,
                "user_id": manager_id,
                "power_demand_type": "irrigation",
                "power_demand_kw": 10.0,
            }
        )
        table = BulkTable(self.env, "crm_lead", template.id)
        drop_template(self.env, template)
        types = ["new_connection", "capacity_increase", "irrigation", "farming", "relocation", "other"]
        span = 3 * 365 * 86400
        for i in range(self.sizes["leads"]):
            vid, township_id, station_id, manager_id, vname = self.villages[i % len(self.villages)]
            created = self.now - timedelta(seconds=rng.randrange(span))
            partner = self.household_of(vid)
            kind = types[i % len(types)]
            table.add(
                table.new_id(),
                name=f"{kind.replace('_', ' ').title()} – {vname}",
                partner_id=partner,
                commercial_partner_id=partner,
                contact_name=None,
                partner_name=None,
                email_from=None,
                email_normalized=None,
                village_id=vid,
                station_id=station_id,
                township_id=township_id,
                user_id=manager_id,
                power_demand_type=kind,
                power_demand_kw=round(rng.uniform(2, 800), 1),
                power_needed_by=(created + timedelta(days=rng.randint(30, 400))).date(),
                create_date=created,
                write_date=created,
                date_open=created,
                date_last_stage_update=created,
            )
        return table.finish()

    # -- the grid ---------------------------------------------------------

    def make_grid(self):
        """Substations (one per 5 stations) and feeders (4 per station) by the
        ORM; about 3 transformer areas per village by COPY (a capacity of a
        standard transformer size, a measured peak of 15-50 % of it, 80-95 %
        for 1 % of the areas, a date of measure); then the demand leads land
        on an area of their village,
        with realistic kW (most 3-40 kW), 10 % without a needed-by date, the
        relocations adding no load and 1 % asked again by the same household
        (flagged as a likely duplicate as crm.lead flags them, with the
        demands the rule finds alike by chance). About 5-10 % of the areas then reach
        80 % with their demand. Runs alone on a generated bench database."""
        env, cr = self.env, self.cr
        cr.execute(SQL("SELECT COUNT(*) FROM village_transformer_area WHERE code LIKE %s", "BTA-%"))
        if cr.fetchone()[0]:
            raise RuntimeError("this database has the bench grid already")
        self.grid_rng = random.Random(19)
        station_feeders = self._grid_lines()
        village_areas, count = self._grid_areas(station_feeders)
        self._grid_demands(village_areas)
        env.invalidate_all()
        # the month of crossing stored on each area, as the ORM computes it (one query for all areas)
        env["village.transformer.area"]._village_threshold_changed()
        env.flush_all()
        cr.execute(SQL("ANALYZE village_transformer_area; ANALYZE crm_lead; ANALYZE village_grid_feeder"))
        self.report_crossing()
        return count

    def _grid_lines(self):
        """{station id: [(feeder id, substation id)]}: the substations and feeders, by the ORM."""
        env = self.env
        Substation = env["village.grid.substation"]
        Feeder = env["village.grid.feeder"]
        n_sub = max(1, -(-len(self.stations) // 5))
        substations = Substation.create(
            [{"name": f"Bench Substation {i + 1:04d}", "code": f"BSS-{i + 1:04d}"} for i in range(n_sub)]
        )
        feeder_vals = [
            {
                "name": f"Bench 10 kV Line {i + 1:04d}-{n + 1}",
                "code": f"BFL-{i + 1:04d}-{n + 1}",
                "substation_id": substations[i // 5].id,
                "station_id": station.id,
            }
            for i, station in enumerate(self.stations)
            for n in range(4)
        ]
        feeders = Feeder.browse()
        for i in range(0, len(feeder_vals), 1000):
            feeders |= Feeder.create(feeder_vals[i : i + 1000])
        station_feeders = {}
        for feeder in feeders:
            station_feeders.setdefault(feeder.station_id.id, []).append((feeder.id, feeder.substation_id.id))
        return station_feeders

    def _grid_areas(self, station_feeders):
        """The transformer areas by COPY; ({village id: [area ids]}, count)."""
        env, cr, grid_rng = self.env, self.cr, self.grid_rng
        # the transformer areas: the row of one made by the ORM, per-row columns overridden
        vid, _township, station_id, _manager, _name = self.villages[0]
        feeder_id, _substation_id = station_feeders[station_id][0]
        template = (
            env["village.transformer.area"]
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(
                {
                    "name": "Bench template area",
                    "code": "BTA-TEMPLATE",
                    "feeder_id": feeder_id,
                    "village_ids": [(6, 0, [vid])],
                    "capacity_kva": 200,
                    "peak_load_kw": 90,
                }
            )
        )
        relation, col1, col2, _ids = m2m_of(template, "village_ids")
        cr.execute(SQL("DELETE FROM %s WHERE %s = %s", SQL.identifier(relation), SQL.identifier(col1), template.id))
        table = BulkTable(env, "village_transformer_area", template.id)
        drop_template(env, template)
        sizes = (100, 160, 200, 250, 315, 400, 500, 630)
        today = date.today()
        village_areas, rel_rows = {}, []
        for index, (vid, township_id, station_id, manager_id, vname) in enumerate(self.villages):
            own = station_feeders[station_id]
            for n in range(2 + index % 3):  # 2, 3 or 4 areas: 3 per village on average
                feeder_id, substation_id = own[(index + n) % len(own)]
                kva = sizes[grid_rng.randrange(len(sizes))]
                capacity = float_round(kva * 0.9, precision_digits=1)
                # 1 % over the threshold by their peak alone, the others at 15-50 %
                share = grid_rng.uniform(0.8, 0.95) if grid_rng.random() < 0.01 else grid_rng.uniform(0.15, 0.5)
                peak = float_round(capacity * share, precision_digits=1)
                aid = table.new_id()
                table.add(
                    aid,
                    name=f"{vname} No. {n + 1}",
                    code=f"BTA-{vid}-{n + 1}",
                    feeder_id=feeder_id,
                    substation_id=substation_id,
                    station_id=station_id,
                    township_id=township_id,
                    manager_id=manager_id,
                    capacity_kva=kva,
                    power_factor=0.9,
                    capacity_kw=capacity,
                    peak_load_kw=peak,
                    loading=float_round(peak / capacity * 100, precision_digits=1),
                    date_peak_measured=today - timedelta(days=grid_rng.randrange(365)),
                )
                rel_rows.append((aid, vid))
                village_areas.setdefault(vid, []).append(aid)
        count = table.finish()
        copy_rows(cr, relation, [col1, col2], rel_rows)
        return village_areas, count

    def _grid_demands(self, village_areas):
        """The demand leads on the areas of their villages."""
        cr, grid_rng = self.cr, self.grid_rng
        # the demands: their area, kW, needed-by date and duplicate flag, set by one UPDATE from a copied table
        cr.execute(
            SQL(
                """SELECT id, village_id, power_demand_type, partner_id, create_date
                     FROM crm_lead WHERE village_id = ANY(%s) AND power_demand_type IS NOT NULL ORDER BY id""",
                list(village_areas),
            )
        )
        of_village, rows = {}, []
        for lead_id, vid, lead_kind, lead_partner, created in cr.fetchall():
            kw = round(grid_rng.uniform(60, 150) if grid_rng.random() < 0.05 else grid_rng.uniform(3, 40), 1)
            needed = None if grid_rng.random() < 0.1 else (created + timedelta(days=grid_rng.randint(30, 400))).date()
            area, kind, partner_id = grid_rng.choice(village_areas[vid]), lead_kind, lead_partner
            earlier = of_village.setdefault(vid, [])
            if earlier and grid_rng.random() < 0.01:
                # the same household asks again for the same: a likely duplicate
                _id, area, kind, kw, partner_id, _created = earlier[-1]
            # crm.lead._compute_power_demand_duplicate_of_id: the first earlier demand of the village of the
            # same type, of the same household, or of the same kW recorded within 30 days
            duplicate_of = next(
                (
                    other[0]
                    for other in earlier
                    if other[2] == kind
                    and (other[4] == partner_id or (other[3] == kw and other[5] >= created - timedelta(days=30)))
                ),
                None,
            )
            rows.append((lead_id, area, kind, kind != "relocation", kw, needed, partner_id, duplicate_of))
            earlier.append((lead_id, area, kind, kw, partner_id, created))
        cr.execute(
            SQL(
                """CREATE TEMP TABLE bench_grid_lead (id int, area_id int, kind varchar, adds_load bool,
                   kw float8, needed date, partner_id int, duplicate_of int) ON COMMIT DROP"""
            )
        )
        copy_rows(
            cr,
            "bench_grid_lead",
            ["id", "area_id", "kind", "adds_load", "kw", "needed", "partner_id", "duplicate_of"],
            rows,
        )
        cr.execute(
            SQL(
                """UPDATE crm_lead l
                      SET transformer_area_id = g.area_id, power_demand_type = g.kind,
                          power_demand_adds_load = g.adds_load, power_demand_kw = g.kw,
                          power_needed_by = g.needed, partner_id = g.partner_id,
                          power_demand_duplicate_of_id = g.duplicate_of,
                          -- open, as crm computes it (the leads of a database generated before the template
                          -- row was flushed have none)
                          won_status = COALESCE(l.won_status, 'pending')
                     FROM bench_grid_lead g
                    WHERE l.id = g.id"""
            )
        )

    def report_crossing(self):
        """Print the share of areas at or over 80 % with their counted demand."""
        self.cr.execute(
            SQL(
                """SELECT COUNT(*), COUNT(*) FILTER (WHERE (a.peak_load_kw + COALESCE(d.kw, 0)) >= 0.8 * a.capacity_kw)
                     FROM village_transformer_area a
                LEFT JOIN (SELECT transformer_area_id, SUM(power_demand_kw) AS kw FROM crm_lead
                            WHERE active AND won_status != 'lost' AND power_demand_adds_load
                              AND power_demand_duplicate_of_id IS NULL
                         GROUP BY 1) d ON d.transformer_area_id = a.id
                    WHERE a.active"""
            )
        )
        total, crossing = self.cr.fetchone()
        say("grid: %s areas, %s (%.1f %%) at or over 80 %% with their demand", total, crossing, 100 * crossing / total)

    def make_agreements(self):
        Agreement = self.env["village.agreement"].with_context(mail_create_nolog=True, tracking_disable=True)
        vid = self.villages[0][0]
        template = Agreement.create({"village_id": vid, "date_start": date.today()})
        sequence = self.env["ir.sequence"].search([("code", "=", "village.agreement")], limit=1)
        relation, col1, col2, service_ids = m2m_of(template, "service_ids")
        table = BulkTable(self.env, "village_agreement", template.id)
        drop_template(self.env, template)
        prefix = "AGR"
        service_rows = []
        count = min(self.sizes["agreements"], len(self.villages))
        for i in range(count):
            vid, township_id, station_id, manager_id, _vname = self.villages[i]
            state = "draft" if i % 10 == 0 else "expired" if i % 10 == 1 else "active"
            # an expired agreement ended yesterday: it started before that
            start = date.today() - timedelta(days=rng.randint(2 if state == "expired" else 0, 3 * 365))
            aid = table.new_id()
            table.add(
                aid,
                name=f"{prefix}{i + 1:06d}",
                state=state,
                village_id=vid,
                township_id=township_id,
                station_id=station_id,
                manager_id=manager_id,
                # the committee signs as a body: an agreement in force is signed by both sides
                village_signatory_id=vid if state != "draft" else None,
                station_signatory_id=self.heads[station_id],
                date_start=start,
                date_end=start + timedelta(days=3 * 365) if state != "expired" else date.today() - timedelta(days=1),
                date_signed=start if state != "draft" else None,
            )
            service_rows += [(aid, sid) for sid in service_ids]
        total = table.finish()
        copy_rows(self.cr, relation, [col1, col2], service_rows)
        if sequence:
            sequence.write({"number_next": sequence.number_next_actual + count})
        return total

    def make_statistics(self):
        Stat = self.env["village.daily.stat"]
        today = self.env["village.service.area"]._today()
        for days in range(30, -1, -1):
            Stat._snapshot(today - timedelta(days=days), self.stations)
        return 31 * len(self.stations)

    def analyze(self):
        self.cr.execute(SQL("ANALYZE"))
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="county")
    parser.add_argument("--db", help="database (default village_service_bench_<scale>)")
    parser.add_argument("--config", default=default_config())
    parser.add_argument(
        "--steps",
        default="",
        help=f"comma-separated steps to run alone on a generated bench database: {', '.join(Generator.ALONE)}",
    )
    args = parser.parse_args()
    steps = [name for name in args.steps.split(",") if name]
    if set(steps) - set(Generator.ALONE):
        parser.error(f"only these steps run alone: {', '.join(Generator.ALONE)}")
    db = args.db or db_name(args.scale)
    start = time.time()
    with odoo_env(db, args.config, {"mail_create_nolog": True, "tracking_disable": True}) as (_reg, cr, env):
        timings = Generator(env, SCALES[args.scale]).run(steps)
        env["ir.config_parameter"].set_param("village_service.bench_scale", args.scale)
        cr.commit()
    say("%s generated in %.0f s", db, time.time() - start)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
