from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime, get_lang


class VillageToday(models.AbstractModel):
    """The account manager's day on one screen (今日工作): households to
    reach before an outage, meetings of today and before still planned,
    inquiries due, problems overdue or due this week. Everything is read with the reader's own rights: a manager never
    sees another station's items."""

    _name = "village.today"
    _description = "Today's Work"

    @api.readonly
    @api.model
    def get_today(self):
        """Plain dicts for the today screen (static/src/today)."""
        today = self.env["village.service.area"]._today()
        return {
            "today": fields.Date.to_string(today),
            "reach": self._today_reach(),
            "meetings": self._today_meetings(today),
            "inquiries": self._today_inquiries(today),
            "problems": self._today_problems(today),
        }

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------

    @api.model
    def _today_reach(self):
        """The user's households to reach before an outage: their pending
        reach lines of notified outages that have not started (the work
        list's domain), found with the user's rights; the outage start in
        the service area's time; the numbers to call, as the user may read
        the household and its relatives. A fixed number of queries whatever
        the number of lines (prefetch)."""
        Area = self.env["village.service.area"]
        lines = self.env["village.outage.reach"].search(
            [("user_id", "=", self.env.uid), *self.env["village.outage.notice"]._unreached_domain()]
        )
        # the numbers as the user may read the household and its relatives
        # (records of one recordset: the relatives of all are read at once)
        household_of = {household.id: household for household in lines.partner_id._filtered_access("read")}
        # the labels as the job reads them, like the work list's: a line stays
        # its manager's when the bureau gives its village to another
        lines = lines.sudo().sorted(
            lambda r: (r.notice_id.date_start, r.village_id.name or "", r.partner_id.name or "", r.id)
        )
        result = []
        for line in lines:
            household = household_of.get(line.partner_id.id)
            result.append(
                {
                    "id": line.id,
                    "household": line.partner_id.name or "",
                    "village": line.village_id.name or "",
                    "start": Area._moment_shown(line.notice_id.date_start),
                    "phones": household._village_phone_lines() if household else [],
                }
            )
        return result

    @api.model
    def _today_meetings(self, today):
        Area = self.env["village.service.area"]
        uid = self.env.uid
        day_start = Area._day_start(today)
        tomorrow_start = Area._day_start(today + timedelta(days=1))
        meetings = self.env["village.meeting"].search(
            [
                ("state", "=", "planned"),
                ("date", "<", tomorrow_start),
                "|",
                "|",
                ("user_id", "=", uid),
                ("user_ids", "in", uid),
                ("village_id.village_manager_id", "=", uid),
            ],
            order="date, id",
        )
        return [
            {
                "id": meeting.id,
                "name": meeting.display_name,
                "village": meeting.village_id.display_name or "",
                "date": Area._moment_shown(meeting.date),
                "overdue": meeting.date < day_start,
            }
            for meeting in meetings
        ]

    @api.model
    def _today_inquiries(self, today):
        activities = self.env["mail.activity"].search(
            [
                ("inquiry_rule_id", "!=", False),
                ("res_model", "=", "res.partner"),
                ("user_id", "=", self.env.uid),
                ("date_deadline", "<=", today),
            ],
            order="date_deadline, id",
        )
        Partner = self.env["res.partner"]
        # the household or village of each inquiry, as far as the reader may read it
        partners = Partner.browse(set(activities.mapped("res_id"))).exists()._filtered_access("read")
        partner_of = {partner.id: partner for partner in partners}
        # a committee inquiry about a household asks its village committee's contact
        committee_contacts = partners.village_id.village_contact_id._filtered_access("read")
        result = []
        for activity in activities:
            partner = partner_of.get(activity.res_id, Partner)
            phones = []
            if partner:
                # the household (or village) and its relatives, then a village's contact
                phones = partner._village_phone_lines()
                contact = partner.village_contact_id if partner.village_kind else Partner
                if contact.phone and contact._filtered_access("read"):
                    phones.append({"label": contact.name, "number": contact.phone})
            committee = Partner
            if partner and not partner.village_kind and activity.inquiry_rule_id.scheduling == "chained":
                committee = partner.village_id.village_contact_id & committee_contacts
            result.append(
                {
                    "id": activity.id,
                    "name": activity.inquiry_rule_id.name or activity.summary or "",
                    "partner_id": partner.id or False,
                    "partner": partner.name or activity.res_name or "",
                    "village": partner.village_id.name if partner and partner.village_id != partner else "",
                    "deadline": fields.Date.to_string(activity.date_deadline),
                    "overdue": activity.date_deadline < today,
                    "phones": phones,
                    "committee_contact": {"name": committee.name, "number": committee.phone or ""}
                    if committee
                    else False,
                }
            )
        return result

    @api.model
    def _today_problems(self, today):
        week_end = today + timedelta(days=6 - today.weekday())
        # overdue as the ledger defines it, or due by the end of this week
        due = (
            Domain("closeout_state", "in", ("open", "planned"))
            & Domain("rectification_deadline", ">=", today)
            & Domain("rectification_deadline", "<=", week_end)
        )
        Ticket = self.env["helpdesk.ticket"]
        overdue = Ticket._village_overdue_domain(today)
        tickets = Ticket.search((overdue | due) & self._work_list_mine(), order="rectification_deadline, id")
        overdue_ids = set(tickets.filtered_domain(overdue)._ids)
        return [
            {
                "id": ticket.id,
                "name": ticket.display_name,
                "village": ticket.village_id.name or "",
                "deadline": fields.Date.to_string(ticket.rectification_deadline),
                "overdue": ticket.id in overdue_ids,
            }
            for ticket in tickets
        ]

    # ------------------------------------------------------------------
    # The morning email (village.digest.run)
    # ------------------------------------------------------------------

    @api.model
    def _work_list_mine(self):
        """Domain of the problems on the user's work list: of the villages
        they manage, or assigned to them. The villages are read first (the
        structure, not a problem: no rule hides from a manager which villages
        are theirs), so that the search is `village_id IN (...) OR user_id =
        uid` on two indexed columns, which PostgreSQL reads by index whatever
        the number of problems; a `village_id.village_manager_id` path would
        be a subquery joined to every open problem (see docs/benchmarks.md).
        The problems are still searched with the user's rights."""
        uid = self.env.uid
        # archived villages too, as the path did: their open problems are still the manager's
        villages = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search([("village_manager_id", "=", uid)], order="id")
        )
        return Domain("village_id", "in", list(villages)) | Domain("user_id", "=", uid)

    @api.model
    def _work_list_sections(self, day):
        """The work list of the user for `day`, with their rights: a list of
        {name, title, lines}, each line a dict {name, detail, url}. Extend with
        super() to add sections. A fixed number of queries whatever the number
        of problems, villages and managers (tests/test_performance.py)."""
        uid = self.env.uid
        Area = self.env["village.service.area"]
        Ticket = self.env["helpdesk.ticket"]
        overdue_domain = Ticket._village_overdue_domain(day)
        due_domain = Domain("closeout_state", "in", ("open", "planned")) & Domain("rectification_deadline", "=", day)
        assigned_domain = (
            Domain("user_id", "=", uid)
            & Domain("closeout_state", "!=", "closed")
            & Domain("assigned_date", ">=", Area._day_start(day - timedelta(days=1)))
            & Domain("assigned_date", "<", Area._day_start(day))
        )
        # the three problem sections in one search (with the user's rights),
        # told apart in memory
        tickets = Ticket.search_fetch(
            self._work_list_mine() & (overdue_domain | due_domain | assigned_domain),
            # what tells the sections apart, and the lines' labels
            [
                "number",
                "name",
                "village_id",
                "user_id",
                "closeout_state",
                "rectification_deadline",
                "assigned_date",
                "create_date",
                "date_rectified",
            ],
            order="id",
        )
        # the villages' names of all three sections at once (as the job, like the other labels)
        tickets.sudo().village_id.fetch(["name"])
        overdue = tickets.filtered_domain(overdue_domain)
        due = tickets.filtered_domain(due_domain) - overdue
        assigned = tickets.filtered_domain(assigned_domain) - overdue - due
        inquiries = self.env["village.inquiry"].search(
            [("user_id", "=", uid), ("status", "in", ("due", "overdue")), ("date_deadline", "<=", day)],
            order="date_deadline, id",
        )
        meetings = self.env["village.meeting"].search(
            [
                "|",
                ("user_id", "=", uid),
                ("user_ids", "in", uid),
                ("state", "=", "planned"),
                ("date", ">=", Area._day_start(day)),
                ("date", "<", Area._day_start(day + timedelta(days=1))),
            ],
            order="date",
        )
        base_url = self.get_base_url()
        lang_code = get_lang(self.env).code  # once, not for each line's date
        return [
            {"name": "overdue_problems", "title": self.env._("Overdue problems"), "lines": self._lines(overdue)},
            {"name": "problems_due_today", "title": self.env._("Problems due today"), "lines": self._lines(due)},
            {
                "name": "problems_assigned",
                "title": self.env._("Problems newly assigned to you"),
                "lines": self._lines(assigned),
            },
            {
                "name": "inquiries_due",
                "title": self.env._("Inquiries due"),
                "lines": [
                    {
                        "name": f"{inquiry.rule_id.sudo().name}: {inquiry.partner_id.sudo().name}",
                        "detail": self.env._(
                            "due %(date)s", date=format_date(self.env, inquiry.date_deadline, lang_code)
                        ),
                        "url": f"{base_url}/odoo/res.partner/{inquiry.partner_id.id}",
                    }
                    for inquiry in inquiries
                ],
            },
            {
                "name": "households_to_reach",
                "title": self.env._("Households to reach before an outage"),
                "lines": [
                    {
                        "name": line.sudo().partner_id.name,
                        "detail": self.env._(
                            "%(village)s, outage from %(start)s",
                            village=line.sudo().village_id.name,
                            start=format_datetime(self.env, line.sudo().notice_id.date_start, tz=Area._tz()),
                        ),
                        "url": f"{base_url}/odoo/village.outage.notice/{line.notice_id.id}",
                    }
                    for line in self.env["village.outage.reach"].search(
                        [("user_id", "=", uid), *self.env["village.outage.notice"]._unreached_domain()],
                        order="id",
                    )
                ],
            },
            {
                "name": "meetings_today",
                "title": self.env._("Meetings planned today"),
                "lines": [
                    {
                        "name": meeting.sudo().name,
                        "detail": meeting.sudo().village_id.name or "",
                        "url": f"{base_url}/odoo/village.meeting/{meeting.id}",
                    }
                    for meeting in meetings
                ],
            },
        ]

    @api.model
    def _lines(self, tickets):
        # found with the user's rights; the labels are read as the job
        base_url = self.get_base_url()
        lines = []
        today = self.env["village.service.area"]._today()
        lang_code = get_lang(self.env).code  # once, not for each line's date
        for ticket in tickets.sudo().sorted(lambda t: (t.rectification_deadline or today, t.id)):
            detail = ticket.village_id.name or ""
            if ticket.rectification_deadline:
                detail = self.env._(
                    "%(village)s, deadline %(deadline)s",
                    village=detail,
                    deadline=format_date(self.env, ticket.rectification_deadline, lang_code),
                )
            lines.append(
                {
                    "name": f"{ticket.number} {ticket.name}",
                    "detail": detail,
                    "url": f"{base_url}/odoo/helpdesk.ticket/{ticket.id}",
                }
            )
        return lines

    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------

    @api.model
    def _village_home_action(self):
        """Where the app opens: the station's dashboard for station heads and
        the bureau, the today screen for account managers."""
        user = self.env.user
        if user.has_group("village_service.group_village_station"):
            action = self.env["ir.actions.actions"]._for_xml_id("village_service.helpdesk_ticket_team_action_dashboard")
            if not user.has_group("village_service.group_village_manager"):
                # a station head: the stations they belong to
                action["domain"] = [("is_station", "=", True), ("id", "in", user.helpdesk_team_ids.ids)]
            return action
        return self.env["ir.actions.actions"]._for_xml_id("village_service.village_today_action")
