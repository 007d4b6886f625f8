"""Keeping one customer's messages to one gateway worker process at a time.

Inside a process the `Processor` runs at most one task per customer. Across processes
(GATEWAY_WORKERS > 1, or a second `recall worker` by mistake) on PostgreSQL, a task
first takes a session-level advisory lock on the customer (`pg_try_advisory_lock`) on
a connection of its own, and releases it when the customer's backlog is drained; the
intake (attaching messages to customers in arrival order) takes one lock shared by all
workers. A worker that does not get a lock leaves the work to the holder, which looks
for new work again after releasing (so nothing stored meanwhile is left behind). A worker
that dies loses its connection, and with it its locks.

On SQLite there is one worker (`deployment.check_deployment`): `LocalLocks`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# pg_try_advisory_lock(namespace, key): the namespaces are ours alone in the database.
INTAKE = (0x52454301, 0)  # 'REC' 1
CUSTOMER_NAMESPACE = 0x52454302  # 'REC' 2


def customer_key(customer_id: int) -> tuple[int, int]:
    return (CUSTOMER_NAMESPACE, customer_id)


class WorkLocks(Protocol):
    shared: bool  # True: other processes may hold the same locks

    async def try_acquire(self, key: tuple[int, int]) -> bool: ...
    async def release(self, key: tuple[int, int]) -> None: ...
    async def close(self) -> None: ...


class LocalLocks:
    """One worker process: the processor's own bookkeeping is enough."""

    shared = False

    async def try_acquire(self, key: tuple[int, int]) -> bool:
        return True

    async def release(self, key: tuple[int, int]) -> None:
        pass

    async def close(self) -> None:
        pass


class AdvisoryLocks:
    """PostgreSQL advisory locks on one autocommit connection of this process's own."""

    shared = True

    def __init__(self, database_url: str) -> None:
        self.conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection = None
        self._guard = asyncio.Lock()

    async def _execute(self, query: str, key: tuple[int, int]) -> bool:
        import psycopg

        async with self._guard:
            if self._connection is None or self._connection.closed:
                self._connection = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
            try:
                cursor = await self._connection.execute(query, key)
                row = await cursor.fetchone()
            except psycopg.OperationalError:
                # The connection is gone and the server released its locks with it.
                await self._drop()
                raise
            return bool(row and row[0])

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:  # noqa: BLE001 - already broken
                pass

    async def try_acquire(self, key: tuple[int, int]) -> bool:
        return await self._execute("SELECT pg_try_advisory_lock(%s, %s)", key)

    async def release(self, key: tuple[int, int]) -> None:
        try:
            if not await self._execute("SELECT pg_advisory_unlock(%s, %s)", key):
                log.warning("advisory lock %s was not held when released", key)
        except Exception as exc:  # noqa: BLE001 - a lost connection released it already
            log.warning("advisory lock %s not released (%s): the connection is gone, and the lock with it", key, exc)

    async def close(self) -> None:
        async with self._guard:
            await self._drop()


def work_locks(database_url: str) -> WorkLocks:
    backend = make_url(database_url).get_backend_name()
    return AdvisoryLocks(database_url) if backend == "postgresql" else LocalLocks()
