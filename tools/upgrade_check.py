"""Data kept across an upgrade of village_service.

    python tools/upgrade_check.py snapshot DATABASE FILE
    python tools/upgrade_check.py compare DATABASE FILE VERSION

`snapshot` records, for every table of the module's models and of the models
it extends, each row (all columns but the write stamps). `compare`
reads the same rows after `-u village_service` and fails on any row lost,
added or changed in a column that existed before, unless CHANGED_BY_RELEASE
says that release changes it on purpose (with the migration script that does
it); it also checks the version Odoo recorded. Plain SQL on purpose: the two
sides run different code of the module."""

import json
import os
import sys

import psycopg2
from psycopg2 import sql

# Tables of the models village_service extends (its own are found in ir_model_data).
EXTENDED_TABLES = [
    "res_partner",
    "helpdesk_ticket",
    "helpdesk_ticket_team",
    "crm_lead",
    "mail_activity",
    "mail_message",
    "digest_digest",
]
IGNORED_COLUMNS = {"write_date", "write_uid"}
# {version: {table: (columns, query of the ids whose columns may change)}}:
# what a release rewrites on purpose, and where.
CHANGED_BY_RELEASE = {
    "19.0.1.4.0": {
        # migrations/19.0.1.4.0/post-inquiry-committee-per-household.py: the shipped
        # monthly committee chore per village becomes the committee inquiry about a household
        "village_inquiry_rule": (
            ["name", "note", "target", "meeting_kind"],
            """SELECT res_id FROM ir_model_data
                WHERE module = 'village_service' AND name = 'inquiry_rule_committee'""",
        ),
    },
    "19.0.1.2.0": {
        # migrations/19.0.1.2.0: problems read as planned after their rectification
        "helpdesk_ticket": (
            ["date_planned"],
            "SELECT id FROM helpdesk_ticket WHERE date_planned = LEAST(create_date, date_rectified)",
        ),
    },
    "19.0.1.1.0": {
        # the demo staff got email addresses (for their work lists); no migration
        "res_partner": (
            ["email", "email_normalized"],
            """SELECT u.partner_id FROM res_users u
                 JOIN ir_model_data d ON d.model = 'res.users' AND d.res_id = u.id
                WHERE d.module = 'village_service'""",
        ),
    },
}


# {version: {table: query of the ids a release adds to it, or None for a link table
# without ids, where rows may be added but none lost}}
ADDED_BY_RELEASE = {
    "19.0.1.5.0": {
        # migrations/19.0.1.5.0/post-inquiry-history-from-activities.py: completions
        # the status table counted whose archived activity had been deleted
        "mail_activity": """SELECT id FROM mail_activity WHERE inquiry_rule_id IS NOT NULL AND NOT active
                              AND summary LIKE '%(carried over from the inquiry counters)'""",
        # a demand the new duplicate check flags is tracked in its chatter; the
        # demo's transformer areas (new demo data of a new model) log their creation
        "mail_message": """SELECT t.mail_message_id FROM mail_tracking_value t
                             JOIN ir_model_fields f ON f.id = t.field_id
                            WHERE f.model = 'crm.lead' AND f.name = 'power_demand_duplicate_of_id'
                            UNION SELECT id FROM mail_message WHERE model = 'village.transformer.area'""",
        # the county weekly report is the bureau's: its action's group (a link
        # table without ids, where rows may only be added)
        "res_groups_report_rel": None,
    },
}


