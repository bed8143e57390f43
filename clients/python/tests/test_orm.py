"""Writing and reading through the models as the backend does (PgBouncer, app role, tenant session): server-made
ids and timestamps come back, relationships follow the composite keys, soft-deleted rows disappear."""
import unittest

from sqlalchemy import func, select, text
from sqlalchemy.exc import CircularDependencyError, IntegrityError

from metacortex_models import Habit, IsoWeekday, Tag, Task, TaskPriority, TaskStatus
from metacortex_models.queries import subtasks
from metacortex_models.session import tenant_session, tenant_sessionmaker
from metacortex_models.tasks import TaskTag

from .support import admin_engine, app_engine, make_users


class OrmRoundTripTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        admin = admin_engine()
        (cls.user,) = make_users(admin, 1, 0, "orm")
        admin.dispose()
        cls.engine = app_engine()
        cls.Session = tenant_sessionmaker(cls.engine)

    @classmethod
    def tearDownClass(cls):
        cls.engine.dispose()

    def test_insert_returns_what_the_database_makes_and_relationships_follow_the_keys(self):
        with tenant_session(self.Session, self.user) as session:
            parent = Task(user_id=self.user, title="plan the trip", priority=TaskPriority.HIGH)
            child = Task(user_id=self.user, title="book the flight", parent=parent, position=1.5)
            tag = Tag(user_id=self.user, name="Travel", color="#00aa55")
            session.add_all([parent, child, tag])
            session.flush()
            child.tag_links.append(TaskTag(user_id=self.user, tag_id=tag.id))
            session.commit()
            ids = (parent.id, child.id, tag.id)
            self.assertEqual(child.parent_id, parent.id)
            self.assertEqual(parent.id.version, 7, "UUIDv7 from app.uuid_generate_v7()")
            self.assertIsNotNone(parent.created_at)
            self.assertIs(parent.status, TaskStatus.TODO)  # the server default, read back as the enum

        with tenant_session(self.Session, self.user) as session:
            parent = session.get(Task, (self.user, ids[0]))
            self.assertEqual([t.title for t in parent.subtasks], ["book the flight"])
            self.assertEqual([t.name for t in parent.subtasks[0].tags], ["Travel"])
            self.assertEqual(parent.subtasks[0].parent.id, ids[0])
            self.assertEqual(
                [t.id for t in session.execute(subtasks(self.user, ids[0])).scalars()], [ids[1]]
            )

    def test_week_days_round_trip_as_a_set_and_are_stored_once_each_in_order(self):
        with tenant_session(self.Session, self.user) as session:
            habit = Habit(user_id=self.user, name="swim", days_of_week=[IsoWeekday.FRIDAY, 1, IsoWeekday.FRIDAY])
            session.add(habit)
            session.commit()
            key = (habit.user_id, habit.id)
        with tenant_session(self.Session, self.user) as session:
            habit = session.get(Habit, key)
            self.assertEqual(habit.days_of_week, frozenset({IsoWeekday.MONDAY, IsoWeekday.FRIDAY}))
            stored = session.execute(text("SELECT days_of_week FROM app.habits WHERE id = :id"), {"id": key[1]})
            self.assertEqual(stored.scalar_one(), [1, 5])
            habit.days_of_week = habit.days_of_week | {IsoWeekday.SUNDAY}
            session.commit()
            self.assertEqual(session.get(Habit, key).days_of_week, {1, 5, 7})

    def test_a_parent_cycle_fails_on_flush(self):
        with tenant_session(self.Session, self.user) as session:
            top = Task(user_id=self.user, title="top")
            below = Task(user_id=self.user, title="below", parent=top)
            session.add_all([top, below])
            session.commit()
            # Through parent_id (an id from a request) or the relationship: the trigger refuses it, naming the rule.
            for make_cycle in (lambda: setattr(top, "parent_id", below.id), lambda: setattr(top, "parent", below)):
                make_cycle()
                with self.assertRaises(IntegrityError) as raised:
                    session.commit()
                self.assertEqual(raised.exception.orig.diag.constraint_name, "tasks_parent_cycle_check")
                session.rollback()
                self.assertIsNone(session.get(Task, (self.user, top.id)).parent_id)
            # With both tasks' parents loaded, SQLAlchemy finds the cycle itself before any write.
            self.assertIs(below.parent, top)
            top.parent = below
            with self.assertRaises(CircularDependencyError):
                session.flush()

    def test_soft_deleted_rows_leave_every_orm_query_unless_asked_for(self):
        with tenant_session(self.Session, self.user) as session:
            task = Task(user_id=self.user, title="to be deleted")
            session.add(task)
            session.commit()
            before = session.execute(select(func.count(Task.id))).scalar_one()
            task.soft_delete()
            session.commit()
            self.assertIsNotNone(task.deleted_at)
            statement = select(Task).where(Task.title == "to be deleted")
            self.assertEqual(session.execute(statement).scalars().all(), [])
            kept = session.execute(statement.execution_options(include_deleted=True)).scalars().all()
            self.assertEqual([t.id for t in kept], [task.id])
            self.assertEqual(session.execute(select(Task.id).where(Task.id == task.id)).all(), [])
            self.assertGreaterEqual(before, 1)

    def test_the_live_rows_filter_is_written_literally(self):
        captured = []
        from sqlalchemy import event

        listener = lambda *a: captured.append(a[2])  # noqa: E731
        event.listen(self.engine, "before_cursor_execute", listener)
        try:
            with tenant_session(self.Session, self.user) as session:
                session.execute(select(Tag).where(Tag.name == "x")).all()
        finally:
            event.remove(self.engine, "before_cursor_execute", listener)
        self.assertIn("app.tags.deleted_at IS NULL", captured[-1])
