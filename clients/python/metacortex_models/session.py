"""Engines and sessions for the backend: through PgBouncer in transaction mode, under row-level security.

Import this module (``from metacortex_models.session import ...``); docs/pooling.md explains each choice.

* **The tenant is set per transaction.** Every transaction a ``TenantSession`` begins starts with
  ``SELECT app.set_tenant(:tenant)`` (an ``after_begin`` event), with the user id from ``session.info["tenant"]``.
  The tenant then holds for that transaction only: PgBouncer may run the next one on another server connection.
  A session without a tenant refuses to begin (``NoTenantError``); ``tenant=None`` is the explicit "no user yet"
  session for log-in and sign-up, whose SECURITY DEFINER functions need none. It sees no rows.
* **Live rows only.** ORM queries get ``deleted_at IS NULL`` for every soft-deletable entity, written literally so
  the partial indexes apply. ``.execution_options(include_deleted=True)`` lifts it for one statement.
* **No session state on the server.** Nothing is SET at session level. psycopg2 never prepares statements on the
  server. asyncpg prepares every statement: its caches are off (``statement_cache_size=0``,
  ``prepared_statement_cache_size=0``), because PgBouncer before 1.21 does not track prepared statements and the
  next transaction may run on another server connection; statement names are random, so two backend processes
  taking turns on one server connection never collide on a name.
"""
import uuid
from typing import Any, Optional, Union

from sqlalchemy import bindparam, create_engine, event, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker, with_loader_criteria

from .base import SoftDelete
from .urls import asyncpg_ssl, engine_url

#: ``session.info`` key of the user id whose rows the session's transactions see.
TENANT = "tenant"
#: The one call that sets the tenant, for the current transaction only (defined by the migrations).
SET_TENANT = text("SELECT app.set_tenant(:tenant)").bindparams(bindparam("tenant", type_=UUID(as_uuid=True)))

#: Pool settings for one backend process. pool_size x processes stays under PgBouncer's max_client_conn; PgBouncer
#: queues bursts instead of the database; pre-ping drops sockets a restart or failover killed; recycle stays under
#: PgBouncer's server_lifetime and spreads connections across its replicas.
POOL = {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True, "pool_recycle": 1800, "pool_timeout": 10}
APPLICATION_NAME = "metacortex-api"


class NoTenantError(RuntimeError):
    """A TenantSession began a transaction without ``session.info["tenant"]``."""


class TenantSession(Session):
    """A Session whose every transaction first calls ``app.set_tenant`` with ``info["tenant"]``."""


@event.listens_for(TenantSession, "after_begin")
def _set_tenant(session: Session, transaction: Any, connection: Any) -> None:
    if TENANT not in session.info:
        raise NoTenantError(
            'session.info["tenant"] is not set: open sessions with tenant_session(factory, user_id), '
            "or tenant_session(factory, None) for log-in and sign-up"
        )
    tenant = session.info[TENANT]
    if tenant is not None:
        connection.execute(SET_TENANT, {"tenant": tenant if isinstance(tenant, uuid.UUID) else uuid.UUID(str(tenant))})


@event.listens_for(TenantSession, "do_orm_execute")
def _live_rows_only(state: Any) -> None:
    if state.is_select and not state.execution_options.get("include_deleted", False):
        state.statement = state.statement.options(
            with_loader_criteria(SoftDelete, lambda cls: cls.deleted_at.is_(None), include_aliases=True)
        )


def create_app_engine(url: str, application_name: str = APPLICATION_NAME, **engine_options: Any) -> Engine:
    """A psycopg2 engine for a ``postgres://`` URL (TLS parameters as libpq takes them). ``engine_options``
    override ``POOL``."""
    options = {**POOL, **engine_options}
    return create_engine(
        engine_url(url, "psycopg2"), future=True, connect_args={"application_name": application_name}, **options
    )


def _asyncpg_connection_class():
    import asyncpg

    class PooledConnection(asyncpg.Connection):
        """asyncpg numbers its prepared statements per process (``__asyncpg_stmt_1__``, ...): two processes behind one
        PgBouncer would collide on a server connection. A random name cannot."""

        def _get_unique_id(self, prefix: str) -> str:
            return f"__asyncpg_{prefix}_{uuid.uuid4().hex}__"

    return PooledConnection


def create_async_app_engine(url: str, application_name: str = APPLICATION_NAME, **engine_options: Any):
    """An asyncpg engine for the same ``postgres://`` URL, with both statement caches off."""
    from sqlalchemy.ext.asyncio import create_async_engine

    ssl_context, _ = asyncpg_ssl(url)
    connect_args = {
        "statement_cache_size": 0,
        "connection_class": _asyncpg_connection_class(),
        "server_settings": {"application_name": application_name},
    }
    if ssl_context is not None:
        connect_args["ssl"] = ssl_context
    target = engine_url(url, "asyncpg").update_query_dict({"prepared_statement_cache_size": "0"})
    return create_async_engine(target, connect_args=connect_args, **{**POOL, **engine_options})


def tenant_sessionmaker(engine: Engine) -> sessionmaker:
    """Sessions of ``TenantSession`` on ``engine``; open them with ``tenant_session``."""
    return sessionmaker(bind=engine, class_=TenantSession, future=True, expire_on_commit=False)


def async_tenant_sessionmaker(engine: Any) -> sessionmaker:
    """``AsyncSession``s whose transactions run the same tenant and live-rows events."""
    from sqlalchemy.ext.asyncio import AsyncSession

    return sessionmaker(bind=engine, class_=AsyncSession, sync_session_class=TenantSession, expire_on_commit=False)


def tenant_session(factory: sessionmaker, user_id: Optional[Union[uuid.UUID, str]]) -> Any:
    """A session (sync or async, as ``factory`` makes them) whose transactions see ``user_id``'s rows only.
    ``None``: no user (log-in, sign-up): no rows."""
    return factory(info={TENANT: user_id})


__all__ = [
    "APPLICATION_NAME",
    "NoTenantError",
    "POOL",
    "SET_TENANT",
    "TENANT",
    "TenantSession",
    "async_tenant_sessionmaker",
    "create_app_engine",
    "create_async_app_engine",
    "tenant_session",
    "tenant_sessionmaker",
]
