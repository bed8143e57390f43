"""``app.tags``: a user's labels for tasks and notes."""
import uuid
from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, Text, text
from sqlalchemy.orm import Mapped, relationship
from sqlalchemy.schema import Column

from .base import DELETED, LIVE, Base, SoftDelete, Timestamps, between, new_id, not_blank, uuid_column

if TYPE_CHECKING:
    from .notes import Note
    from .tasks import Task
    from .users import User


class Tag(Timestamps, SoftDelete, Base):
    """A label. The name holds a visible character and is unique per user ignoring case, among live tags
    (tags_name_not_blank_check, tags_name_key)."""

    __tablename__ = "tags"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    id: Mapped[uuid.UUID] = new_id()
    name: Mapped[str] = Column(Text, nullable=False)
    #: ``#rrggbb``, lower-case hex (tags_color_check).
    color: Mapped[Optional[str]] = Column(Text, nullable=True)

    user: Mapped["User"] = relationship("User", back_populates="tags")
    # Read-only and never loaded implicitly: a tag's tasks are a list endpoint (queries.tasks_by_tag).
    tasks: Mapped[List["Task"]] = relationship(
        "Task",
        secondary="app.task_tags",
        primaryjoin="and_(Tag.user_id == TaskTag.user_id, Tag.id == TaskTag.tag_id)",
        secondaryjoin="and_(TaskTag.user_id == Task.user_id, TaskTag.task_id == Task.id)",
        viewonly=True,
        lazy="raise",
    )
    notes: Mapped[List["Note"]] = relationship(
        "Note",
        secondary="app.note_tags",
        primaryjoin="and_(Tag.user_id == NoteTag.user_id, Tag.id == NoteTag.tag_id)",
        secondaryjoin="and_(NoteTag.user_id == Note.user_id, NoteTag.note_id == Note.id)",
        viewonly=True,
        lazy="raise",
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id", name="tags_pkey"),
        ForeignKeyConstraint(["user_id"], ["app.users.id"], name="tags_user_fkey", ondelete="CASCADE"),
        CheckConstraint(between("char_length(name)", 1, 64), name="tags_name_check"),
        CheckConstraint(not_blank("name"), name="tags_name_not_blank_check"),
        CheckConstraint("(color ~ '^#[0-9a-f]{6}$'::text)", name="tags_color_check"),
        Index("tags_name_key", "user_id", text("lower(name)"), unique=True, postgresql_where=text(LIVE)),
        Index("tags_deleted_at_idx", "deleted_at", postgresql_where=text(DELETED)),
    )
    __mapper_args__ = {"eager_defaults": True}

    def __repr__(self) -> str:
        return f"Tag(user_id={self.user_id!r}, id={self.id!r}, name={self.name!r})"


__all__ = ["Tag"]