def _inquiry_state_kept(cr, old):
    """19.0.1.5.0 drops the table village_inquiry_state: each of its rows must
    read the same from the activities (village.inquiry): the open activity,
    the completions, those on time, and the last outcome."""
    cr.execute(
        """SELECT inquiry_rule_id, res_id,
                  max(id) FILTER (WHERE active),
                  count(*) FILTER (WHERE NOT active),
                  count(*) FILTER (WHERE NOT active AND date_done <= date_deadline),
                  (array_agg(village_inquiry_outcome ORDER BY date_done DESC, id DESC)
                      FILTER (WHERE NOT active))[1]
             FROM mail_activity
            WHERE inquiry_rule_id IS NOT NULL AND res_model = 'res.partner'
         GROUP BY inquiry_rule_id, res_id"""
    )
    found = {(str(rule), str(res)): rest for rule, res, *rest in cr.fetchall()}
    problems = []
    for rid, row in old["rows"].items():
        now = found.get((row["rule_id"], row["partner_id"]), [None, 0, 0, None])
        expected = [row["activity_id"], int(row["done_count"] or 0), int(row["on_time_count"] or 0)]
        expected.append(row["last_outcome"])
        if [str(now[0]) if now[0] else None, now[1], now[2], now[3]] != expected:
            problems.append(f"village_inquiry_state row {rid}: {expected} before, {now} from the activities")
    return problems


# {version: {table: check}}: a table a release replaces, and how its rows are found again
REPLACED_BY_RELEASE = {"19.0.1.5.0": {"village_inquiry_state": _inquiry_state_kept}}


def connect(db):
    return psycopg2.connect(
        host="127.0.0.1", port=os.environ.get("PGPORT", "54329"), user="odoo", password="odoo", dbname=db
    )


def module_tables(cr):
    cr.execute(
        """SELECT DISTINCT replace(m.model, '.', '_')
             FROM ir_model_data d JOIN ir_model m ON m.id = d.res_id
            WHERE d.module = 'village_service' AND d.model = 'ir.model' AND NOT m.transient"""
    )
    names = {name for (name,) in cr.fetchall()} | set(EXTENDED_TABLES)
    # and the links of their many2many fields (care tags, meeting staff, ...)
    cr.execute(
        """SELECT DISTINCT relation_table FROM ir_model_fields
            WHERE ttype = 'many2many' AND relation_table IS NOT NULL
              AND replace(model, '.', '_') = ANY(%s)""",
        [sorted(names)],
    )
    names |= {name for (name,) in cr.fetchall()}
    # abstract models and the reports' queries have no table
    cr.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'", [sorted(names)])
    return sorted(name for (name,) in cr.fetchall())


def columns(cr, table):
    cr.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [table],
    )
    return sorted(name for (name,) in cr.fetchall() if name not in IGNORED_COLUMNS)


def rows(cr, table, cols):
    """{id: {column: value as text}} (an SQL view without id: one row of all)."""
    values = sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in cols)
    cr.execute(sql.SQL("SELECT {} FROM {}").format(values, sql.Identifier(table)))
    found = [dict(zip(cols, row, strict=True)) for row in cr.fetchall()]
    if "id" in cols:
        return {row["id"]: row for row in found}
    return {"*": sorted(found, key=json.dumps)}


def _count(tables):
    return sum(len(t["rows"]["*"]) if "*" in t["rows"] else len(t["rows"]) for t in tables.values())


def snapshot(db, path):
    with connect(db) as conn, conn.cursor() as cr:
        data = {}
        for table in module_tables(cr):
            cols = columns(cr, table)
            data[table] = {"columns": cols, "rows": rows(cr, table, cols)}
    with open(path, "w") as out:
        json.dump(data, out)
    print(f"upgrade: recorded {_count(data)} rows of {len(data)} tables")


def _missing_constraints(cr):
    """A CHECK, UNIQUE or index that existing rows violate is only logged as a
    warning by the update and left out: the migration must repair the rows."""
    cr.execute(
        """SELECT c.name FROM ir_model_constraint c
             JOIN ir_module_module m ON m.id = c.module
            WHERE m.name = 'village_service'
              AND (c.type = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.conname = c.name)
                OR c.type = 'i' AND NOT EXISTS (SELECT 1 FROM pg_class i WHERE i.relname = c.name))"""
    )
    missing = sorted(name for (name,) in cr.fetchall())
    return [f"constraints and indexes not in the database: {missing}"] if missing else []


def _ids(cr, query):
    if not query:
        return set()
    cr.execute(query)
    return {str(rid) for (rid,) in cr.fetchall()}


