"""What the database tests share: connection URLs from the environment (set by test/backend/models.test.ts, which
starts a throwaway PostgreSQL 15 and a PgBouncer), engines, and fixture users. A test class that needs a server
is skipped, with the variable named, when its URL is not set; the mocha runner fails on any skip."""
import os
import unittest
import uuid
from typing import List

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from metacortex_models.session import create_app_engine
from metacortex_models.urls import engine_url

#: Superuser, straight to PostgreSQL: fixtures and catalog reads.
ADMIN_URL = "METACORTEX_ADMIN_URL"
#: The app role through PgBouncer (transaction mode) as deployed: everything the backend does.
APP_POOLED_URL = "METACORTEX_APP_POOLED_URL"
#: The same through a PgBouncer without the DISCARD ALL reset, so a leaked session setting survives to the next client.
APP_NO_RESET_URL = "METACORTEX_APP_NO_RESET_URL"
#: (pooler, whether a session-level setting survives to the next client on it)
POOLERS = ((APP_NO_RESET_URL, True), (APP_POOLED_URL, False))


def url(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise unittest.SkipTest(f"{name} is not set (npx mocha test/backend/models.test.ts sets it)")
    return value


def admin_engine() -> Engine:
    return create_engine(engine_url(url(ADMIN_URL), "psycopg2"), future=True, poolclass=NullPool)


def app_engine(pooler: str = APP_POOLED_URL, **options) -> Engine:
    return create_app_engine(url(pooler), application_name="metacortex-tests", **options)


def make_users(engine: Engine, count: int, tasks_each: int, label: str) -> List[uuid.UUID]:
    """``count`` users (as the superuser, past row-level security) with ``tasks_each`` open tasks each."""
    with engine.begin() as connection:
        users = connection.execute(
            text(
                "INSERT INTO app.users (email, display_name) "
                "SELECT :label || '-' || g || '-' || left(md5(random()::text), 8) || '@example.test', :label || g "
                "FROM generate_series(1, :count) g RETURNING id"
            ),
            {"label": label, "count": count},
        ).scalars().all()
        connection.execute(
            text(
                "INSERT INTO app.tasks (user_id, title, due_at) "
                "SELECT u, :label || ' task ' || g, now() + g * interval '1 day' "
                "FROM unnest(CAST(:users AS uuid[])) u, generate_series(1, :n) g"
            ),
            {"label": label, "users": [str(u) for u in users], "n": tasks_each},
        )
    return list(users)
