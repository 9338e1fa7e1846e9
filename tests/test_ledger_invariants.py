"""The ledger's invariants under any sequence of actions: a property-based
(stateful) test drives plan / rectify / close-out / reopen / stage changes /
edits of the measure and deadline by the account manager, the station head
and the bureau, in random order, and checks after every step that the ledger
is still consistent and that the reports count what the ledger holds."""

from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VillageServiceCase

TICKETS = 2
# forged values of the workflow fields, as a client would send them
FORGED = {
    "closeout_state": lambda case: "closed",
    "date_rectified": lambda case: "2026-01-01 00:00:00",
    "rectified_by_id": lambda case: case.manager_a2.id,
    "date_closeout": lambda case: "2026-01-02 00:00:00",
    "closeout_by_id": lambda case: case.head_b.id,
    "date_planned": lambda case: "2026-01-01 00:00:00",
    "closeout_satisfaction": lambda case: "satisfied",
    "closeout_note": lambda case: "forged",
    "reopen_count": lambda case: 7,
}
MEASURES = ["Replace the lamps and the photo switch", "", "   ", None]


@tagged("post_install", "-at_install")
class TestLedgerInvariants(VillageServiceCase):
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_any_sequence_keeps_the_ledger_consistent(self):
        env = self.env
        case = self
        roles = {"manager_a": self.manager_a, "head_a": self.head_a, "bureau": self.bureau_user}
        stages = self.station_a._get_applicable_stages()
        self.assertTrue(stages.filtered("closed") and stages.filtered(lambda s: not s.closed))
        Stat = env["village.daily.stat"]
        Report = env["village.closeout.report"]
        today = env["village.service.area"]._today()
        seen = Counter()

        class LedgerMachine(RuleBasedStateMachine):
            def __init__(self):
                super().__init__()
                self.savepoint = env.cr.savepoint()
                self.tickets = env["helpdesk.ticket"].create(
                    [
                        {
                            "name": f"Invariant problem {n}",
                            "description": "x",
                            "village_id": (case.village_a1 if n % 2 else case.village_a2).id,
                            # one planned (then rectified), one bare
                            "rectification_measure": MEASURES[0] if n == 0 else False,
                            "rectification_deadline": today + timedelta(days=3) if n == 0 else False,
                        }
                        for n in range(TICKETS)
                    ]
                )
                self.tickets[0].with_user(case.manager_a).action_rectify()
                case.assertEqual(self.tickets.team_id, case.station_a)

            def teardown(self):
                self.savepoint.close(rollback=True)
                env.invalidate_all()

            def _step(self, role, action):
                """Run one user action; a refusal must leave no trace (savepoint)."""
                seen["steps"] += 1
                try:
                    with env.cr.savepoint():
                        action(self.tickets.with_user(roles[role]))
                        env.flush_all()
                except (UserError, AccessError):  # ValidationError is a UserError
                    seen["refused"] += 1
                env.invalidate_all()

            @rule(n=st.integers(0, TICKETS - 1), role=st.sampled_from(list(roles)))
            def plan(self, n, role):
                self._step(role, lambda t: t[n].action_plan())

            @rule(n=st.integers(0, TICKETS - 1), role=st.sampled_from(list(roles)))
            def rectify(self, n, role):
                self._step(role, lambda t: t[n].action_rectify())

            @rule(n=st.integers(0, TICKETS - 1), role=st.sampled_from(list(roles)), satisfied=st.booleans())
            def closeout(self, n, role, satisfied):
                self._step(role, lambda t: t[n]._closeout(satisfied, note="revisit"))

            @rule(n=st.integers(0, TICKETS - 1), role=st.sampled_from(list(roles)))
            def reopen(self, n, role):
                self._step(role, lambda t: t[n].action_reopen())

            @rule(n=st.integers(0, TICKETS - 1), role=st.sampled_from(list(roles)), stage=st.sampled_from(stages.ids))
            def move_stage(self, n, role, stage):
                self._step(role, lambda t: t[n].write({"stage_id": stage}))

            @rule(
                n=st.integers(0, TICKETS - 1),
                role=st.sampled_from(list(roles)),
                measure=st.sampled_from(MEASURES),
                days=st.one_of(st.none(), st.integers(-3, 10)),
            )
            def edit(self, n, role, measure, days):
                vals = {"rectification_measure": measure or False}
                if days is not None:
                    vals["rectification_deadline"] = today + timedelta(days=days)
                self._step(role, lambda t: t[n].write(vals))

            @rule(
                n=st.integers(0, TICKETS - 1),
                role=st.sampled_from(list(roles)),
                forged=st.dictionaries(st.sampled_from(sorted(FORGED)), st.just(None), min_size=1),
                context_key=st.booleans(),
            )
            def forge(self, n, role, forged, context_key):
                """What a client can send: workflow fields with made-up values,
                with or without the context key the actions once used."""
                vals = {name: FORGED[name](case) for name in forged}
                context = {"village_closeout": True} if context_key else {}
                before = {name: self.tickets[n][name] for name in vals}
                refused = seen["refused"]
                self._step(role, lambda t: t[n].with_context(**context).write(vals))
                case.assertEqual(seen["refused"], refused + 1, f"{role} wrote {vals}")
                case.assertEqual({name: self.tickets[n][name] for name in vals}, before, f"{role} forged {vals}")

            @invariant()
            def ledger_is_consistent(self):
                for ticket in self.tickets:
                    state = ticket.closeout_state
                    label = f"{ticket.name} ({state}, stage {ticket.stage_id.name})"
                    seen[state] += 1
                    if state == "closed":
                        case.assertTrue((ticket.rectification_measure or "").strip(), f"{label}: no measure")
                        case.assertTrue(ticket.date_rectified, f"{label}: closed out, never rectified")
                        case.assertTrue(ticket.date_closeout and ticket.closeout_by_id, label)
                    case.assertEqual(
                        state == "closed", ticket.stage_id.closed, f"{label}: stage and close-out disagree"
                    )
                    case.assertEqual(
                        state in ("rectified", "closed"), bool(ticket.date_rectified), f"{label}: rectification date"
                    )
                    case.assertEqual(state == "closed", bool(ticket.date_closeout), f"{label}: close-out date")
                    case.assertEqual(
                        state in ("rectified", "closed"), bool(ticket.rectified_by_id), f"{label}: rectified by"
                    )
                    if state == "closed":
                        case.assertNotEqual(ticket.closeout_by_id, ticket.rectified_by_id, f"{label}: four eyes")
                        case.assertLessEqual(ticket.date_rectified, ticket.date_closeout, label)
                    if ticket.date_planned and ticket.date_rectified:
                        case.assertLessEqual(ticket.date_planned, ticket.date_rectified, label)

            @invariant()
            def reports_count_the_ledger(self):
                env.flush_all()
                states = self.tickets.mapped("closeout_state")
                ledger = {
                    "collected": len(states),
                    "planned": sum(s != "open" for s in states),
                    "rectified": sum(s in ("rectified", "closed") for s in states),
                    "closed_out": sum(s == "closed" for s in states),
                }
                [row] = Report._read_group([("ticket_id", "in", self.tickets.ids)], [], [f"{f}:sum" for f in ledger])
                case.assertEqual(dict(zip(ledger, row, strict=True)), ledger, "close-out analysis")
                figures = Stat._station_figures(case.station_a, today, today)[case.station_a.id]
                case.assertEqual(figures["collected_total"], ledger["collected"], "daily statistics: collected")
                case.assertEqual(figures["rectified_total"], ledger["rectified"], "daily statistics: rectified")
                case.assertEqual(figures["closed_out_total"], ledger["closed_out"], "daily statistics: closed out")

        run_state_machine_as_test(
            LedgerMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=15,
                deadline=None,
                database=None,
                derandomize=True,
                phases=(Phase.explicit, Phase.generate, Phase.shrink),  # no slow "explain" on failure
                suppress_health_check=list(HealthCheck),
            ),
        )
        # the sequences reached every state and were refused at times: a run of
        # refusals only, or of plans only, would prove nothing
        for key in ("open", "planned", "rectified", "closed", "refused"):
            self.assertGreater(seen[key], 0, f"no step reached {key}: {dict(seen)}")
        self.assertFalse(env["helpdesk.ticket"].search([("name", "like", "Invariant problem")]), "examples rolled back")
