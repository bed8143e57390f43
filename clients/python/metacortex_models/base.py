"""Declarative base, column types and SQL fragments shared by the models.

Every text fragment that the database stores in normalized form (server defaults, generated columns, CHECK
constraints, index predicates) is written here exactly as PostgreSQL 15 prints it back (``pg_get_expr``,
``pg_get_constraintdef``), so the schema comparison can compare text for text and show both sides on a mismatch.
"""
import datetime
import enum
from typing import Iterable, Optional, Type

from sqlalchemy import MetaData, SmallInteger, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP, UUID
from sqlalchemy.orm import Mapped, declarative_base
from sqlalchemy.schema import Column, FetchedValue
from sqlalchemy.types import TypeDecorator, UserDefinedType

SCHEMA = "app"

#: Every model's table lives in schema ``app``; constraint and index names are explicit in each model (they are the
#: database's names, which error messages carry: docs/conventions.md).
metadata = MetaData(schema=SCHEMA)
Base = declarative_base(metadata=metadata)


class CIText(UserDefinedType):
    """``ext.citext`` (extension citext in schema ``ext``): compare as written, the database ignores case."""

    cache_ok = True

    def get_col_spec(self, **kw):
        return "ext.citext"

    @property
    def python_type(self):
        return str


class TextEnum(TypeDecorator):
    """A ``text`` column whose CHECK allows the values of a ``str`` Enum; reads back as the Enum member."""

    impl = Text
    cache_ok = True

    def __init__(self, enum_class: Type[enum.Enum]):
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)

    @property
    def python_type(self):
        return self.enum_class


class SmallIntEnum(TextEnum):
    """A ``smallint`` column whose CHECK allows the values of an IntEnum; reads back as the IntEnum member."""

    impl = SmallInteger
    cache_ok = True


class SmallIntEnumSet(TypeDecorator):
    """A ``smallint[]`` column whose CHECKs allow each value of an IntEnum at most once, in a flat array: reads back
    as a frozenset of members. Writes any iterable of members (or their integers) as the sorted array of its distinct
    values, so the model cannot send a repeat; a value outside the enum raises ValueError before the database sees
    it. Immutable on purpose: change the column by assigning a new set, which the session always notices."""

    impl = ARRAY
    cache_ok = True

    def __init__(self, enum_class: Type[enum.IntEnum]):
        super().__init__(SmallInteger)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise TypeError(f"expected a set of {self.enum_class.__name__}, got {value!r}")
        return sorted({int(self.enum_class(v)) for v in value})

    def process_result_value(self, value, dialect):
        return None if value is None else frozenset(self.enum_class(v) for v in value)

    @property
    def python_type(self):
        return frozenset


# Server defaults, as PostgreSQL prints them.
NEW_ID = text("app.uuid_generate_v7()")
NOW = text("now()")


def text_literal(value: str) -> str:
    """A text constant the way PostgreSQL prints it in a default or predicate: ``'todo'::text``."""
    return "'" + value.replace("'", "''") + "'::text"


def any_of(column: str, values: Iterable[enum.Enum]) -> str:
    """``col IN (...)`` on text, the way PostgreSQL prints it: ``(status = ANY (ARRAY['a'::text, 'b'::text]))``."""
    return f"({column} = ANY (ARRAY[{', '.join(text_literal(v.value) for v in values)}]))"


def between(expression: str, low: int, high: int) -> str:
    """``expression BETWEEN low AND high`` as PostgreSQL prints it in a CHECK."""
    return f"(({expression} >= {int(low)}) AND ({expression} <= {int(high)}))"


#: One visible character: not ASCII whitespace (``[[:space:]]``, which under the C.UTF-8 ctype is ASCII only) and not
#: one of the Unicode spaces and invisible characters listed after it. Backslashes are the regular expression's own.
VISIBLE_CHARACTER = r"'[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]'::text"


def not_blank(column: str) -> str:
    """``column`` holds a visible character (the ``*_not_blank_check`` CHECKs), as PostgreSQL prints it."""
    return f"({column} ~ {VISIBLE_CHARACTER})"


def dated_from_2000_to_tomorrow(column: str) -> str:
    """``column`` from 2000-01-01 UTC to one day after ``now()`` (the partitioned tables' ``*_window_check``), as
    PostgreSQL prints it in time zone UTC (the comparison reads the catalog in UTC)."""
    return (
        f"(({column} >= '2000-01-01 00:00:00+00'::timestamp with time zone) "
        f"AND ({column} < (now() + '1 day'::interval)))"
    )


#: The predicate of every partial index on live rows. A query must say ``deleted_at IS NULL`` for them to apply.
LIVE = "(deleted_at IS NULL)"
#: The predicate of the purge job's index of soft-deleted rows.
DELETED = "(deleted_at IS NOT NULL)"


def new_id() -> "Column":
    """``id uuid NOT NULL DEFAULT app.uuid_generate_v7()``: a UUIDv7 made by the database, returned on INSERT."""
    return Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_ID)


def timestamptz(name: str, nullable: bool = True, server_default=None, server_onupdate=None) -> "Column":
    return Column(
        name,
        TIMESTAMP(timezone=True),
        nullable=nullable,
        server_default=server_default,
        server_onupdate=server_onupdate,
    )


class Timestamps:
    """``created_at`` and ``updated_at`` (kept by the ``app.set_updated_at()`` trigger: never written by the app)."""

    created_at: Mapped[datetime.datetime] = timestamptz("created_at", nullable=False, server_default=NOW)
    updated_at: Mapped[datetime.datetime] = timestamptz(
        "updated_at", nullable=False, server_default=NOW, server_onupdate=FetchedValue()
    )


class SoftDelete:
    """``deleted_at``: NULL means live. Delete with ``soft_delete()``; queries see live rows only when the session
    has the live-rows filter (``session.install_live_rows_filter``), or when they say ``deleted_at IS NULL``
    themselves. ``app.purge_soft_deleted()`` hard-deletes rows deleted longer than the retention ago."""

    deleted_at: Mapped[Optional[datetime.datetime]] = timestamptz("deleted_at")

    def soft_delete(self) -> None:
        """Marks the row deleted at the transaction's time (``now()``), on the next flush."""
        from sqlalchemy import func

        self.deleted_at = func.now()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def uuid_column(name: str, nullable: bool = False, **kw) -> "Column":
    return Column(name, UUID(as_uuid=True), nullable=nullable, **kw)


__all__ = [
    "Base",
    "CIText",
    "DELETED",
    "LIVE",
    "NEW_ID",
    "NOW",
    "SCHEMA",
    "SmallIntEnum",
    "SmallIntEnumSet",
    "SoftDelete",
    "TextEnum",
    "Timestamps",
    "VISIBLE_CHARACTER",
    "any_of",
    "between",
    "dated_from_2000_to_tomorrow",
    "metadata",
    "new_id",
    "not_blank",
    "text_literal",
    "timestamptz",
    "uuid_column",
]
