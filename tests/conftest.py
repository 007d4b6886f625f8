"""Shared fixtures: a migrated database on SQLite and on the real PostgreSQL server.

`db_url` is parametrised over both engines; tests that take `engine`/`session_factory`
run twice. PostgreSQL must be reachable (127.0.0.1:5432, trust auth, as on the dev
machines and in CI): when it is not, those tests fail — they are never skipped.
Override with RECALL_TEST_POSTGRES_URL (a server URL whose database can be created).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_session_factory
from bot.migrate import upgrade
from tests.support import irreversible_tally
from tests.support.databases import scratch_pg_database, truncate_all


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    with scratch_pg_database("recall_test") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per test session; each test gets a copy of it.
    (`tests/test_migrations.py` still migrates from empty and compares with the models.)"""
    path = tmp_path_factory.mktemp("template") / "recall.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """URL of an empty, migrated database: a copy of the migrated SQLite template, or the
    session's PostgreSQL database emptied before the test."""
    if request.param == "sqlite":
        path = tmp_path / "recall.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    truncate_all(engine)
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


# The irreversible-outcome count of the conversation tests (tests/e2e/conftest.py), over every
# xdist worker: `make test` runs the suite in parallel (see the Makefile).
def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: its tally goes to the controller
        output[irreversible_tally.KEY] = irreversible_tally.worker_output()


def pytest_testnodedown(node, error) -> None:  # xdist's hook, on the controller
    irreversible_tally.add_worker_output(getattr(node, "workeroutput", {}))


def pytest_terminal_summary(terminalreporter) -> None:
    for line in irreversible_tally.summary_lines():
        terminalreporter.write_line(line)
