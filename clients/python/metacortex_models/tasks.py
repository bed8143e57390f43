"""``app.tasks`` and ``app.task_tags``: a user's tasks, subtasks, and the tags on them."""
import datetime
import uuid
from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import CheckConstraint, Computed, ForeignKeyConstraint, Index, PrimaryKeyConstraint, Text, text
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, TSVECTOR
from sqlalchemy.orm import Mapped, relationship
from sqlalchemy.schema import Column

from .base import (
    DELETED,
    LIVE,
    NOW,
    Base,
    SmallIntEnum,
    SoftDelete,
    TextEnum,
    Timestamps,
    any_of,
    between,
    new_id,
    not_blank,
    text_literal,
    timestamptz,
    uuid_column,
)
from .enums import OPEN_STATUSES, TaskPriority, TaskStatus

if TYPE_CHECKING:
    from .tags import Tag
    from .users import User

#: The generated ``search`` column, as PostgreSQL prints it (title weight A, description weight B).
TASK_SEARCH = (
    "(setweight(to_tsvector('simple'::regconfig, COALESCE(title, ''::text)), 'A'::\"char\") || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(description, ''::text)), 'B'::\"char\"))"
)
#: The open-tasks predicate of tasks_open_due_cover_idx.
OPEN_LIVE = f"({LIVE} AND {any_of('status', OPEN_STATUSES)})"


