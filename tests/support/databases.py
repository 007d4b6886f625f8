"""Scratch PostgreSQL databases and emptying a database between tests.

PostgreSQL must be reachable (127.0.0.1:5432, trust auth, as on the dev machines and in CI);
override with RECALL_TEST_POSTGRES_URL (a server URL whose database can be created).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.db import make_engine
from bot.models import Base

PG_CANDIDATES = [
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
]


def admin_pg_url() -> str:
    """The first reachable server URL (fails the test, never skips it, when none is)."""
    explicit = os.environ.get("RECALL_TEST_POSTGRES_URL")
    candidates = [explicit] if explicit else PG_CANDIDATES
    errors = []
    for url in candidates:
        engine = make_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return url
        except Exception as exc:  # noqa: BLE001 - report every candidate below
            errors.append(f"{url}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
        finally:
            engine.dispose()
    pytest.fail("PostgreSQL is required for these tests and is not reachable:\n" + "\n".join(errors))


@contextlib.contextmanager
def scratch_pg_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (its URL), dropped afterwards."""
    admin_url = admin_pg_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    # No pooled connection kept between CREATE and DROP: a test may restart the server.
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def truncate_all(engine: Engine) -> None:
    """Empty every table of a PostgreSQL database (identities restarted)."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def empty_database(engine: Engine) -> None:
    """Every table of the models emptied and the ids restarted, on PostgreSQL or SQLite (the
    migrations' own table stays): the database as a fresh migration leaves it."""
    if engine.dialect.name == "postgresql":
        truncate_all(engine)
        return
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first():
            conn.execute(text("DELETE FROM sqlite_sequence"))
