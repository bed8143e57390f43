"""``app.notes`` and ``app.note_tags``: a user's notes and the tags on them."""
import datetime
import uuid
from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, relationship
from sqlalchemy.schema import Column

from .base import DELETED, LIVE, NOW, Base, SoftDelete, Timestamps, new_id, not_blank, text_literal, timestamptz
from .base import uuid_column

if TYPE_CHECKING:
    from .tags import Tag
    from .users import User

#: The generated ``search`` column, as PostgreSQL prints it (title weight A, body weight B).
NOTE_SEARCH = (
    "(setweight(to_tsvector('simple'::regconfig, title), 'A'::\"char\") || "
    "setweight(to_tsvector('simple'::regconfig, body), 'B'::\"char\"))"
)


class Note(Timestamps, SoftDelete, Base):
    """A note. ``search`` is generated, never written. Listed pinned first, then most recently edited. The title may
    be empty (its default), not blank (notes_title_not_blank_check)."""

    __tablename__ = "notes"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    id: Mapped[uuid.UUID] = new_id()
    title: Mapped[str] = Column(Text, nullable=False, server_default=text(text_literal("")))
    body: Mapped[str] = Column(Text, nullable=False, server_default=text(text_literal("")))
    pinned: Mapped[bool] = Column(Boolean, nullable=False, server_default=text("false"))
    search: Mapped[Optional[str]] = Column(TSVECTOR, Computed(NOTE_SEARCH, persisted=True), nullable=True)

    user: Mapped["User"] = relationship("User", back_populates="notes")
    tag_links: Mapped[List["NoteTag"]] = relationship(
        "NoteTag",
        primaryjoin="and_(Note.user_id == NoteTag.user_id, Note.id == foreign(NoteTag.note_id))",
        back_populates="note",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    #: Read-only view of the tags; tag a note by adding a NoteTag.
    tags: Mapped[List["Tag"]] = relationship(
        "Tag",
        secondary="app.note_tags",
        primaryjoin="and_(Note.user_id == NoteTag.user_id, Note.id == NoteTag.note_id)",
        secondaryjoin="and_(NoteTag.user_id == Tag.user_id, NoteTag.tag_id == Tag.id)",
        viewonly=True,
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id", name="notes_pkey"),
        ForeignKeyConstraint(["user_id"], ["app.users.id"], name="notes_user_fkey", ondelete="CASCADE"),
        CheckConstraint("(char_length(title) <= 500)", name="notes_title_check"),
        CheckConstraint(
            f"((title = {text_literal('')}) OR {not_blank('title')})", name="notes_title_not_blank_check"
        ),
        CheckConstraint("(char_length(body) <= 100000)", name="notes_body_check"),
        Index(
            "notes_list_idx",
            "user_id",
            text("pinned DESC"),
            text("updated_at DESC"),
            "id",
            postgresql_where=text(LIVE),
        ),
        Index("notes_search_idx", "user_id", "search", postgresql_using="gin", postgresql_where=text(LIVE)),
        Index("notes_deleted_at_idx", "deleted_at", postgresql_where=text(DELETED)),
    )
    __mapper_args__ = {"eager_defaults": True}

    def __repr__(self) -> str:
        return f"Note(user_id={self.user_id!r}, id={self.id!r}, title={self.title!r})"


class NoteTag(Base):
    """A tag on a note. Both sides belong to ``user_id`` (composite foreign keys)."""

    __tablename__ = "note_tags"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    note_id: Mapped[uuid.UUID] = uuid_column("note_id")
    tag_id: Mapped[uuid.UUID] = uuid_column("tag_id")
    created_at: Mapped[datetime.datetime] = timestamptz("created_at", nullable=False, server_default=NOW)

    note: Mapped["Note"] = relationship(
        "Note",
        primaryjoin="and_(NoteTag.user_id == Note.user_id, foreign(NoteTag.note_id) == Note.id)",
        back_populates="tag_links",
    )
    tag: Mapped["Tag"] = relationship(
        "Tag", primaryjoin="and_(NoteTag.user_id == Tag.user_id, foreign(NoteTag.tag_id) == Tag.id)"
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "note_id", "tag_id", name="note_tags_pkey"),
        ForeignKeyConstraint(
            ["user_id", "note_id"],
            ["app.notes.user_id", "app.notes.id"],
            name="note_tags_note_fkey",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["user_id", "tag_id"], ["app.tags.user_id", "app.tags.id"], name="note_tags_tag_fkey", ondelete="CASCADE"
        ),
        Index("note_tags_tag_idx", "user_id", "tag_id", "note_id"),
    )
    __mapper_args__ = {"eager_defaults": True}


__all__ = ["NOTE_SEARCH", "Note", "NoteTag"]
