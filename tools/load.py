"""`make load`: concurrency on a real server.

Starts Odoo with --workers=2 on loopback, then N JSON-RPC clients for a
bounded time: account managers log meetings and problems and record
rectifications, station heads close rectified problems out (competing for
the same ones). Afterwards: every write a client got an id back for exists,
no 5xx, no problem closed out twice. Prints throughput and p50/p95 latency.

`--mix day` is a county's day as the web client sends it (a session and
/web/dataset/call_kw, the only RPC path Odoo serves from a replica; /jsonrpc
always uses the primary): account managers open the today screen, the
problem list and a problem's form before logging a meeting and a problem;
station heads open the dashboard, the close-out pivot, the list, and print
the weekly report or the ledger now and then, and close problems out.
`--workers N` and `--replica-port P` (a hot standby, tools/replica.sh) vary
the server; the server log tells how many requests ran on the replica.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
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


class WebClient(Client):
    """A user of the web client: a session cookie, /web/dataset/call_kw (on
    the replica for readonly methods), report URLs."""

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.uid = self.post("/web/session/authenticate", {"db": db, "login": login, "password": login})["uid"]
        self.latencies, self.errors, self.status = [], Counter(), Counter()
        self.specs = {}

    def _timed(self, request):
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
        if hasattr(self, "latencies"):
            self.latencies.append(time.perf_counter() - started)
            self.status[status // 100 * 100] += 1
        return status, body

    def post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
        status, body = self._timed(urllib.request.Request(self.url + path, body, {"Content-Type": "application/json"}))
        payload = json.loads(body) if status == 200 else {"error": {"message": f"HTTP {status}"}}
        if "error" in payload:
            raise RuntimeError(payload["error"].get("data", {}).get("name") or payload["error"]["message"])
        return payload["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.post(
            f"/web/dataset/call_kw/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, path):
        status, body = self._timed(urllib.request.Request(self.url + path))
        if status != 200:
            raise RuntimeError(f"HTTP {status} on {path.split('?')[0]}")
        return body

    def spec(self, model, view_type):
        """What the web client reads for a view: its fields, the relations'
        display names (from get_views, once per client like the web client)."""
        if (model, view_type) not in self.specs:
            views = self.execute(model, "get_views", [[False, view_type]])
            arch = views["views"][view_type]["arch"]
            fields = views["models"][model]["fields"]
            spec = {}
            for name in re.findall(r'<field name="(\w+)"', arch):
                if name in fields and name not in spec:
                    relational = fields[name]["type"] in ("many2one", "many2many", "one2many")
                    spec[name] = {"fields": {"display_name": {}}} if relational else {}
            self.specs[model, view_type] = spec
        return self.specs[model, view_type]


def browse_as_manager(client):
    """The reads of an account manager's round: the today screen, the
    problem list, one problem's form."""
    client.execute("village.today", "get_today")
    page = client.execute(
        "helpdesk.ticket", "web_search_read", [], client.spec("helpdesk.ticket", "list"), limit=80, count_limit=10001
    )
    if page["records"]:
        ticket = random.choice(page["records"])["id"]
        client.execute("helpdesk.ticket", "web_read", [ticket], client.spec("helpdesk.ticket", "form"))


def browse_as_head(client, stations, rounds):
    """The reads of a station head's round: the dashboard, the close-out
    pivot, the problem list; every fifth round the weekly report (HTML) or
    the close-out ledger (XLSX) of their stations."""
    if "dashboard" not in client.specs:  # the dashboard's figures (its kanban shows them all)
        names = client.execute("helpdesk.ticket.team", "fields_get", [], ["type"])
        client.specs["dashboard"] = {"name": {}, **{name: {} for name in names if name.startswith("dash_")}}
    client.execute("helpdesk.ticket.team", "web_search_read", [("id", "in", stations)], client.specs["dashboard"])
    client.execute("village.closeout.report", "formatted_read_group", [], ["station_id", "closeout_state"], ["__count"])
    client.execute(
        "helpdesk.ticket", "web_search_read", [], client.spec("helpdesk.ticket", "list"), limit=80, count_limit=10001
    )
    if rounds % 5 == 4:
        today = date.today()
        data = {"date_from": str(today - timedelta(days=6)), "date_to": str(today), "station_ids": stations}
        options = urllib.parse.quote(json.dumps(data))
        converter, report = random.choice([("html", "report_weekly_station"), ("xlsx", "closeout_ledger_xlsx")])
        client.get(f"/report/{converter}/village_service.{report}?options={options}")


