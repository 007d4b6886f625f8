"""Bringing the database's schema to the code's, at every start (the CLI, the web app,
the action server): below the CLI so that the web app and the action server need not
import it; the CLI turns `SchemaBehind` into its own error message."""

from __future__ import annotations

from sqlalchemy import Engine

from bot import migrate


class SchemaBehind(RuntimeError):
    """A server database whose schema is not the code's: the message says what to run."""


def ensure_schema(engine: Engine) -> None:
    """SQLite (the default) is migrated on the spot, so a newcomer never has to; on a
    server database a schema behind the code is an error that says what to run."""
    if engine.dialect.name == "sqlite":
        migrate.upgrade(engine)
        return
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        raise SchemaBehind(
            f"database schema is at {current or 'empty'}, the code needs {head}: run `recall db upgrade`"
        )