def _table_problems(cr, table, old, version):
    """What the update did to the rows of one table that it should not have."""
    gone = set(old["columns"]) - set(columns(cr, table))
    if gone:
        return [f"{table}: columns gone: {sorted(gone)}"]
    cols = old["columns"]
    now = rows(cr, table, cols)
    may_change, where = CHANGED_BY_RELEASE.get(version, {}).get(table, ((), None))
    changing = _ids(cr, where)
    lost = old["rows"].keys() - now.keys()
    added = now.keys() - old["rows"].keys() - _ids(cr, ADDED_BY_RELEASE.get(version, {}).get(table))
    altered = {}
    for rid in old["rows"].keys() & now.keys():
        if rid == "*":
            kept = old["rows"]["*"]
            if table in ADDED_BY_RELEASE.get(version, {}):
                # rows may be added: each row of before is still there
                kept = [row for row in now["*"] if row in kept]
            if kept != old["rows"]["*"]:
                altered["*"] = "rows"
            continue
        diff = [c for c in cols if old["rows"][rid][c] != now[rid][c] and not (rid in changing and c in may_change)]
        if diff:
            altered[rid] = diff
    problems = [
        f"{table}: {len(ids)} rows {label}, e.g. ids {sorted(ids)[:5]}"
        for label, ids in (("lost", lost), ("added", added))
        if ids
    ]
    if altered:
        sample = dict(sorted(altered.items())[:5])
        problems.append(f"{table}: {len(altered)} rows changed, e.g. {sample}")
    return problems


def compare(db, path, version):
    with open(path) as src:
        before = json.load(src)
    problems = []
    with connect(db) as conn, conn.cursor() as cr:
        cr.execute("SELECT latest_version, state FROM ir_module_module WHERE name = 'village_service'")
        installed = cr.fetchone()
        if installed != (version, "installed"):
            problems.append(f"module is {installed}, expected ({version!r}, 'installed')")
        replaced = REPLACED_BY_RELEASE.get(version, {})
        for table, old in before.items():
            if table in replaced:
                problems.extend(replaced[table](cr, old))
            else:
                problems.extend(_table_problems(cr, table, old, version))
        problems.extend(_missing_constraints(cr))
    if problems:
        print("upgrade: the data was not kept:\n  " + "\n  ".join(problems))
        return 1
    print(f"upgrade: OK, {_count(before)} rows of {len(before)} tables intact")
    return 0


def _rules(db):
    with connect(db) as conn, conn.cursor() as cr:
        cr.execute(
            """SELECT d.name, r.domain_force, r.perm_read, r.perm_write, r.perm_create, r.perm_unlink, r.global
                 FROM ir_rule r JOIN ir_model_data d ON d.model = 'ir.rule' AND d.res_id = r.id
                WHERE d.module = 'village_service'"""
        )
        return {name: rest for name, *rest in cr.fetchall()}


def snapshot_rules(db, path):
    with open(path, "w") as out:
        json.dump(_rules(db), out)


def compare_rules(db, path):
    """Record rules are noupdate data: an upgraded database must hold the
    rules of a fresh install of the same release (`path`, recorded by
    tools/test.sh), as a release that rewrites one drops it in its migration
    script so that the update recreates it."""
    with open(path) as src:
        fresh = {name: list(rest) for name, rest in json.load(src).items()}
    upgraded = {name: list(rest) for name, rest in _rules(db).items()}
    differ = sorted(name for name in upgraded.keys() | fresh.keys() if upgraded.get(name) != fresh.get(name))
    if differ:
        print(f"upgrade: record rules differ from a fresh install: {differ}")
        return 1
    print(f"upgrade: OK, the {len(fresh)} record rules are those of a fresh install")
    return 0


if __name__ == "__main__":
    command, db, path = sys.argv[1:4]
    if command == "snapshot":
        snapshot(db, path)
    elif command == "rules-snapshot":
        snapshot_rules(db, path)
    elif command == "rules":
        sys.exit(compare_rules(db, path))
    else:
        sys.exit(compare(db, path, sys.argv[4]))
