"""``app.habits`` and ``app.habit_checkins``: habits, and their append-only check-ins (partitioned by month)."""
import datetime
import uuid
from typing import TYPE_CHECKING, FrozenSet, List, Optional

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, SmallInteger, Text, text
from sqlalchemy.orm import Mapped, relationship
from sqlalchemy.schema import Column

from .base import DELETED, LIVE, NOW, Base, SmallIntEnumSet, SoftDelete, TextEnum, Timestamps, any_of, between
from .base import dated_from_2000_to_tomorrow, new_id, not_blank, text_literal, timestamptz, uuid_column
from .enums import HabitFrequency, IsoWeekday

if TYPE_CHECKING:
    from .users import User


def each_day_once(column: str) -> str:
    """habits_days_distinct_check as PostgreSQL prints it: a flat array, at most one entry per IsoWeekday, each day
    at most once."""
    days = [f"(cardinality(array_positions({column}, ({int(d)})::smallint)) <= 1)" for d in IsoWeekday]
    return f"((array_ndims({column}) = 1) AND (cardinality({column}) <= {len(IsoWeekday)}) AND {' AND '.join(days)})"


class Habit(Timestamps, SoftDelete, Base):
    """A habit and how often the user aims to do it. Archived habits keep their history but leave the daily list."""

    __tablename__ = "habits"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    id: Mapped[uuid.UUID] = new_id()
    name: Mapped[str] = Column(Text, nullable=False)
    frequency: Mapped[HabitFrequency] = Column(
        TextEnum(HabitFrequency), nullable=False, server_default=text(text_literal(HabitFrequency.DAILY.value))
    )
    #: The ISO days of weekly habits, each at most once (habits_days_check, habits_days_distinct_check): a frozenset
    #: of IsoWeekday; write any iterable of days, stored as the sorted ``smallint[]`` of its distinct values.
    days_of_week: Mapped[Optional[FrozenSet[IsoWeekday]]] = Column(SmallIntEnumSet(IsoWeekday), nullable=True)
    target_per_period: Mapped[int] = Column(SmallInteger, nullable=False, server_default=text("1"))
    archived_at: Mapped[Optional[datetime.datetime]] = timestamptz("archived_at")

    user: Mapped["User"] = relationship("User", back_populates="habits")
    # Check-ins grow without bound: never loaded implicitly; query them by day (habit_checkins_day_idx).
    checkins: Mapped[List["HabitCheckin"]] = relationship(
        "HabitCheckin",
        primaryjoin="and_(Habit.user_id == HabitCheckin.user_id, Habit.id == foreign(HabitCheckin.habit_id))",
        back_populates="habit",
        lazy="raise",
        passive_deletes=True,
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id", name="habits_pkey"),
        ForeignKeyConstraint(["user_id"], ["app.users.id"], name="habits_user_fkey", ondelete="CASCADE"),
        CheckConstraint(between("char_length(name)", 1, 200), name="habits_name_check"),
        CheckConstraint(not_blank("name"), name="habits_name_not_blank_check"),
        CheckConstraint(any_of("frequency", HabitFrequency), name="habits_frequency_check"),
        CheckConstraint(
            "(days_of_week <@ '{" + ",".join(str(int(d)) for d in IsoWeekday) + "}'::smallint[])",
            name="habits_days_check",
        ),
        CheckConstraint(each_day_once("days_of_week"), name="habits_days_distinct_check"),
        CheckConstraint(between("target_per_period", 1, 100), name="habits_target_check"),
        Index("habits_name_key", "user_id", text("lower(name)"), unique=True, postgresql_where=text(LIVE)),
        Index("habits_deleted_at_idx", "deleted_at", postgresql_where=text(DELETED)),
    )
    __mapper_args__ = {"eager_defaults": True}

    def __repr__(self) -> str:
        return f"Habit(user_id={self.user_id!r}, id={self.id!r}, name={self.name!r})"


class HabitCheckin(Base):
    """One check-in. Append-only: the app role may insert and delete, never update (no UPDATE grant). Partitioned
    by month on ``checked_at``, which is part of the key: filter on it so only the month's partitions are read.
    ``checked_at`` lies between 2000-01-01 UTC and one day after the transaction's ``now()``."""

    __tablename__ = "habit_checkins"

    user_id: Mapped[uuid.UUID] = uuid_column("user_id")
    id: Mapped[uuid.UUID] = new_id()
    habit_id: Mapped[uuid.UUID] = uuid_column("habit_id")
    checked_at: Mapped[datetime.datetime] = timestamptz("checked_at", nullable=False, server_default=NOW)
    value: Mapped[int] = Column(SmallInteger, nullable=False, server_default=text("1"))
    note: Mapped[Optional[str]] = Column(Text, nullable=True)

    habit: Mapped["Habit"] = relationship(
        "Habit",
        primaryjoin="and_(HabitCheckin.user_id == Habit.user_id, foreign(HabitCheckin.habit_id) == Habit.id)",
        back_populates="checkins",
    )

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id", "checked_at", name="habit_checkins_pkey"),
        ForeignKeyConstraint(
            ["user_id", "habit_id"],
            ["app.habits.user_id", "app.habits.id"],
            name="habit_checkins_habit_fkey",
            ondelete="CASCADE",
        ),
        CheckConstraint(between("value", 1, 1000), name="habit_checkins_value_check"),
        CheckConstraint("(char_length(note) <= 1000)", name="habit_checkins_note_check"),
        # Both bounds keep a row out of the default partition, where it would stop pg_partman's maintenance.
        CheckConstraint(dated_from_2000_to_tomorrow("checked_at"), name="habit_checkins_checked_at_window_check"),
        Index("habit_checkins_habit_idx", "user_id", "habit_id", "checked_at"),
        Index("habit_checkins_day_idx", "user_id", "checked_at"),
        {"postgresql_partition_by": "RANGE (checked_at)"},
    )
    __mapper_args__ = {"eager_defaults": True}


__all__ = ["Habit", "HabitCheckin", "each_day_once"]
