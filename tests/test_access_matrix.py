"""The access matrix: every model of the addon × every role × read, create,
write, unlink on a record of station A (village A1) and one of station B
(village B1), against the table below. README.md ("Security model") is this
table in words; change both together."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import MANAGER, VillageServiceCase

ROLES = ("manager_a", "manager_b", "head_a", "bureau", "portal_a1", "plain", "public")
OPS = {"r": "read", "c": "create", "w": "write", "u": "unlink"}

# model -> role -> (operations allowed on the record of A, on the record of B);
# None for a side that does not exist (configuration, wizards).
# r = read, c = create, w = write, u = unlink.
NONE = ("", "")
# close-out, terminating and drafting agreements: station heads and the bureau
STATION_WIZARDS = ("helpdesk.ticket.closeout", "village.agreement.terminate", "village.agreement.bulk.create")
# the weekly report and a demand from a problem: every user of the app
USER_WIZARDS = ("village.weekly.report.wizard", "helpdesk.ticket.create.lead")


def _openers(*roles):
    """A wizard's row: `roles` may create (open) it, the others may not."""
    return {role: ("c" if role in roles else "", None) for role in ROLES}


MATRIX = {
    # villages and households: archived, never deleted; employees outside the
    # app read them as any other contact of the company
    "res.partner": {
        "manager_a": ("rcw", ""),
        "manager_b": ("", "rcw"),
        "head_a": ("rcw", ""),
        "bureau": ("rcw", "rcw"),
        "portal_a1": NONE,
        "plain": ("r", "r"),
        "public": NONE,
    },
    "helpdesk.ticket.team": {
        "manager_a": ("r", None),
        "manager_b": ("r", None),
        "head_a": ("r", None),
        "bureau": ("rcwu", None),
        "portal_a1": ("r", None),  # helpdesk_mgmt: teams shown in the portal
        "plain": ("r", None),
        "public": ("", None),
    },
    "helpdesk.ticket": {
        "manager_a": ("rcw", ""),
        "manager_b": ("", "rcw"),
        "head_a": ("rcw", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": ("r", ""),
        "plain": NONE,
        "public": NONE,
    },
    # demands are lost (archived), not deleted, below the bureau; nobody
    # records a demand of another station's village
    "crm.lead": {
        "manager_a": ("rcw", ""),
        "manager_b": ("", "rcw"),
        "head_a": ("rcw", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "mail.activity": {
        "manager_a": ("rcwu", ""),
        "manager_b": ("", "rcwu"),
        "head_a": ("rcwu", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # nobody registers a WeChat group for another station's village
    "village.chat.group": {
        "manager_a": ("rcw", ""),
        "manager_b": ("", "rcw"),
        "head_a": ("rcwu", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.agreement": {
        "manager_a": ("rcw", ""),
        "manager_b": ("", "rcw"),
        "head_a": ("rcwu", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # signing campaigns: planned by the bureau, read by the stations they concern
    "village.agreement.campaign": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.meeting": {
        "manager_a": ("rcw", ""),
        "manager_b": ("", "rcw"),
        "head_a": ("rcwu", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # outage notices: the station heads of the station notify them, its account
    # managers read them and reach the households of their villages (Notify
    # creates the reach lines and WeChat texts; the job posts the texts); the
    # record here is a draft: a village's portal contact reads the notified
    # notices of that village only (tests/test_portal_outage_notices.py)
    "village.outage.notice": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("rcwu", ""),
        "bureau": ("rcwu", "rcwu"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.outage.post": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.outage.reach": {
        "manager_a": ("rw", ""),
        "manager_b": ("", "rw"),
        "head_a": ("rw", ""),
        "bureau": ("rw", "rw"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.inquiry": {  # the activities the rules scheduled, as a view: read-only to all
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # the ledger of digests sent: one's own; written by the scheduler only
    "village.digest.run": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": NONE,
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # derived rows, written by the snapshot job only: read-only to everyone
    "village.daily.stat": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.closeout.report": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.coverage.report": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    "village.demand.report": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # the grid: kept by the bureau, read by the stations (and account
    # managers) it belongs to; the headroom rows as the areas
    **{
        model: {
            "manager_a": ("r", ""),
            "manager_b": ("", "r"),
            "head_a": ("r", ""),
            "bureau": ("rcwu", "rcwu"),
            "portal_a1": NONE,
            "plain": NONE,
            "public": NONE,
        }
        for model in ("village.grid.feeder", "village.transformer.area")
    },
    "village.grid.headroom.report": {
        "manager_a": ("r", ""),
        "manager_b": ("", "r"),
        "head_a": ("r", ""),
        "bureau": ("r", "r"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
    # configuration: read by the app's users, kept by the bureau
    **{
        model: {
            "manager_a": ("r", None),
            "manager_b": ("r", None),
            "head_a": ("r", None),
            "bureau": ("rcwu", None),
            "portal_a1": ("", None),
            "plain": ("", None),
            "public": ("", None),
        }
        for model in (
            "village.care.tag",
            "village.agreement.service",
            "village.meeting.topic",
            "village.inquiry.rule",
            "village.grid.substation",
        )
    },
    # wizards: who may open them (create); their records are their creator's
    **{model: _openers("head_a", "bureau") for model in STATION_WIZARDS},
    **{model: _openers("manager_a", "manager_b", "head_a", "bureau") for model in USER_WIZARDS},
    # Mark Done on a meeting: those who may write the meeting (of station A)
    "village.meeting.done": _openers("manager_a", "head_a", "bureau"),
    "res.config.settings": dict.fromkeys(ROLES, ("", None)),
    # the Inquired dialog: opened on the activities one may mark done
    "village.inquiry.done": {
        "manager_a": ("c", ""),
        "manager_b": ("", "c"),
        "head_a": ("c", ""),
        "bureau": ("c", "c"),
        "portal_a1": NONE,
        "plain": NONE,
        "public": NONE,
    },
}
# Wizards are only ever created by their user; reading, writing or deleting
# someone else's wizard is the ORM's business (transient records are their
# creator's), so only "create" is tried for them.
CREATE_ONLY = {*STATION_WIZARDS, *USER_WIZARDS, "village.meeting.done", "res.config.settings", "village.inquiry.done"}
# Models of the addon that hold no records to protect.
EXEMPT = {
    "digest.digest": "Odoo's digest, extended with KPI fields: its access is Odoo's own",
    "report.village_service.closeout_ledger_xlsx": "abstract report: renders stations the user can read",
    "report.village_service.demand_xlsx": "abstract report: renders leads the user can read",
    "report.village_service.grid_headroom_xlsx": "abstract report: renders the headroom rows the user can read",
    "report.village_service.report_weekly_station": "abstract report: checks the station itself",
    "report.village_service.report_weekly_county": "abstract report: the bureau's only (AccessError otherwise), "
    "counted with the reader's record rules",
    "report.village_service.county_report_xlsx": "abstract report: renders the county report's values",
    "village.link.guard": "abstract check of link values, no records",
    "ir.actions.report": "Odoo's report actions, extended to correct the PDFs' text layer: its access is Odoo's own",
    "ir.config_parameter": "Odoo's system parameters, extended to recompute the areas' month of crossing when the "
    "grid's threshold changes: its access is Odoo's own",
    "village.today": "abstract: the today screen reads the user's own records with the user's rights",
    "village.service.area": "abstract: the service area's day and time zone, no records",
    "village.demo": "abstract: the demo data generator, called by the demo data at install",
}


class _Rollback(Exception):
    """Undo a create that was allowed, so the next role starts from the same data."""


@tagged("post_install", "-at_install")
class TestAccessMatrix(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal_partner = env["res.partner"].create(
            {
                "name": "Test Village Contact A1",
                "email": "contact.a1@example.com",
                "village_parent_id": cls.village_a1.id,
            }
        )
        cls.village_a1.village_contact_id = cls.portal_partner
        cls.portal_a1 = new_test_user(
            env, login="vs_portal_a1", groups="base.group_portal", partner_id=cls.portal_partner.id
        )
        cls.users = {
            "manager_a": cls.manager_a,
            "manager_b": cls.manager_b,
            "head_a": cls.head_a,
            "bureau": cls.bureau_user,
            "portal_a1": cls.portal_a1,
            "plain": cls.plain_user,
            "public": env.ref("base.public_user"),
        }
        today = fields.Date.today()
        call = env.ref("mail.mail_activity_data_call")
        cls.inquiry_rule = env["village.inquiry.rule"].create(
            {"name": "Test weekly call", "activity_type_id": call.id, "target": "village"}
        )

        cls.substation = env["village.grid.substation"].create({"name": "Test substation", "code": "TS-M"})

        def side(village, manager, household):
            station = village.village_station_id
            feeder = env["village.grid.feeder"].create(
                {"name": f"Feeder of {village.name}", "code": f"TF-M-{village.id}", "station_id": station.id}
            )
            area = env["village.transformer.area"].create(
                {
                    "name": f"Area of {village.name}",
                    "code": f"TA-M-{village.id}",
                    "feeder_id": feeder.id,
                    "village_ids": [Command.set(village.ids)],
                    "capacity_kva": 100,
                }
            )
            ticket = env["helpdesk.ticket"].create(
                {"name": f"Problem of {village.name}", "description": "x", "partner_id": household.id}
            )
            lead = env["crm.lead"].create(
                {
                    "name": f"Demand of {village.name}",
                    "type": "opportunity",
                    "village_id": village.id,
                    "user_id": manager.id,
                    "power_demand_type": "irrigation",
                    "power_demand_kw": 15.0,
                }
            )
            env.flush_all()
            records = {
                "res.partner": village,
                "helpdesk.ticket.team": station,
                "helpdesk.ticket": ticket,
                "crm.lead": lead,
                "mail.activity": ticket.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo", user_id=manager.id
                ),
                "village.chat.group": env["village.chat.group"].create(
                    {
                        "name": f"Group of {village.name}",
                        "village_ids": [Command.set(village.ids)],
                        "manager_id": manager.id,
                    }
                ),
                "village.agreement": env["village.agreement"].create({"village_id": village.id}),
                "village.agreement.campaign": env["village.agreement.campaign"].create(
                    {
                        "name": f"Campaign of {station.name}",
                        "station_id": station.id,
                        "date_start": today,
                        "date_end": today + timedelta(days=9),
                        "target_count": 10,
                    }
                ),
                "village.meeting": env["village.meeting"].create({"village_id": village.id, "user_id": manager.id}),
                "village.inquiry": env["village.inquiry"].browse(
                    env["mail.activity"]
                    .create(
                        {
                            "res_model_id": env["ir.model"]._get_id("res.partner"),
                            "res_id": village.id,
                            "activity_type_id": cls.inquiry_rule.activity_type_id.id,
                            "inquiry_rule_id": cls.inquiry_rule.id,
                            "user_id": manager.id,
                        }
                    )
                    .id
                ),
                "village.daily.stat": env["village.daily.stat"].create({"station_id": station.id, "date": today}),
                "village.digest.run": env["village.digest.run"].create(
                    {"kind": "work_list", "period_start": today, "period_end": today, "user_id": manager.id}
                ),
                "village.closeout.report": env["village.closeout.report"].browse(ticket.id),
                "village.coverage.report": env["village.coverage.report"].search([("village_id", "=", village.id)]),
                "village.demand.report": env["village.demand.report"].search([("lead_id", "=", lead.id)]),
                "village.care.tag": env["village.care.tag"].create({"name": f"Test tag {village.name}"}),
                "village.agreement.service": env["village.agreement.service"].create(
                    {"name": f"Test service {village.name}"}
                ),
                "village.meeting.topic": env["village.meeting.topic"].create({"name": f"Test topic {village.name}"}),
                "village.inquiry.rule": cls.inquiry_rule,
                "village.grid.substation": cls.substation,
                "village.grid.feeder": feeder,
                "village.transformer.area": area,
                "village.grid.headroom.report": env["village.grid.headroom.report"].search([("area_id", "=", area.id)]),
            }
            notice = env["village.outage.notice"].create(
                {
                    "station_id": station.id,
                    "date_start": fields.Datetime.now() + timedelta(days=2),
                    "village_ids": [Command.set(village.ids)],
                }
            )
            notice.action_notify()
            records["village.outage.post"] = notice.post_ids[:1]
            records["village.outage.reach"] = notice.reach_ids.filtered(lambda r: r.partner_id == household)
            notice = env["village.outage.notice"].create(
                {"station_id": station.id, "date_start": fields.Datetime.now() + timedelta(days=2)}
            )
            records["village.outage.notice"] = notice  # a draft: deleted by those who may
            return records

        cls.records = {
            "A": side(cls.village_a1, cls.manager_a, cls.household_a1),
            "B": side(cls.village_b1, cls.manager_b, cls.household_b1),
        }
        cls.today = today

    def _create_vals(self, model, side):
        """Values of a new record of station A or B (created by the role)."""
        rec = self.records[side]
        village = rec["res.partner"]
        station = rec["helpdesk.ticket.team"]
        ticket = rec["helpdesk.ticket"]
        todo = self.env.ref("mail.mail_activity_data_todo")
        return {
            "res.partner": {"name": "New household", "village_parent_id": village.id},
            "helpdesk.ticket.team": {"name": "New team"},
            "helpdesk.ticket": {"name": "New problem", "description": "x", "village_id": village.id},
            "crm.lead": {"name": "New demand", "type": "opportunity", "village_id": village.id},
            "mail.activity": {
                "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "activity_type_id": todo.id,
            },
            "village.chat.group": {"name": "New group", "village_ids": [Command.set(village.ids)]},
            "village.agreement": {"village_id": village.id, "date_start": self.today + timedelta(days=400)},
            "village.agreement.campaign": {
                "name": "New campaign",
                "station_id": station.id,
                "date_start": self.today,
                "date_end": self.today + timedelta(days=9),
            },
            "village.meeting": {"village_id": village.id},
            "village.inquiry": {
                "rule_id": self.inquiry_rule.id,
                "partner_id": (self.household_a1 if side == "A" else self.household_b1).id,
            },
            "village.daily.stat": {"station_id": station.id, "date": self.today - timedelta(days=400)},
            "village.digest.run": {
                "kind": "work_list",
                "period_start": self.today - timedelta(days=400),
                "period_end": self.today - timedelta(days=400),
                "user_id": rec["village.digest.run"].user_id.id,
            },
            "village.closeout.report": {"ticket_id": ticket.id},
            "village.coverage.report": {"village_id": village.id},
            "village.demand.report": {"lead_id": rec["crm.lead"].id},
            "village.care.tag": {"name": "New tag"},
            "village.agreement.service": {"name": "New service"},
            "village.meeting.topic": {"name": "New topic"},
            "village.inquiry.rule": {"name": "New rule", "activity_type_id": todo.id, "target": "village"},
            "village.grid.substation": {"name": "New substation", "code": f"NEW-S-{side}"},
            "village.grid.feeder": {"name": "New feeder", "code": f"NEW-F-{side}", "station_id": station.id},
            "village.transformer.area": {
                "name": "New area",
                "code": f"NEW-A-{side}",
                "feeder_id": rec["village.grid.feeder"].id,
                "village_ids": [Command.set(village.ids)],
            },
            "village.grid.headroom.report": {"area_id": rec["village.transformer.area"].id},
            "village.outage.notice": {
                "station_id": station.id,
                "date_start": fields.Datetime.now() + timedelta(days=2),
                "village_ids": [Command.set(village.ids)],
            },
            "village.outage.post": {
                "notice_id": rec["village.outage.notice"].id,
                "chat_group_id": rec["village.chat.group"].id,
                "text": "New text",
            },
            "village.outage.reach": {
                "notice_id": rec["village.outage.notice"].id,
                "partner_id": (self.household_a1 if side == "A" else self.household_b1).id,
                "village_id": village.id,
            },
            "helpdesk.ticket.closeout": {"ticket_ids": [Command.set(ticket.ids)], "satisfaction": "satisfied"},
            "village.weekly.report.wizard": {
                "station_ids": [Command.set(station.ids)],
                "date_from": self.today - timedelta(days=7),
                "date_to": self.today,
            },
            "village.agreement.terminate": {
                "agreement_ids": [Command.set(rec["village.agreement"].ids)],
                "reason": "test",
            },
            "village.agreement.bulk.create": {"village_ids": [Command.set(village.ids)]},
            "village.inquiry.done": {
                "activity_ids": [Command.set(rec["mail.activity"].ids)],
                "outcome": "answered_ok",
            },
            "helpdesk.ticket.create.lead": {"ticket_id": ticket.id},
            "village.meeting.done": {"meeting_id": rec["village.meeting"].id},
            "res.config.settings": {},
        }[model]

    @mute_logger(
        "odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule"
    )
    def _allowed(self, user, model, op, side):
        """Whether `user` may do `op` on the record of `side`: check_access for
        read/write/unlink, a real create (rolled back) for create."""
        if op == "create":
            try:
                with self.env.cr.savepoint():
                    self.env[model].with_user(user).create(self._create_vals(model, side))
                    self.env.flush_all()
                    raise _Rollback()
            except _Rollback:
                return True
            except (AccessError, UserError):  # ValidationError is a UserError
                return False
        record = self.records[side][model]
        self.assertTrue(record, f"no record of {model} for {side}")
        try:
            record.with_user(user).check_access(op)
        except AccessError:
            return False
        return True

    def test_access_matrix(self):
        addon_models = set(
            self.env["ir.model.data"]
            .search([("module", "=", "village_service"), ("model", "=", "ir.model")])
            .mapped(lambda d: self.env["ir.model"].browse(d.res_id).model)
        )
        self.assertFalse(
            addon_models - set(MATRIX) - set(EXEMPT),
            "models of the addon missing from the access matrix",
        )
        mismatches = []
        for model, by_role in MATRIX.items():
            self.assertEqual(set(by_role), set(ROLES), model)
            ops = "c" if model in CREATE_ONLY else "rcwu"
            for role, sides in by_role.items():
                for side, expected in zip(("A", "B"), sides, strict=True):
                    if expected is None:
                        continue
                    for op in ops:
                        got = self._allowed(self.users[role], model, OPS[op], side)
                        if got != (op in expected):
                            mismatches.append(
                                f"{model:30} {role:10} {OPS[op]:6} {side}: expected "
                                f"{'allow' if op in expected else 'deny'}, got {'allow' if got else 'deny'}"
                            )
        self.assertFalse(mismatches, "access matrix mismatches:\n" + "\n".join(mismatches))

    def test_other_company_sees_nothing(self):
        """A bureau manager of another company sees nothing of this one's stations."""
        company_b = self.env["res.company"].create({"name": "Test Other Bureau"})
        other = new_test_user(
            self.env,
            login="vs_bureau_company_b",
            groups=MANAGER,
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        for model in (
            "helpdesk.ticket",
            "village.meeting",
            "crm.lead",
            "village.agreement",
            "village.chat.group",
            "village.daily.stat",
            "village.inquiry",
            "village.closeout.report",
            "village.coverage.report",
            "village.demand.report",
            "village.grid.feeder",
            "village.transformer.area",
            "village.grid.headroom.report",
        ):
            record = self.records["A"][model]
            with self.assertRaises(AccessError, msg=model):
                record.with_user(other).check_access("read")
            self.assertFalse(
                self.env[model]
                .with_user(other)
                .search([("id", "in", (self.records["A"][model] | self.records["B"][model]).ids)]),
                f"{model}: a user of another company finds records of this one",
            )
        # the same role in this company does see them
        self.records["A"]["village.meeting"].with_user(self.bureau_user).check_access("read")
