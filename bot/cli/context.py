"""What every `recall` command shares: settings, the engine and a session factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import migrate
from bot.db import make_engine, make_session_factory
from bot.settings import Settings, get_settings


@dataclass
class AppContext:
    settings: Settings = field(default_factory=get_settings)

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.database_url)
        ensure_schema(engine)
        return engine

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)


def ensure_schema(engine: Engine) -> None:
    """SQLite (the default) is migrated on the spot, so a newcomer never has to; on a
    server database a schema behind the code is an error that says what to run."""
    if engine.dialect.name == "sqlite":
        migrate.upgrade(engine)
        return
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        raise click.ClickException(
            f"database schema is at {current or 'empty'}, the code needs {head}: run `recall db upgrade`"
        )


pass_app = click.make_pass_decorator(AppContext, ensure=True)
