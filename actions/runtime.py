"""The action server's access to the application: one lazily built session factory per
process, and database work run in a worker thread so the event loop never blocks.

An action owns its unit of work: what it changes goes through `in_transaction` (one
transaction, committed when the function returns; the services it calls never commit).
`read` is for looking only: on SQLite it does not take the write lock."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.schema import ensure_schema
from bot.services.conversations import CustomerContext, load_context
from bot.settings import get_settings

T = TypeVar("T")


@functools.cache
def session_factory() -> sessionmaker[Session]:
    # pool_pre_ping here (not in the gateway): an action that failed on a connection the
    # server dropped would cost the customer their turn; Rasa does not retry it.
    engine = (
        make_engine(get_settings().database_url, pool_size=8, max_overflow=4, pool_pre_ping=True)
        if not get_settings().is_sqlite
        else make_engine(get_settings().database_url)
    )
    ensure_schema(engine)
    return make_session_factory(engine)


async def read(fn: Callable[[Session], T]) -> T:
    """Run `fn(session)` in a worker thread on a session that only reads (never committed)."""

    def work() -> T:
        with session_factory()() as session:
            return fn(session)

    return await asyncio.to_thread(work)


async def in_transaction(fn: Callable[[Session], T]) -> T:
    """Run `fn(session)` in a worker thread as one write transaction, committed when it
    returns and rolled back when it raises (`bot.db.run_in_write_transaction`)."""
    return await asyncio.to_thread(run_in_write_transaction, session_factory(), fn)


async def context(sender_id: str) -> CustomerContext | None:
    return await read(lambda s: load_context(s, sender_id))