class Task(Timestamps, SoftDelete, Base):
    """A task or subtask. Keyed ``(user_id, id)``: set ``user_id`` (the tenant) yourself; the database makes ``id``.
    ``search`` is generated, never written. ``completed_at`` is set exactly when ``status`` is done (a CHECK).
    ``position``, ``due_at`` and ``completed_at`` are finite (no NaN, no infinities). A ``parent_id`` that is the task
    itself or one of its subtasks, or nesting deeper than 64 ancestors, is refused on flush by the trigger
    ``tasks_refuse_parent_cycle`` (an IntegrityError whose ``orig.diag.constraint_name`` is
    ``tasks_parent_cycle_check`` or ``tasks_parent_depth_check``), whether set as ``parent_id`` or ``parent``. When
    the session has both tasks' ``parent`` loaded, SQLAlchemy finds the cycle first (CircularDependencyError)."""

    __tablename__ = "tasks"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    id: Mapped[uuid.UUID] = new_id()
    parent_id: Mapped[Optional[uuid.UUID]] = uuid_column("parent_id", nullable=True)
    title: Mapped[str] = Column(Text, nullable=False)
    description: Mapped[Optional[str]] = Column(Text, nullable=True)
    status: Mapped[TaskStatus] = Column(
        TextEnum(TaskStatus), nullable=False, server_default=text(text_literal(TaskStatus.TODO.value))
    )
    priority: Mapped[TaskPriority] = Column(
        SmallIntEnum(TaskPriority), nullable=False, server_default=text(str(int(TaskPriority.NORMAL)))
    )
    due_at: Mapped[Optional[datetime.datetime]] = timestamptz("due_at")
    completed_at: Mapped[Optional[datetime.datetime]] = timestamptz("completed_at")
    #: Manual order among siblings; fractional so a move rewrites one row.
    position: Mapped[float] = Column(DOUBLE_PRECISION, nullable=False, server_default=text("0"))
    search: Mapped[Optional[str]] = Column(TSVECTOR, Computed(TASK_SEARCH, persisted=True), nullable=True)

    user: Mapped["User"] = relationship("User", back_populates="tasks")
    # The tenant column is never written through a relationship: every join below matches user_id on both sides
    # (the composite keys), but only the other column is foreign(), so user_id stays what the app set.
    parent: Mapped[Optional["Task"]] = relationship(
        "Task",
        primaryjoin="and_(Task.user_id == remote(Task.user_id), foreign(Task.parent_id) == remote(Task.id))",
        back_populates="subtasks",
    )
    subtasks: Mapped[List["Task"]] = relationship(
        "Task",
        primaryjoin="and_(remote(Task.user_id) == Task.user_id, remote(foreign(Task.parent_id)) == Task.id)",
        back_populates="parent",
        order_by="Task.position",
        passive_deletes=True,
    )
    tag_links: Mapped[List["TaskTag"]] = relationship(
        "TaskTag",
        primaryjoin="and_(Task.user_id == TaskTag.user_id, Task.id == foreign(TaskTag.task_id))",
        back_populates="task",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    #: Read-only view of the tags; tag a task by adding a TaskTag (``task.tag_links.append(TaskTag(...))``).
    tags: Mapped[List["Tag"]] = relationship(
        "Tag",
        secondary="app.task_tags",
        primaryjoin="and_(Task.user_id == TaskTag.user_id, Task.id == TaskTag.task_id)",
        secondaryjoin="and_(TaskTag.user_id == Tag.user_id, TaskTag.tag_id == Tag.id)",
        viewonly=True,
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id", name="tasks_pkey"),
        ForeignKeyConstraint(["user_id"], ["app.users.id"], name="tasks_user_fkey", ondelete="CASCADE"),
        # PostgreSQL 15's column list: purging a parent sets parent_id to NULL and keeps user_id.
        ForeignKeyConstraint(
            ["user_id", "parent_id"],
            ["app.tasks.user_id", "app.tasks.id"],
            name="tasks_parent_fkey",
            ondelete="SET NULL",
            info={"ondelete_columns": ("parent_id",)},
        ),
        CheckConstraint("(parent_id <> id)", name="tasks_parent_not_self_check"),
        CheckConstraint(between("char_length(title)", 1, 500), name="tasks_title_check"),
        CheckConstraint(not_blank("title"), name="tasks_title_not_blank_check"),
        CheckConstraint("(char_length(description) <= 20000)", name="tasks_description_check"),
        CheckConstraint(any_of("status", TaskStatus), name="tasks_status_check"),
        CheckConstraint(between("priority", min(TaskPriority), max(TaskPriority)), name="tasks_priority_check"),
        CheckConstraint(
            f"((status = {text_literal(TaskStatus.DONE.value)}) = (completed_at IS NOT NULL))",
            name="tasks_completed_check",
        ),
        CheckConstraint(
            "((\"position\" > '-Infinity'::double precision) AND (\"position\" < 'Infinity'::double precision))",
            name="tasks_position_finite_check",
        ),
        CheckConstraint("isfinite(due_at)", name="tasks_due_at_finite_check"),
        CheckConstraint("isfinite(completed_at)", name="tasks_completed_at_finite_check"),
        # Open tasks by due date (keyset on due_at, id) and the overdue list: index-only with these INCLUDEs.
        Index(
            "tasks_open_due_cover_idx",
            "user_id",
            "due_at",
            "id",
            postgresql_include=["title", "status", "priority"],
            postgresql_where=text(OPEN_LIVE),
        ),
        # Status + priority filter, and counts per status.
        Index(
            "tasks_status_priority_cover_idx",
            "user_id",
            "status",
            "priority",
            "due_at",
            "id",
            postgresql_include=["title"],
            postgresql_where=text(LIVE),
        ),
        Index("tasks_parent_idx", "user_id", "parent_id", "position", postgresql_where=text("(parent_id IS NOT NULL)")),
        Index("tasks_search_idx", "user_id", "search", postgresql_using="gin", postgresql_where=text(LIVE)),
        Index("tasks_deleted_at_idx", "deleted_at", postgresql_where=text(DELETED)),
    )
    __mapper_args__ = {"eager_defaults": True}

    def __repr__(self) -> str:
        return f"Task(user_id={self.user_id!r}, id={self.id!r}, title={self.title!r})"


class TaskTag(Base):
    """A tag on a task. Both sides belong to ``user_id`` (composite foreign keys)."""

    __tablename__ = "task_tags"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    task_id: Mapped[uuid.UUID] = uuid_column("task_id")
    tag_id: Mapped[uuid.UUID] = uuid_column("tag_id")
    created_at: Mapped[datetime.datetime] = timestamptz("created_at", nullable=False, server_default=NOW)

    task: Mapped["Task"] = relationship(
        "Task",
        primaryjoin="and_(TaskTag.user_id == Task.user_id, foreign(TaskTag.task_id) == Task.id)",
        back_populates="tag_links",
    )
    tag: Mapped["Tag"] = relationship(
        "Tag", primaryjoin="and_(TaskTag.user_id == Tag.user_id, foreign(TaskTag.tag_id) == Tag.id)"
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "task_id", "tag_id", name="task_tags_pkey"),
        ForeignKeyConstraint(
            ["user_id", "task_id"],
            ["app.tasks.user_id", "app.tasks.id"],
            name="task_tags_task_fkey",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["user_id", "tag_id"], ["app.tags.user_id", "app.tags.id"], name="task_tags_tag_fkey", ondelete="CASCADE"
        ),
        # Tasks by tag (filter task_tags.tag_id directly); also the index behind task_tags_tag_fkey.
        Index("task_tags_tag_idx", "user_id", "tag_id", "task_id"),
    )
    __mapper_args__ = {"eager_defaults": True}


__all__ = ["OPEN_LIVE", "TASK_SEARCH", "Task", "TaskTag"]
