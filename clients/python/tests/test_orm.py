"""Writing and reading through the models as the backend does (PgBouncer, app role, tenant session): server-made
ids and timestamps come back, relationships follow the composite keys, soft-deleted rows disappear."""
import unittest

from sqlalchemy import func, select

from metacortex_models import Tag, Task, TaskPriority, TaskStatus
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
