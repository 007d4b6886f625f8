"""What every `recall` command shares: settings, the engine, a session factory, and
`in_transaction`: a command's one unit of work (the services it calls never commit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.schema import SchemaBehind, ensure_schema
from bot.settings import Settings, SettingsError, get_settings

T = TypeVar("T")


def environment_settings() -> Settings:
    """The settings from the environment and `.env`; a bad value is a clear error naming
    the variable, not a traceback."""
    try:
        return get_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@dataclass
class AppContext:
    settings: Settings = field(default_factory=environment_settings)

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.database_url)
        try:
            ensure_schema(engine)
        except SchemaBehind as exc:
            raise click.ClickException(str(exc)) from exc
        return engine

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    def in_transaction(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` as one write transaction (`bot.db.run_in_write_transaction`)."""
        return run_in_write_transaction(self.session_factory, work)


pass_app = click.make_pass_decorator(AppContext, ensure=True)
