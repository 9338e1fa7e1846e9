"""Outage notices (issue 17, item 3): the WeChat texts per group, posted to a
WeCom robot by the job; one reach line per household that the groups do not
reach; marking lines reached; the roles."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import _super_send
from odoo.tools import mute_logger

from ..models import village_outage_notice
from .common import VillageRpcMixin, VillageServiceCase


class OutageCase(VillageServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.tag = cls.env["village.care.tag"].create({"name": "Test outage care"})
        cls.env["village.inquiry.rule"].create(
            {
                "name": "Test household call",
                "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
                "target": "household",
                "care_tag_ids": [Command.set(cls.tag.ids)],
            }
        )
        # household_a1 (group of A1): no smartphone known -> reached
        cls.household_a1.phone = "+86 20 1111 0001"
        cls.son_a1 = Partner.create(
            {"name": "Test Son A1", "parent_id": cls.household_a1.id, "phone": "+86 139 0000 0001"}
        )
        cls.smart_a1 = Partner.create(
            {"name": "Test Smart A1", "village_parent_id": cls.village_a1.id, "village_has_smartphone": True}
        )
        cls.cared_a1 = Partner.create(
            {
                "name": "Test Cared A1",
                "village_parent_id": cls.village_a1.id,
                "village_has_smartphone": True,
                "care_tag_ids": [Command.set(cls.tag.ids)],
            }
        )
        cls.household_a2 = Partner.create({"name": "Test Household A2-01", "village_parent_id": cls.village_a2.id})
        cls.smart_a2 = Partner.create(
            {"name": "Test Smart A2", "village_parent_id": cls.village_a2.id, "village_has_smartphone": True}
        )
        ChatGroup = cls.env["village.chat.group"]
        cls.group_a1 = ChatGroup.create({"name": "Test WeChat A1", "village_ids": [Command.set(cls.village_a1.ids)]})
        cls.group_a12 = ChatGroup.create(
            {"name": "Test WeChat A1+A2", "village_ids": [Command.set((cls.village_a1 | cls.village_a2).ids)]}
        )
        cls.group_b1 = ChatGroup.create({"name": "Test WeChat B1", "village_ids": [Command.set(cls.village_b1.ids)]})
        cls.start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)

    def _notice(self, user=None, **vals):
        return (
            self.env["village.outage.notice"]
            .with_user(user or self.head_a)
            .create(
                {
                    "kind": "planned",
                    "station_id": self.station_a.id,
                    "date_start": self.start,
                    "date_end": self.start + timedelta(hours=6),
                    "reason": "Test line maintenance",
                    "village_ids": [Command.set((self.village_a1 | self.village_a2).ids)],
                    **vals,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestOutageNotice(OutageCase):
    def test_one_reach_line_per_qualifying_household(self):
        notice = self._notice()
        notice.action_notify()
        self.assertEqual(notice.state, "notified")
        reaches = notice.sudo().reach_ids
        self.assertEqual(reaches.partner_id, self.household_a1 | self.cared_a1 | self.household_a2)
        self.assertEqual(len(reaches), 3)
        by_partner = {reach.partner_id: reach for reach in reaches}
        self.assertEqual(by_partner[self.household_a1].user_id, self.manager_a)
        self.assertEqual(by_partner[self.household_a2].user_id, self.manager_a2)
        self.assertEqual(by_partner[self.household_a1].channel, "phone")
        self.assertEqual(by_partner[self.household_a2].channel, "visit")  # no number to call
        start_day = self.env["village.service.area"]._local_day(notice.date_start)
        call = self.env.ref("mail.mail_activity_data_call")
        for reach in reaches:
            self.assertEqual(len(reach.activity_ids), 1)
            self.assertEqual(reach.activity_ids.activity_type_id, call)
            self.assertEqual(reach.activity_ids.user_id, reach.user_id)
            self.assertLess(reach.activity_ids.date_deadline, start_day)
        # notifying again creates nothing twice
        notice.action_notify()
        self.assertEqual(notice.sudo().reach_ids, reaches)
        self.assertEqual(len(notice.sudo().post_ids), 2)
        self.assertEqual(len(reaches.activity_ids), 3)
        self.assertEqual(notice.reach_count, 3)
        self.assertEqual(notice.unreached_count, 3)

    def test_a_rule_requiring_all_its_tags(self):
        """A household with a smartphone is reached for its care tags as the
        rules select them: any one, or all of a rule's tags."""
        Tag = self.env["village.care.tag"]
        alone, sick = Tag.create({"name": "Test alone"}), Tag.create({"name": "Test sick"})
        self.env["village.inquiry.rule"].create(
            {
                "name": "Test all tags",
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "target": "household",
                "care_tag_match": "all",
                "care_tag_ids": [Command.set((alone | sick).ids)],
            }
        )
        Partner = self.env["res.partner"]
        one = Partner.create(
            {
                "name": "Test One Tag A1",
                "village_parent_id": self.village_a1.id,
                "village_has_smartphone": True,
                "care_tag_ids": [Command.set(alone.ids)],
            }
        )
        both = Partner.create(
            {
                "name": "Test Both Tags A1",
                "village_parent_id": self.village_a1.id,
                "village_has_smartphone": True,
                "care_tag_ids": [Command.set((alone | sick).ids)],
            }
        )
        notice = self._notice()
        notice.action_notify()
        reached = notice.sudo().reach_ids.partner_id
        self.assertIn(both, reached)
        self.assertNotIn(one, reached)
        self.assertIn(self.cared_a1, reached)  # the other rule takes any of its tags

    def test_household_relatives_and_smartphone(self):
        """Item 1: a household not known to have a smartphone is reached; the
        account manager adds its relatives to call from the household form."""
        household = (
            self.env["res.partner"]
            .with_user(self.manager_a)
            .create({"name": "Test New Household A1", "village_parent_id": self.village_a1.id})
        )
        self.assertFalse(household.village_has_smartphone)
        household.write(
            {
                "village_relative_ids": [
                    Command.create(
                        {"name": "Test Daughter", "village_relation": "daughter, works in Guangzhou", "phone": "138"}
                    )
                ]
            }
        )
        self.assertEqual(household.village_relative_ids.village_relation, "daughter, works in Guangzhou")
        self.assertEqual(household._village_phones(), ["138"])
        # linking someone else's contact as a relative is refused (it would move them)
        with self.assertRaises(UserError):
            household.write({"village_relative_ids": [Command.link(self.smart_a1.id)]})
        notice = self._notice(village_ids=[Command.set(self.village_a1.ids)])
        notice.action_notify()
        reach = notice.sudo().reach_ids.filtered(lambda r: r.partner_id == household)
        self.assertEqual(reach.channel, "phone", "a relative's number is a number to call")
        self.assertNotIn(household.village_relative_ids, notice.sudo().reach_ids.partner_id)

    def test_texts_per_group(self):
        notice = self._notice()
        notice.action_notify()
        posts = notice.sudo().post_ids
        self.assertEqual(posts.chat_group_id, self.group_a1 | self.group_a12)
        text = {post.chat_group_id: post.text for post in posts}
        self.assertIn(self.group_a1.name, text[self.group_a1])
        self.assertIn(self.village_a1.name, text[self.group_a1])
        self.assertNotIn(self.village_a2.name, text[self.group_a1])
        self.assertIn(self.village_a2.name, text[self.group_a12])
        self.assertIn("Test line maintenance", text[self.group_a12])
        local_start = self.env["village.service.area"]._moment_shown(notice.date_start)
        self.assertIn(local_start, text[self.group_a1])
        self.assertEqual(set(posts.mapped("state")), {"manual"})  # no robot: copied by hand

    def test_restoration_reaches_the_same_households(self):
        notice = self._notice()
        notice.action_notify()
        restored = self._notice(
            kind="restored",
            village_ids=[Command.clear()],
            restored_from_id=notice.id,
            date_start=self.start + timedelta(hours=6),
            date_end=False,
        )
        restored.action_notify()
        self.assertEqual(restored.sudo().reach_ids.partner_id, notice.sudo().reach_ids.partner_id)
        self.assertEqual(restored.sudo().post_ids.chat_group_id, self.group_a1 | self.group_a12)

    def test_roles(self):
        notice = self._notice()
        with self.assertRaises(AccessError):
            notice.with_user(self.manager_a).action_notify()
        with self.assertRaises(AccessError):
            notice.with_user(self.head_b).action_notify()
        self.assertFalse(self.env["village.outage.notice"].with_user(self.manager_b).search([("id", "=", notice.id)]))
        self.assertTrue(self.env["village.outage.notice"].with_user(self.manager_a).search([("id", "=", notice.id)]))
        with self.assertRaises(AccessError):
            self._notice(user=self.manager_a)
        # a station head links no village of another station
        with self.assertRaises(AccessError):
            self._notice(user=self.head_b)
        with self.assertRaises(AccessError):
            self._notice(user=self.head_b, station_id=self.station_b.id)
        self.assertEqual(notice.state, "draft")

    def test_mark_reached(self):
        notice = self._notice()
        notice.action_notify()
        reach_a1 = notice.sudo().reach_ids.filtered(lambda r: r.partner_id == self.household_a1)
        reach_a2 = notice.sudo().reach_ids.filtered(lambda r: r.partner_id == self.household_a2)
        # another village's manager does not see the line
        with self.assertRaises(AccessError):
            reach_a1.with_user(self.manager_a2).action_reached()
        with self.assertRaises(AccessError):
            reach_a1.with_user(self.manager_b).action_reached()
        reach_a1.with_user(self.manager_a).action_reached()
        self.assertEqual(reach_a1.state, "reached")
        self.assertEqual(reach_a1.reached_by_id, self.manager_a)
        self.assertFalse(reach_a1.activity_ids, "the call activity is done")
        reach_a2.with_user(self.head_a).action_unreachable()
        self.assertEqual(reach_a2.state, "unreachable")
        with self.assertRaises(UserError):
            reach_a1.with_user(self.manager_a).action_unreachable()
        # the figures with the reader's rights
        self.assertEqual(notice.with_user(self.head_a).reach_rate, 1 / 3)
        self.assertEqual(notice.with_user(self.head_a).unreached_count, 1)
        self.env.invalidate_all()  # a new request of another user
        self.assertEqual(notice.with_user(self.manager_a).reach_count, 2)  # the lines of A1
        self.assertEqual(notice.with_user(self.manager_a).reach_rate, 1 / 2)
        unreached_a = self.env["village.outage.notice"]._unreached_domain(self.station_a)
        unreached = self.env["village.outage.reach"].with_user(self.head_a).search(unreached_a)
        self.assertEqual(unreached.partner_id, self.cared_a1)
        self.assertFalse(self.env["village.outage.reach"].with_user(self.manager_b).search(unreached_a))

    def test_reach_on_dashboard_work_list_and_weekly_report(self):
        notice = self._notice()
        notice.action_notify()
        notice.sudo().reach_ids.filtered(lambda r: r.partner_id == self.cared_a1).with_user(
            self.manager_a
        ).action_reached()
        # the dashboard: households still to reach, as each reader may see them
        self.env.invalidate_all()
        self.assertEqual(self.station_a.with_user(self.head_a).dash_unreached, 2)
        self.env.invalidate_all()
        self.assertEqual(self.station_a.with_user(self.manager_a).dash_unreached, 1)  # village A1's line
        self.env.invalidate_all()
        self.assertEqual(self.station_a.with_user(self.bureau_user).dash_unreached, 2)
        # the morning work list of each account manager
        day = self.env["village.service.area"]._today()
        for user, household in ((self.manager_a, self.household_a1), (self.manager_a2, self.household_a2)):
            sections = self.env["village.today"].with_user(user)._work_list_sections(day)
            lines = next(s["lines"] for s in sections if s["name"] == "households_to_reach")
            self.assertEqual([line["name"] for line in lines], [household.name], user.login)
        # the weekly report of the period the outage starts in
        start_day = self.env["village.service.area"]._local_day(notice.date_start)
        Report = self.env["report.village_service.report_weekly_station"].with_user(self.head_a)
        (report,) = Report._weekly_values(self.station_a, start_day - timedelta(days=6), start_day)
        self.assertEqual(report["outage_notices"], notice)
        self.assertEqual((notice.reach_count, notice.unreached_count), (3, 2))
        (report,) = Report._weekly_values(self.station_a, start_day - timedelta(days=13), start_day - timedelta(days=7))
        self.assertFalse(report["outage_notices"])

    def test_forged_state_refused(self):
        notice = self._notice()
        with self.assertRaises(UserError):
            notice.write({"state": "notified"})
        notice.action_notify()
        reach = notice.sudo().reach_ids[:1].with_user(self.manager_a)
        with self.assertRaises(UserError):
            reach.write({"state": "reached"})
        with self.assertRaises(UserError):  # the links are Notify's; nor may a manager create lines
            self.env["village.outage.reach"].with_user(self.manager_a).create(
                {"notice_id": notice.id, "partner_id": self.smart_a1.id, "village_id": self.village_a1.id}
            )


