"""The values the schema's CHECK constraints allow, as Python types.

Statuses, priorities and frequencies are ``text`` or ``smallint`` columns with a named CHECK constraint in the
database (docs/conventions.md: CHECKs, not enum types). The models build those CHECKs' text from these classes, so
the schema comparison fails if a migration changes the allowed values without this file.
"""
import enum


class TaskStatus(str, enum.Enum):
    """``tasks.status`` (tasks_status_check)."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


#: The open statuses, in the order the partial index predicate and the canonical queries list them. A query must
#: write ``status IN ('todo', 'in_progress', 'blocked')`` in this form for tasks_open_due_cover_idx to apply.
OPEN_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)


class TaskPriority(enum.IntEnum):
    """``tasks.priority`` (tasks_priority_check: 1 to 4)."""

    URGENT = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4


class HabitFrequency(str, enum.Enum):
    """``habits.frequency`` (habits_frequency_check)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class IsoWeekday(enum.IntEnum):
    """``habits.days_of_week`` elements (habits_days_check: ISO days, 1 = Monday)."""

    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7
