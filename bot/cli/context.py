"""What every `recall` command shares: settings, the engine and a session factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_session_factory
from bot.schema import SchemaBehind, ensure_schema
from bot.settings import Settings, get_settings


@dataclass
class AppContext:
    settings: Settings = field(default_factory=get_settings)

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


pass_app = click.make_pass_decorator(AppContext, ensure=True)