class _Robot(BaseHTTPRequestHandler):
    """A WeCom group robot on the loopback: answers what `replies` says, in order."""

    replies = []
    bodies = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).bodies.append(json.loads(body))
        status, answer, delay = type(self).replies.pop(0) if type(self).replies else (200, {"errcode": 0}, 0)
        if delay:
            time.sleep(delay)
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timeout)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestOutageWebhook(OutageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _Robot)
        cls.server.daemon_threads = True
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.port = cls.server.server_address[1]
        cls.group_a1.wecom_webhook_url = f"http://127.0.0.1:{cls.port}/cgi-bin/webhook/send?key=test"

    @classmethod
    def _request_handler(cls, s, r, **kw):
        # the loopback robot, with the job's own timeout (the test base raises it to 10 s)
        if urlsplit(r.url).port == cls.port:
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        _Robot.replies = []
        _Robot.bodies = []

    def _run_job(self):
        cron = self.env.ref("village_service.ir_cron_village_outage_post")
        with (
            patch.object(village_outage_notice, "WEBHOOK_TIMEOUT", 0.5),
            mute_logger("odoo.addons.village_service.models.village_outage_notice"),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def _notified(self):
        cron = self.env.ref("village_service.ir_cron_village_outage_post")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        notice = self._notice()
        notice.action_notify()
        # the job is triggered to post soon; Notify itself posts nothing
        self.assertGreater(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), triggers)
        self.assertFalse(_Robot.bodies)
        post = notice.sudo().post_ids.filtered(lambda p: p.chat_group_id == self.group_a1)
        self.assertEqual(post.state, "pending")
        return notice, post

    def test_posted_with_the_documented_body(self):
        notice, post = self._notified()
        self._run_job()
        self.assertEqual(post.state, "posted")
        self.assertEqual(_Robot.bodies, [{"msgtype": "markdown", "markdown": {"content": post.text}}])
        # the group without a robot is not posted
        other = notice.sudo().post_ids - post
        self.assertEqual(other.state, "manual")
        self._run_job()
        self.assertEqual(len(_Robot.bodies), 1, "a posted text is not posted again")

    def test_error_500_timeout_and_errcode_are_retried(self):
        notice, post = self._notified()
        _Robot.replies = [
            (500, {"errmsg": "busy"}, 0),
            (200, {"errcode": 45009, "errmsg": "api freq out of limit"}, 0),
            (200, {"errcode": 0}, 1.5),  # answers after the job's timeout
        ]
        for attempt, error in enumerate(("HTTP 500", "errcode 45009", "timed out"), start=1):
            self._run_job()
            self.assertEqual(notice.state, "notified")
            self.assertEqual(post.state, "pending")
            self.assertEqual(post.attempts, attempt)
            self.assertIn(error, post.last_error)
        self._run_job()
        self.assertEqual(post.state, "posted")
        self.assertEqual(len(_Robot.bodies), 4)

    def test_gives_up_after_the_attempts(self):
        notice, post = self._notified()
        _Robot.replies = [(500, {}, 0)] * village_outage_notice.WEBHOOK_MAX_ATTEMPTS
        for _attempt in range(village_outage_notice.WEBHOOK_MAX_ATTEMPTS):
            self._run_job()
        self.assertEqual(post.state, "failed")
        self._run_job()
        self.assertEqual(len(_Robot.bodies), village_outage_notice.WEBHOOK_MAX_ATTEMPTS)
        self.assertEqual(notice.state, "notified")


