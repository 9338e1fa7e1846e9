"""Service-point agreements hold against any client (issue 15, finding 7):
the state and its who/when fields are written by the buttons only, what was
signed stays signed, the station is the village's, and "today" is the
service area's day whoever asks."""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import VillageRpcMixin, VillageServiceCase, moment

ROLES = ("vs_manager_a", "vs_head_a", "vs_bureau")
# context keys a client can send: none of them is a permission
FORGED_CONTEXT = {
    "village_closeout": True,
    "install_mode": True,
    "tracking_disable": True,
    "default_state": "active",
}


class AgreementCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["village.agreement"]
        for village in cls.village_a1 | cls.village_a2 | cls.village_b1:
            village.village_contact_id = cls.env["res.partner"].create(
                {"name": f"Test Contact of {village.name}", "village_parent_id": village.id}
            )
        cls.draft = cls.Agreement.create(
            {"village_id": cls.village_a1.id, "date_start": date(2026, 1, 1), "date_end": date(2028, 12, 31)}
        )
        cls.active = cls.Agreement.create(
            {
                "village_id": cls.village_a1.id,
                "date_start": date(2023, 1, 1),
                "date_end": date(2025, 12, 31),
                "date_signed": date(2022, 12, 20),
            }
        )
        cls.active.action_activate()

    def assertInvariants(self):
        """Active (or once active) => signed by both parties; station = the village's."""
        self.env.invalidate_all()
        agreements = self.Agreement.with_context(active_test=False).search(
            [("village_id", "in", (self.village_a1 | self.village_a2 | self.village_b1).ids)]
        )
        for agreement in agreements:
            if agreement.state != "draft":
                self.assertTrue(agreement.date_signed, agreement.name)
                self.assertTrue(agreement.village_signatory_id, agreement.name)
                self.assertTrue(agreement.station_signatory_id, agreement.name)
            self.assertEqual(agreement.station_id, agreement.village_id.village_station_id, agreement.name)
            if agreement.state == "terminated":
                self.assertTrue(agreement.date_terminated and agreement.termination_reason, agreement.name)