def warm_up(clients):
    """One unmeasured round of reads per client, all at once: every worker
    has loaded the registry and the views, the database its pages, before
    the clock starts (each run starts a new server)."""

    def one(client):
        try:
            if client.login in HEADS:
                stations = client.execute(
                    "helpdesk.ticket.team", "search", [("is_station", "=", True), ("user_ids", "in", client.uid)]
                )
                browse_as_head(client, stations, 4)
            else:
                browse_as_manager(client)
        except RuntimeError as error:
            client.errors[str(error)[:80]] += 1

    threads = [threading.Thread(target=one, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.latencies, client.status = [], Counter()


def manager_day_loop(client, deadline, created):
    """manager_loop with the reads of a county's day before each write."""
    villages = client.execute(
        "res.partner", "search", [("village_manager_id", "=", client.uid), ("village_kind", "!=", False)]
    )
    while time.time() < deadline and villages:
        try:
            browse_as_manager(client)
        except RuntimeError as error:
            client.errors[str(error)[:80]] += 1
        log_meeting_and_problem(client, random.choice(villages), created)


def head_day_loop(client, deadline, created):
    """head_loop with the reads of a county's day between close-outs."""
    stations = client.execute(
        "helpdesk.ticket.team", "search", [("is_station", "=", True), ("user_ids", "in", client.uid)]
    )
    rounds = 0
    while time.time() < deadline:
        try:
            browse_as_head(client, stations, rounds)
        except RuntimeError as error:
            client.errors[str(error)[:80]] += 1
        rounds += 1
        close_out_one(client, created)


def manager_loop(client, deadline, created):
    villages = client.execute(
        "res.partner", "search", [("village_manager_id", "=", client.uid), ("village_kind", "!=", False)]
    )
    while time.time() < deadline and villages:
        log_meeting_and_problem(client, random.choice(villages), created)


def log_meeting_and_problem(client, village, created):
    """A meeting, a problem found there, its measure and its rectification."""
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
        close_out_one(client, created)


def close_out_one(client, created):
    """One of the rectified problems closed out (a colleague may be first)."""
    try:
        ids = client.execute(
            "helpdesk.ticket", "search", [("closeout_state", "=", "rectified"), ("name", "like", "Load ")], limit=5
        )
        # with a replica the search may read a standby a moment behind: not one this client closed out
        ids = [ticket for ticket in ids if ticket not in created["closed"]]
        if not ids:
            time.sleep(0.2)
            return
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


def cursor_modes(log_path):
    """Requests per cursor mode, from the request lines of the server's log
    (Odoo appends ro / rw / ro->rw to them when it has a replica)."""
    modes = Counter()
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if " werkzeug: " in line and '"' in line:
                last = line.rstrip().rsplit(" ", 1)[-1]
                modes[last if last in ("ro", "rw", "ro->rw") else "-"] += 1
    return modes


class CpuMeter:
    """CPU seconds spent for the run by the Odoo server (its workers) and by
    the PostgreSQL backends of the database on the primary and the replica:
    unlike requests/s, what a request costs does not depend on what else the
    (shared) machine runs."""

    def __init__(self, server_pid, db, ports):
        import psutil  # noqa: PLC0415 -- an Odoo requirement, in the venv
        import psycopg2  # noqa: PLC0415

        self.psutil, self.db = psutil, db
        self.server = psutil.Process(server_pid)
        self.postmasters = {}
        for name, (host, port, user, password) in ports.items():
            with psycopg2.connect(host=host, port=port, user=user, password=password, dbname=db) as cnx:
                cr = cnx.cursor()
                cr.execute("SELECT pg_backend_pid()")
                self.postmasters[name] = psutil.Process(cr.fetchone()[0]).ppid()
            cnx.close()

    def _processes(self):
        groups = {"odoo": [self.server, *self.server.children(recursive=True)]}
        for name, postmaster in self.postmasters.items():
            groups[name] = [p for p in self.psutil.Process(postmaster).children() if self._of_db(p)]
        return groups

    def _of_db(self, process):
        try:
            return self.db in " ".join(process.cmdline() or [])
        except self.psutil.Error:  # ended meanwhile
            return False

    def snapshot(self):
        times = {}
        for name, processes in self._processes().items():
            for process in processes:
                try:
                    cpu = process.cpu_times()
                    times[name, process.pid] = cpu.user + cpu.system
                except self.psutil.Error:
                    pass
        return times

    @staticmethod
    def spent(before, after):
        total = Counter()
        for (name, pid), seconds in after.items():
            total[name] += seconds - before.get((name, pid), 0.0)
        return total


def summary(args, clients, elapsed, failures, server):
    """One line for tools/load.sh's table."""
    latencies = sorted(lat for c in clients for lat in c.latencies)
    modes, cpu = server["modes"], server["cpu"] or {}
    on_replica = modes.get("ro", 0) / max(sum(modes.values()), 1)
    return json.dumps(
        {
            "label": args.label,
            "workers": args.workers,
            "replica": bool(args.replica_port),
            "requests": len(latencies),
            "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000),
            "on_replica": round(on_replica * 100),
            "ro_to_rw": modes.get("ro->rw", 0),
            "ok": not failures,
            # CPU ms per request: Odoo's workers, PostgreSQL's primary, its replica
            **{f"cpu_ms_{name}": round(seconds * 1000 / max(len(latencies), 1), 1) for name, seconds in cpu.items()},
        }
    )


def run_all(loops, clients, deadline, created):
    threads = [
        threading.Thread(target=loops["head" if c.login in HEADS else "manager"], args=(c, deadline, created))
        for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def cpu_meter(args, server):
    """A CpuMeter of the server and of the database's backends."""
    conf = dict(re.findall(r"^(db_\w+)\s*=\s*(.*?)\s*$", open(args.conf).read(), re.M))
    primary = (conf["db_host"], conf["db_port"], conf["db_user"], conf["db_password"])
    ports = {"primary": primary}
    if args.replica_port:
        ports["replica"] = (primary[0], args.replica_port, *primary[2:])
    return CpuMeter(server.pid, args.db, ports)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replica-port", type=int, help="a hot standby of the database's cluster on 127.0.0.1")
    parser.add_argument("--mix", choices=["field", "day"], default="field", help="field: the writes only (JSON-RPC)")
    parser.add_argument("--label", default="", help="names the run on its summary line")
    return parser.parse_args()


def main():
    args = parse_args()

    url = f"http://127.0.0.1:{args.port}"
    replica = ["--db_replica_host=127.0.0.1", f"--db_replica_port={args.replica_port}"] if args.replica_port else []
    log_path = os.path.join(os.path.dirname(args.conf), f"load-server{'-' + args.label if args.label else ''}.log")
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
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            f"--http-port={args.port}",
            "--http-interface=127.0.0.1",
            "--log-level=warn",
            "--log-handler=werkzeug:INFO",  # a line per request, with its cursor mode
            "--limit-time-real=120",
            *replica,
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "w"),
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/web/login", timeout=5)
                break
            except OSError:
                time.sleep(1)
        logins = [MANAGERS[n % len(MANAGERS)] for n in range(args.clients - len(HEADS))] + HEADS
        if args.mix == "day":
            clients = [WebClient(url, args.db, login) for login in logins]
            loops = {"head": head_day_loop, "manager": manager_day_loop}
            warm_up(clients)
        else:
            clients = [Client(url, args.db, login) for login in logins]
            loops = {"head": head_loop, "manager": manager_loop}
        created = {"meetings": [], "tickets": [], "closed": []}
        meter = cpu_meter(args, server) if args.mix == "day" else None
        cpu_before = meter and meter.snapshot()
        deadline = time.time() + args.seconds
        started = time.time()
        run_all(loops, clients, deadline, created)
        elapsed = time.time() - started
        cpu = meter and CpuMeter.spent(cpu_before, meter.snapshot())
        if cpu:
            requests = sum(len(c.latencies) for c in clients)
            print(
                "CPU per request: "
                + ", ".join(f"{name} {seconds * 1000 / max(requests, 1):.0f} ms" for name, seconds in cpu.items())
            )

        failures = check(Client(url, args.db, "admin"), clients, created, elapsed)
        modes = cursor_modes(log_path)
        if args.replica_port:
            print(f"cursor modes of the requests: {dict(modes)} (ro: on the replica)")
            if modes.get("ro->rw"):
                failures.append("a readonly request wrote (ro->rw)")
        print("load: FAILED: " + ", ".join(failures) if failures else "load: OK")
        print("summary " + summary(args, clients, elapsed, failures, {"modes": modes, "cpu": cpu}))
        return 1 if failures else 0
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    sys.exit(main())
