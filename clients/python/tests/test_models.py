"""The models without a database: they configure cleanly, and every relationship joins on the composite key."""
import re
import unittest
import uuid

from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased, configure_mappers

from metacortex_models import MODELS, Habit, HabitCheckin, IsoWeekday, Note, Tag, Task, TaskPriority, TaskStatus, User
from metacortex_models.queries import open_tasks_by_due


def sql(statement) -> str:
    return re.sub(r"\s+", " ", str(statement.compile(dialect=postgresql.dialect())))


class ModelsTest(unittest.TestCase):
    def test_every_table_the_backend_uses_is_mapped_once(self):
        configure_mappers()  # the runner turns every SQLAlchemy warning (overlapping writes, ...) into an error
        self.assertEqual(
            sorted(m.__table__.fullname for m in MODELS),
            sorted(f"app.{t}" for t in "users tasks notes tags task_tags note_tags habits habit_checkins".split()),
        )

    def test_relationships_between_user_owned_rows_join_on_user_id_too(self):
        cases = {
            "Task.tags": (
                select(Task).join(Task.tags),
                ["app.tasks.user_id = task_tags_1.user_id", "task_tags_1.user_id = app.tags.user_id"],
            ),
            "Tag.notes": (
                select(Tag).join(Tag.notes),
                ["app.tags.user_id = note_tags_1.user_id", "note_tags_1.user_id = app.notes.user_id"],
            ),
            "Habit.checkins": (
                select(Habit).join(Habit.checkins),
                ["app.habits.user_id = app.habit_checkins.user_id", "app.habits.id = app.habit_checkins.habit_id"],
            ),
        }
        for name, (statement, conditions) in cases.items():
            with self.subTest(name):
                text = sql(statement)
                for condition in conditions:
                    self.assertIn(condition, text)
        parent = aliased(Task)
        text = sql(select(Task).join(parent, Task.parent))
        self.assertIn("app.tasks.user_id = tasks_1.user_id AND app.tasks.parent_id = tasks_1.id", text)

    def test_relationships_never_write_the_tenant_column(self):
        # Only user_id's own foreign key to users writes it; every other join marks the other column foreign.
        def written(relationship):
            return sorted(f"{dest.table.name}.{dest.name}" for _, dest in relationship.property.synchronize_pairs)

        self.assertEqual(written(Task.parent), ["tasks.parent_id"])
        self.assertEqual(written(Task.subtasks), ["tasks.parent_id"])
        self.assertEqual(written(Task.tag_links), ["task_tags.task_id"])
        self.assertEqual(written(Note.tag_links), ["note_tags.note_id"])
        self.assertEqual(written(Habit.checkins), ["habit_checkins.habit_id"])
        self.assertEqual(written(User.tasks), ["tasks.user_id"])

    def test_enum_columns_read_and_write_python_types(self):
        status = Task.__table__.c.status.type
        self.assertEqual(status.process_bind_param(TaskStatus.DONE, None), "done")
        self.assertIs(status.process_result_value("blocked", None), TaskStatus.BLOCKED)
        with self.assertRaises(ValueError):
            status.process_bind_param("finished", None)
        self.assertIs(Task.__table__.c.priority.type.process_result_value(1, None), TaskPriority.URGENT)

    def test_week_days_are_a_set_of_iso_weekdays_sent_as_distinct_sorted_smallints(self):
        days = Habit.__table__.c.days_of_week.type
        self.assertEqual(days.process_bind_param([IsoWeekday.FRIDAY, 1, IsoWeekday.MONDAY], None), [1, 5])
        self.assertEqual(days.process_bind_param(frozenset(), None), [])
        self.assertIsNone(days.process_bind_param(None, None))
        self.assertEqual(days.process_result_value([5, 1], None), frozenset({IsoWeekday.MONDAY, IsoWeekday.FRIDAY}))
        self.assertIsInstance(next(iter(days.process_result_value([7], None))), IsoWeekday)
        for wrong, error in (([8], ValueError), ([0], ValueError), ("12", TypeError), (3, TypeError)):
            with self.subTest(wrong=wrong), self.assertRaises(error):
                days.process_bind_param(wrong, None)
        # Array operators still apply to the column, and the set they take goes through the same conversion.
        statement = select(Habit.id).where(Habit.days_of_week.contains({IsoWeekday.SUNDAY}))
        self.assertIn("app.habits.days_of_week @> %(days_of_week_1)s", sql(statement))
        bind = statement.compile(dialect=postgresql.dialect()).binds["days_of_week_1"]
        self.assertEqual(bind.type.process_bind_param(bind.value, None), [7])

    def test_open_task_list_says_its_index_predicate_literally_for_every_driver(self):
        # Literals, not bind parameters: a generic prepared-statement plan must still imply the partial index.
        for dialect in (postgresql.psycopg2.dialect(), postgresql.asyncpg.dialect()):
            with self.subTest(dialect.driver):
                text = re.sub(r"\s+", " ", str(open_tasks_by_due(uuid.uuid4()).compile(dialect=dialect)))
                self.assertIn("app.tasks.deleted_at IS NULL", text)
                self.assertIn("app.tasks.status IN ('todo', 'in_progress', 'blocked')", text)

    def test_checkins_are_keyed_by_their_partition_column(self):
        self.assertEqual([c.name for c in HabitCheckin.__table__.primary_key], ["user_id", "id", "checked_at"])
