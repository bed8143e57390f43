"""SQLAlchemy models of the MetaCortex schema (``app``), owned by ``sql/migrations`` and kept identical to it by a
test (``metacortex_models.schema_check``). Engines and tenant sessions: ``metacortex_models.session``. List-query
helpers that keep the indexes useful: ``metacortex_models.queries``."""
from .base import LIVE, SCHEMA, Base, CIText, SoftDelete, metadata
from .enums import OPEN_STATUSES, HabitFrequency, IsoWeekday, TaskPriority, TaskStatus
from .habits import Habit, HabitCheckin
from .notes import Note, NoteTag
from .tags import Tag
from .tasks import Task, TaskTag
from .users import User

#: Every mapped class, in dependency order (a table after the tables it references).
MODELS = (User, Task, Note, Tag, TaskTag, NoteTag, Habit, HabitCheckin)

__all__ = [
    "Base",
    "CIText",
    "Habit",
    "HabitCheckin",
    "HabitFrequency",
    "IsoWeekday",
    "LIVE",
    "MODELS",
    "Note",
    "NoteTag",
    "OPEN_STATUSES",
    "SCHEMA",
    "SoftDelete",
    "Tag",
    "Task",
    "TaskPriority",
    "TaskStatus",
    "TaskTag",
    "User",
    "metadata",
]
