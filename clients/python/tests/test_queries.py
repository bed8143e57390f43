"""Each list helper's SQL, as the backend emits it (psycopg2, through PgBouncer, app role, tenant session), uses the
index docs/schema.md names for its canonical query, index-only where the index covers the helper's columns.
Needs a seeded database (db:seed; test/backend/models.test.ts seeds it and runs VACUUM ANALYZE)."""
import json
import re
import sys
import unittest
from pathlib import Path

from sqlalchemy import event, select, text

from metacortex_models import Task, TaskPriority, TaskStatus
from metacortex_models import queries as q
from metacortex_models.session import tenant_session, tenant_sessionmaker

from .support import admin_engine, app_engine

SCHEMA_DOC = Path(__file__).resolve().parents[3] / "docs" / "schema.md"
#: Helpers whose load_only columns the index holds: the plan must not visit the heap.
INDEX_ONLY = {"open_tasks_by_due", "overdue_tasks", "tasks_by_status_priority", "counts_per_status"}


def documented_indexes() -> dict:
    """Canonical query -> index, from docs/schema.md's "The plans" (``### name: ...`` then ``Index: `x```)."""
    found = re.findall(r"^### (\w+):[^\n]*\n\nIndex: `(\w+)`", SCHEMA_DOC.read_text(), flags=re.M)
    return dict(found)


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


class ListHelperPlanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.documented = documented_indexes()
        admin = admin_engine()
        with admin.connect() as connection:
            fixture = connection.execute(
                text(
                    """
                    SELECT t.user_id,
                           (SELECT tag_id FROM app.task_tags x WHERE x.user_id = t.user_id
                             GROUP BY tag_id ORDER BY count(*) DESC LIMIT 1) AS tag_id,
                           (SELECT parent_id FROM app.tasks p WHERE p.user_id = t.user_id AND parent_id IS NOT NULL
                               AND deleted_at IS NULL LIMIT 1) AS parent_id
                      FROM app.tasks t
                     WHERE EXISTS (SELECT 1 FROM app.task_tags x WHERE x.user_id = t.user_id)
                     GROUP BY t.user_id ORDER BY count(*) DESC LIMIT 1"""
                )
            ).one()
        admin.dispose()
        cls.user, cls.tag, cls.parent = fixture.user_id, fixture.tag_id, fixture.parent_id
        cls.engine = app_engine()
        cls.Session = tenant_sessionmaker(cls.engine)

    @classmethod
    def tearDownClass(cls):
        cls.engine.dispose()

    def explain(self, statement):
        """Runs ``statement`` in a tenant session and EXPLAINs (ANALYZE, BUFFERS) exactly the SQL and parameters the
        driver was given; returns the plan and the rows."""
        sent = []
        listener = lambda conn, cursor, sql, params, context, many: sent.append((sql, params))  # noqa: E731
        event.listen(self.engine, "before_cursor_execute", listener)
        try:
            with tenant_session(self.Session, self.user) as session:
                rows = session.execute(statement).all()
                sql, params = sent[-1]
                plan = session.connection().exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params
                ).scalar_one()
        finally:
            event.remove(self.engine, "before_cursor_execute", listener)
        return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"], rows

    def check(self, helper: str, statement):
        plan, rows = self.explain(statement)
        index = self.documented[q.CANONICAL[helper]]
        nodes = list(plan_nodes(plan))
        using = [n for n in nodes if n.get("Index Name") == index]
        self.assertTrue(using, f"{helper}: expected {index} (docs/schema.md), plan: {json.dumps(plan)[:1500]}")
        self.assertFalse([n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "tasks"])
        self.assertGreater(len(rows), 0, f"{helper} returns rows for the fixture user")
        if helper in INDEX_ONLY:
            self.assertEqual(
                (using[0]["Node Type"], using[0].get("Heap Fetches")), ("Index Only Scan", 0), f"{helper}: {using[0]}"
            )
        buffers = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
        summary = f"{using[0]['Node Type']} using {index}, {len(rows)} rows, {buffers} shared buffers"
        print(f"plan: {helper}: {summary}", file=sys.stderr)
        return buffers

    def test_open_tasks_by_due_both_pages(self):
        first = self.check("open_tasks_by_due", q.open_tasks_by_due(self.user))
        with tenant_session(self.Session, self.user) as session:
            page = session.execute(q.open_tasks_by_due(self.user)).scalars().all()
        self.check("open_tasks_by_due", q.open_tasks_by_due(self.user, after=q.DueCursor.after(page[-1]), limit=20))
        self.assertLessEqual(first, 10)

    def test_load_only_is_what_makes_the_open_list_index_only(self):
        # The same query loading every column must visit the heap: the load_only set is not decoration.
        where = q.open_tasks_by_due(self.user).whereclause
        full = select(Task).where(where).order_by(Task.due_at, Task.id).limit(q.PAGE)
        plan, _ = self.explain(full)
        scans = [n["Node Type"] for n in plan_nodes(plan) if n.get("Index Name") == "tasks_open_due_cover_idx"]
        self.assertEqual(scans, ["Index Scan"])
        buffers = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
        print(f"plan: open_tasks_by_due without load_only: Index Scan, {buffers} shared buffers", file=sys.stderr)

    def test_overdue_tasks(self):
        self.check("overdue_tasks", q.overdue_tasks(self.user))

    def test_tasks_by_status_priority(self):
        statement = q.tasks_by_status_priority(self.user, TaskStatus.TODO, TaskPriority.NORMAL)
        self.check("tasks_by_status_priority", statement)

    def test_tasks_by_tag(self):
        self.check("tasks_by_tag", q.tasks_by_tag(self.user, self.tag))

    def test_subtasks(self):
        self.check("subtasks", q.subtasks(self.user, self.parent))

    def test_counts_per_status(self):
        self.check("counts_per_status", q.counts_per_status(self.user))

    def test_every_helper_names_a_documented_query(self):
        self.assertTrue(set(q.CANONICAL.values()) <= set(self.documented), sorted(self.documented))
