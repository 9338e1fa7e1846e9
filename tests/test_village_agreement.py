from datetime import date, timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import VillageServiceCase


@tagged("post_install", "-at_install")
class TestVillageAgreement(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["village.agreement"]
        cls.contact_a1 = cls.env["res.partner"].create(
            {"name": "Test Contact A1", "village_parent_id": cls.village_a1.id}
        )
        cls.village_a1.village_contact_id = cls.contact_a1
        for village in cls.village_a2 | cls.village_b1:
            village.village_contact_id = cls.env["res.partner"].create(
                {"name": f"Test Contact of {village.name}", "village_parent_id": village.id}
            )
        cls.today = fields.Date.context_today(cls.Agreement)
        cls.cron = cls.env.ref("village_service.ir_cron_village_agreement_expire_and_remind")
        cls.renewal_type = cls.env.ref("village_service.mail_activity_type_agreement_renewal")

    def _agreement(self, village=None, user=None, **vals):
        vals = {
            "village_id": (village or self.village_a1).id,
            "date_start": date(2025, 1, 1),
            "date_end": date(2025, 12, 31),
            **vals,
        }
        return self.Agreement.with_user(user or self.bureau_user).create(vals)

    def _active(self, village=None, **vals):
        agreement = self._agreement(village, date_signed=vals.pop("date_signed", date(2024, 12, 20)), **vals)
        agreement.with_user(self.bureau_user).action_activate()
        return agreement

    def _renewal_activities(self, agreements):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "village.agreement"),
                ("res_id", "in", agreements.ids),
                ("activity_type_id", "=", self.renewal_type.id),
            ]
        )

    # Creation and defaults -------------------------------------------------

    def test_new_agreement_takes_number_parties_and_services(self):
        form = Form(self.Agreement.with_user(self.head_a))
        form.village_id = self.village_a1
        agreement = form.save()
        self.assertTrue(agreement.name.startswith("AGR/"))
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(agreement.station_id, self.station_a)
        self.assertEqual(agreement.manager_id, self.manager_a)
        self.assertEqual(agreement.village_signatory_id, self.contact_a1)
        self.assertEqual(agreement.station_signatory_id, self.head_a)
        self.assertEqual(agreement.township_id, self.township_a)
        self.assertIn(self.env.ref("village_service.village_agreement_service_outage_notice"), agreement.service_ids)
        other = self._agreement(self.village_b1)
        self.assertNotEqual(other.name, agreement.name)

    def test_end_before_start_is_refused(self):
        # a CHECK of the database (its message reaches a client through RPC)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self._agreement(date_start=date(2025, 6, 1), date_end=date(2025, 5, 31))
        agreement = self._agreement()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            agreement.with_user(self.bureau_user).date_end = date(2024, 12, 31)
            agreement.flush_recordset()
        agreement.invalidate_recordset()
        self.assertEqual(agreement.date_end, date(2025, 12, 31))

    # Transitions -------------------------------------------------------------

    def test_activation_needs_sign_date_and_both_signatories(self):
        agreement = self._agreement()
        for field, message in (
            ("date_signed", "sign date"),
            ("village_signatory_id", "village signatory"),
            ("station_signatory_id", "station signatory"),
        ):
            with self.subTest(missing=field):
                vals = {
                    "date_signed": date(2024, 12, 20),
                    "village_signatory_id": self.contact_a1.id,
                    "station_signatory_id": self.head_a.id,
                    field: False,
                }
                agreement.with_user(self.bureau_user).write(vals)
                with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
                    agreement.with_user(self.head_a).action_activate()
                agreement.invalidate_recordset()
                self.assertEqual(agreement.state, "draft")
        agreement.write({"date_signed": date(2024, 12, 20), "station_signatory_id": self.head_a.id})
        agreement.with_user(self.head_a).action_activate()
        self.assertEqual(agreement.state, "active")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            agreement.with_user(self.head_a).action_activate()

    def test_second_active_agreement_over_overlapping_period_is_refused(self):
        self._active()
        overlapping = self._agreement(
            date_start=date(2025, 12, 1), date_end=date(2026, 11, 30), date_signed=date(2025, 11, 1)
        )
        with (
            self.assertRaisesRegex(ValidationError, "already has an active agreement"),
            self.env.cr.savepoint(),
        ):
            overlapping.with_user(self.head_a).action_activate()
        overlapping.invalidate_recordset()
        self.assertEqual(overlapping.state, "draft")
        # an open-ended one overlaps everything after its start
        open_ended = self._agreement(date_start=date(2024, 1, 1), date_end=False, date_signed=date(2024, 1, 1))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            open_ended.with_user(self.head_a).action_activate()
        # the next period, or another village, is fine
        following = self._agreement(
            date_start=date(2026, 1, 1), date_end=date(2026, 12, 31), date_signed=date(2025, 12, 1)
        )
        following.with_user(self.head_a).action_activate()
        self.assertEqual(following.state, "active")
        self._active(self.village_a2)

    def test_terminate_asks_for_a_reason_kept_in_the_chatter(self):
        draft = self._agreement()
        with self.assertRaisesRegex(UserError, "Only an active agreement"), self.env.cr.savepoint():
            draft.with_user(self.head_a).action_terminate()
        self.assertEqual(draft.state, "draft")

        agreement = self._active()
        action = agreement.with_user(self.head_a).action_terminate()
        self.assertEqual(action["res_model"], "village.agreement.terminate")
        wizard_form = Form(self.env[action["res_model"]].with_user(self.head_a).with_context(**action["context"]))
        wizard_form.reason = "The committee moved to the township."
        wizard_form.save().action_confirm()
        self.assertEqual(agreement.state, "terminated")
        self.assertEqual(agreement.date_terminated, self.today)
        self.assertTrue(
            any("The committee moved to the township." in message.body for message in agreement.message_ids)
        )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            agreement.with_user(self.head_a).action_terminate()

    def test_terminate_without_reason_is_refused(self):
        agreement = self._active()
        with self.assertRaisesRegex(UserError, "reason"), self.env.cr.savepoint():
            agreement.with_user(self.head_a)._terminate("  ")
        agreement.invalidate_recordset()
        self.assertEqual(agreement.state, "active")

    def test_renew_drafts_a_successor_continuing_from_the_end(self):
        draft = self._agreement()
        with self.assertRaisesRegex(UserError, "draft"), self.env.cr.savepoint():
            draft.with_user(self.head_a).action_renew()
        self.assertFalse(draft.renewal_ids)
        draft.unlink()

        agreement = self._active(service_ids=[Command.set(self.env["village.agreement.service"].search([]).ids[:2])])
        action = agreement.with_user(self.head_a).action_renew()
        renewal = self.Agreement.browse(action["res_id"])
        self.assertEqual(renewal.renewed_from_id, agreement)
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.date_start, date(2026, 1, 1))
        self.assertEqual(renewal.date_end, date(2026, 12, 31))
        self.assertEqual(renewal.service_ids, agreement.service_ids)
        self.assertEqual(renewal.village_signatory_id, self.contact_a1)
        self.assertFalse(renewal.date_signed)
        self.assertNotEqual(renewal.name, agreement.name)
        # the renewal is signed and activated: no overlap with its predecessor
        renewal.date_signed = date(2025, 12, 15)
        renewal.with_user(self.head_a).action_activate()
        self.assertEqual(renewal.state, "active")
        # no second successor
        with self.assertRaisesRegex(UserError, "already renewed"), self.env.cr.savepoint():
            agreement.with_user(self.head_a).action_renew()
        self.assertEqual(len(agreement.renewal_ids), 1)

    def test_active_and_expired_agreements_are_archived_not_deleted(self):
        active = self._active()
        expired = self._active(self.village_a2)
        expired.sudo()._expire()  # as the scheduler does
        for agreement in active | expired:
            with self.assertRaisesRegex(UserError, "archive"), self.env.cr.savepoint():
                agreement.with_user(self.bureau_user).unlink()
            self.assertTrue(agreement.exists())
        active.with_user(self.bureau_user).action_archive()
        self.assertFalse(active.active)
        draft = self._agreement(self.village_b1)
        draft.with_user(self.bureau_user).unlink()
        self.assertFalse(draft.exists())

    # Scheduler ---------------------------------------------------------------

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_cron_expires_and_reminds_once(self):
        past = self._active(date_start=date(2024, 1, 1), date_end=self.today - timedelta(days=3))
        soon = self._active(self.village_a2, date_start=date(2024, 1, 1), date_end=self.today + timedelta(days=10))
        later = self._active(self.village_b1, date_start=date(2024, 1, 1), date_end=self.today + timedelta(days=100))
        draft_soon = self._agreement(
            self.village_a1,
            date_start=self.today + timedelta(days=1),
            date_end=self.today + timedelta(days=5),
        )
        self._run_cron()
        self.assertEqual(past.state, "expired")
        self.assertEqual(soon.state, "active")
        self.assertEqual(later.state, "active")
        activity = self._renewal_activities(soon)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager_a2)
        self.assertEqual(activity.date_deadline, soon.date_end)
        self.assertFalse(self._renewal_activities(past | later | draft_soon))

        # a rerun, even after the manager marked the reminder done, adds nothing
        self._run_cron()
        self.assertEqual(len(self._renewal_activities(soon)), 1)
        activity.action_feedback(feedback="Talked to the committee.")
        self._run_cron()
        self.assertFalse(self._renewal_activities(soon))
        self.assertTrue(soon.renewal_reminded)

        # a longer lead time set in Settings reaches the later agreement
        settings = self.env["res.config.settings"].create({"village_renewal_reminder_days": 120})
        settings.execute()
        self._run_cron()
        self.assertEqual(len(self._renewal_activities(later)), 1)
        self.assertEqual(self._renewal_activities(later).user_id, self.manager_b)

    def test_cron_reminder_skips_an_agreement_already_renewed(self):
        soon = self._active(date_start=date(2024, 1, 1), date_end=self.today + timedelta(days=10))
        soon.action_renew()
        self._run_cron()
        self.assertFalse(self._renewal_activities(soon))

    def test_cron_rerun_after_a_crash_does_no_double_work(self):
        Partner = self.env["res.partner"]
        villages = Partner.create(
            [
                {
                    "name": f"Test Cron Village {i}",
                    "village_kind": "village",
                    "village_parent_id": self.township_a.id,
                    "village_station_id": self.station_a.id,
                    "village_manager_id": self.manager_a.id,
                }
                for i in range(5)
            ]
        )
        agreements = self.Agreement.browse()
        for village in villages:
            agreements |= self._active(
                village,
                village_signatory_id=self.contact_a1.id,
                date_start=date(2024, 1, 1),
                date_end=self.today + timedelta(days=10),
            )
        expiring = self.Agreement.browse()
        for village in villages[:3]:
            expiring |= self._agreement(
                village,
                village_signatory_id=self.contact_a1.id,
                date_signed=date(2022, 12, 1),
                date_start=date(2023, 1, 1),
                date_end=date(2023, 12, 31),
            )
        expiring.action_activate()
        # due for a reminder once the past-end ones are expired
        due = self.Agreement.search([*self.Agreement._remind_domain(), ("date_end", ">=", self.today)])
        self.assertGreaterEqual(len(due), 5)

        Model = type(self.Agreement)
        original = Model._schedule_renewal_activity
        calls = []

        def crash_after_first_batch(records):
            calls.append(len(records))
            if len(calls) > 1:
                raise RuntimeError("simulated crash")
            return original(records)

        with (
            patch.object(Model, "_cron_batch_size", 2),
            patch.object(Model, "_schedule_renewal_activity", crash_after_first_batch),
            mute_logger("odoo.addons.base.models.ir_cron"),
        ):
            self._run_cron()
        # the expiry and the first reminder batch were committed, the crashed batch was not
        self.assertEqual(set(expiring.mapped("state")), {"expired"})
        self.assertEqual(len(due.filtered("renewal_reminded")), 2)
        self.assertEqual(len(self._renewal_activities(due)), 2)

        self._run_cron()
        self.assertTrue(all(due.mapped("renewal_reminded")))
        for agreement in due:
            self.assertEqual(len(self._renewal_activities(agreement)), 1, agreement.name)
        self.assertEqual(set(agreements.mapped("state")), {"active"})

    # Bulk signing ----------------------------------------------------------

    def test_bulk_wizard_drafts_agreements_for_200_villages(self):
        villages = self.env["res.partner"].create(
            [
                {
                    "name": f"Test Campaign Village {i:03d}",
                    "village_kind": "village" if i % 3 else "community",
                    "village_parent_id": self.township_a.id,
                    "village_station_id": self.station_a.id,
                    "village_manager_id": self.manager_a.id,
                }
                for i in range(210)
            ]
        )
        self._agreement(villages[0])  # already has a draft
        selection = villages | self.village_a1 | self.group_a1
        Wizard = self.env["village.agreement.bulk.create"].with_user(self.head_a)
        form = Form(Wizard.with_context(active_model="res.partner", active_ids=selection.ids))
        form.date_start = date(2026, 1, 1)
        form.term_years = 3
        wizard = form.save()
        self.assertEqual(wizard.village_count, 210)
        action = wizard.action_create()
        created = self.Agreement.search(action["domain"])
        self.assertEqual(len(created), 210)
        self.assertEqual(created.village_id, villages[1:] | self.village_a1)
        self.assertEqual(set(created.mapped("state")), {"draft"})
        self.assertEqual(set(created.mapped("date_end")), {date(2028, 12, 31)})
        self.assertEqual(set(created.mapped("station_id")), {self.station_a})
        self.assertEqual(len(set(created.mapped("name"))), 210)
        self.assertEqual(created[0].service_ids, wizard.service_ids)
        # a second run finds nothing left to draft
        again = Wizard.with_context(active_model="res.partner", active_ids=selection.ids).create({})
        with self.assertRaisesRegex(UserError, "nothing to draft"), self.env.cr.savepoint():
            again.action_create()
        self.assertEqual(self.Agreement.search_count([("village_id", "in", selection.ids)]), 211)

    # Coverage ----------------------------------------------------------------

    def test_coverage_on_station_report_and_village_filter(self):
        self.assertEqual(self.station_a.agreement_coverage, 0.0)
        agreement = self._active()
        self._agreement(self.village_a2)  # a draft does not cover
        self.station_a.invalidate_recordset()
        self.assertEqual(self.station_a.agreement_coverage, 50.0)
        self.assertEqual(self.station_a.agreement_count, 2)
        self.assertEqual(self.station_b.agreement_coverage, 0.0)

        Report = self.env["village.coverage.report"].with_user(self.bureau_user)
        rows = {
            station: (villages, covered)
            for station, villages, covered in Report._read_group(
                [("station_id", "in", (self.station_a | self.station_b).ids)],
                ["station_id"],
                ["village_count:sum", "agreement_covered:sum"],
            )
        }
        self.assertEqual(rows[self.station_a], (2, 1))
        self.assertEqual(rows[self.station_b], (1, 0))
        [[township_coverage]] = Report._read_group(
            [("township_id", "=", self.township_a.id)], [], ["agreement_coverage:avg"]
        )
        self.assertEqual(township_coverage, 50.0)

        without = (
            self.env["res.partner"]
            .with_user(self.head_a)
            .search(
                [
                    ("village_kind", "in", ("village", "community")),
                    ("village_has_active_agreement", "=", False),
                ]
            )
        )
        self.assertIn(self.village_a2, without)
        self.assertNotIn(self.village_a1, without)
        self.assertTrue(self.village_a1.village_has_active_agreement)

        agreement.with_user(self.head_a)._terminate("Merged")
        self.station_a.invalidate_recordset()
        self.assertEqual(self.station_a.agreement_coverage, 0.0)
        self.assertIn(
            self.village_a1,
            self.env["res.partner"].search([("village_has_active_agreement", "=", False)]),
        )

    # Security ----------------------------------------------------------------

    def test_record_rules(self):
        a1 = self._agreement(self.village_a1)
        a2 = self._agreement(self.village_a2)
        b1 = self._agreement(self.village_b1)
        every = a1 | a2 | b1
        domain = [("id", "in", every.ids)]
        self.assertEqual(self.Agreement.with_user(self.manager_a).search(domain), a1)
        self.assertEqual(self.Agreement.with_user(self.head_a).search(domain), a1 | a2)
        self.assertEqual(self.Agreement.with_user(self.head_b).search(domain), b1)
        self.assertEqual(self.Agreement.with_user(self.bureau_user).search(domain), every)
        with self.assertRaises(AccessError):
            a2.with_user(self.manager_a).read(["name"])
        with self.assertRaises(AccessError):
            b1.with_user(self.head_a).write({"note": "not mine"})
        # an account manager creates no agreement, of any village
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._agreement(self.village_b1, user=self.manager_a)
        with self.assertRaises(AccessError):
            self.Agreement.with_user(self.plain_user).search([])
        # an account manager reads the agreement counter of their own village
        self.assertEqual(self.village_a1.with_user(self.manager_a).village_agreement_count, 1)

    # Printable agreement -----------------------------------------------------

    def test_agreement_prints_as_pdf_with_the_village(self):
        agreement = self._active()
        Report = self.env["ir.actions.report"].with_user(self.manager_a)
        html, _kind = Report._render_qweb_html("village_service.village_agreement_report", agreement.ids)
        html = html.decode()
        self.assertIn("Test Village A1", html)
        self.assertIn("Test Station A", html)
        self.assertIn("Test Contact A1", html)
        self.assertIn("Outage Notices", html)
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "village_service.village_agreement_report", agreement.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
