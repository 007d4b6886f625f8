"""Rasa's SQL tracker store, made to ride out a PostgreSQL restart (loaded by Rasa in
.venv-rasa: `tracker_store: type: rasa_components.tracker_store.ResilientSQLTrackerStore`,
written by bot/rasa_endpoints.py).

Rasa wraps every tracker store in its `FailSafeTrackerStore`: when reading a
conversation fails, it carries on with an empty one (the bot greets the customer as if
for the first time) and keeps that turn's events in memory only. Stock
`SQLTrackerStore` reads through a connection pool without a liveness check, so after
PostgreSQL restarted, the first turn on every pooled connection failed that way.

Here a pooled connection is checked before use (SQLAlchemy's pre-ping, replaced when
the server dropped it), and a read or write that fails on the connection is tried
again for about 15 s, which covers a restart or a failover. A longer outage still ends
in Rasa's fallback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.pool._pre_ping = True  # the pool's own setting (create_engine(pool_pre_ping=True))

    async def _retrying(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        for delay in RETRY_DELAYS:
            try:
                return await call()
            except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError) as exc:
                log.warning("tracker store: %s failed (%s); again in %.1f s", what, exc.__class__.__name__, delay)
                await asyncio.sleep(delay)
        return await call()

    async def retrieve(self, sender_id: str) -> Any:
        return await self._retrying("reading a conversation", lambda: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        return await self._retrying(
            "reading a conversation", lambda: SQLTrackerStore.retrieve_full_tracker(self, sender_id)
        )

    async def save(self, tracker: Any) -> None:
        await self._retrying("saving a conversation", lambda: SQLTrackerStore.save(self, tracker))
