import email
import email.policy
import socket
from unittest.mock import patch

from aiosmtpd.controller import Controller

from odoo.tests import tagged

from .digest_common import WEEKLY_MOMENT, WORK_LIST_MOMENT, DigestCase


class _Inbox:
    """aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestDigestSmtp(DigestCase):
    """The digests leave through the configured outgoing mail server: a real
    SMTP server on loopback receives them."""

    def setUp(self):
        super().setUp()
        self.inbox = _Inbox()
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=_free_port())
        self.smtp.start()
        self.addCleanup(self.smtp.stop)
        self.env["ir.mail_server"].search([]).active = False
        self.env["ir.mail_server"].create(
            {
                "name": "Loopback SMTP",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.smtp.port,
                "smtp_encryption": "none",
                "smtp_authentication": "login",
                "sequence": 1,
            }
        )

    def _deliver(self, mails):
        IrMailServer = type(self.env["ir.mail_server"])
        with patch.object(IrMailServer, "_disable_send", lambda *args: False):
            mails.send(raise_exception=True)
        self.assertEqual(set(mails.mapped("state")), {"sent"})
        return [
            email.message_from_bytes(env.original_content, policy=email.policy.default) for env in self.inbox.envelopes
        ]

    def test_digests_reach_the_smtp_server(self):
        self.env["ir.config_parameter"].set_param("village_service.weekly_report_extra_emails", "office@example.com")
        self._trigger(self.work_list_cron, WORK_LIST_MOMENT)
        self._trigger(self.weekly_cron, WEEKLY_MOMENT)
        ours = self.manager_a | self.manager_b | self.head_a
        runs = self._runs("work_list", self.manager_a) | self._runs("work_list", self.manager_b)
        runs |= self._runs("weekly_report", self.head_a)
        runs |= self._runs("weekly_report", email="office@example.com")
        self.assertEqual(len(runs), 4)
        messages = self._deliver(runs.mail_id)
        self.assertEqual(len(messages), 4)
        by_rcpt = {tuple(env.rcpt_tos): msg for env, msg in zip(self.inbox.envelopes, messages, strict=True)}
        self.assertEqual(set(by_rcpt), {(user.email,) for user in ours} | {("office@example.com",)})

        work_list = by_rcpt[(self.manager_a.email,)]
        self.assertEqual(work_list["Subject"], "Your work list of 05/05/2026")
        self.assertIn(self.manager_a.email, work_list["To"])
        html = work_list.get_body(("html",)).get_content()
        self.assertIn(self.overdue_a1.number, html)
        self.assertNotIn(self.due_b1.number, html)
        self.assertFalse(list(work_list.iter_attachments()))

        station_files = {
            "Weekly Station Report 2026-05-04 - 2026-05-10.pdf",
            "Close-out Ledger 2026-05-04 - 2026-05-10.xlsx",
        }
        # the extra recipients (set by the bureau) get the bureau's: the county report
        county_files = {
            "County Weekly Report 2026-05-04 - 2026-05-10.pdf",
            "County Weekly Report 2026-05-04 - 2026-05-10.xlsx",
            "Close-out Ledger 2026-05-04 - 2026-05-10.xlsx",
        }
        for recipient, files in (((self.head_a.email,), station_files), (("office@example.com",), county_files)):
            report = by_rcpt[recipient]
            self.assertEqual(report["Subject"], "Weekly station report 05/04/2026 – 05/10/2026")
            attachments = {part.get_filename(): part.get_content() for part in report.iter_attachments()}
            self.assertEqual(set(attachments), files)
            run = runs.filtered(lambda r, rcpt=recipient: (r.user_id.email or r.email,) == rcpt)
            sizes = {a.name: a.file_size for a in run.mail_id.attachment_ids}
            for name, content in attachments.items():
                self.assertEqual(len(content), sizes[name], name)
                self.assertGreater(len(content), 1000, name)
            for name in files:
                if name.endswith(".pdf"):
                    self.assertTrue(attachments[name].startswith(b"%PDF"), name)
            self.assertTrue(attachments["Close-out Ledger 2026-05-04 - 2026-05-10.xlsx"].startswith(b"PK"))
