"""Statements for the list endpoints, written so that each one is served by the index docs/schema.md names for it.

Each returns a 2.0-style ``select()`` to run in a tenant session (``session.execute(stmt).scalars()``). They:

* say ``user_id = :user`` although row-level security adds it too: the planner needs it as an index condition;
* say ``deleted_at IS NULL`` and, for open tasks, ``status IN ('todo', 'in_progress', 'blocked')`` literally (not as
  bind parameters), so the partial indexes' predicates are implied even by a generic prepared-statement plan;
* load only the columns the covering index holds (``load_only``), so PostgreSQL answers from the index alone;
* page by keyset (``(due_at, id) > (:last_due, :last_id)``), never by OFFSET, so page 100 costs what page 1 does.

``CANONICAL`` maps each helper to the canonical query (postgres/queries.ts, docs/schema.md) whose plan it shares.
"""
import datetime
import uuid
from typing import NamedTuple, Optional

from sqlalchemy import and_, func, literal, literal_column, select, tuple_
from sqlalchemy.orm import load_only
from sqlalchemy.sql import Select

from .enums import OPEN_STATUSES, TaskPriority, TaskStatus
from .tasks import Task, TaskTag

PAGE = 50

#: The columns tasks_open_due_cover_idx holds besides its keys (user_id, due_at, id): an index-only scan.
OPEN_TASK_COLUMNS = (Task.title, Task.status, Task.priority, Task.due_at)
#: tasks_status_priority_cover_idx: keys (user_id, status, priority, due_at, id) and INCLUDE (title).
STATUS_PRIORITY_COLUMNS = (Task.title, Task.status, Task.priority, Task.due_at)
#: What a tag's task list shows (the tasks are read by primary key after task_tags_tag_idx).
TAG_TASK_COLUMNS = (Task.title, Task.status, Task.due_at)
SUBTASK_COLUMNS = (Task.title, Task.status, Task.position)

#: ``status IN ('todo', 'in_progress', 'blocked')`` with the values as literals, as the index predicate says it.
OPEN = Task.status.in_([literal_column("'" + s.value + "'") for s in OPEN_STATUSES])
LIVE_TASK = Task.deleted_at.is_(None)
#: Before every due date: the cursor of a first page. Tasks without a due date are in no due-date list.
_START_DUE = literal_column("'-infinity'::timestamptz")
_START_ID = literal_column("'00000000-0000-0000-0000-000000000000'::uuid")


class DueCursor(NamedTuple):
    """Where a due-date page ended: the last row's ``(due_at, id)``."""

    due_at: datetime.datetime
    id: uuid.UUID

    @classmethod
    def after(cls, task: Task) -> "DueCursor":
        return cls(task.due_at, task.id)


def _cursor(after: DueCursor):
    """The cursor as bind parameters typed like the columns (timestamptz, uuid)."""
    return literal(after.due_at, Task.due_at.type), literal(after.id, Task.id.type)


def open_tasks_by_due(user_id: uuid.UUID, after: Optional[DueCursor] = None, limit: int = PAGE) -> Select:
    """A page of the user's open tasks by due date; pass ``DueCursor.after(last_row)`` for the next page."""
    due, task_id = _cursor(after) if after else (_START_DUE, _START_ID)
    return (
        select(Task)
        .options(load_only(*OPEN_TASK_COLUMNS))
        .where(Task.user_id == user_id, LIVE_TASK, OPEN, tuple_(Task.due_at, Task.id) > tuple_(due, task_id))
        .order_by(Task.due_at, Task.id)
        .limit(limit)
    )


def overdue_tasks(user_id: uuid.UUID, limit: int = PAGE) -> Select:
    """Open tasks past their due date, oldest first."""
    return (
        select(Task)
        .options(load_only(*OPEN_TASK_COLUMNS))
        .where(Task.user_id == user_id, LIVE_TASK, OPEN, Task.due_at < func.now())
        .order_by(Task.due_at, Task.id)
        .limit(limit)
    )


def tasks_by_status_priority(
    user_id: uuid.UUID,
    status: TaskStatus,
    priority: TaskPriority,
    after: Optional[DueCursor] = None,
    limit: int = PAGE,
) -> Select:
    """Tasks with one status and priority, by due date (keyset as for ``open_tasks_by_due``)."""
    conditions = [Task.user_id == user_id, LIVE_TASK, Task.status == status, Task.priority == priority]
    if after is not None:
        conditions.append(tuple_(Task.due_at, Task.id) > tuple_(*_cursor(after)))
    return (
        select(Task)
        .options(load_only(*STATUS_PRIORITY_COLUMNS))
        .where(*conditions)
        .order_by(Task.due_at, Task.id)
        .limit(limit)
    )


def tasks_by_tag(
    user_id: uuid.UUID, tag_id: uuid.UUID, before: Optional[uuid.UUID] = None, limit: int = PAGE
) -> Select:
    """Live tasks carrying a tag, newest first. Filters ``task_tags.tag_id`` directly (task_tags_tag_idx), never by
    tag name through ``tags``; ``before``: the last task id of the previous page."""
    conditions = [TaskTag.user_id == user_id, TaskTag.tag_id == tag_id, LIVE_TASK]
    if before is not None:
        conditions.append(Task.id < before)
    return (
        select(Task)
        .join(TaskTag, and_(TaskTag.user_id == Task.user_id, TaskTag.task_id == Task.id))
        .options(load_only(*TAG_TASK_COLUMNS))
        .where(*conditions)
        .order_by(Task.id.desc())
        .limit(limit)
    )


def subtasks(user_id: uuid.UUID, parent_id: uuid.UUID, limit: int = 100) -> Select:
    """A task's live subtasks in manual order (tasks_parent_idx)."""
    return (
        select(Task)
        .options(load_only(*SUBTASK_COLUMNS))
        .where(Task.user_id == user_id, Task.parent_id == parent_id, LIVE_TASK)
        .order_by(Task.position)
        .limit(limit)
    )


def counts_per_status(user_id: uuid.UUID) -> Select:
    """``(status, count)`` of the user's live tasks: an index-only scan of tasks_status_priority_cover_idx."""
    return select(Task.status, func.count()).where(Task.user_id == user_id, LIVE_TASK).group_by(Task.status)


#: Helper -> the canonical query (docs/schema.md, "The plans") whose index it must use.
CANONICAL = {
    "open_tasks_by_due": "open_by_due",
    "overdue_tasks": "overdue",
    "tasks_by_status_priority": "status_priority",
    "tasks_by_tag": "by_tag",
    "subtasks": "subtasks",
    "counts_per_status": "counts_per_status",
}
