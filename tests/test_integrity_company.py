"""Multi-company integrity (issue 15): a bureau manager of another company
neither sees nor writes this company's village partners, the inquiry
activities on them, or its email digest runs, whatever they send over
JSON-RPC (read, search, write, create, import, copy); this company's own
roles and plain internal users keep what they had."""

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import MANAGER, VillageRpcMixin, VillageServiceCase


@tagged("post_install", "-at_install")
class TestIntegrityCompany(VillageRpcMixin, HttpCase, VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_b = env["res.company"].create({"name": "Test Other Bureau"})
        cls.other = new_test_user(
            env,
            login="vs_bureau_other",
            groups=MANAGER,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        call = env.ref("mail.mail_activity_data_call")
        cls.rule = env["village.inquiry.rule"].create(
            {"name": "Test weekly call", "activity_type_id": call.id, "target": "village"}
        )
        cls.activity = cls.village_a1.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_call", user_id=cls.manager_a.id
        )
        cls.activity.inquiry_rule_id = cls.rule
        today = fields.Date.today()
        cls.digest_run = env["village.digest.run"].create(
            {"kind": "work_list", "period_start": today, "period_end": today, "user_id": cls.manager_a.id}
        )
        cls.partners = cls.township_a | cls.village_a1 | cls.group_a1 | cls.household_a1

    def _state(self):
        self.env.invalidate_all()
        return (
            [
                (p.name, p.active, p.village_parent_id, p.village_manager_id, p.village_station_id)
                for p in self.partners
            ],
            (self.activity.exists(), self.activity.note, self.activity.res_id, self.activity.active),
            self.env["res.partner"].search_count([("village_id", "=", self.village_a1.id)]),
        )

    def test_other_company_bureau_neither_sees_nor_writes(self):
        before = self._state()
        self.authenticate("vs_bureau_other", "vs_bureau_other")
        partner_ids = (self.village_a1 | self.group_a1 | self.household_a1).ids
        found = self.rpc("res.partner", "search", [("id", "in", partner_ids)])["result"]
        self.assertEqual(found, [], "another company's bureau finds this one's village partners")
        activities = self.rpc("mail.activity", "search", [("inquiry_rule_id", "!=", False)])["result"]
        self.assertNotIn(self.activity.id, activities)
        self.assertEqual(self.rpc("village.digest.run", "search", [("id", "=", self.digest_run.id)])["result"], [])

        attacks = [
            ("res.partner", "read", [partner_ids, ["name"]], {}),
            ("res.partner", "write", [[self.village_a1.id], {"name": "Taken Over"}], {}),
            ("res.partner", "write", [[self.household_a1.id], {"phone": "110"}], {}),
            ("res.partner", "write", [[self.township_a.id], {"name": "Taken Over Town"}], {}),
            ("res.partner", "action_archive", [[self.village_a1.id]], {}),
            ("res.partner", "copy", [[self.village_a1.id]], {}),
            (
                "res.partner",
                "create",
                [
                    {
                        "name": "Village In Their Station",
                        "village_kind": "village",
                        "village_parent_id": self.township_a.id,
                        "village_station_id": self.station_a.id,
                        "village_manager_id": self.other.id,
                    }
                ],
                {},
            ),
            ("res.partner", "create", [{"name": "Their Household", "village_parent_id": self.village_a1.id}], {}),
            ("mail.activity", "read", [[self.activity.id], ["note", "res_id"]], {}),
            ("mail.activity", "write", [[self.activity.id], {"note": "<p>forged</p>"}], {}),
            ("mail.activity", "write", [[self.activity.id], {"res_id": self.township_a.id}], {}),
            ("mail.activity", "action_feedback", [[self.activity.id]], {"feedback": "done by the other bureau"}),
            ("mail.activity", "unlink", [[self.activity.id]], {}),
            ("village.digest.run", "read", [[self.digest_run.id], ["email_to"]], {}),
        ]
        for model, method, args, kwargs in attacks:
            with self.subTest(model=model, method=method, args=args), mute_logger("odoo.http"):
                self.assertRefused(self.rpc(model, method, *args, **kwargs))
        reply = self.rpc(
            "res.partner", "load", ["name", "village_parent_id/.id"], [["Imported Household", str(self.village_a1.id)]]
        )
        self.assertTrue(reply["result"]["messages"], "import of a household into another company's village")
        self.assertEqual(self._state(), before)
        self.assertFalse(
            self.env["res.partner"].search(
                [("name", "in", ("Village In Their Station", "Their Household", "Imported Household"))]
            )
        )

        # this company's bureau and account manager keep theirs
        for login in ("vs_bureau", "vs_manager_a"):
            self.authenticate(login, login)
            with self.subTest(login=login):
                reply = self.rpc("res.partner", "read", partner_ids, ["name"])
                self.assertNotIn("error", reply)
                reply = self.rpc("mail.activity", "read", [self.activity.id], ["note"])
                self.assertNotIn("error", reply)
                self.assertEqual(
                    self.rpc("village.digest.run", "search", [("id", "=", self.digest_run.id)])["result"],
                    self.digest_run.ids,
                )
        # a plain internal user reads village partners as any other contact
        self.authenticate("vs_plain", "vs_plain")
        self.assertNotIn("error", self.rpc("res.partner", "read", partner_ids, ["name"]))
