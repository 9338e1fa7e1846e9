"""`make replica` (tools/replica.sh): what ran on the hot standby.

`exercise URL DB`: the reports, the dashboard, the analyses and the list
pages over HTTP as the web client sends them, as an account manager, a
station head and the bureau, with a few writes between them (a meeting, a
problem, its rectification, a close-out).

`report DB ODOO_LOG STANDBY_LOG STATS_BEFORE STATS_AFTER`: the requests per
cursor mode from Odoo's log (ro: the replica's cursor), the statements the
standby ran for the database from its log (log_min_duration_statement=0),
and the rows written on the primary and on the standby (pg_stat_database).
Exits 1 when the standby ran nothing, ran a write, or a readonly request
wrote (ro->rw).
"""

import json
import re
import sys
import urllib.parse
from collections import Counter
from datetime import date, timedelta

import load

STATEMENT = re.compile(
    r"^\S+ \S+ \S+ \[\d+\] (?P<db>\S*) (?P<app>\S*): LOG:  duration: [\d.]+ ms  statement: (?P<sql>.*)"
)
NEW_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d ")
REQUEST = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) .* (?P<mode>ro|rw|ro->rw)$')


def exercise(url, db):
    created = {"meetings": [], "tickets": [], "closed": []}
    manager = load.WebClient(url, db, "manager.tucheng1")
    head = load.WebClient(url, db, "head.tucheng")
    bureau = load.WebClient(url, db, "admin")
    villages = manager.execute(
        "res.partner", "search", [("village_manager_id", "=", manager.uid), ("village_kind", "!=", False)]
    )
    stations = head.execute("helpdesk.ticket.team", "search", [("is_station", "=", True), ("user_ids", "in", head.uid)])
    for round_ in range(5):
        load.browse_as_manager(manager)
        load.log_meeting_and_problem(manager, villages[round_ % len(villages)], created)
        load.browse_as_head(head, stations, 4)  # with the weekly report or the ledger each round
        load.close_out_one(head, created)
    today = date.today()
    week = {"date_from": str(today - timedelta(days=6)), "date_to": str(today)}
    options = urllib.parse.quote(json.dumps(week))
    bureau.get(f"/report/xlsx/village_service.county_report_xlsx?options={options}")
    bureau.get(f"/report/html/village_service.report_weekly_county?options={options}")
    for model in ("village.coverage.report", "village.demand.report", "village.closeout.report"):
        bureau.execute(model, "formatted_read_group", [], ["station_id"], ["__count"])
    errors = sum((c.errors for c in (manager, head, bureau)), Counter())
    print(
        f"exercised: {sum(len(c.latencies) for c in (manager, head, bureau))} requests as "
        f"manager.tucheng1, head.tucheng, admin; created {len(created['meetings'])} meetings, "
        f"{len(created['tickets'])} problems, closed out {len(created['closed'])}"
        + (f"; refused: {dict(errors)}" if errors else "")
    )
    return 0 if created["tickets"] and not errors else 1


def standby_statements(path, db):
    entries, current = [], None
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if NEW_ENTRY.match(line):
                match = STATEMENT.match(line.rstrip("\n"))
                current = [match["db"], match["app"], match["sql"]] if match else None
                if current:
                    entries.append(current)
            elif current:
                current[2] += " " + line.strip()
    return [(app, sql) for name, app, sql in entries if name == db]


def report(db, odoo_log, standby_log, before_path, after_path):
    failures = []
    # Odoo: each request and the cursor it ran on
    modes, paths = Counter(), {}
    with open(odoo_log, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = REQUEST.search(line.rstrip())
            if match:
                path = match["path"].split("?")[0]
                path = re.sub(r"/\d[\d,]*$", "/<ids>", path)
                modes[match["mode"]] += 1
                paths.setdefault(path, Counter())[match["mode"]] += 1
    print(f"\nOdoo's requests by cursor (ro = the standby's, rw = the primary's): {dict(modes)}")
    for path, counts in sorted(paths.items()):
        print(f"  {' '.join(f'{m} {n:3d}' for m, n in sorted(counts.items())):<16} {path}")
    if modes.get("ro->rw"):
        failures.append("a readonly request wrote and was served again on the primary (ro->rw)")
    if not modes.get("ro"):
        failures.append("no request ran on the replica")

    # the standby: what it ran for the database
    statements = standby_statements(standby_log, db)
    kinds = Counter(sql.split(None, 1)[0].upper() if sql else "?" for _app, sql in statements)
    tables = Counter(
        table
        for _app, sql in statements
        # a table, or a report's query (FROM (...) AS "village_closeout_report")
        for table in re.findall(r'(?:\bFROM|\) AS) "?([a-z_][a-z0-9_]*)"?', sql, re.I)
    )
    apps = {app for app, _sql in statements}
    print(
        f"\nthe standby ran {len(statements)} statements on {db}, from {len(apps)} Odoo connections "
        f"({', '.join(sorted(apps))}): {dict(kinds)}"
    )
    print("  the tables it read most: " + ", ".join(f"{t} {n}" for t, n in tables.most_common(14)))
    ours = Counter({t: n for t, n in tables.items() if t.startswith(("village_", "helpdesk_", "crm_lead"))})
    print("  of the addon's tables and reports: " + ", ".join(f"{t} {n}" for t, n in ours.most_common(14)))
    for table in ("village_closeout_report", "village_coverage_report", "village_outage_reach", "helpdesk_ticket_team"):
        sql = next((sql for _app, sql in statements if re.search(f'(FROM|\\) AS) "{table}"', sql)), None)
        if sql:
            print("  e.g. " + " ".join(sql.split())[:160] + "…")
    writes = sum(kinds.get(k, 0) for k in ("INSERT", "UPDATE", "DELETE"))
    if not statements:
        failures.append("the standby ran no statement of the database")
    if writes:
        failures.append(f"the standby ran {writes} writes")

    # rows written: on the primary, none on the standby
    before, after = json.load(open(before_path)), json.load(open(after_path))
    for server in ("primary", "standby"):
        delta = {key: after[server][key] - before[server][key] for key in after[server]}
        print(
            f"\n{server}: pg_stat_database of {db} during the run: " + ", ".join(f"{k} +{v}" for k, v in delta.items())
        )
    primary_written = sum(after["primary"][k] - before["primary"][k] for k in ("tup_inserted", "tup_updated"))
    if not primary_written:
        failures.append("the primary wrote nothing")
    print("\nreplica: FAILED: " + "; ".join(failures) if failures else "\nreplica: OK")
    return 1 if failures else 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    sys.exit(exercise(*rest) if command == "exercise" else report(*rest))
