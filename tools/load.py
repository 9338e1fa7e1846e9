"""`make load`: concurrency on a real server.

Starts Odoo with --workers=2 on loopback, then N JSON-RPC clients for a
bounded time: account managers log meetings and problems and record
rectifications, station heads close rectified problems out (competing for
the same ones). Afterwards: every write a client got an id back for exists,
no 5xx, no problem closed out twice. Prints throughput and p50/p95 latency.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import date, timedelta

MANAGERS = ["manager.tucheng1", "manager.tucheng2", "manager.xijiu1", "manager.xijiu2", "manager.sangmu1"]
HEADS = ["head.tucheng", "head.xijiu", "head.sangmu"]
DEADLINE = str(date.today() + timedelta(days=3))


class Client:
    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.uid = self.call("common", "login", db, login, login)
        self.latencies, self.errors, self.status = [], Counter(), Counter()

    def call(self, service, method, *args):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
        ).encode()
        request = urllib.request.Request(f"{self.url}/jsonrpc", body, {"Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, payload = response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            status, payload = error.code, {"error": {"message": str(error)}}
        if hasattr(self, "latencies"):
            self.latencies.append(time.perf_counter() - started)
            self.status[status // 100 * 100] += 1
        if "error" in payload:
            raise RuntimeError(payload["error"].get("data", {}).get("name") or payload["error"]["message"])
        return payload["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.call("object", "execute_kw", self.db, self.uid, self.login, model, method, list(args), kwargs)


def manager_loop(client, deadline, created):
    villages = client.execute(
        "res.partner", "search", [("village_manager_id", "=", client.uid), ("village_kind", "!=", False)]
    )
    while time.time() < deadline and villages:
        village = random.choice(villages)
        try:
            meeting = client.execute("village.meeting", "create", {"village_id": village, "kind": "courtyard"})
            created["meetings"].append(meeting)
            ticket = client.execute(
                "helpdesk.ticket",
                "create",
                {
                    "name": f"Load {client.login} {time.time():.3f}",
                    "description": "load",
                    "village_id": village,
                    "partner_id": village,
                    "meeting_id": meeting,
                },
            )
            created["tickets"].append(ticket)
            client.execute(
                "helpdesk.ticket",
                "write",
                [ticket],
                {
                    "rectification_measure": "Fix on site",
                    "rectification_deadline": str(date.today() + timedelta(days=3)),
                },
            )
            client.execute("helpdesk.ticket", "action_rectify", [ticket])
        except RuntimeError as error:
            client.errors[str(error)[:80]] += 1


def head_loop(client, deadline, created):
    while time.time() < deadline:
        try:
            ids = client.execute(
                "helpdesk.ticket", "search", [("closeout_state", "=", "rectified"), ("name", "like", "Load ")], limit=5
            )
            if not ids:
                time.sleep(0.2)
                continue
            ticket = random.choice(ids)
            wizard = client.execute("helpdesk.ticket.closeout", "create", {"ticket_ids": [(6, 0, [ticket])]})
            client.execute("helpdesk.ticket.closeout", "action_confirm", [wizard])
            created["closed"].append(ticket)
        except RuntimeError as error:  # e.g. a colleague closed it out first
            client.errors[str(error)[:80]] += 1


def check(checker, clients, created, elapsed):
    """Compare what the clients got back with the database; print the figures."""
    meetings = checker.execute("village.meeting", "search_count", [("id", "in", created["meetings"])])
    tickets = checker.execute("helpdesk.ticket", "search_count", [("id", "in", created["tickets"])])
    closed = checker.execute(
        "helpdesk.ticket", "search_read", [("id", "in", created["closed"])], ["closeout_state", "stage_id"]
    )
    closeouts = checker.execute(
        "mail.message",
        "search_read",
        [
            ("model", "=", "helpdesk.ticket"),
            ("res_id", "in", created["closed"]),
            ("tracking_value_ids.field_id.name", "=", "closeout_state"),
            ("tracking_value_ids.new_value_char", "=", "Closed Out"),
        ],
        ["res_id"],
    )
    per_ticket = Counter(message["res_id"] for message in closeouts)
    latencies = sorted(lat for c in clients for lat in c.latencies)
    status = sum((c.status for c in clients), Counter())
    errors = sum((c.errors for c in clients), Counter())
    requests = len(latencies)
    print(f"clients {len(clients)}, {elapsed:.1f} s, {requests} requests, {requests / elapsed:.1f} req/s")
    print(
        f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
    print(
        f"meetings created {len(created['meetings'])}, found {meetings}; "
        f"problems created {len(created['tickets'])}, found {tickets}; closed out {len(closed)}"
    )
    print(f"HTTP status {dict(status)}; refused (expected when two heads compete): {dict(errors)}")
    failures = []
    if meetings != len(created["meetings"]) or tickets != len(created["tickets"]):
        failures.append("lost writes")
    if any(code >= 500 for code in status):
        failures.append("5xx responses")
    if len(set(created["closed"])) != len(created["closed"]):
        failures.append("a problem closed out twice")
    if any(t["closeout_state"] != "closed" for t in closed):
        failures.append("a closed-out problem is not closed")
    if any(count > 1 for count in per_ticket.values()):
        failures.append("a close-out recorded twice in a chatter")
    if not created["tickets"] or not created["closed"]:
        failures.append("no work done")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()

    url = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            args.conf,
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--workers=2",
            "--max-cron-threads=0",
            f"--http-port={args.port}",
            "--http-interface=127.0.0.1",
            "--log-level=warn",
            "--limit-time-real=120",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(os.path.dirname(args.conf), "load-server.log"), "w"),
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/web/login", timeout=5)
                break
            except OSError:
                time.sleep(1)
        logins = [MANAGERS[n % len(MANAGERS)] for n in range(args.clients - len(HEADS))] + HEADS
        clients = [Client(url, args.db, login) for login in logins]
        created = {"meetings": [], "tickets": [], "closed": []}
        deadline = time.time() + args.seconds
        threads = [
            threading.Thread(target=head_loop if c.login in HEADS else manager_loop, args=(c, deadline, created))
            for c in clients
        ]
        started = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - started

        failures = check(Client(url, args.db, "admin"), clients, created, elapsed)
        print("load: FAILED: " + ", ".join(failures) if failures else "load: OK")
        return 1 if failures else 0
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    sys.exit(main())
