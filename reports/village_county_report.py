from datetime import timedelta
from types import SimpleNamespace as Period

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

MEETING_KINDS = ("courtyard", "committee", "visit", "phone", "education")
NO_CHANNEL = "channel_none"


class ReportWeeklyCounty(models.AbstractModel):
    """The county's weekly report (县公司周报): one row per power supply station
    and a county total row, with the figures of the week and cumulative that
    the practice reports up. The same headline block heads each station's
    weekly report.

    Every figure is counted with the reader's rights (their record rules), in
    one grouped query per figure whatever the number of stations; the total
    row is the sum of the station rows, its rates recomputed from the sums."""

    _name = "report.village_service.report_weekly_county"
    _description = "County Weekly Report"

    # ------------------------------------------------------------------
    # The request
    # ------------------------------------------------------------------

    @api.model
    def _check_county_access(self):
        """The county report is the bureau's; a station head reads the same
        headline block in their station's weekly report."""
        if not (self.env.su or self.env.user.has_group("village_service.group_village_manager")):
            raise AccessError(
                self.env._(
                    "The county weekly report is for the power supply bureau; print the weekly report of "
                    "your station instead."
                )
            )

    @api.model
    def _county_stations(self):
        """Every station the reader may read."""
        return self.env["helpdesk.ticket.team"].search([("is_station", "=", True)], order="sequence, name, id")

    @api.model
    def _county_values(self, data):
        self._check_county_access()
        date_from, date_to = self.env["report.village_service.report_weekly_station"]._period_from_data(data)
        stations = self._county_stations()
        headline = self._headline(stations, date_from, date_to)
        return {
            "date_from": date_from,
            "date_to": date_to,
            "stations": stations,
            "headline": headline,
        }

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._county_values(data)
        return {
            "doc_ids": values["stations"].ids,
            "doc_model": "helpdesk.ticket.team",
            "docs": values["stations"],
            "headline_format": self._format,
            **values,
        }

    # ------------------------------------------------------------------
    # The headline figures
    # ------------------------------------------------------------------

    # the sections of the headline block, in order: each counts its figures
    # into the rows with one or two grouped queries and returns its columns
    _headline_sections = (
        "_headline_problems",
        "_headline_channels",
        "_headline_meetings",
        "_headline_inquiries",
        "_headline_coverage",
        "_headline_demand",
        "_headline_reach",
        "_headline_revisits",
    )

    @api.model
    def _headline(self, stations, date_from, date_to):
        """{"sections": [...], "columns": [...], "rows": {station_id: {key: value}}, "total": {key: value}}

        A section is {"title", "groups"}; a group is {"label", "columns"}; a
        column is {"key", "sub" (Week / Cumulative / ""), "rate": (numerator
        key, denominator key) or None, "digits"}. Rates are percentages. The
        week is the period [date_from, date_to]; cumulative, everything up to
        its end."""
        Area = self.env["village.service.area"]
        period = Period(
            stations=stations,
            ids=stations.ids,
            date_from=date_from,
            date_to=date_to,
            start=Area._day_start(date_from),
            end=Area._day_start(date_to + timedelta(days=1)),
            rows={station_id: {} for station_id in stations.ids},
        )
        sections = [getattr(self, name)(period) for name in self._headline_sections]
        rows = period.rows
        columns = [column for section in sections for group in section["groups"] for column in group["columns"]]
        for values in rows.values():
            self._fill(values, columns)
        total = {}
        for column in columns:
            if not column["rate"]:
                total[column["key"]] = sum(values[column["key"]] for values in rows.values())
        self._fill(total, columns)
        return {"sections": sections, "columns": columns, "rows": rows, "total": total}

    # -- building blocks -------------------------------------------------

    @api.model
    def _put(self, period, counts, key):
        """Add the (station, value) pairs of a grouped query to the rows."""
        for station, value in counts:
            if station.id in period.rows:
                row = period.rows[station.id]
                row[key] = row.get(key, 0) + (value or 0)

    @api.model
    def _week_and_total(self, label, key, digits=0):
        return {
            "label": label,
            "columns": [
                {"key": key, "sub": self.env._("Week"), "rate": None, "digits": digits},
                {"key": f"{key}_total", "sub": self.env._("Cumulative"), "rate": None, "digits": digits},
            ],
        }

    @api.model
    def _single(self, label, key, rate=None, digits=0):
        return {"label": label, "columns": [{"key": key, "sub": "", "rate": rate, "digits": digits}]}

    @api.model
    def _rates(self, label, key, numerator, denominator):
        return {
            "label": label,
            "columns": [
                {"key": key, "sub": self.env._("Week"), "rate": (numerator, denominator), "digits": 1},
                {
                    "key": f"{key}_total",
                    "sub": self.env._("Cumulative"),
                    "rate": (f"{numerator}_total", f"{denominator}_total"),
                    "digits": 1,
                },
            ],
        }

    @api.model
    def _week_domains(self, field, period):
        """(suffix, domain) of the week and of the cumulative figures."""
        return (("", Domain(field, ">=", period.start)), ("_total", Domain.TRUE))

    # -- the sections ----------------------------------------------------

    @api.model
    def _headline_problems(self, period):
        """The ledger's figures (one query)."""
        _ = self.env._
        figures = self.env["village.daily.stat"]._station_figures(period.stations, period.date_from, period.date_to)
        keys = ("collected", "collected_total", "rectified", "rectified_total", "closed_out", "closed_out_total")
        for station_id in period.ids:
            period.rows[station_id].update({key: figures[station_id][key] for key in (*keys, "overdue")})
        return {
            "title": _("Problems"),
            "groups": [
                self._week_and_total(_("Collected"), "collected"),
                self._week_and_total(_("Rectified"), "rectified"),
                self._week_and_total(_("Closed Out"), "closed_out"),
                self._single(_("Overdue"), "overdue"),
                self._single(
                    _("Rectification Rate (%)"),
                    "rectification_rate",
                    rate=("rectified_total", "collected_total"),
                    digits=1,
                ),
            ],
        }

    @api.model
    def _headline_channels(self, period):
        """Problems collected by channel (two queries, and the names of the
        channels that brought any)."""
        _ = self.env._
        problems = Domain("team_id", "in", period.ids) & Domain("create_date", "<", period.end)
        channel_ids, no_channel = set(), False
        for suffix, domain in self._week_domains("create_date", period):
            for station, channel, count in self.env["helpdesk.ticket"]._read_group(
                problems & domain, ["team_id", "channel_id"], ["__count"]
            ):
                channel_ids.add(channel.id)
                no_channel = no_channel or not channel
                key = f"channel_{channel.id}" if channel else NO_CHANNEL
                self._put(period, [(station, count)], f"{key}{suffix}")
        channels = self.env["helpdesk.ticket.channel"].browse(channel_ids - {False})
        groups = [
            self._week_and_total(channel.name, f"channel_{channel.id}")
            for channel in channels.sorted(lambda c: (c.sequence, c.id))
        ]
        if no_channel:
            groups.append(self._week_and_total(_("No Channel"), NO_CHANNEL))
        return {"title": _("Problems Collected by Channel"), "groups": groups}

    @api.model
    def _headline_meetings(self, period):
        """Meetings and visits held, by kind (two queries)."""
        Meeting = self.env["village.meeting"]
        held = Domain("station_id", "in", period.ids) & Domain("state", "=", "done") & Domain("date", "<", period.end)
        for suffix, domain in self._week_domains("date", period):
            for station, kind, count in Meeting._read_group(held & domain, ["station_id", "kind"], ["__count"]):
                self._put(period, [(station, count)], f"meeting_{kind}{suffix}")
        kinds = dict(Meeting._fields["kind"]._description_selection(self.env))
        return {
            "title": self.env._("Meetings and Visits Held"),
            "groups": [self._week_and_total(kinds[kind], f"meeting_{kind}") for kind in MEETING_KINDS],
        }

    @api.model
    def _headline_inquiries(self, period):
        """Inquiries due in the period, and those done on time (two queries)."""
        _ = self.env._
        due = Domain("station_id", "in", period.ids) & Domain("date_deadline", "<=", period.date_to)
        for suffix, domain in (("", Domain("date_deadline", ">=", period.date_from)), ("_total", Domain.TRUE)):
            for station, count, on_time in self.env["village.inquiry"]._read_group(
                due & domain, ["station_id"], ["__count", "on_time_count:sum"]
            ):
                self._put(period, [(station, count)], f"inquiry_due{suffix}")
                self._put(period, [(station, on_time)], f"inquiry_on_time{suffix}")
        return {
            "title": _("Inquiries"),
            "groups": [
                self._week_and_total(_("Due"), "inquiry_due"),
                self._week_and_total(_("Done on Time"), "inquiry_on_time"),
                self._rates(_("On-time Rate (%)"), "inquiry_rate", "inquiry_on_time", "inquiry_due"),
            ],
        }

    @api.model
    def _headline_coverage(self, period):
        """Agreements and WeChat-group coverage of the villages, as they
        stand; the agreements signed in the period (four queries)."""
        _ = self.env._
        Partner = self.env["res.partner"]
        villages = Domain("village_station_id", "in", period.ids) & Domain(
            "village_kind", "in", ("village", "community")
        )
        for key, domain in (
            ("villages", villages),
            ("villages_agreement", villages & Domain("village_has_active_agreement", "=", True)),
            ("villages_chat_group", villages & Domain("village_chat_group_ids", "any", [("active", "=", True)])),
        ):
            self._put(period, Partner._read_group(domain, ["village_station_id"], ["__count"]), key)
        signed = [
            ("station_id", "in", period.ids),
            ("state", "!=", "draft"),
            ("date_signed", ">=", period.date_from),
            ("date_signed", "<=", period.date_to),
        ]
        self._put(
            period, self.env["village.agreement"]._read_group(signed, ["station_id"], ["__count"]), "agreements_signed"
        )
        return {
            "title": _("Agreements and WeChat Groups"),
            "groups": [
                self._single(_("Villages and Communities"), "villages"),
                self._single(_("Agreements Signed This Week"), "agreements_signed"),
                self._single(_("With an Active Agreement"), "villages_agreement"),
                self._single(
                    _("Agreement Coverage (%)"), "agreement_coverage", rate=("villages_agreement", "villages"), digits=1
                ),
                self._single(_("With a WeChat Group"), "villages_chat_group"),
                self._single(
                    _("WeChat Group Coverage (%)"),
                    "chat_group_coverage",
                    rate=("villages_chat_group", "villages"),
                    digits=1,
                ),
            ],
        }

    @api.model
    def _headline_demand(self, period):
        """Demand in kW by type, counted as on the grid: lost leads, demands
        that add no load and likely duplicates left out (two queries)."""
        Lead = self.env["crm.lead"]
        demand = (
            Domain("station_id", "in", period.ids)
            & Domain("power_demand_type", "!=", False)
            & Domain(Lead._village_counted_demand_domain())
            & Domain("create_date", "<", period.end)
        )
        demand_types = set()
        for suffix, domain in self._week_domains("create_date", period):
            for station, kind, kw in Lead._read_group(
                demand & domain, ["station_id", "power_demand_type"], ["power_demand_kw:sum"]
            ):
                demand_types.add(kind)
                self._put(period, [(station, kw)], f"demand_{kind}{suffix}")
                self._put(period, [(station, kw)], f"demand_kw{suffix}")
        labels = Lead._fields["power_demand_type"]._description_selection(self.env)
        return {
            "title": self.env._("Demand (kW)"),
            "groups": [
                *(
                    self._week_and_total(label, f"demand_{kind}", digits=1)
                    for kind, label in labels
                    if kind in demand_types
                ),
                self._week_and_total(self.env._("All Types"), "demand_kw", digits=1),
            ],
        }

    @api.model
    def _headline_reach(self, period):
        """Households to reach before the outages of the notified notices,
        and those reached (two queries)."""
        _ = self.env._
        reach = (
            Domain("station_id", "in", period.ids)
            & Domain("notice_id.state", "in", ("notified", "done"))
            & Domain("notice_id.date_start", "<", period.end)
        )
        for suffix, domain in self._week_domains("notice_id.date_start", period):
            for station, state, count in self.env["village.outage.reach"]._read_group(
                reach & domain, ["station_id", "state"], ["__count"]
            ):
                self._put(period, [(station, count)], f"reach_lines{suffix}")
                if state == "reached":
                    self._put(period, [(station, count)], f"reach_done{suffix}")
        return {
            "title": _("Outage Notices: Households to Reach"),
            "groups": [
                self._week_and_total(_("To Reach"), "reach_lines"),
                self._week_and_total(_("Reached"), "reach_done"),
                self._rates(_("Reach Rate (%)"), "reach_rate", "reach_done", "reach_lines"),
            ],
        }

    @api.model
    def _headline_revisits(self, period):
        """Revisits before close-out and how many customers were satisfied
        (two queries). A problem counts its last revisit; one closed out
        before the revisit's date was kept dates from its close-out."""
        _ = self.env._

        def revisited_since(bound):
            return (Domain("date_revisit", "!=", False) & Domain("date_revisit", ">=", bound)) | (
                Domain("date_revisit", "=", False) & Domain("date_closeout", ">=", bound)
            )

        revisited = (
            Domain("team_id", "in", period.ids)
            & Domain("closeout_satisfaction", "!=", False)
            & (
                (Domain("date_revisit", "!=", False) & Domain("date_revisit", "<", period.end))
                | (Domain("date_revisit", "=", False) & Domain("date_closeout", "<", period.end))
            )
        )
        for suffix, domain in (("", revisited_since(period.start)), ("_total", Domain.TRUE)):
            for station, answer, count in self.env["helpdesk.ticket"]._read_group(
                revisited & domain, ["team_id", "closeout_satisfaction"], ["__count"]
            ):
                self._put(period, [(station, count)], f"revisited{suffix}")
                if answer == "satisfied":
                    self._put(period, [(station, count)], f"satisfied{suffix}")
        return {
            "title": _("Revisits"),
            "groups": [
                self._week_and_total(_("Revisited"), "revisited"),
                self._week_and_total(_("Satisfied"), "satisfied"),
                self._rates(_("Satisfaction Rate (%)"), "satisfaction_rate", "satisfied", "revisited"),
            ],
        }

    @api.model
    def _fill(self, values, columns):
        """Zeros where nothing was counted, then the rates from the counts."""
        for column in columns:
            if not column["rate"]:
                values.setdefault(column["key"], 0)
        for column in columns:
            if column["rate"]:
                numerator, denominator = column["rate"]
                values[column["key"]] = self.env["village.daily.stat"]._rate(values[numerator], values[denominator])
        return values

    @api.model
    def _format(self, value, column):
        return f"{value:.{column['digits']}f}" if column["digits"] else str(int(value))

    # ------------------------------------------------------------------
    # The weekly email to the bureau
    # ------------------------------------------------------------------

    @api.model
    def _digest_attachments(self, date_from, date_to, rendered, mail):
        """The county report (PDF and XLSX) and the close-out ledger of every
        station (XLSX) of the period, rendered as the recipient in the
        context's language, attached to the weekly email `mail`. `rendered`
        keeps the files for the other bureau recipients of the job run who
        read the same (same companies, same language)."""
        self._check_county_access()
        data = {"date_from": fields.Date.to_string(date_from), "date_to": fields.Date.to_string(date_to)}
        key = ("county", self.env.lang, date_from, tuple(self.env.user.company_ids.ids), self.env.su)
        if key not in rendered:
            Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
            stations = self._county_stations()
            rendered[key] = (
                Report._render_qweb_pdf("village_service.action_report_weekly_county", stations.ids, data)[0],
                Report._render("village_service.action_report_weekly_county_xlsx", stations.ids, data)[0],
                Report._render("village_service.action_report_closeout_ledger_xlsx", stations.ids, data)[0]
                if stations
                else None,
            )
        pdf, xlsx, ledger = rendered[key]
        period = {"start": data["date_from"], "end": data["date_to"]}
        sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        files = [
            (self.env._("County Weekly Report %(start)s - %(end)s.pdf", **period), pdf, "application/pdf"),
            (self.env._("County Weekly Report %(start)s - %(end)s.xlsx", **period), xlsx, sheet),
        ]
        if ledger:
            files.append((self.env._("Close-out Ledger %(start)s - %(end)s.xlsx", **period), ledger, sheet))
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": raw, "mimetype": mimetype, "res_model": "mail.mail", "res_id": mail.id}
                    for name, raw, mimetype in files
                ]
            )
        )
