"""Runs the Python blocks of docs/orm-queries.md against a seeded database, as the backend runs statements: psycopg2,
a tenant session (app.set_tenant, live rows only), the app role under row-level security. Every function preceded by
``# plan: <regex>`` is called with fixtures matched by parameter name, its statement executed, and the exact SQL the
driver sent EXPLAINed; the plan's access paths must match the regex. Prints one JSON line per function; exits 1 if
any does not match. Environment: METACORTEX_ADMIN_URL (fixtures), METACORTEX_APP_URL (the app role).
Run by test/backend/querySnippets.test.ts."""
import datetime
import inspect
import json
import os
import re
import sys
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from metacortex_models.session import create_app_engine, tenant_session, tenant_sessionmaker
from metacortex_models.urls import engine_url

DOC = Path(__file__).resolve().parents[2] / "docs" / "orm-queries.md"

FIXTURES_SQL = """
SELECT t.user_id,
       (SELECT x.tag_id FROM app.task_tags x WHERE x.user_id = t.user_id GROUP BY x.tag_id
         ORDER BY count(*) DESC LIMIT 1) AS tag_id,
       (SELECT h.id FROM app.habits h WHERE h.user_id = t.user_id AND h.archived_at IS NULL LIMIT 1) AS habit_id,
       (SELECT split_part(min(x.title), ' ', 2) FROM app.tasks x WHERE x.user_id = t.user_id) AS word,
       (SELECT array[x.due_at::text, x.id::text] FROM app.tasks x WHERE x.user_id = t.user_id AND x.deleted_at IS NULL
           AND x.status IN ('todo', 'in_progress', 'blocked') AND x.due_at IS NOT NULL ORDER BY x.due_at, x.id
           OFFSET 20 LIMIT 1) AS cursor
  FROM app.tasks t
 WHERE EXISTS (SELECT 1 FROM app.habits h WHERE h.user_id = t.user_id AND h.archived_at IS NULL)
   AND EXISTS (SELECT 1 FROM app.task_tags x WHERE x.user_id = t.user_id)
 GROUP BY t.user_id ORDER BY count(*) DESC LIMIT 1"""


def access_paths(node):
    """Access paths in plan order, partition scans of one index counted once: "... (N partitions)"."""
    found = []

    def walk(n):
        if n.get("Index Name"):
            found.append(f"{n['Node Type']} using {n['Index Name']}")
        elif n["Node Type"] == "Seq Scan":
            found.append(f"Seq Scan on {n['Relation Name']}")
        for child in n.get("Plans", []):
            walk(child)

    walk(node)
    counts = {}
    for path in found:
        key = re.sub(r"_(?:p\d{4}_\d{2}|default)(?=_|$)", "_<partition>", path)
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(k if n == 1 else f"{k} ({n} partitions)" for k, n in counts.items())


def fixtures():
    admin = create_engine(engine_url(os.environ["METACORTEX_ADMIN_URL"], "psycopg2"), future=True, poolclass=NullPool)
    with admin.connect() as connection:
        row = connection.execute(text(FIXTURES_SQL)).one()
    admin.dispose()
    due, last_id = row.cursor
    return {
        "user_id": row.user_id,
        "tag_id": row.tag_id,
        "habit_id": row.habit_id,
        "word": row.word[:4],
        "since": datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=7),
        "last_due": datetime.datetime.fromisoformat(due),
        "last_id": last_id,
    }


def explain(engine, factory, user_id, statement):
    sent = []
    listener = lambda conn, cursor, sql, params, context, many: sent.append((sql, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with tenant_session(factory, user_id) as session:
            session.execute(statement).all()
            sql, params = sent[-1]
            plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + sql, params).scalar_one()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]


def main():
    doc = DOC.read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    namespace = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)
    expected = re.findall(r"^# plan: (.+)\ndef (\w+)\(", "\n".join(blocks), flags=re.M)
    if not expected:
        sys.exit("no '# plan:' functions in docs/orm-queries.md")
    values = fixtures()
    engine = create_app_engine(os.environ["METACORTEX_APP_URL"], application_name="metacortex-doc-snippets")
    factory = tenant_sessionmaker(engine)
    failed = 0
    for pattern, name in expected:
        function = namespace[name]
        args = {p: values[p] for p in inspect.signature(function).parameters if p in values}
        paths = access_paths(explain(engine, factory, values["user_id"], function(**args)))
        ok = re.search(pattern, paths) is not None
        failed += not ok
        print(json.dumps({"function": name, "expected": pattern, "plan": paths, "ok": ok}))
    engine.dispose()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
