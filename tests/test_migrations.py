"""Alembic builds the schema from empty on SQLite and PostgreSQL, and agrees with the models."""

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot import migrate
from bot.db import make_engine
from bot.models import Base
from bot.settings import PROJECT_ROOT


def test_upgrade_from_empty_reaches_head_and_is_idempotent(engine):
    # the fixture already migrated; a second upgrade is a no-op
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree; run alembic revision --autogenerate: {diff}"


def test_alembic_command_line_upgrade_head_from_empty(tmp_path):
    db = tmp_path / "cli.db"
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    engine = make_engine(f"sqlite:///{db}")
    assert "customers" in inspect(engine).get_table_names()
    engine.dispose()


def test_downgrade_to_base_and_back(engine):
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert "customers" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
