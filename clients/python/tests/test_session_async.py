"""The same set-up with asyncpg through PgBouncer 1.18 (transaction mode, no prepared-statement support): statement
caches off, the tenant once per transaction, a leaked setting harmless."""
import asyncio
import re
import unittest

import asyncpg
from sqlalchemy import func, select, text

from metacortex_models import Task, User
from metacortex_models.session import async_tenant_sessionmaker, create_async_app_engine, tenant_session
from metacortex_models.urls import asyncpg_ssl

from .support import APP_POOLED_URL, POOLERS, admin_engine, make_users, url
from .test_session import TRANSACTIONS, tenant_calls


def run(coroutine):
    return asyncio.run(coroutine)


class AsyncpgTenantSessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        admin = admin_engine()
        cls.alice, cls.bob = make_users(admin, 2, 4, "async")
        admin.dispose()

    def test_the_tenant_is_set_once_per_transaction_with_statement_caches_off(self):
        async def scenario():
            engine = create_async_app_engine(url(APP_POOLED_URL), pool_size=2)
            calls = tenant_calls(engine.sync_engine)
            seen, names = [], []
            try:
                async with tenant_session(async_tenant_sessionmaker(engine), self.bob) as session:
                    for _ in range(TRANSACTIONS):
                        seen.append(set((await session.execute(select(Task.user_id))).scalars()))
                        seen.append((await session.execute(select(func.count()).select_from(User))).scalar_one())
                        # Statements asyncpg prepared in this transaction (each lives on the server connection).
                        names += (await session.execute(text("SELECT name FROM pg_prepared_statements"))).scalars()
                        await session.commit()
            finally:
                await engine.dispose()
            return calls, seen, names

        calls, seen, names = run(scenario())
        self.assertEqual(len(calls), TRANSACTIONS)
        self.assertEqual(seen, [{self.bob}, 1] * TRANSACTIONS)
        self.assertTrue(names, "asyncpg prepares every statement")
        for name in names:
            self.assertRegex(name, r"^__asyncpg_stmt_[0-9a-f]{32}__$", "random names: no clash between processes")

    def test_a_leaked_session_level_setting_gives_the_next_client_no_rows(self):
        for pooler, survives in POOLERS:
            with self.subTest(pooler):
                leaked_pid, row, tasks = run(self.leak_then_read(url(pooler)))
                self.assertEqual(row.pid, leaked_pid, "precondition: the next client is on the leaking connection")
                self.assertEqual(row.leaked or "", str(self.alice) if survives else "")
                self.assertEqual(tasks, 0)

    async def leak_then_read(self, pooled):
        """A raw asyncpg client sets app.user_id at session level and disconnects; the next reads."""
        context, _ = asyncpg_ssl(pooled)
        leaker = await asyncpg.connect(pooled.split("?")[0], ssl=context, statement_cache_size=0)
        leaked_pid = await leaker.fetchval(
            "SELECT pg_backend_pid() FROM (SELECT set_config('app.user_id', $1, false)) s", str(self.alice)
        )
        await leaker.close()
        engine = create_async_app_engine(pooled, pool_size=1)
        try:
            async with tenant_session(async_tenant_sessionmaker(engine), None) as session:
                row = (
                    await session.execute(
                        text("SELECT pg_backend_pid() AS pid, current_setting('app.user_id', true) AS leaked")
                    )
                ).one()
                tasks = (await session.execute(select(func.count()).select_from(Task))).scalar_one()
        finally:
            await engine.dispose()
        return leaked_pid, row, tasks

    def test_the_url_form_is_the_same_for_both_drivers(self):
        # verify-full TLS from the libpq parameters: a wrong CA file fails the handshake instead of connecting.
        async def connect(target):
            engine = create_async_app_engine(target, pool_size=1)
            try:
                async with engine.connect() as connection:
                    return (await connection.execute(text("SELECT 1"))).scalar_one()
            finally:
                await engine.dispose()

        pooled = url(APP_POOLED_URL)
        self.assertEqual(run(connect(pooled)), 1)
        wrong_ca = re.sub(r"sslrootcert=[^&]+", "sslrootcert=%2Fetc%2Fssl%2Fcerts%2Fca-certificates.crt", pooled)
        with self.assertRaises(Exception) as raised:
            run(connect(wrong_ca))
        self.assertIn("CERTIFICATE_VERIFY_FAILED", repr(raised.exception))
