"""Two processes sending the digests at the same moment send each email once.

    python tools/digest_concurrency.py CONFIG TEMPLATE_DATABASE

Two copies of TEMPLATE_DATABASE (the demo county that `make test` installed)
get forty more account managers, each with an overdue problem, and an outgoing
mail server on loopback. In the first copy one process runs the daily work
lists and the weekly station reports; in the second, two Odoo processes run
them at the same instant, each as "Run Manually" does (`method_direct_trigger`,
the same lock on the job as the scheduler's): the one that comes second finds
the job running and is refused, or finds its periods sent. Then the queued
mails of each copy go through a real SMTP server (aiosmtpd) and the two
inboxes must be the same: every recipient, every subject, each exactly once."""

import collections
import email
import email.policy
import logging
import os
import socket
import subprocess
import sys
import time

import psycopg2
from psycopg2 import sql

EXTRA_MANAGERS = 40
WORKERS = 2
WORKER_UIDS = [1, 2]  # OdooBot (the scheduler's user) and the administrator
JOBS = {
    "village_service.ir_cron_village_work_list": "work_list",
    "village_service.ir_cron_village_weekly_report": "weekly_report",
}


def _admin(query, *names):
    """A statement on the server (CREATE/DROP DATABASE), names quoted as identifiers."""
    conn = psycopg2.connect(
        host="127.0.0.1", port=os.environ.get("PGPORT", "54329"), user="odoo", password="odoo", dbname="postgres"
    )
    conn.autocommit = True
    try:
        conn.cursor().execute(sql.SQL(query).format(*map(sql.Identifier, names)))
    finally:
        conn.close()


def _odoo_env(conf, db, uid=1):
    """(cursor, env) in superuser mode as `uid`, in a process of its own."""
    import odoo  # noqa: PLC0415 -- loaded only in the worker processes
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    registry = Registry(db)
    cr = registry.cursor()
    return cr, api.Environment(cr, uid, {}, su=True)


