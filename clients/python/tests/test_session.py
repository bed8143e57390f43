"""The engine and session set-up of metacortex_models.session, through PgBouncer in transaction mode, as the app role
under row-level security, with psycopg2 and with asyncpg (statement caches off)."""
import unittest

import psycopg2
from sqlalchemy import event, func, select, text

from metacortex_models import Task, User
from metacortex_models.session import (
    NoTenantError,
    tenant_session,
    tenant_sessionmaker,
)

from .support import POOLERS, admin_engine, app_engine, make_users, url

TRANSACTIONS = 3


def tenant_calls(engine):
    """Counts ``app.set_tenant`` statements the engine sends (the sync engine under an async one)."""
    calls = []
    event.listen(engine, "before_cursor_execute", lambda *a: calls.append(a[2]) if "app.set_tenant" in a[2] else None)
    return calls


class PsycopgTenantSessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        admin = admin_engine()
        cls.alice, cls.bob = make_users(admin, 2, 3, "session")
        admin.dispose()
        cls.engine = app_engine()
        cls.Session = tenant_sessionmaker(cls.engine)

    @classmethod
    def tearDownClass(cls):
        cls.engine.dispose()

    def test_the_tenant_is_set_once_per_transaction_and_scopes_every_statement(self):
        calls = tenant_calls(self.engine)
        with tenant_session(self.Session, self.alice) as session:
            for _ in range(TRANSACTIONS):
                owners = set(session.execute(select(Task.user_id)).scalars())
                self.assertEqual(session.execute(select(func.count()).select_from(User)).scalar_one(), 1)
                self.assertEqual(owners, {self.alice})
                session.commit()
        self.assertEqual(len(calls), TRANSACTIONS)

    def test_the_tenant_ends_with_its_transaction(self):
        with tenant_session(self.Session, self.alice) as session:
            session.execute(select(Task)).all()
            session.commit()
        # A transaction of the same engine outside any tenant session: no tenant, no rows.
        with self.engine.connect() as connection:
            row = connection.execute(
                text("SELECT app.current_tenant() AS tenant, (SELECT count(*) FROM app.tasks) AS tasks")
            ).one()
        self.assertEqual((row.tenant, row.tasks), (None, 0))  # not row.t: SQLAlchemy 2's Row.t is Row's own

    def test_a_session_without_a_tenant_refuses_to_begin(self):
        with self.Session() as session:
            with self.assertRaises(NoTenantError):
                session.execute(select(Task)).all()

    def test_the_no_user_session_sees_nothing_but_can_log_in(self):
        with tenant_session(self.Session, None) as session:
            self.assertEqual(session.execute(select(func.count()).select_from(Task)).scalar_one(), 0)
            self.assertEqual(session.execute(select(func.count()).select_from(User)).scalar_one(), 0)
            email = "session-1"  # make_users' prefix: find_user_for_login is the only way past the users policy
            self.assertIsNone(session.execute(text("SELECT * FROM app.find_user_for_login(:e)"), {"e": email}).first())

    def test_a_leaked_session_level_setting_gives_the_next_client_no_rows(self):
        for pooler, survives in POOLERS:
            with self.subTest(pooler):
                # One client sets app.user_id at session level (the bug docs/security.md forbids) and disconnects.
                leaker = psycopg2.connect(url(pooler).replace("postgres://", "postgresql://", 1))
                leaker.autocommit = True
                with leaker.cursor() as cursor:
                    cursor.execute("SELECT set_config('app.user_id', %s, false), pg_backend_pid()", (str(self.alice),))
                    leaked_pid = cursor.fetchone()[1]
                leaker.close()
                # The next client gets the same server connection (PgBouncer reuses the last one freed) and sets
                # no tenant.
                engine = app_engine(pooler, pool_size=1)
                with tenant_session(tenant_sessionmaker(engine), None) as session:
                    row = session.execute(
                        text("SELECT pg_backend_pid() AS pid, current_setting('app.user_id', true) AS leaked")
                    ).one()
                    tasks = session.execute(select(func.count()).select_from(Task)).scalar_one()
                    users = session.execute(select(func.count()).select_from(User)).scalar_one()
                engine.dispose()
                self.assertEqual(row.pid, leaked_pid, "precondition: the next client is on the leaking connection")
                self.assertEqual(row.leaked or "", str(self.alice) if survives else "")
                self.assertEqual((tasks, users), (0, 0))
