"""`recall db upgrade` / `recall db current`."""

from __future__ import annotations

import click

from bot import migrate
from bot.cli.context import AppContext, pass_app
from bot.db import make_engine


@click.group("db")
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@pass_app
def upgrade(app: AppContext, revision: str) -> None:
    """Apply migrations up to REVISION."""
    engine = make_engine(app.settings.database_url)
    migrate.upgrade(engine, revision)
    click.echo(f"database at {migrate.current_revision(engine)}")
    engine.dispose()


@db.command("current")
@pass_app
def current(app: AppContext) -> None:
    """Print the schema revision of the database and of the code."""
    engine = make_engine(app.settings.database_url)
    click.echo(f"database: {migrate.current_revision(engine) or 'empty'}; code: {migrate.head_revision()}")
    engine.dispose()
