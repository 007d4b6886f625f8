"""Engines, sessions, and the unit of work with its retries (tenacity).

No module-level engine: callers build one from a URL (normally `Settings.database_url`).
Services take a `Session` and never commit; whoever serves the request owns the one
transaction: `run_in_write_transaction` (action server, CLI, worker) or the console's
`SessionDep`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential,
)

from bot.settings import PROJECT_ROOT

T = TypeVar("T")
WRITE_ATTEMPTS = 6
# PostgreSQL: serialization failure, deadlock detected, lock not available.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def resolve_database_url(url: str) -> str:
    """Make a relative SQLite path relative to the project root and create its folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return url
    path = Path(parsed.database)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return parsed.set(database=str(path)).render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, **kwargs) -> Engine:
    url = resolve_database_url(url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pool_pre_ping: it costs a round trip per transaction (~10 per turn). A connection
    # the server dropped (restart, failover) fails once; SQLAlchemy then invalidates the
    # pool, and callers retry (`retry_on_disconnect`, the gateway's processing retries).
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _connection_lost(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def retry_on_disconnect(work: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `work`; again when it failed because the database connection was lost (the
    pool has been invalidated by then, so the next attempt gets a fresh connection)."""
    retrying = Retrying(stop=stop_after_attempt(attempts), retry=retry_if_exception(_connection_lost), reraise=True)
    return retrying(work)


def retry_until_reachable(work: Callable[[], T], *, patience: float = 60.0, first_pause: float = 0.2) -> T:
    """Run `work`; again, after pauses doubling up to 5 s, while the database cannot be
    reached (down, restarting, the connection lost), for up to `patience` seconds (it
    gives up when the next pause would end past that). For a write whose only other copy
    is in memory: Twilio's answer to a send, which must not make the caller send again
    because the database was restarting at that moment."""
    retrying = Retrying(
        retry=retry_if_exception_type((OperationalError, InterfaceError)),
        wait=wait_exponential(multiplier=first_pause, max=5.0),
        stop=stop_before_delay(patience),
        reraise=True,
    )
    return retrying(work)


def _is_transient(exc: BaseException) -> bool:
    """A lock conflict worth running the transaction again for."""
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _TRANSIENT_SQLSTATES:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database table is locked" in message or "busy" in message


def _jitter(retry_state: RetryCallState) -> float:
    """10-50 ms times the attempt number, so writers that collided do not collide again."""
    return random.uniform(0.01, 0.05) * retry_state.attempt_number


def _begin_for_write(session: Session) -> None:
    """SQLite: take the write lock up front (BEGIN IMMEDIATE), so the transaction never
    has to upgrade a read lock (which fails at once instead of waiting)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_in_write_transaction(
    session_factory: sessionmaker[Session], work: Callable[[Session], T], *, attempts: int = WRITE_ATTEMPTS
) -> T:
    """Run `work(session)` as one unit of work: one transaction, committed when it returns,
    rolled back when it raises. Retried from scratch (a new session) when the database
    reports a transient lock conflict; the one place a transaction is retried."""

    def attempt() -> T:
        with session_factory() as session, session.begin():
            _begin_for_write(session)
            return work(session)

    retrying = Retrying(
        stop=stop_after_attempt(attempts), retry=retry_if_exception(_is_transient), wait=_jitter, reraise=True
    )
    return retrying(attempt)
