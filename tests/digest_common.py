"""Fixtures of the digest tests: problems of each village with deadlines
around Tuesday 2026-05-05, and helpers to run the digest jobs at a given
moment. Kept out of `test_*` names so that no runner collects it twice."""

from datetime import date

from .common import VillageServiceCase, moment

# 07:30 on Tuesday 2026-05-05 in Asia/Shanghai
WORK_LIST_MOMENT = "2026-05-04 23:30:00"
# 07:30 on Monday 2026-05-11 in Asia/Shanghai: the report of 2026-05-04 .. 2026-05-10
WEEKLY_MOMENT = "2026-05-10 23:30:00"


class DigestCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in cls.manager_a | cls.manager_a2 | cls.manager_b | cls.head_a | cls.head_b | cls.bureau_user:
            user.email = f"{user.login}@example.com"
        cls.Run = cls.env["village.digest.run"]
        cls.work_list_cron = cls.env.ref("village_service.ir_cron_village_work_list")
        cls.weekly_cron = cls.env.ref("village_service.ir_cron_village_weekly_report")
        cls.household_a2 = cls.env["res.partner"].create(
            {"name": "Test Household A2-01", "village_parent_id": cls.village_a2.id}
        )
        Ticket = cls.env["helpdesk.ticket"]
        with moment(cls.env, "2026-05-01 02:00:00"):
            cls.overdue_a1 = Ticket.create(cls._problem_values("Fallen pole A1", cls.household_a1, date(2026, 5, 3)))
            cls.due_a1 = Ticket.create(cls._problem_values("Low voltage A1", cls.household_a1, date(2026, 5, 5)))
            cls.later_a1 = Ticket.create(cls._problem_values("Meter check A1", cls.household_a1, date(2026, 5, 20)))
            cls.overdue_a2 = Ticket.create(cls._problem_values("Loose wire A2", cls.household_a2, date(2026, 5, 3)))
            cls.due_b1 = Ticket.create(cls._problem_values("Tree on line B1", cls.household_b1, date(2026, 5, 5)))
        with moment(cls.env, "2026-05-04 03:00:00"):
            cls.new_a1 = Ticket.create(
                {"name": "Outage report A1", "description": "<p>No power</p>", "partner_id": cls.household_a1.id}
            )

    @classmethod
    def _problem_values(cls, name, partner, deadline):
        return {
            "name": name,
            "description": f"<p>{name}</p>",
            "partner_id": partner.id,
            "rectification_measure": "Send a crew",
            "rectification_deadline": deadline,
        }

    def _trigger(self, cron, when):
        with moment(self.env, when), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def _runs(self, kind, user=None, **domain):
        criteria = [("kind", "=", kind)] + [(name, "=", value) for name, value in domain.items()]
        if user is not None:
            criteria.append(("user_id", "=", user.id))
        return self.Run.search(criteria)

    def _mails_to(self, user=None, kind="work_list", **domain):
        """The mails queued for the recipient's runs of `kind`."""
        runs = self._runs(kind, user, **domain)
        return self.env["mail.mail"].search([("model", "=", "village.digest.run"), ("res_id", "in", runs.ids)])