@tagged("post_install", "-at_install")
class TestOutageRpc(VillageRpcMixin, HttpCase, OutageCase):
    def test_forged_and_foreign_calls_refused(self):
        notice = self._notice()
        self.authenticate("vs_head_b", "vs_head_b")
        self.assertRefused(self.rpc("village.outage.notice", "action_notify", [notice.id]))
        self.assertRefused(self.rpc("village.outage.notice", "read", [notice.id], ["name"]))
        self.authenticate("vs_manager_a", "vs_manager_a")
        self.assertRefused(self.rpc("village.outage.notice", "action_notify", [notice.id]))
        self.authenticate("vs_head_a", "vs_head_a")
        self.assertRefused(self.rpc("village.outage.notice", "write", [notice.id], {"state": "notified"}))
        self.assertEqual(notice.state, "draft")
        reply = self.rpc("village.outage.notice", "action_notify", [notice.id])
        self.assertNotIn("error", reply, reply.get("error"))
        reach = notice.sudo().reach_ids.filtered(lambda r: r.partner_id == self.household_a1)
        self.authenticate("vs_manager_a", "vs_manager_a")
        self.assertRefused(self.rpc("village.outage.reach", "write", [reach.id], {"state": "reached"}))
        self.assertRefused(self.rpc("village.outage.reach", "write", [reach.id], {"reached_by_id": self.manager_a.id}))
        self.assertRefused(
            self.rpc(
                "village.outage.reach",
                "create",
                {"notice_id": notice.id, "partner_id": self.smart_a1.id, "village_id": self.village_a1.id},
            )
        )
        self.env.invalidate_all()
        self.assertEqual(reach.state, "pending")
        self.authenticate("vs_manager_a2", "vs_manager_a2")
        self.assertRefused(self.rpc("village.outage.reach", "action_reached", [reach.id]))
        self.env.invalidate_all()
        self.assertEqual(reach.state, "pending")


@tagged("post_install", "-at_install")
class TestOutageTour(HttpCase, OutageCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_account_manager_marks_a_household_reached(self):
        notice = self._notice()
        notice.action_notify()
        self.start_tour(
            f"/odoo/action-village_service.village_outage_notice_action/{notice.id}",
            "village_service_outage_reach",
            login=self.manager_a.login,
        )
        reach = notice.sudo().reach_ids.filtered(lambda r: r.partner_id == self.household_a1)
        self.assertEqual(reach.state, "reached")
        self.assertEqual(reach.reached_by_id, self.manager_a)
