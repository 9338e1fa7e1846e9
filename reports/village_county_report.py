from datetime import timedelta

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

    @api.model
    def _headline(self, stations, date_from, date_to):
        """{"sections": [...], "rows": {station_id: {key: value}}, "total": {key: value}}

        A section is {"title", "groups"}; a group is {"label", "columns"}; a
        column is {"key", "sub" (Week / Cumulative / ""), "rate": (numerator
        key, denominator key) or None, "digits"}. Rates are percentages."""
        _ = self.env._
        Area = self.env["village.service.area"]
        start = Area._day_start(date_from)
        end = Area._day_start(date_to + timedelta(days=1))
        ids = stations.ids
        rows = {station_id: {} for station_id in ids}

        def put(counts, key):
            for station, value in counts:
                if station.id in rows:
                    rows[station.id][key] = rows[station.id].get(key, 0) + (value or 0)

        def week_and_total(label, key, digits=0):
            return {
                "label": label,
                "columns": [
                    {"key": key, "sub": _("Week"), "rate": None, "digits": digits},
                    {"key": f"{key}_total", "sub": _("Cumulative"), "rate": None, "digits": digits},
                ],
            }

        def single(label, key, rate=None, digits=0):
            return {"label": label, "columns": [{"key": key, "sub": "", "rate": rate, "digits": digits}]}

        def rates(label, key, numerator, denominator):
            return {
                "label": label,
                "columns": [
                    {"key": key, "sub": _("Week"), "rate": (numerator, denominator), "digits": 1},
                    {
                        "key": f"{key}_total",
                        "sub": _("Cumulative"),
                        "rate": (f"{numerator}_total", f"{denominator}_total"),
                        "digits": 1,
                    },
                ],
            }

        sections = []

        # problems: the ledger's figures (one query)
        figures = self.env["village.daily.stat"]._station_figures(stations, date_from, date_to)
        for station_id in ids:
            values = figures[station_id]
            rows[station_id].update(
                {
                    key: values[key]
                    for key in (
                        "collected",
                        "collected_total",
                        "rectified",
                        "rectified_total",
                        "closed_out",
                        "closed_out_total",
                        "overdue",
                    )
                }
            )
        sections.append(
            {
                "title": _("Problems"),
                "groups": [
                    week_and_total(_("Collected"), "collected"),
                    week_and_total(_("Rectified"), "rectified"),
                    week_and_total(_("Closed Out"), "closed_out"),
                    single(_("Overdue"), "overdue"),
                    single(
                        _("Rectification Rate (%)"),
                        "rectification_rate",
                        rate=("rectified_total", "collected_total"),
                        digits=1,
                    ),
                ],
            }
        )

        # problems collected by channel (two queries): the channels that
        # brought any problem to these stations
        Ticket = self.env["helpdesk.ticket"]
        problems = Domain("team_id", "in", ids) & Domain("create_date", "<", end)
        channel_ids, no_channel = set(), False
        for suffix, domain in (("", Domain("create_date", ">=", start)), ("_total", Domain.TRUE)):
            for station, channel, count in Ticket._read_group(
                problems & domain, ["team_id", "channel_id"], ["__count"]
            ):
                channel_ids.add(channel.id)
                no_channel = no_channel or not channel
                put([(station, count)], f"channel_{channel.id}{suffix}" if channel else f"{NO_CHANNEL}{suffix}")
        channels = self.env["helpdesk.ticket.channel"].browse(channel_ids - {False})
        groups = [
            week_and_total(channel.name, f"channel_{channel.id}")
            for channel in channels.sorted(lambda c: (c.sequence, c.id))
        ]
        if no_channel:
            groups.append(week_and_total(_("No Channel"), NO_CHANNEL))
        sections.append({"title": _("Problems Collected by Channel"), "groups": groups})

        # meetings and visits held (two queries)
        Meeting = self.env["village.meeting"]
        held = Domain("station_id", "in", ids) & Domain("state", "=", "done") & Domain("date", "<", end)
        for suffix, domain in (("", Domain("date", ">=", start)), ("_total", Domain.TRUE)):
            for station, kind, count in Meeting._read_group(held & domain, ["station_id", "kind"], ["__count"]):
                put([(station, count)], f"meeting_{kind}{suffix}")
        kinds = dict(Meeting._fields["kind"]._description_selection(self.env))
        sections.append(
            {
                "title": _("Meetings and Visits Held"),
                "groups": [week_and_total(kinds[kind], f"meeting_{kind}") for kind in MEETING_KINDS],
            }
        )

        # inquiries due in the period and done on time (two queries)
        Inquiry = self.env["village.inquiry"]
        due = Domain("station_id", "in", ids) & Domain("date_deadline", "<=", date_to)
        for suffix, domain in (("", Domain("date_deadline", ">=", date_from)), ("_total", Domain.TRUE)):
            for station, count, on_time in Inquiry._read_group(
                due & domain, ["station_id"], ["__count", "on_time_count:sum"]
            ):
                put([(station, count)], f"inquiry_due{suffix}")
                put([(station, on_time)], f"inquiry_on_time{suffix}")
        sections.append(
            {
                "title": _("Inquiries"),
                "groups": [
                    week_and_total(_("Due"), "inquiry_due"),
                    week_and_total(_("Done on Time"), "inquiry_on_time"),
                    rates(_("On-time Rate (%)"), "inquiry_rate", "inquiry_on_time", "inquiry_due"),
                ],
            }
        )

        # agreements and WeChat-group coverage, as they stand (four queries)
        Partner = self.env["res.partner"]
        villages = Domain("village_station_id", "in", ids) & Domain("village_kind", "in", ("village", "community"))
        put(Partner._read_group(villages, ["village_station_id"], ["__count"]), "villages")
        put(
            Partner._read_group(
                villages & Domain("village_has_active_agreement", "=", True), ["village_station_id"], ["__count"]
            ),
            "villages_agreement",
        )
        put(
            Partner._read_group(
                villages & Domain("village_chat_group_ids", "any", [("active", "=", True)]),
                ["village_station_id"],
                ["__count"],
            ),
            "villages_chat_group",
        )
        put(
            self.env["village.agreement"]._read_group(
                [
                    ("station_id", "in", ids),
                    ("state", "!=", "draft"),
                    ("date_signed", ">=", date_from),
                    ("date_signed", "<=", date_to),
                ],
                ["station_id"],
                ["__count"],
            ),
            "agreements_signed",
        )
        sections.append(
            {
                "title": _("Agreements and WeChat Groups"),
                "groups": [
                    single(_("Villages and Communities"), "villages"),
                    single(_("Agreements Signed This Week"), "agreements_signed"),
                    single(_("With an Active Agreement"), "villages_agreement"),
                    single(
                        _("Agreement Coverage (%)"),
                        "agreement_coverage",
                        rate=("villages_agreement", "villages"),
                        digits=1,
                    ),
                    single(_("With a WeChat Group"), "villages_chat_group"),
                    single(
                        _("WeChat Group Coverage (%)"),
                        "chat_group_coverage",
                        rate=("villages_chat_group", "villages"),
                        digits=1,
                    ),
                ],
            }
        )

        # demand, kW by type, lost leads left out (two queries)
        Lead = self.env["crm.lead"]
        demand = (
            Domain("station_id", "in", ids)
            & Domain("power_demand_type", "!=", False)
            & Domain("won_status", "!=", "lost")
            & Domain("create_date", "<", end)
        )
        demand_types = set()
        for suffix, domain in (("", Domain("create_date", ">=", start)), ("_total", Domain.TRUE)):
            for station, kind, kw in Lead._read_group(
                demand & domain, ["station_id", "power_demand_type"], ["power_demand_kw:sum"]
            ):
                demand_types.add(kind)
                put([(station, kw)], f"demand_{kind}{suffix}")
                put([(station, kw)], f"demand_kw{suffix}")
        type_labels = Lead._fields["power_demand_type"]._description_selection(self.env)
        sections.append(
            {
                "title": _("Demand (kW)"),
                "groups": [
                    *(
                        week_and_total(label, f"demand_{kind}", digits=1)
                        for kind, label in type_labels
                        if kind in demand_types
                    ),
                    week_and_total(_("All Types"), "demand_kw", digits=1),
                ],
            }
        )

        # outage notices: households to reach and reached (two queries)
        Reach = self.env["village.outage.reach"]
        reach = (
            Domain("station_id", "in", ids)
            & Domain("notice_id.state", "in", ("notified", "done"))
            & Domain("notice_id.date_start", "<", end)
        )
        for suffix, domain in (("", Domain("notice_id.date_start", ">=", start)), ("_total", Domain.TRUE)):
            for station, state, count in Reach._read_group(reach & domain, ["station_id", "state"], ["__count"]):
                put([(station, count)], f"reach_lines{suffix}")
                if state == "reached":
                    put([(station, count)], f"reach_done{suffix}")
        sections.append(
            {
                "title": _("Outage Notices: Households to Reach"),
                "groups": [
                    week_and_total(_("To Reach"), "reach_lines"),
                    week_and_total(_("Reached"), "reach_done"),
                    rates(_("Reach Rate (%)"), "reach_rate", "reach_done", "reach_lines"),
                ],
            }
        )

        # revisits before close-out and their satisfaction (two queries); a
        # revisit recorded before its date was kept dates from its close-out
        revisited = (
            Domain("team_id", "in", ids)
            & Domain("closeout_satisfaction", "!=", False)
            & (
                (Domain("date_revisit", "!=", False) & Domain("date_revisit", "<", end))
                | (Domain("date_revisit", "=", False) & Domain("date_closeout", "<", end))
            )
        )
        in_week = (Domain("date_revisit", "!=", False) & Domain("date_revisit", ">=", start)) | (
            Domain("date_revisit", "=", False) & Domain("date_closeout", ">=", start)
        )
        for suffix, domain in (("", in_week), ("_total", Domain.TRUE)):
            for station, answer, count in Ticket._read_group(
                revisited & domain, ["team_id", "closeout_satisfaction"], ["__count"]
            ):
                put([(station, count)], f"revisited{suffix}")
                if answer == "satisfied":
                    put([(station, count)], f"satisfied{suffix}")
        sections.append(
            {
                "title": _("Revisits"),
                "groups": [
                    week_and_total(_("Revisited"), "revisited"),
                    week_and_total(_("Satisfied"), "satisfied"),
                    rates(_("Satisfaction Rate (%)"), "satisfaction_rate", "satisfied", "revisited"),
                ],
            }
        )

        columns = [column for section in sections for group in section["groups"] for column in group["columns"]]
        for values in rows.values():
            self._fill(values, columns)
        total = {}
        for column in columns:
            if not column["rate"]:
                total[column["key"]] = sum(values[column["key"]] for values in rows.values())
        self._fill(total, columns)
        return {"sections": sections, "columns": columns, "rows": rows, "total": total}

    @api.model
    def _fill(self, values, columns):
        """Zeros where nothing was counted, then the rates from the counts."""
        for column in columns:
            if not column["rate"]:
                values.setdefault(column["key"], 0)
        for column in columns:
            if column["rate"]:
                numerator, denominator = column["rate"]
                values[column["key"]] = self.env["village.daily.stat"]._rate(
                    values[numerator], values[denominator]
                )
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
                Report._render(
                    "village_service.action_report_closeout_ledger_xlsx", stations.ids, data
                )[0] if stations else None,
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
