"""The action server's access to the application: one lazily built session factory per
process, and database work run in a worker thread so the event loop never blocks."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_session_factory
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
    """Run `fn(session)` in a worker thread on a read-only session."""

    def work() -> T:
        with session_factory()() as session:
            return fn(session)

    return await asyncio.to_thread(work)


async def write(fn: Callable[[Session], T]) -> T:
    """Run `fn(session)` in a worker thread inside a transaction."""

    def work() -> T:
        with session_factory().begin() as session:
            return fn(session)

    return await asyncio.to_thread(work)


async def call(fn: Callable[..., T], *args, **kwargs) -> T:
    """Run a service that manages its own transactions (takes the factory first)."""
    return await asyncio.to_thread(fn, session_factory(), *args, **kwargs)


async def context(sender_id: str) -> CustomerContext | None:
    return await read(lambda s: load_context(s, sender_id))
