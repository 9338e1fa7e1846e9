from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain


class DigestDigest(models.Model):
    """KPIs of the problem ledger in Odoo's periodic digest, computed as the
    recipient (record rules apply: a station head gets their stations'
    figures, the bureau all of them). Other modules add theirs the same way:
    a `kpi_village_*` boolean, its `_value` compute, an entry in
    `_compute_kpis_actions`."""

    _inherit = "digest.digest"

    kpi_village_problems_collected = fields.Boolean(string="Problems Collected")
    kpi_village_problems_collected_value = fields.Integer(compute="_compute_kpi_village_problems_collected_value")
    kpi_village_problems_closed_out = fields.Boolean(string="Problems Closed Out")
    kpi_village_problems_closed_out_value = fields.Integer(compute="_compute_kpi_village_problems_closed_out_value")
    kpi_village_rectification_rate = fields.Boolean(
        string="Rectification Rate (%)",
        help="Of the problems collected in the period, the share already rectified.",
    )
    kpi_village_rectification_rate_value = fields.Float(compute="_compute_kpi_village_rectification_rate_value")
    kpi_village_problems_overdue = fields.Boolean(
        string="Overdue Problems",
        help="Problems whose rectification deadline had passed at the end of the period without a rectification.",
    )
    kpi_village_problems_overdue_value = fields.Integer(compute="_compute_kpi_village_problems_overdue_value")
    kpi_village_meetings_held = fields.Boolean(string="Meetings Held")
    kpi_village_meetings_held_value = fields.Integer(compute="_compute_kpi_village_meetings_held_value")
    kpi_village_inquiries_on_time = fields.Boolean(
        string="Inquiries Done on Time",
        help="Inquiries of the three inquiries done in the period by their due date.",
    )
    kpi_village_inquiries_on_time_value = fields.Integer(compute="_compute_kpi_village_inquiries_on_time_value")
    kpi_village_agreement_coverage = fields.Boolean(
        string="Agreement Coverage (%)",
        help="Villages and communities with an active service-point agreement, out of all of them.",
    )
    kpi_village_agreement_coverage_value = fields.Float(compute="_compute_kpi_village_agreement_coverage_value")

    # ------------------------------------------------------------------
    # KPI computes
    # ------------------------------------------------------------------

    def _compute_kpi_village_problems_collected_value(self):
        self._village_check_kpi_access()
        self._calculate_company_based_kpi(
            "helpdesk.ticket",
            "kpi_village_problems_collected_value",
            additional_domain=self._village_problem_domain(),
        )

    def _compute_kpi_village_problems_closed_out_value(self):
        self._village_check_kpi_access()
        self._calculate_company_based_kpi(
            "helpdesk.ticket",
            "kpi_village_problems_closed_out_value",
            date_field="date_closeout",
            additional_domain=self._village_problem_domain(),
        )

    def _compute_kpi_village_rectification_rate_value(self):
        self._village_check_kpi_access()
        start, end, companies = self._get_kpi_compute_parameters()
        collected = self._village_problem_domain() & Domain(
            [("company_id", "in", companies.ids), ("create_date", ">=", start), ("create_date", "<", end)]
        )
        totals = self._village_count_by_company(collected)
        rectified = self._village_count_by_company(collected & Domain("date_rectified", "!=", False))
        Stat = self.env["village.daily.stat"]
        for digest in self:
            company = digest.company_id or self.env.company
            digest.kpi_village_rectification_rate_value = Stat._rate(
                rectified.get(company.id, 0), totals.get(company.id, 0)
            )

    def _compute_kpi_village_problems_overdue_value(self):
        self._village_check_kpi_access()
        __, end, companies = self._get_kpi_compute_parameters()
        end_dt = fields.Datetime.to_datetime(end) if end else fields.Datetime.now()
        # overdue as the ledger defines it, on the day the period ends
        overdue = (
            self._village_problem_domain()
            & Domain("company_id", "in", companies.ids)
            & self.env["helpdesk.ticket"]._village_overdue_domain(self.env["village.service.area"]._local_day(end_dt))
        )
        counts = self._village_count_by_company(overdue)
        for digest in self:
            company = digest.company_id or self.env.company
            digest.kpi_village_problems_overdue_value = counts.get(company.id, 0)

    def _compute_kpi_village_meetings_held_value(self):
        self._village_check_kpi_access()
        self._calculate_company_based_kpi(
            "village.meeting",
            "kpi_village_meetings_held_value",
            date_field="date",
            additional_domain=[("state", "=", "done")],
        )

    def _compute_kpi_village_inquiries_on_time_value(self):
        self._village_check_kpi_access()
        start, end, __ = self._get_kpi_compute_parameters()
        # an inquiry's done date is a day of the service area: the period's
        # bounds too, not their UTC dates (07:30 in Shanghai is the day before in UTC)
        count = self.env["village.inquiry"].search_count(
            [
                ("status", "=", "done"),
                ("date_done", ">=", self.env["village.service.area"]._local_day(fields.Datetime.to_datetime(start))),
                ("date_done", "<", self.env["village.service.area"]._local_day(fields.Datetime.to_datetime(end))),
            ]
        )
        for digest in self:
            digest.kpi_village_inquiries_on_time_value = count

    def _compute_kpi_village_agreement_coverage_value(self):
        self._village_check_kpi_access()
        villages = self.env["res.partner"].search_count([("village_kind", "in", ("village", "community"))])
        covered = self.env["res.partner"].search_count(
            [("village_kind", "in", ("village", "community")), ("village_has_active_agreement", "=", True)]
        )
        rate = self.env["village.daily.stat"]._rate(covered, villages)
        for digest in self:
            digest.kpi_village_agreement_coverage_value = rate

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("village_service.village_service_menu_root", raise_if_not_found=False)
        if menu:
            action = f"village_service.helpdesk_ticket_action_ledger?menu_id={menu.id}"
            for kpi in self._village_kpi_names():
                res[kpi] = action
            for kpi, xmlid in self._village_kpi_actions().items():
                res[kpi] = f"{xmlid}?menu_id={menu.id}"
        return res

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _village_kpi_names(self):
        """The problem-ledger KPIs; extend to link more of them to the ledger."""
        return [
            "kpi_village_problems_collected",
            "kpi_village_problems_closed_out",
            "kpi_village_rectification_rate",
            "kpi_village_problems_overdue",
        ]

    def _village_kpi_actions(self):
        return {
            "kpi_village_meetings_held": "village_service.village_meeting_action",
            "kpi_village_inquiries_on_time": "village_service.village_inquiry_action",
            "kpi_village_agreement_coverage": "village_service.village_coverage_report_action",
        }

    def _village_check_kpi_access(self):
        if not self.env.user.has_group("village_service.group_village_user"):
            raise AccessError(self.env._("Do not have access, skip this data for user's digest email"))

    def _village_problem_domain(self):
        return Domain("team_id.is_station", "=", True)

    def _village_count_by_company(self, domain):
        return {
            company.id: count
            for company, count in self.env["helpdesk.ticket"]._read_group(domain, ["company_id"], ["__count"])
        }
