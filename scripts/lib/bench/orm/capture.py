"""Prints, as JSON, the SQL text the backend sends for each statement of the ORM benchmark (``npm run bench -- orm``):
built with the backend's models and list helpers (clients/python/metacortex_models), given the live-rows criterion a
TenantSession adds, compiled by SQLAlchemy for psycopg2 and rendered with psycopg2's own adaptation of each value.

Per-user values are sentinels (``SENTINELS``) that the benchmark replaces with each transaction's user, tag, habit
and cursor. Each entry: ``{"name", "sql", "owner_sql"}``; ``owner_sql`` is the same statement with the tenant named
explicitly, for a run without row-level security (it equals ``sql`` when the statement already names the user).
Run with Debian's python3 and PYTHONPATH=clients/python (scripts/lib/local/python.ts does both).
"""
import datetime
import json
import sys
import uuid

from psycopg2.extensions import adapt
from psycopg2.extras import register_uuid
from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import load_only, with_loader_criteria

from metacortex_models import HabitCheckin, SoftDelete, Tag, Task, TaskStatus, TaskTag
from metacortex_models import queries as q

UTC = datetime.timezone.utc
SENTINELS = {
    "uid": uuid.UUID("00000000-0000-7000-8000-0000000000a1"),
    "tag": uuid.UUID("00000000-0000-7000-8000-0000000000a2"),
    "habit": uuid.UUID("00000000-0000-7000-8000-0000000000a3"),
    "cursor_id": uuid.UUID("00000000-0000-7000-8000-0000000000a4"),
    "cursor_due": datetime.datetime(2001, 1, 1, tzinfo=UTC),
    "since": datetime.datetime(2002, 2, 2, tzinfo=UTC),
    "until": datetime.datetime(2003, 3, 3, tzinfo=UTC),
    "pattern": "%sentinelword%",
}
S = SENTINELS
ENTITY_COLUMNS = (Task.title, Task.status, Task.priority, Task.due_at, Task.updated_at)


def tasks(*conditions):
    """``select(Task)`` (every mapped column, as ``session.query(Task)`` loads them) for the user."""
    return select(Task).where(Task.user_id == S["uid"], *conditions)


def open_rls_only(tenant):
    """The open-tasks page as the helper writes it, but trusting row-level security for the tenant."""
    conditions = [q.LIVE_TASK, q.OPEN, tuple_(Task.due_at, Task.id) > tuple_(q._START_DUE, q._START_ID)]
    if tenant:
        conditions.insert(0, Task.user_id == S["uid"])
    stmt = select(Task).options(load_only(*q.OPEN_TASK_COLUMNS)).where(*conditions)
    return stmt.order_by(Task.due_at, Task.id).limit(q.PAGE)


def statements():
    """(name, statement, owner statement or None): the shapes an ORM writes by default, and the ones to use."""
    recent = (Task.updated_at.desc(), Task.id.desc())
    history = (HabitCheckin.user_id == S["uid"], HabitCheckin.habit_id == S["habit"])
    return [
        ("open_entity", tasks(q.OPEN).order_by(Task.due_at, Task.id).limit(50), None),
        ("open_load_only", q.open_tasks_by_due(S["uid"]), None),
        ("open_rls_only", open_rls_only(False), open_rls_only(True)),
        ("open_offset_page3", tasks(q.OPEN).order_by(Task.due_at, Task.id).limit(50).offset(100), None),
        ("open_keyset_page3", q.open_tasks_by_due(S["uid"], q.DueCursor(S["cursor_due"], S["cursor_id"])), None),
        ("recent_entity", tasks().order_by(*recent).limit(50), None),
        ("recent_load_only", tasks().options(load_only(*ENTITY_COLUMNS)).order_by(*recent).limit(50), None),
        (
            "done_this_week",
            tasks(Task.status == TaskStatus.DONE, Task.completed_at >= func.now() - datetime.timedelta(days=7))
            .order_by(Task.completed_at.desc())
            .limit(50),
            None,
        ),
        ("substring_entity", tasks(Task.title.ilike(S["pattern"])).order_by(*recent).limit(50), None),
        (
            "substring_load_only",
            tasks(Task.title.ilike(S["pattern"])).options(load_only(*ENTITY_COLUMNS)).order_by(*recent).limit(50),
            None,
        ),
        (
            "tag_status_relationship",
            tasks(Task.tags.any(Tag.id == S["tag"]), q.OPEN).order_by(Task.id.desc()).limit(50),
            None,
        ),
        ("tag_status_direct", q.tasks_by_tag(S["uid"], S["tag"]).where(q.OPEN), None),
        (
            "habit_30d_now",
            select(HabitCheckin)
            .where(*history, HabitCheckin.checked_at >= func.now() - datetime.timedelta(days=30))
            .order_by(HabitCheckin.checked_at),
            None,
        ),
        (
            "habit_30d_bounds",
            select(HabitCheckin)
            .where(*history, HabitCheckin.checked_at >= S["since"], HabitCheckin.checked_at < S["until"])
            .order_by(HabitCheckin.checked_at),
            None,
        ),
        ("dashboard_counts", q.counts_per_status(S["uid"]), None),
    ]


def sent_sql(statement):
    """The text psycopg2 sends: the TenantSession's live-rows criterion added, bind values adapted by psycopg2."""
    statement = statement.options(
        with_loader_criteria(SoftDelete, lambda cls: cls.deleted_at.is_(None), include_aliases=True)
    )
    dialect = postgresql.psycopg2.dialect()
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = {}
    for name, value in compiled.params.items():
        processor = compiled._bind_processors.get(name)
        value = processor(value) if processor else value
        params[name] = adapt(value).getquoted().decode()
    return compiled.string % params


def main():
    # As SQLAlchemy's psycopg2 dialect does on connect (use_native_uuid): uuid values go as '...'::uuid.
    register_uuid()
    out = []
    for name, statement, owner in statements():
        sql = sent_sql(statement)
        out.append({"name": name, "sql": sql, "owner_sql": sent_sql(owner) if owner is not None else sql})
    json.dump({"sqlalchemy": __import__("sqlalchemy").__version__, "sentinels": _sentinel_text(), "statements": out},
              sys.stdout, indent=2)


def _sentinel_text():
    """Each sentinel as it appears in the SQL text."""
    return {name: adapt(v).getquoted().decode() for name, v in S.items()}


if __name__ == "__main__":
    main()