def setup(conf, db, smtp_port):
    cr, env = _odoo_env(conf, db)
    with cr:
        params = env["ir.config_parameter"].sudo()
        params.set_param("village_service.work_list_enabled", "1")
        params.set_param("village_service.weekly_report_enabled", "1")
        env["village.digest.run"].search([]).unlink()
        env["mail.mail"].search([]).unlink()
        env["ir.mail_server"].search([]).active = False
        env["ir.mail_server"].create(
            {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": smtp_port, "smtp_encryption": "none"}
        )
        station = env.ref("village_service.team_station_xijiu_demo")
        township = env["res.partner"].search([("village_kind", "=", "township")], limit=1)
        group = env.ref("village_service.group_village_user")
        today = env["village.service.area"]._today()
        for n in range(EXTRA_MANAGERS):
            user = env["res.users"].create(
                {
                    "name": f"Account Manager {n:02d}",
                    "login": f"race_manager_{n:02d}",
                    "email": f"race_manager_{n:02d}@example.com",
                    "group_ids": [(4, group.id)],
                }
            )
            station.user_ids = [(4, user.id)]
            village = env["res.partner"].create(
                {
                    "name": f"Race Village {n:02d}",
                    "is_company": True,
                    "village_kind": "village",
                    "village_parent_id": township.id,
                    "village_station_id": station.id,
                    "village_manager_id": user.id,
                }
            )
            env["helpdesk.ticket"].create(
                {
                    "name": f"Leaning pole {n:02d}",
                    "description": "x",
                    "village_id": village.id,
                    "rectification_measure": "Straighten the pole",
                    "rectification_deadline": today,  # on their work list: due today
                }
            )
        cr.commit()


class _ErrorCount(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def work(conf, db, start_at, uid):
    from odoo.exceptions import UserError  # noqa: PLC0415

    cr, env = _odoo_env(conf, db, uid)
    # a send that failed is logged and left pending for the other worker to
    # send: the inboxes would still match, so any error fails the worker
    errors = _ErrorCount()
    logging.getLogger().addHandler(errors)
    with cr:
        time.sleep(max(0.0, start_at - time.time()))
        # as the scheduler does: run the job again while it reports rows left
        # (a run stops after ir.cron's time slice); wait while another holds it
        for xmlid, kind in JOBS.items():
            ran = refused = 0
            while ran + refused < 1000:
                try:
                    env.ref(xmlid).method_direct_trigger()
                    ran += 1
                except UserError:  # "already executing": the other worker holds the job
                    refused += 1
                    time.sleep(0.2)
                    continue
                finally:
                    cr.commit()
                cr.execute("SELECT count(*) FROM village_digest_run WHERE kind = %s AND state = 'pending'", [kind])
                if not cr.fetchone()[0]:
                    break
            print(f"{kind}: ran {ran}, refused {refused}", flush=True)
    if errors.count:
        sys.exit(f"digests: worker {uid} logged {errors.count} errors")


def deliver(conf, db):
    cr, env = _odoo_env(conf, db)
    with cr:
        env["mail.mail"].process_email_queue()
        cr.commit()
        cr.execute("SELECT count(*) FROM village_digest_run WHERE state = 'pending'")
        if cr.fetchone()[0]:
            sys.exit(f"{db}: digest rows left pending")
        cr.execute("SELECT email_to, failure_reason FROM mail_mail WHERE state != 'sent'")
        unsent = cr.fetchall()
        if unsent:
            sys.exit(f"{db}: {len(unsent)} mails not sent, e.g. {unsent[:3]}")


class _Inbox:
    def __init__(self):
        self.received = collections.Counter()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        for rcpt in envelope.rcpt_tos:
            self.received[(rcpt, str(message["subject"]))] += 1
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _step(*args):
    subprocess.run([sys.executable, __file__, *map(str, args)], check=True)


def main(conf, template):
    from aiosmtpd.controller import Controller  # noqa: PLC0415

    inboxes = {}
    for label, workers in (("once", 1), ("race", WORKERS)):
        db = f"{template}_digest_{label}"
        _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", db)
        _admin("CREATE DATABASE {} TEMPLATE {}", db, template)
        inbox = inboxes[label] = _Inbox()
        smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
        smtp.start()
        try:
            _step("setup", conf, db, smtp.port)
            start_at = time.time() + 15  # both processes loaded and waiting
            procs = [
                subprocess.Popen(
                    [sys.executable, __file__, "work", conf, db, str(start_at), str(uid)],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for uid in WORKER_UIDS[:workers]
            ]
            outputs = [proc.communicate()[0] for proc in procs]
            if any(proc.returncode for proc in procs):
                sys.exit(f"digests: a worker failed ({[proc.returncode for proc in procs]})")
            results = [line for output in outputs for line in output.splitlines() if ": ran " in line]
            print(f"  {db}: {results}")
            if workers > 1 and all(line.endswith("refused 0") for line in results):
                sys.exit(f"{db}: no worker found a job running; no race was tested")
            _step("deliver", conf, db)
        finally:
            smtp.stop()
        _admin("DROP DATABASE {} WITH (FORCE)", db)
    once, race = inboxes["once"].received, inboxes["race"].received
    twice = {key: n for key, n in race.items() if n > 1}
    print(
        f"digests: one process sent {sum(once.values())} emails (digests and notifications), "
        f"{WORKERS} processes at once sent {sum(race.values())} ({len(twice)} twice)"
    )
    if twice or once != race or len(once) <= EXTRA_MANAGERS:
        for key in sorted(set(once) | set(race)):
            if once[key] != race[key]:
                print(f"  {key}: once {once[key]}, race {race[key]}")
        sys.exit("digests: two processes did not send the same emails exactly once")
    print("digests: OK, the same emails, each once")


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "setup":
        setup(rest[0], rest[1], int(rest[2]))
    elif command == "work":
        work(rest[0], rest[1], float(rest[2]), int(rest[3]))
    elif command == "deliver":
        deliver(rest[0], rest[1])
    else:
        main(command, *rest)
