"""``app.users``: the tenant root. Every other table's ``user_id`` is a ``users.id``."""
import uuid
from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import CheckConstraint, Index, PrimaryKeyConstraint, Text, text
from sqlalchemy.orm import Mapped, relationship
from sqlalchemy.schema import Column

from .base import DELETED, LIVE, Base, CIText, SoftDelete, Timestamps, between, new_id, not_blank, text_literal

if TYPE_CHECKING:
    from .habits import Habit
    from .notes import Note
    from .tags import Tag
    from .tasks import Task

#: The longest ``password_hash`` the database takes (users_password_hash_check): argon2id and bcrypt hashes in their
#: standard encodings are under 200 characters.
PASSWORD_HASH_MAX_LENGTH = 255


class User(Timestamps, SoftDelete, Base):
    """A person; the tenant of every other table. Under row-level security the app role sees only the user of the
    transaction's tenant (``app.set_tenant``). Log-in and sign-up go through ``app.find_user_for_login`` and
    ``app.sign_up`` (SECURITY DEFINER functions), the only way past the users policy before the user is known."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = new_id()
    #: Unique case-insensitively among live users (users_email_key).
    email: Mapped[str] = Column(CIText(), nullable=False)
    display_name: Mapped[str] = Column(Text, nullable=False)
    #: IANA zone name, validated against the server's list (users_time_zone_check).
    time_zone: Mapped[str] = Column(Text, nullable=False, server_default=text(text_literal("UTC")))
    #: From the backend's password library, at most PASSWORD_HASH_MAX_LENGTH characters; the audit log redacts it.
    password_hash: Mapped[Optional[str]] = Column(Text, nullable=True)

    # Large collections: never loaded implicitly (lazy="raise"); page them with metacortex_models.queries.
    tasks: Mapped[List["Task"]] = relationship(
        "Task",
        primaryjoin="User.id == foreign(Task.user_id)",
        back_populates="user",
        lazy="raise",
        passive_deletes=True,
    )
    notes: Mapped[List["Note"]] = relationship(
        "Note",
        primaryjoin="User.id == foreign(Note.user_id)",
        back_populates="user",
        lazy="raise",
        passive_deletes=True,
    )
    tags: Mapped[List["Tag"]] = relationship(
        "Tag",
        primaryjoin="User.id == foreign(Tag.user_id)",
        back_populates="user",
        lazy="raise",
        passive_deletes=True,
    )
    habits: Mapped[List["Habit"]] = relationship(
        "Habit",
        primaryjoin="User.id == foreign(Habit.user_id)",
        back_populates="user",
        lazy="raise",
        passive_deletes=True,
    )

    __table_args__ = (
        PrimaryKeyConstraint("id", name="users_pkey"),
        CheckConstraint(
            "(" + between("char_length((email)::text)", 3, 320) + " AND ((email)::text ~~ '%_@_%'::text))",
            name="users_email_check",
        ),
        CheckConstraint(between("char_length(display_name)", 1, 100), name="users_display_name_check"),
        CheckConstraint(not_blank("display_name"), name="users_display_name_not_blank_check"),
        CheckConstraint("((now() AT TIME ZONE time_zone) IS NOT NULL)", name="users_time_zone_check"),
        CheckConstraint(
            f"(char_length(password_hash) <= {PASSWORD_HASH_MAX_LENGTH})", name="users_password_hash_check"
        ),
        Index("users_email_key", "email", unique=True, postgresql_where=text(LIVE)),
        Index("users_deleted_at_idx", "deleted_at", postgresql_where=text(DELETED)),
    )
    __mapper_args__ = {"eager_defaults": True}

    def __repr__(self) -> str:
        return f"User(id={self.id!r})"


__all__ = ["PASSWORD_HASH_MAX_LENGTH", "User"]
