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

#: The tables of the models' schemas that the backend deliberately leaves unmapped, each with the reason. The schema
#: comparison skips exactly these: any other table without a model is a difference, and so is a table listed here
#: that the models map or that the database lacks.
UNMAPPED_TABLES = {
    "app.partition_maintenance": "maintenance bookkeeping: written by the pg_cron partition maintenance jobs "
    "(app.run_partition_maintenance), read by the health check; the app role has no privilege on it",
}

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
    "UNMAPPED_TABLES",
    "User",
    "metadata",
]
