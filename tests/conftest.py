"""Shared fixtures: a migrated database on SQLite and on the real PostgreSQL server.

`db_url` is parametrised over both engines; tests that take `engine`/`session_factory`
run twice. PostgreSQL must be reachable (127.0.0.1:5432, trust auth, as on the dev
machines and in CI): when it is not, those tests fail — they are never skipped.
Override with RECALL_TEST_POSTGRES_URL (a server URL whose database can be created).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from bot.db import make_engine, make_session_factory
from bot.migrate import upgrade
from bot.models import Base

PG_CANDIDATES = [
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
]


def _admin_pg_url() -> str:
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
    admin_url = _admin_pg_url()
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


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    with scratch_pg_database("recall_test") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """URL of an empty, migrated database: a SQLite file, or the session's PostgreSQL
    database emptied before the test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'recall.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    url = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def race_factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on its own engine with a connection for every racing thread."""
    engine = make_engine(db_url, pool_size=32, max_overflow=0)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def recall(db_url: str):
    """`recall(*args, ok=True)`: the CLI on the test database; asserts exit 0 unless ok=False."""
    from click.testing import CliRunner

    from bot.cli.context import AppContext
    from bot.cli.main import cli
    from bot.settings import Settings

    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(cli, list(args), obj=AppContext(settings=Settings(database_url=db_url)))
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture(scope="session")
def rasa_model() -> str:
    """The trained Rasa model (trained once, when the domain or data changed), for the
    end-to-end and browser tests."""
    from bot.processes import train_model

    return train_model()
