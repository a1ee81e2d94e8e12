#!/usr/bin/env python3
"""Checks the PostgreSQL schema (crates/store/pg/NNNN_*.sql, applied in
order) against a SQLite book of the same schema version, on a running
PostgreSQL 15 server.

    scripts/pg-schema-check.py HOST_DIR PORT [SQLITE_DB]

HOST_DIR is the server's socket directory (or a host name), PORT its port;
SQLITE_DB defaults to /tmp/schema26.db (a fresh SQLite book at the newest
schema version, 26).
Only the psql and sqlite3 command-line tools are used.

It creates a fresh database on the server, applies each schema file in one
transaction of its own (as the Rust migration runner does), and compares, table by table: the columns in order (INTEGER →
bigint, TEXT → text COLLATE "C", BLOB → bytea), NOT NULL, defaults, the
identity of surrogate keys, primary keys, UNIQUE constraints, foreign keys
with their ON DELETE, the number of CHECK constraints, every index by name
(columns, uniqueness, partial predicate; a `col COLLATE NOCASE` key must be
lower(col) here), the triggers (by the name of their function: event, timing,
UPDATE OF columns, WHEN) and the seed rows. Then it runs
crates/store/pg/trigger-scenario.sql on a copy of the SQLite book and on the
new database and, at every `-- @check`, compares every table's rows and
checks each rollup against what its SQLite migration computes from the rows.

Known, documented deviations (see the comments of 0001_books.sql) are
printed as notes. Any other difference is printed and the exit status is 1.
The database is dropped at the end unless --keep is given.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / "crates/store/pg").glob("[0-9][0-9][0-9][0-9]_*.sql"))
SCENARIO = ROOT / "crates/store/pg/trigger-scenario.sql"
US, RS = "\x1f", "\x1e"
NULL = "\x01NULL"
END = "\x03END"

# ---- documented deviations --------------------------------------------------------

# SQLite `col COLLATE NOCASE` keys of UNIQUE indexes: lower(col) here.
NOCASE_UNIQUE = {
    "clients_name": ["lower(name)"],
    "projects_client_name": ["client_id", "lower(name)"],
    "tasks_project_name": ["project_id", "lower(name)"],
    "saved_items_active_name": ["lower(name)"],
}
# Trigger functions whose trigger is named otherwise on PostgreSQL (firing order).
RENAMED_TRIGGERS = {"project_invoice_counts_status": "invoice_0_project_invoice_counts_status"}
# A rowid table's non-integer PRIMARY KEY may be NULL in SQLite; never in PostgreSQL.
NULLABLE_TEXT_PK = {("used_numbers", "number"), ("mail_templates", "kind")}

# Each rollup as kept by the triggers, and as its SQLite migration computes it
# from the rows (rows of a zero count are kept by some triggers: left out).
ROLLUPS = {
    "time_daily": (
        "SELECT work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries FROM time_daily",
        "SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,"
        " SUM(seconds), COUNT(*) FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6, 7",
    ),
    "time_unbilled": (
        "SELECT client_id, project_id, member_id, task_id, rate, seconds, entries FROM time_unbilled",
        "SELECT client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), SUM(seconds), COUNT(*)"
        " FROM time_entries WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1"
        " GROUP BY 1, 2, 3, 4, 5",
    ),
    "time_worked": (
        "SELECT project_id, client_id, member_id, task_id, rate, billable, seconds, entries FROM time_worked",
        "SELECT project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,"
        " SUM(seconds), COUNT(*) FROM time_entries GROUP BY 1, 2, 3, 4, 5, 6",
    ),
    "invoice_counts": (
        "SELECT status, invoices FROM invoice_counts WHERE invoices > 0",
        "SELECT status, COUNT(*) FROM invoices GROUP BY status",
    ),
    "invoice_projects": (
        "SELECT project_id, invoice_id, entries, header FROM invoice_projects",
        "SELECT project_id, invoice_id, SUM(entries), MAX(header) FROM ("
        " SELECT project_id, id AS invoice_id, 0 AS entries, 1 AS header FROM invoices WHERE project_id IS NOT NULL"
        " UNION ALL SELECT project_id, invoice_id, COUNT(*), 0 FROM time_entries WHERE invoice_id IS NOT NULL"
        " GROUP BY project_id, invoice_id) AS x GROUP BY project_id, invoice_id",
    ),
    "project_invoice_counts": (
        "SELECT project_id, status, invoices FROM project_invoice_counts WHERE invoices > 0",
        "SELECT ip.project_id, i.status, COUNT(*) FROM invoice_projects ip JOIN invoices i ON i.id = ip.invoice_id"
        " GROUP BY ip.project_id, i.status",
    ),
    "revenue_months": (
        "SELECT month, currency, rate, invoices, invoiced_minor, balance_minor, credit_notes, credited_minor,"
        " payments, paid_minor FROM revenue_months",
        "SELECT month, currency, rate, SUM(a), SUM(b), SUM(c), SUM(d), SUM(e), SUM(f), SUM(g) FROM ("
        " SELECT substr(issue_date, 1, 7) AS month, currency, COALESCE(exchange_rate, '') AS rate, 1 AS a,"
        "  total_minor AS b, balance_minor AS c, 0 AS d, 0 AS e, 0 AS f, 0 AS g FROM invoices"
        "  WHERE status IN ('sent','partially_paid','paid')"
        " UNION ALL SELECT substr(n.issue_date, 1, 7), n.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 1,"
        "  n.total_minor, 0, 0 FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id"
        " UNION ALL SELECT substr(p.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 0, 0, 1,"
        "  p.amount_minor FROM payments p JOIN invoices i ON i.id = p.invoice_id"
        " UNION ALL SELECT substr(r.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 0, 0, 0, 0, 0, 1,"
        "  -r.amount_minor FROM refunds r JOIN invoices i ON i.id = r.invoice_id"
        ") AS x GROUP BY month, currency, rate",
    ),
    "invoices.project_kinds": (
        "SELECT id, project_kinds, project_count FROM invoices",
        "SELECT i.id, COALESCE((SELECT MAX(CASE WHEN p.billing_type = 'hourly' THEN 1 ELSE 0 END)"
        " + 2 * MAX(CASE WHEN p.billing_type = 'fixed_price' THEN 1 ELSE 0 END)"
        " + 4 * MAX(CASE WHEN p.billing_type = 'retainer' THEN 1 ELSE 0 END)"
        " + 8 * MAX(CASE WHEN p.budget IS NOT NULL THEN 1 ELSE 0 END)"
        " + 16 * MAX(CASE WHEN p.budget IS NULL THEN 1 ELSE 0 END)"
        " FROM invoice_projects ip JOIN projects p ON p.id = ip.project_id WHERE ip.invoice_id = i.id), 0),"
        " (SELECT COUNT(*) FROM invoice_projects ip WHERE ip.invoice_id = i.id) FROM invoices i",
    ),
}


class Failed(Exception):
    pass


def run(cmd, stdin=None, check=True):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise Failed(f"{' '.join(cmd[:3])}…: {p.stderr.strip() or p.stdout.strip()}")
    return p


def rows_of(out):
    return [r.split(US) for r in out.split(RS) if r != ""]


class Pg:
    def __init__(self, host, port, user, db):
        self.base = ["psql", "-h", host, "-p", str(port), "-U", user, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        self.db = db

    def cmd(self, db=None):
        return self.base + ["-d", db or self.db]

    def raw(self, sql, db=None):
        return run(self.cmd(db) + ["-A", "-t", "-F", US, "-R", RS, "-P", f"null={NULL}", "-c", sql]).stdout

    def query(self, sql, db=None):
        return rows_of(self.raw(sql, db).rstrip("\n"))

    def execute(self, sql, check=True):
        return run(self.cmd() + ["--single-transaction"], stdin=sql, check=check)


class Lite:
    def __init__(self, path):
        self.path = path

    def raw(self, sql):
        return run(["sqlite3", "-batch", "-noheader", "-separator", US, "-newline", RS, "-nullvalue", NULL,
                    self.path, sql]).stdout

    def query(self, sql):
        return rows_of(self.raw(sql))

    def execute(self, sql, check=True):
        # One transaction, foreign keys on, stop at the first error: as the app writes.
        script = "PRAGMA foreign_keys = ON;\n.bail on\nBEGIN;\n" + sql + "\nCOMMIT;\n"
        return run(["sqlite3", "-batch", self.path], stdin=script, check=check)


# ---- introspection ----------------------------------------------------------------


def strip_sql_comments(sql):
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "'":
            j = i + 1
            while j < n:
                if sql[j] == "'" and (j + 1 >= n or sql[j + 1] != "'"):
                    break
                j += 2 if sql[j] == "'" else 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_top(s):
    """Splits at the commas outside parentheses and quotes."""
    parts, depth, cur, q = [], 0, "", False
    for ch in s:
        if ch == "'":
            q = not q
        if not q and ch == "(":
            depth += 1
        elif not q and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not q:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def norm_expr(e):
    e = e.lower()
    e = re.sub(r"::(text|bigint|integer|bytea)(\[\])?", "", e)
    e = re.sub(r'collate "c"', "", e)
    # PostgreSQL writes `x IN ('a','b')` as `x = ANY (ARRAY['a', 'b'])`.
    e = re.sub(r"(\w+)\s*=\s*any\s*\(\s*array\[(.*?)\]\s*\)", r"\1 in (\2)", e)
    e = re.sub(r"[\s()]", "", e)
    return e


def lite_schema(lite):
    s = {"tables": {}, "indexes": {}, "triggers": {}, "without_rowid": set()}
    for name, sql in lite.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        s["tables"][name] = {"sql": sql, "columns": [], "fks": set(), "pk": [], "unique": []}
        if re.search(r"WITHOUT\s+ROWID", sql, re.I):
            s["without_rowid"].add(name)
    for t, cid, name, typ, notnull, dflt, pk in lite.query(
            "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master m,"
            " pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"):
        s["tables"][t]["columns"].append(
            {"name": name, "type": typ.upper(), "notnull": notnull == "1", "default": None if dflt == NULL else dflt,
             "pk": int(pk)})
    for t, info in s["tables"].items():
        info["pk"] = [c["name"] for c in sorted((c for c in info["columns"] if c["pk"]), key=lambda c: c["pk"])]
    fk_rows = {}
    for t, fid, seq, parent, frm, to, ondel in lite.query(
            "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_delete FROM sqlite_master m,"
            " pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            " ORDER BY m.name, f.id, f.seq"):
        fk_rows.setdefault((t, fid), []).append((parent, frm, to, ondel))
    for (t, _), parts in fk_rows.items():
        parent, ondel = parts[0][0], parts[0][3]
        s["tables"][t]["fks"].add((tuple(p[1] for p in parts), parent, tuple(p[2] for p in parts), ondel.upper()))
    idx_sql = dict(lite.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    for t, name, unique, origin, partial in lite.query(
            "SELECT m.name, l.name, l.\"unique\", l.origin, l.partial FROM sqlite_master m, pragma_index_list(m.name) l"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"):
        keys = []
        exprs = None
        for cid, cname, coll in lite.query(
                f"SELECT cid, name, coll FROM pragma_index_xinfo('{name}') WHERE key = 1 ORDER BY seqno"):
            if cid == "-2":
                if exprs is None:
                    body = strip_sql_comments(idx_sql[name])
                    inner = body[body.index("(", body.upper().index(" ON ")) + 1:]
                    depth, end = 1, 0
                    for k, ch in enumerate(inner):
                        depth += ch == "("
                        depth -= ch == ")"
                        if depth == 0:
                            end = k
                            break
                    exprs = split_top(inner[:end])
                keys.append(exprs[len(keys)])
            elif coll.upper() == "NOCASE":
                keys.append(f"{cname} COLLATE NOCASE")
            else:
                keys.append(cname)
        where = None
        if partial == "1":
            body = strip_sql_comments(idx_sql[name])
            where = body[re.search(r"\bWHERE\b", body, re.I).end():].strip()
        if origin == "c":
            s["indexes"][name] = {"table": t, "unique": unique == "1", "keys": keys, "where": where}
        elif origin == "u":
            s["tables"][t]["unique"].append(tuple(keys))
        # origin 'pk': compared as the primary key
    for t, name, sql in lite.query("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'"):
        body = strip_sql_comments(sql)
        m = re.match(r"\s*CREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|DELETE|UPDATE)"
                     r"(?:\s+OF\s+(.*?))?\s+ON\s+(\w+)(.*?)\bBEGIN\b", body, re.S | re.I)
        if not m:
            raise Failed(f"cannot read the header of trigger {name}")
        cols = tuple(sorted(c.strip() for c in m.group(4).split(","))) if m.group(4) else ()
        when = m.group(6).strip()
        s["triggers"].setdefault(t, {})[name] = {
            "timing": (m.group(2) or "BEFORE").upper(), "event": m.group(3).upper(), "columns": cols,
            "when": bool(re.match(r"WHEN\b", when, re.I)),
            "when_subquery": bool(re.search(r"\bSELECT\b", when, re.I)),
        }
    return s


def pg_schema(pg):
    s = {"tables": {}, "indexes": {}, "triggers": {}}
    for (t,) in pg.query("SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
                         " AND c.relkind = 'r' ORDER BY 1"):
        s["tables"][t] = {"columns": [], "fks": set(), "pk": [], "unique": [], "checks": 0}
    for t, name, typ, notnull, dflt, ident, coll in pg.query(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            " pg_get_expr(d.adbin, d.adrelid), a.attidentity, COALESCE(co.collname, '')"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0"
            " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0"
            " AND NOT a.attisdropped ORDER BY c.relname, a.attnum"):
        s["tables"][t]["columns"].append(
            {"name": name, "type": typ, "notnull": notnull == "t", "default": None if dflt == NULL else dflt,
             "identity": ident, "collation": coll})
    cols = ("array_to_string(ARRAY(SELECT a.attname FROM unnest({k}) WITH ORDINALITY u(n, o)"
            " JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = u.n ORDER BY u.o), ',')")
    for t, ctype, keys, parent, pkeys, deltype in pg.query(
            "SELECT c.relname, con.contype, " + cols.format(k="con.conkey", rel="con.conrelid") + ","
            " COALESCE(p.relname, ''), " + cols.format(k="con.confkey", rel="con.confrelid") + ", con.confdeltype"
            " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
            " LEFT JOIN pg_class p ON p.oid = con.confrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1, 2, 3"):
        info = s["tables"][t]
        if ctype == "p":
            info["pk"] = keys.split(",")
        elif ctype == "u":
            info["unique"].append(tuple(keys.split(",")))
        elif ctype == "c":
            info["checks"] += 1
        elif ctype == "f":
            action = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}[deltype]
            info["fks"].add((tuple(keys.split(",")), parent, tuple(pkeys.split(",")), action))
    for t, name, unique, pred, keys, constraint in pg.query(
            "SELECT t.relname, i.relname, x.indisunique, pg_get_expr(x.indpred, x.indrelid),"
            " array_to_string(ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true)"
            "  FROM generate_series(1, x.indnkeyatts) k), E'\\x02'),"
            " EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
            " WHERE t.relnamespace = current_schema()::regnamespace"):
        if constraint == "f":
            s["indexes"][name] = {"table": t, "unique": unique == "t", "keys": keys.split("\x02"),
                                  "where": None if pred == NULL else pred}
    for t, name, func, tgtype, attrs, has_when in pg.query(
            "SELECT c.relname, tg.tgname, p.proname, tg.tgtype,"
            " array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = tg.tgrelid"
            "  AND a.attnum = ANY (tg.tgattr) ORDER BY a.attname), ','), tg.tgqual IS NOT NULL"
            " FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid"
            " WHERE NOT tg.tgisinternal AND c.relnamespace = current_schema()::regnamespace"):
        ty = int(tgtype)
        event = "INSERT" if ty & 4 else "DELETE" if ty & 8 else "UPDATE" if ty & 16 else "TRUNCATE"
        s["triggers"].setdefault(t, {})[func] = {
            "name": name, "row": bool(ty & 1), "timing": "BEFORE" if ty & 2 else "INSTEAD OF" if ty & 64 else "AFTER",
            "event": event, "columns": tuple(sorted(attrs.split(","))) if attrs else (), "when": has_when == "t"}
    return s


# ---- comparison -------------------------------------------------------------------


def count_checks(sql):
    return len(re.findall(r"\bCHECK\s*\(", strip_sql_comments(sql), re.I))


def norm_default(d):
    if d is None:
        return None
    return re.sub(r"::(text|bigint|integer)$", "", d.strip())


def compare_schema(ls, ps, diffs, notes):
    lt, pt = set(ls["tables"]), set(ps["tables"])
    for t in sorted(lt - pt):
        diffs.append(f"table {t}: missing in PostgreSQL")
    for t in sorted(pt - lt):
        diffs.append(f"table {t}: only in PostgreSQL")
    for t in sorted(lt & pt):
        li, pi = ls["tables"][t], ps["tables"][t]
        lnames = [c["name"] for c in li["columns"]]
        pnames = [c["name"] for c in pi["columns"]]
        if lnames != pnames:
            diffs.append(f"table {t}: columns {lnames} in SQLite, {pnames} in PostgreSQL")
            continue
        fk_cols = {c for fk in li["fks"] for c in fk[0]}
        for lc, pc in zip(li["columns"], pi["columns"]):
            where = f"{t}.{lc['name']}"
            want = {"INTEGER": "bigint", "TEXT": "text", "BLOB": "bytea"}.get(lc["type"])
            if want is None:
                diffs.append(f"{where}: SQLite type {lc['type']} has no mapping")
            elif pc["type"] != want:
                diffs.append(f"{where}: {lc['type']} in SQLite, {pc['type']} in PostgreSQL (expected {want})")
            if want == "text" and pc["collation"] != "C":
                diffs.append(f"{where}: text column without COLLATE \"C\" (SQLite compares text byte-wise)")
            rowid_alias = li["pk"] == [lc["name"]] and lc["type"] == "INTEGER" and t not in ls["without_rowid"]
            lite_notnull = lc["notnull"] or rowid_alias or (lc["pk"] > 0 and t in ls["without_rowid"])
            if lite_notnull != pc["notnull"]:
                if (t, lc["name"]) in NULLABLE_TEXT_PK and pc["notnull"]:
                    notes.append(f"{where}: a text PRIMARY KEY, NULL-able in SQLite, NOT NULL in PostgreSQL")
                else:
                    diffs.append(f"{where}: NOT NULL {lite_notnull} in SQLite, {pc['notnull']} in PostgreSQL")
            if rowid_alias:
                want_identity = "" if lc["name"] in fk_cols else "d"
                if pc["identity"] != want_identity:
                    kind = ("a reference to its parent: no identity" if want_identity == ""
                            else "GENERATED BY DEFAULT AS IDENTITY")
                    diffs.append(f"{where}: INTEGER PRIMARY KEY should be {kind} (attidentity '{pc['identity']}')")
            elif pc["identity"]:
                diffs.append(f"{where}: identity column where SQLite has none")
            if norm_default(lc["default"]) != norm_default(pc["default"]):
                diffs.append(f"{where}: default {lc['default']} in SQLite, {pc['default']} in PostgreSQL")
        if li["pk"] != pi["pk"]:
            diffs.append(f"table {t}: primary key {li['pk']} in SQLite, {pi['pk']} in PostgreSQL")
        if sorted(li["unique"]) != sorted(pi["unique"]):
            diffs.append(f"table {t}: UNIQUE {sorted(li['unique'])} in SQLite, {sorted(pi['unique'])} in PostgreSQL")
        for fk in sorted(li["fks"] - pi["fks"]):
            diffs.append(f"table {t}: foreign key {fk} missing in PostgreSQL")
        for fk in sorted(pi["fks"] - li["fks"]):
            diffs.append(f"table {t}: foreign key {fk} only in PostgreSQL")
        lchecks = count_checks(li["sql"])
        if lchecks != pi["checks"]:
            diffs.append(f"table {t}: {lchecks} CHECK constraints in SQLite, {pi['checks']} in PostgreSQL")

    li, pi = ls["indexes"], ps["indexes"]
    for name in sorted(set(li) - set(pi)):
        diffs.append(f"index {name}: missing in PostgreSQL")
    for name in sorted(set(pi) - set(li)):
        diffs.append(f"index {name}: only in PostgreSQL")
    for name in sorted(set(li) & set(pi)):
        a, b = li[name], pi[name]
        keys = a["keys"]
        if any("COLLATE NOCASE" in k for k in keys):
            expected = NOCASE_UNIQUE.get(name)
            if expected is None:
                diffs.append(f"index {name}: a NOCASE key with no documented translation")
                continue
            notes.append(f"index {name}: ({', '.join(keys)}) is ({', '.join(expected)}) in PostgreSQL")
            keys = expected
        if a["table"] != b["table"]:
            diffs.append(f"index {name}: on {a['table']} in SQLite, on {b['table']} in PostgreSQL")
        if [norm_expr(k) for k in keys] != [norm_expr(k) for k in b["keys"]]:
            diffs.append(f"index {name}: keys {keys} in SQLite, {b['keys']} in PostgreSQL")
        if a["unique"] != b["unique"]:
            diffs.append(f"index {name}: unique {a['unique']} in SQLite, {b['unique']} in PostgreSQL")
        wa, wb = a["where"], b["where"]
        if (wa is None) != (wb is None) or (wa and norm_expr(wa) != norm_expr(wb)):
            diffs.append(f"index {name}: WHERE {wa} in SQLite, WHERE {wb} in PostgreSQL")

    for t in sorted(set(ls["triggers"]) | set(ps["triggers"])):
        lt_, pt_ = ls["triggers"].get(t, {}), ps["triggers"].get(t, {})
        if len(lt_) != len(pt_):
            diffs.append(f"table {t}: {len(lt_)} triggers in SQLite, {len(pt_)} in PostgreSQL")
        for name in sorted(set(lt_) - set(pt_)):
            diffs.append(f"trigger {t}.{name}: no PostgreSQL trigger runs a function of that name")
        for name in sorted(set(pt_) - set(lt_)):
            diffs.append(f"trigger {t}.{name}: a PostgreSQL trigger function with no SQLite trigger")
        for name in sorted(set(lt_) & set(pt_)):
            a, b = lt_[name], pt_[name]
            want_name = RENAMED_TRIGGERS.get(name, name)
            if b["name"] != want_name:
                diffs.append(f"trigger {t}.{name}: named {b['name']} in PostgreSQL (expected {want_name})")
            elif want_name != name:
                notes.append(f"trigger {t}.{name}: named {want_name} in PostgreSQL, to fire first (function {name})")
            if not b["row"]:
                diffs.append(f"trigger {t}.{name}: not FOR EACH ROW")
            for k in ("timing", "event", "columns"):
                if a[k] != b[k]:
                    diffs.append(f"trigger {t}.{name}: {k} {a[k]} in SQLite, {b[k]} in PostgreSQL")
            if a["when_subquery"]:
                if b["when"]:
                    diffs.append(f"trigger {t}.{name}: PostgreSQL allows no subquery in WHEN")
                else:
                    notes.append(f"trigger {t}.{name}: its WHEN (a subquery) is the first test of the function")
            elif a["when"] != b["when"]:
                diffs.append(f"trigger {t}.{name}: WHEN {a['when']} in SQLite, {b['when']} in PostgreSQL")


# ---- rows -------------------------------------------------------------------------


def select_rows(kind, table, columns, tag):
    """A SELECT of every row of `table`, each led by `tag`, blobs as hex."""
    exprs = [f"'{tag}'"]
    for c in columns:
        q = f"\"{c['name']}\""
        if c["type"] == "BLOB":
            # hex(NULL) is '' in SQLite: keep NULL a NULL.
            exprs.append(f"CASE WHEN {q} IS NULL THEN NULL ELSE lower(hex({q})) END" if kind == "lite"
                         else f"encode({q}, 'hex')")
        else:
            exprs.append(q)
    return f"SELECT {', '.join(exprs)} FROM \"{table}\""


def tagged(engine, selects):
    """Runs the tagged SELECTs in one go: {tag: sorted rows}."""
    # Each row ends in an END field: psql ends a result's last row with a
    # newline instead of the record separator.
    out = {tag: [] for tag, _ in selects}
    raw = engine.raw(";\n".join(f"SELECT y.*, '{END}' FROM ({sql}) AS y" for _, sql in selects) + ";")
    for rec in re.split(re.escape(US + END) + "(?:" + RS + "|\n)", raw):
        if rec.strip("\n" + RS):
            row = rec.lstrip("\n" + RS).split(US)
            out[row[0]].append(row[1:])
    return {tag: sorted(rows) for tag, rows in out.items()}


def dump_all(engine, kind, tables):
    return tagged(engine, [(t, select_rows(kind, t, info["columns"], t)) for t, info in sorted(tables.items())])


def show(row):
    return "(" + ", ".join("NULL" if v == NULL else v if re.fullmatch(r"-?\d+", v) else repr(v) for v in row) + ")"


def compare_rows(label, a, b, diffs, limit=6):
    if a == b:
        return True
    sa, sb = set(map(tuple, a)), set(map(tuple, b))
    only_a, only_b = sorted(sa - sb), sorted(sb - sa)
    if not only_a and not only_b:
        diffs.append(f"{label}: the same rows, other multiplicities ({len(a)} vs {len(b)})")
    for r in only_a[:limit]:
        diffs.append(f"{label}: only in SQLite: {show(r)}")
    for r in only_b[:limit]:
        diffs.append(f"{label}: only in PostgreSQL: {show(r)}")
    if len(only_a) > limit or len(only_b) > limit:
        diffs.append(f"{label}: … {len(only_a)} rows only in SQLite, {len(only_b)} only in PostgreSQL")
    return False


def norm_numbers(rows):
    # SUM() is NUMERIC on PostgreSQL; a whole number prints the same either way.
    return sorted([re.sub(r"^(-?\d+)\.0+$", r"\1", v) for v in r] for r in rows)


def compare_all_tables(ls, lite, pg, step, diffs):
    a, b = dump_all(lite, "lite", ls["tables"]), dump_all(pg, "pg", ls["tables"])
    same = True
    for t in sorted(ls["tables"]):
        same &= compare_rows(f"[{step}] {t}", a[t], b[t], diffs)
    return same


def check_rollups(lite, pg, step, diffs):
    ok = True
    selects = []
    for name, (kept, computed) in ROLLUPS.items():
        selects.append((f"kept {name}", f"SELECT 'kept {name}', x.* FROM ({kept}) AS x"))
        selects.append((f"computed {name}", f"SELECT 'computed {name}', x.* FROM ({computed}) AS x"))
    for engine, label in ((lite, "SQLite"), (pg, "PostgreSQL")):
        got = tagged(engine, selects)
        for name in ROLLUPS:
            a, b = norm_numbers(got[f"kept {name}"]), norm_numbers(got[f"computed {name}"])
            if a != b:
                ok = False
                compare_rows(f"[{step}] {label}: {name} kept vs computed from the rows", a, b, diffs)
    return ok


# ---- the scenario -----------------------------------------------------------------


def scenario_steps(text):
    """[(kind, sql, expect)]: kind 'run' (a chunk of statements), 'error' (one
    statement that must fail; expect: text in the message or ''), 'check'."""
    steps, chunk, expect, stmt = [], [], None, []
    for line in text.split("\n"):
        s = line.strip()
        if expect is not None:
            stmt.append(line)
            if s.endswith(";") and not s.startswith("--"):
                steps.append(("error", "\n".join(stmt), expect))
                expect, stmt = None, []
            continue
        m = re.match(r"--\s*@error\b\s*(.*)$", s)
        if m:
            if chunk:
                steps.append(("run", "\n".join(chunk), None))
                chunk = []
            expect = m.group(1).strip()
            continue
        if re.match(r"--\s*@check\b", s):
            if chunk:
                steps.append(("run", "\n".join(chunk), None))
                chunk = []
            steps.append(("check", "", None))
            continue
        chunk.append(line)
    if "".join(chunk).strip():
        steps.append(("run", "\n".join(chunk), None))
    return steps


def run_scenario(ls, lite, pg, path, diffs, report):
    checks = errors = 0
    for kind, sql, expect in scenario_steps(path.read_text()):
        if kind == "run":
            if not re.sub(r"--[^\n]*", "", sql).strip():
                continue
            p1 = lite.execute(sql, check=False)
            p2 = pg.execute(sql, check=False)
            if p1.returncode != 0 or p1.stderr.strip():
                diffs.append(f"scenario: SQLite refused a step: {p1.stderr.strip()}\n{sql.strip()[:300]}")
            if p2.returncode != 0:
                diffs.append(f"scenario: PostgreSQL refused a step: {p2.stderr.strip()}\n{sql.strip()[:300]}")
            if p1.returncode != 0 or p1.stderr.strip() or p2.returncode != 0:
                return False
        elif kind == "error":
            errors += 1
            first = " ".join(l.strip() for l in sql.strip().split("\n") if not l.strip().startswith("--"))[:110]
            p1 = lite.execute(sql, check=False)
            p2 = pg.execute(sql, check=False)
            e1 = p1.stderr.strip() if (p1.returncode != 0 or "rror" in p1.stderr) else ""
            e2 = p2.stderr.strip() if p2.returncode != 0 else ""
            if not e1:
                diffs.append(f"scenario: SQLite accepted what must fail: {first}")
            if not e2:
                diffs.append(f"scenario: PostgreSQL accepted what must fail: {first}")
            if expect and e1 and expect not in e1:
                diffs.append(f"scenario: SQLite's error lacks {expect!r}: {e1}")
            if expect and e2 and expect not in e2:
                diffs.append(f"scenario: PostgreSQL's error lacks {expect!r}: {e2}")
            report.append(f"  refused on both{' (' + repr(expect) + ')' if expect else ''}: {first}")
            report.append(f"      SQLite:     {e1.splitlines()[0] if e1 else '-'}")
            report.append(f"      PostgreSQL: {e2.splitlines()[0] if e2 else '-'}")
        else:
            checks += 1
            same = compare_all_tables(ls, lite, pg, f"check {checks}", diffs)
            consistent = check_rollups(lite, pg, f"check {checks}", diffs)
            report.append(f"  check {checks}: every table {'identical' if same else 'DIFFERENT'},"
                          f" rollups {'equal to the rows' if consistent else 'NOT equal to the rows'}")
    report.append(f"  {checks} checks, {errors} statements refused as expected")
    return True


# ---- main ---------------------------------------------------------------------------


def shown(path):
    path = path.resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("host", help="the server's socket directory or host name")
    ap.add_argument("port", type=int)
    ap.add_argument("sqlite_db", nargs="?", default="/tmp/schema26.db")
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--schema", type=Path, action="append",
                    help="a schema file to apply (repeat for several, in order; default: every crates/store/pg/NNNN_*.sql)")
    ap.add_argument("--scenario", type=Path, default=SCENARIO)
    ap.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = ap.parse_args()

    for tool in ("psql", "sqlite3"):
        if shutil.which(tool) is None:
            print(f"{tool} is not on the PATH", file=sys.stderr)
            return 2
    schemas = args.schema or SCHEMAS
    diffs, notes, report = [], [], []
    for path in schemas:
        bare = strip_sql_comments(path.read_text())
        if re.search(r"\bCONCURRENTLY\b|\bVACUUM\b|^\s*(BEGIN|COMMIT)\s*;", bare, re.I | re.M):
            diffs.append(f"{shown(path)}: CONCURRENTLY, VACUUM or its own BEGIN/COMMIT cannot run in the runner's"
                         " transaction")
        if re.search(r"\bbillable_books\b", bare):
            diffs.append(f"{shown(path)}: billable_books belongs to the Rust migration runner")

    db = f"billable_check_{os.getpid()}"
    pg = Pg(args.host, args.port, args.user, db)
    tmp = tempfile.mkdtemp(prefix="pg-schema-check-")
    created = False
    try:
        run(pg.cmd("postgres") + ["-c", f"CREATE DATABASE {db} TEMPLATE template0 ENCODING 'UTF8'"])
        created = True
        version = pg.query("SHOW server_version_num")[0][0]
        if not version.startswith("15"):
            notes.append(f"server version {version}: the schema is written for PostgreSQL 15")
        for path in schemas:
            applied = pg.execute(path.read_text(), check=False)
            if applied.returncode != 0:
                print(f"{shown(path)} does not apply: {applied.stderr.strip()}")
                return 1
            report.append(f"applied {shown(path)} to {db} (PostgreSQL {version}) in one transaction")
        lite_path = os.path.join(tmp, "books.db")
        shutil.copy(args.sqlite_db, lite_path)
        lite = Lite(lite_path)
        report.append(f"SQLite book {args.sqlite_db}: schema version {lite.query('PRAGMA user_version')[0][0]}")

        ls = lite_schema(lite)
        ps = pg_schema(pg)
        compare_schema(ls, ps, diffs, notes)
        skipped = [n for (n,) in lite.query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name LIKE 'sqlite_%'")]
        if skipped:
            notes.append(f"SQLite's own tables not carried over: {', '.join(skipped)}")
        report.append(f"schema: {len(ls['tables'])} tables, {len(ls['indexes'])} named indexes,"
                      f" {sum(len(v) for v in ls['triggers'].values())} triggers in SQLite;"
                      f" {len(ps['tables'])} tables, {len(ps['indexes'])} named indexes,"
                      f" {sum(len(v) for v in ps['triggers'].values())} triggers in PostgreSQL")

        common = {t: info for t, info in ls["tables"].items() if t in ps["tables"]}
        lite_rows, pg_rows = dump_all(lite, "lite", common), dump_all(pg, "pg", common)
        seeded = []
        for t in sorted(common):
            a, b = lite_rows[t], pg_rows[t]
            if a or b:
                seeded.append(f"{t} ({len(a)}/{len(b)})")
            compare_rows(f"seed rows of {t}", a, b, diffs)
        report.append(f"seed rows (SQLite/PostgreSQL): {', '.join(seeded) or 'none'}")

        if args.scenario.exists():
            report.append(f"scenario {shown(args.scenario)}:")
            run_scenario(ls, lite, pg, args.scenario, diffs, report)
        else:
            diffs.append(f"scenario {args.scenario} is missing")
    except Failed as e:
        diffs.append(str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if created and not args.keep:
            run(pg.cmd("postgres") + ["-c", f"DROP DATABASE {db}"], check=False)
        elif created:
            report.append(f"kept database {db}")

    for line in report:
        print(line)
    for n in notes:
        print(f"note: {n}")
    for d in diffs:
        print(f"DIFFERENCE: {d}")
    print(f"{len(diffs)} differences, {len(notes)} notes")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
