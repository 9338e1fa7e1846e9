from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, UserError
from odoo.tools import SQL

TICKET_FIELDS = [
    "team_id",
    "active",
    "create_date",
    "date_planned",
    "date_rectified",
    "date_closeout",
    "rectification_deadline",
    "closeout_state",
]
FIGURES = (
    "collected",
    "planned",
    "rectified",
    "closed_out",
    "collected_total",
    "planned_total",
    "rectified_total",
    "closed_out_total",
    "overdue",
)


class VillageDailyStat(models.Model):
    """Daily statistics of a station's problem ledger (日统计), one row per
    station and day, written by a scheduled job so that the figures of a past
    day survive later edits of the tickets.

    The rows are derived: written by `_snapshot` only (the job, or "Refresh
    today"), read-only to every user (ACL). Days are the service area's
    (Settings), whoever clicks. A row written after its day ended is final:
    nothing rewrites it, neither the job, nor a refresh, nor a write."""

    _name = "village.daily.stat"
    _description = "Daily Problem Statistics"
    _order = "date desc, station_id"
    _rec_name = "date"

    station_id = fields.Many2one(
        "helpdesk.ticket.team", string="Power Supply Station", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True, index=True)
    collected = fields.Integer(string="Collected (day)", aggregator="sum")
    planned = fields.Integer(string="Planned (day)", aggregator="sum")
    rectified = fields.Integer(string="Rectified (day)", aggregator="sum")
    closed_out = fields.Integer(string="Closed Out (day)", aggregator="sum")
    collected_total = fields.Integer(string="Collected (cumulative)", aggregator="sum")
    planned_total = fields.Integer(string="Planned (cumulative)", aggregator="sum")
    rectified_total = fields.Integer(string="Rectified (cumulative)", aggregator="sum")
    closed_out_total = fields.Integer(string="Closed Out (cumulative)", aggregator="sum")
    overdue = fields.Integer(string="Overdue", aggregator="sum")
    rectification_rate = fields.Float(
        string="Rectification Rate (%)",
        digits=(5, 1),
        aggregator="avg",
        help="Rectified out of collected, cumulative to the day.",
    )

    is_final = fields.Boolean(
        string="Final",
        readonly=True,
        help="Written after its day ended: the figures of that day, kept whatever happens to the problems later.",
    )

    days_ago = fields.Integer(
        compute="_compute_days_ago",
        search="_search_days_ago",
        help="Days between the row's day and today, in the service area's time zone.",
    )

    _station_date_uniq = models.UniqueIndex("(station_id, date)")

    def _compute_days_ago(self):
        today = self.env["village.service.area"]._today()
        for row in self:
            row.days_ago = (today - row.date).days if row.date else 0

    def _search_days_ago(self, operator, value):
        """The search filters Today, Yesterday, Last 7 days: the service
        area's days, not the browser's."""
        today = self.env["village.service.area"]._today()
        if operator in ("in", "not in"):
            days = [today - timedelta(days=int(n)) for n in value if n is not False and n is not None]
            return [("date", operator, days)]
        reverse = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
        if operator not in reverse or isinstance(value, bool) or not isinstance(value, int):
            return NotImplemented
        return [("date", reverse[operator], today - timedelta(days=value))]

    # ------------------------------------------------------------------
    # Derived rows: never written from outside the snapshot
    # ------------------------------------------------------------------

    def write(self, vals):
        final = self.filtered("is_final")
        if final:
            raise UserError(
                self.env._(
                    "The statistics of %(days)s are final: they were written after the day ended and are "
                    "never rewritten.",
                    days=", ".join(sorted({fields.Date.to_string(day) for day in final.mapped("date")})),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # The figures: one aggregate query for any number of stations
    # ------------------------------------------------------------------

    @api.model
    def _station_figures(self, stations, date_from, date_to):
        """Figures of each station for the period [date_from, date_to] (local
        days) and cumulative to its end: {station_id: {figure: value}}.
        One query, whatever the number of stations and tickets."""
        Ticket = self.env["helpdesk.ticket"]
        # raw SQL sees only what is flushed: pending writes of this transaction too
        Ticket.flush_model(TICKET_FIELDS)
        # the stations' tickets with the reader's record rules (none for the
        # snapshot job and the digests, which run as superuser): the figures
        # count the problems they may see. The rules' conditions go into this
        # query's own WHERE, not into an "id IN (subquery)" that would read
        # the table twice (3x the time of a bare aggregate, docs/benchmarks.md)
        query = Ticket.with_context(active_test=False)._search([("team_id", "in", stations.ids or [0])])
        t = query.table
        start = self.env["village.service.area"]._day_start(date_from)
        end = self.env["village.service.area"]._day_start(date_to + timedelta(days=1))

        def col(name):
            return SQL.identifier(t, name)

        query.add_where(SQL("%s AND %s < %s", col("active"), col("create_date"), end))
        query.groupby = col("team_id")
        rows = self.env.execute_query_dict(
            query.select(
                SQL(
                    """
                    %(team)s AS station_id,
                    COUNT(*) FILTER (WHERE %(created)s >= %(start)s) AS collected,
                    COUNT(*) FILTER (WHERE %(planned)s >= %(start)s AND %(planned)s < %(end)s) AS planned,
                    COUNT(*) FILTER (WHERE %(rectified)s >= %(start)s AND %(rectified)s < %(end)s) AS rectified,
                    COUNT(*) FILTER (WHERE %(closeout)s >= %(start)s AND %(closeout)s < %(end)s) AS closed_out,
                    COUNT(*) AS collected_total,
                    COUNT(*) FILTER (WHERE %(planned)s < %(end)s) AS planned_total,
                    COUNT(*) FILTER (WHERE %(rectified)s < %(end)s) AS rectified_total,
                    COUNT(*) FILTER (WHERE %(closeout)s < %(end)s) AS closed_out_total,
                    COUNT(*) FILTER (WHERE %(overdue)s) AS overdue
                    """,
                    team=col("team_id"),
                    created=col("create_date"),
                    planned=col("date_planned"),
                    rectified=col("date_rectified"),
                    closeout=col("date_closeout"),
                    start=start,
                    end=end,
                    # overdue on the period's last day, as the ledger defines it
                    overdue=Ticket._village_overdue_sql(t, date_to),
                )
            )
        )
        empty = dict.fromkeys(FIGURES, 0)
        figures = {station_id: dict(empty) for station_id in stations.ids}
        for row in rows:
            figures[row.pop("station_id")] = row
        for values in figures.values():
            values["rectification_rate"] = self._rate(values["rectified_total"], values["collected_total"])
        return figures

    @api.model
    def _rate(self, part, whole):
        return round(100.0 * part / whole, 1) if whole else 0.0

    @api.model
    def _check_station_access(self, stations):
        """Station heads report on their own stations only; the bureau on all."""
        if self.env.su or self.env.user.has_group("village_service.group_village_manager"):
            return
        foreign = stations - self.env.user.helpdesk_team_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You can only see the statistics of your own stations, not of %(stations)s.",
                    stations=", ".join(foreign.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # The snapshot job
    # ------------------------------------------------------------------

    @api.model
    def _snapshot(self, day, stations=None):
        """Write (or rewrite) the rows of `day` for the stations: one query to
        compute, one to read the rows, one to update them and one to create
        the missing ones, whatever the number of stations. Rerunning it for
        the same day changes nothing but the figures; a final row is left as
        it is. A row written once `day` has ended (the service area's day)
        becomes final.

        Two writers at once (the nightly job and a "Refresh Today") meet on
        today's rows only, the job's past days being final or its own:
        - both update one row: the second gets a serialization failure, which
          `odoo.service.model.retrying` retries for a web request (the retry
          sees the other's row); in the job it fails that run, and the next
          one starts again from the oldest unfinished day;
        - both create one row: the unique index (station_id, date) refuses
          the second. `retrying` does not retry an IntegrityError (it turns
          it into a ValidationError), so it is raised as a ConcurrencyError,
          which it does retry; the job's run stops the same way as above.
        Either way each (station, day) has one row, of the last writer, and a
        final row is never rewritten."""
        stations = stations if stations is not None else self._all_stations()
        if not stations:
            return
        figures = self._station_figures(stations, day, day)
        # the figures count what the caller may see; the rows are derived and
        # read-only to every user (ACL): they are written in superuser mode
        Stat = self.sudo()
        # rows written after their day ended are final: history is kept
        final = fields.Datetime.now() >= self.env["village.service.area"]._day_start(day + timedelta(days=1))
        rows = Stat.search_fetch([("station_id", "in", stations.ids), ("date", "=", day)], ["station_id", "is_final"])
        existing = {row.station_id.id: row for row in rows}
        missing = []
        for station_id in stations.ids:
            vals = dict(figures[station_id], is_final=final)
            row = existing.get(station_id)
            if not row:
                missing.append(dict(vals, station_id=station_id, date=day))
            elif not row.is_final:
                row.write(vals)
        Stat.flush_model()  # one UPDATE for the rows rewritten
        if missing:
            try:
                Stat.create(missing)  # one INSERT
            except psycopg2.errors.UniqueViolation as exc:
                # the transaction is aborted anyway: the caller's retry (or
                # the job's next run) starts over and sees the other's row
                raise ConcurrencyError(
                    self.env._("The statistics of %(day)s were written at the same time by another user.", day=day)
                ) from exc

    @api.model
    def _all_stations(self):
        return self.env["helpdesk.ticket.team"].sudo().search([("is_station", "=", True)])

    @api.model
    def _cron_snapshot(self, backfill_days=31):
        """Snapshot every day since the oldest last snapshot of the stations
        (at most `backfill_days` back, so a stopped server leaves no gap), up
        to today. A row written after its day ended is final and never
        rewritten (see `_snapshot`), so later edits of the tickets do not
        change history. Each day is committed on its own: a crash loses at
        most the day in progress, and the next run goes on from there."""
        Area = self.env["village.service.area"]
        today = Area._today()
        stations = self._all_stations()
        lasts = dict(self._read_group([("station_id", "in", stations.ids)], ["station_id"], ["date:max"]))
        first = min([lasts.get(station, today) for station in stations] or [today])
        unfinished = self.search_count(
            [
                ("station_id", "in", stations.ids),
                ("date", "=", first),
                ("is_final", "=", False),
            ]
        )
        if first < today and not unfinished and all(station in lasts for station in stations):
            first += timedelta(days=1)  # every row of that day is final
        first = min(max(first, today - timedelta(days=backfill_days)), today)
        days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
        cron = self.env["ir.cron"]
        for index, day in enumerate(days):
            self._snapshot(day, stations)
            if cron._commit_progress(1, remaining=len(days) - index - 1) <= 0:
                break  # out of time: the next run goes on from the last day written

    def action_refresh_today(self):
        """The *Refresh Today* button: today's rows rewritten, the list reloaded."""
        self._refresh_today()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def action_open_daily_stats(self):
        """The menu's action: today's rows made current first, so the figures
        of today are never those of the last snapshot; then the list."""
        self._refresh_today()
        return self.env["ir.actions.act_window"]._for_xml_id("village_service.village_daily_stat_action")

    @api.model
    def _refresh_today(self):
        """Today's rows (the service area's today, whoever clicks) of the
        stations whose rows the user may read: their own, or all for the
        bureau. The rows are read-only to users, so they are written in
        superuser mode; `_snapshot` leaves final rows alone. Only for those
        who may read the statistics at all."""
        self.browse().check_access("read")
        stations = self.env.user.helpdesk_team_ids.filtered("is_station")
        if self.env.user.has_group("village_service.group_village_manager"):
            stations = self._all_stations()
        self.sudo()._snapshot(self.env["village.service.area"]._today(), stations.sudo())