@tagged("post_install", "-at_install")
class TestAgreementIntegrityRpc(VillageRpcMixin, HttpCase, AgreementCase):
    def test_forged_activation_is_refused(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                for context in ({}, FORGED_CONTEXT):
                    self.assertRefused(
                        self.rpc("village.agreement", "write", self.draft.ids, {"state": "active"}, context=context)
                    )
                # signed in the same call: still the button's job
                self.assertRefused(
                    self.rpc(
                        "village.agreement",
                        "write",
                        self.draft.ids,
                        {
                            "date_signed": "2025-12-20",
                            "station_signatory_id": self.head_a.id,
                            "state": "active",
                        },
                    )
                )
        self.draft.invalidate_recordset()
        self.assertEqual(self.draft.state, "draft")
        self.assertFalse(self.draft.date_signed)
        self.assertInvariants()

    def test_forged_termination_and_expiry_are_refused(self):
        forged = (
            {"state": "terminated"},
            {"state": "terminated", "date_terminated": "2026-01-01", "termination_reason": "forged"},
            {"state": "expired"},
            {"state": "draft"},
            {"date_terminated": "2026-01-01"},
            {"termination_reason": "forged"},
            {"renewal_reminded": True},
        )
        for login in ROLES:
            self.authenticate(login, login)
            for vals in forged:
                with self.subTest(login=login, vals=vals):
                    self.assertRefused(
                        self.rpc("village.agreement", "write", self.active.ids, vals, context=FORGED_CONTEXT)
                    )
        self.active.invalidate_recordset()
        self.assertEqual(self.active.state, "active")
        self.assertFalse(self.active.date_terminated or self.active.termination_reason or self.active.renewal_reminded)
        self.assertInvariants()

    def test_forged_renewal_link_is_refused(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(
                    self.rpc("village.agreement", "write", self.draft.ids, {"renewed_from_id": self.active.id})
                )
                self.assertRefused(
                    self.rpc(
                        "village.agreement",
                        "create",
                        {"village_id": self.village_a1.id, "renewed_from_id": self.active.id},
                    )
                )
        self.assertFalse(self.active.renewal_ids)
        # the button links the renewal, the user stays its author
        self.authenticate("vs_head_a", "vs_head_a")
        reply = self.rpc("village.agreement", "action_renew", self.active.ids)
        renewal = self.Agreement.browse(reply["result"]["res_id"])
        self.assertEqual(renewal.renewed_from_id, self.active)
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.create_uid, self.head_a)

    def test_create_in_force_is_refused_and_a_default_state_dropped(self):
        signed = {
            "village_id": self.village_a2.id,
            "date_start": "2026-01-01",
            "date_signed": "2025-12-20",
            "station_signatory_id": self.head_a.id,
        }
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                if login == "vs_manager_a":
                    # village_a2 is manager_a2's: manager_a drafts for their own village
                    vals = {**signed, "village_id": self.village_a1.id, "date_start": "2029-01-01"}
                else:
                    vals = signed
                for state in ("active", "expired", "terminated"):
                    self.assertRefused(self.rpc("village.agreement", "create", {**vals, "state": state}))
                reply = self.rpc("village.agreement", "create", vals, context={"default_state": "active"})
                created = self.Agreement.browse(reply["result"])
                self.assertEqual(created.state, "draft")
                created.unlink()
        self.assertInvariants()

    def test_copy_starts_as_draft(self):
        for login in ("vs_head_a", "vs_bureau"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(self.rpc("village.agreement", "copy", self.active.ids, default={"state": "active"}))
                self.assertRefused(
                    self.rpc("village.agreement", "copy", self.active.ids, default={"renewed_from_id": self.draft.id})
                )
                reply = self.rpc("village.agreement", "copy", self.active.ids)
                copy = self.Agreement.browse(reply["result"])
                self.assertEqual(copy.state, "draft")
                self.assertFalse(copy.date_signed or copy.renewed_from_id or copy.date_terminated)
        self.assertInvariants()

    def test_import_of_a_state_is_refused(self):
        Agreement = self.Agreement.with_context(active_test=False)
        count = Agreement.search_count([])
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                # a new agreement, already active
                reply = self.rpc(
                    "village.agreement",
                    "load",
                    ["village_id/.id", "date_start", "date_signed", "station_signatory_id/.id", "state"],
                    [[str(self.village_a1.id), "2030-01-01", "2029-12-01", str(self.head_a.id), "active"]],
                )
                result = reply["result"]
                self.assertFalse(result["ids"], result)
                self.assertTrue(result["messages"])
                # the existing draft, made active or terminated by its database id
                for state in ("active", "terminated"):
                    reply = self.rpc("village.agreement", "load", [".id", "state"], [[str(self.draft.id), state]])
                    self.assertFalse(reply["result"]["ids"], reply["result"])
        self.assertEqual(Agreement.search_count([]), count)
        self.draft.invalidate_recordset()
        self.assertEqual(self.draft.state, "draft")
        self.assertInvariants()

    def test_signed_terms_of_an_agreement_in_force_are_kept(self):
        forged = (
            {"date_signed": False},
            {"village_signatory_id": False},
            {"station_signatory_id": False},
            {"date_signed": "2001-01-01"},
            {"village_id": self.village_a2.id},
            {"date_start": "2020-01-01"},
        )
        for login in ROLES:
            self.authenticate(login, login)
            for vals in forged:
                with self.subTest(login=login, vals=vals):
                    self.assertRefused(self.rpc("village.agreement", "write", self.active.ids, vals))
        self.active.invalidate_recordset()
        self.assertEqual(self.active.date_signed, date(2022, 12, 20))
        self.assertEqual(self.active.village_id, self.village_a1)
        # what was not signed is still edited
        self.authenticate("vs_manager_a", "vs_manager_a")
        reply = self.rpc("village.agreement", "write", self.active.ids, {"service_point_address": "Committee hall"})
        self.assertTrue(reply.get("result"), reply)
        self.assertInvariants()

    def test_station_is_the_village_station(self):
        for login in ROLES:
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertRefused(
                    self.rpc(
                        "village.agreement",
                        "create",
                        {"village_id": self.village_a1.id, "station_id": self.station_b.id},
                    ),
                    contains=self.station_b.name if login == "vs_bureau" else None,
                )
                self.assertRefused(
                    self.rpc(
                        "village.agreement",
                        "create",
                        {"village_id": self.village_a1.id},
                        context={"default_station_id": self.station_b.id},
                    )
                )
                self.assertRefused(
                    self.rpc("village.agreement", "write", self.draft.ids, {"station_id": self.station_b.id})
                )
        # another station's village: the bureau's call only
        for login in ("vs_manager_a", "vs_head_a"):
            self.authenticate(login, login)
            self.assertRefused(
                self.rpc("village.agreement", "write", self.draft.ids, {"village_id": self.village_b1.id})
            )
            self.assertRefused(self.rpc("village.agreement", "create", {"village_id": self.village_b1.id}))
        self.draft.invalidate_recordset()
        self.assertEqual(self.draft.village_id, self.village_a1)
        # the bureau gives the draft to another village: the station follows it
        self.authenticate("vs_bureau", "vs_bureau")
        self.rpc("village.agreement", "write", self.draft.ids, {"village_id": self.village_b1.id})
        self.draft.invalidate_recordset()
        self.assertEqual(self.draft.station_id, self.station_b)
        self.assertInvariants()


@tagged("post_install", "-at_install")
class TestAgreementIntegrity(AgreementCase):
    def test_only_a_station_head_or_the_bureau_terminates(self):
        with self.assertRaisesRegex(UserError, "station head"), self.env.cr.savepoint():
            self.active.with_user(self.manager_a)._terminate("The committee asked for it.")
        self.active.invalidate_recordset()
        self.assertEqual(self.active.state, "active")
        self.active.with_user(self.head_a)._terminate("The committee merged with the township.")
        self.assertEqual(self.active.state, "terminated")
        self.assertEqual(self.active.date_terminated, self.env["village.service.area"]._today())
        self.assertEqual(self.active.write_uid, self.head_a)

    def test_termination_date_is_not_in_the_future(self):
        today = self.env["village.service.area"]._today()
        wizard = (
            self.env["village.agreement.terminate"]
            .with_user(self.head_a)
            .create({"agreement_ids": self.active.ids, "date": date(today.year + 1, 1, 1), "reason": "Later"})
        )
        with self.assertRaisesRegex(UserError, "future"), self.env.cr.savepoint():
            wizard.action_confirm()
        self.assertEqual(self.active.state, "active")

    def test_today_is_the_service_area_day(self):
        """20:00 UTC on 30 June is 1 July in Shanghai (Settings): an agreement
        ending on 30 June expires, whatever the time zone of who runs it."""
        self.env["ir.config_parameter"].sudo().set_param("village_service.tz", "Asia/Shanghai")
        ending = self.Agreement.create(
            {
                "village_id": self.village_a2.id,
                "date_start": date(2024, 7, 1),
                "date_end": date(2026, 6, 30),
                "date_signed": date(2024, 6, 20),
            }
        )
        ending.action_activate()
        with moment(self.env, "2026-06-30 20:00:00"):
            for tz in ("UTC", "Europe/Brussels", "America/New_York"):
                Agreement = self.Agreement.with_context(tz=tz)
                self.assertIn(ending, Agreement.search(Agreement._expire_domain()), tz)
                self.assertIn(("date_end", "<", date(2026, 7, 1)), Agreement._expire_domain(), tz)
                wizard = self.env["village.agreement.terminate"].with_user(self.head_a).with_context(tz=tz)
                self.assertEqual(wizard.new({}).date, date(2026, 7, 1), tz)
            cron = self.env.ref("village_service.ir_cron_village_agreement_expire_and_remind")
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(ending.state, "expired")
        self.assertInvariants()

    def test_client_forged_state_is_refused_in_process_too(self):
        for user in (self.manager_a, self.head_a, self.bureau_user):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError), self.env.cr.savepoint():
                    self.draft.with_user(user).write({"state": "active"})
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self.draft.with_user(user).write({"station_id": self.station_b.id})
        self.assertInvariants()
