"""Processing stored inbound messages: per customer, one at a time, in arrival order.

The webhook only stores and acknowledges, then calls `Processor.received()`. Two stages
follow:

1. **Intake** (one task, messages in arrival order): each new message is attached to its
   customer (`attach_inbound`), which wakes that customer's worker (`notify`).
2. **Per customer**: the worker handles the customer's unprocessed messages oldest
   first. Different customers are handled concurrently (bounded).

On start, every message stored but not attached or not processed (the process died) is
picked up again. A message Rasa had already answered before a crash is recognised from
the tracker and not sent again.

Several worker processes (GATEWAY_WORKERS, PostgreSQL) share the work through advisory
locks (`locks`): one intake at a time, one worker per customer at a time. With
`notify_attached=False` the intake leaves the customers it attached to the database's
broadcast (`pg_notify('recall_attached')`, every worker listens), so that whichever
worker is free first takes the customer.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import distinct, select
from sqlalchemy.orm import Session, sessionmaker

from bot.gateway.inbound import attach_inbound, unattached
from bot.gateway.locks import INTAKE, LocalLocks, WorkLocks, customer_key
from bot.models import Direction, Message

log = logging.getLogger(__name__)
T = TypeVar("T")

Handler = Callable[[int], Awaitable[None]]  # handles one inbound message id
Attacher = Callable[[int], int | None]  # links one message to its customer (blocking)


def unprocessed(factory: sessionmaker[Session], customer_id: int, limit: int = 100) -> list[int]:
    """The customer's stored but unprocessed inbound messages, oldest first."""
    with factory() as session:
        return list(
            session.scalars(
                select(Message.id)
                .where(
                    Message.customer_id == customer_id,
                    Message.direction == Direction.INBOUND,
                    Message.processed_at.is_(None),
                )
                .order_by(Message.id)
                .limit(limit)
            )
        )


def customers_with_backlog(factory: sessionmaker[Session]) -> list[int]:
    with factory() as session:
        return list(
            session.scalars(
                select(distinct(Message.customer_id)).where(
                    Message.direction == Direction.INBOUND,
                    Message.processed_at.is_(None),
                    Message.customer_id.is_not(None),
                )
            )
        )


class Processor:
    def __init__(
        self,
        factory: sessionmaker[Session],
        handler: Handler,
        *,
        concurrency: int = 32,
        retry_delays: tuple[float, ...] = (0.5, 1, 2, 4, 8, 15, 30),
        attach: Attacher | None = None,
        locks: WorkLocks | None = None,
        notify_attached: bool = True,
    ) -> None:
        self.factory = factory
        self.locks = locks or LocalLocks()
        self.notify_attached = notify_attached
        self.handler = handler
        self._attach = attach or functools.partial(attach_inbound, factory)
        self._intake: asyncio.Task[None] | None = None
        self._intake_again = False
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[int] = set()
        self._again: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._retry_delays = retry_delays
        self._stopping = False

    def received(self) -> None:
        """A message was stored: make sure the intake runs (it attaches every stored,
        unattached message in arrival order)."""
        if self._stopping:
            return
        if self._intake is not None:
            self._intake_again = True
            return
        self._intake = asyncio.create_task(self._run_intake(), name="intake")
        self._tasks.add(self._intake)
        self._intake.add_done_callback(self._tasks.discard)

    def notify(self, customer_id: int) -> None:
        """Make sure the customer's backlog is (or will be) processed."""
        if self._stopping:
            return
        if customer_id in self._running:
            self._again.add(customer_id)
            return
        self._running.add(customer_id)
        task = asyncio.create_task(self._drain(customer_id), name=f"customer-{customer_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def recover(self) -> int:
        """Queue every customer with messages stored but not processed, and the intake of
        messages stored but not attached."""
        customers = await asyncio.to_thread(customers_with_backlog, self.factory)
        for customer_id in customers:
            self.notify(customer_id)
        self.received()
        return len(customers)

    async def idle(self, timeout: float = 60) -> None:
        """Wait until no customer has work in progress (tests, shutdown)."""
        async with asyncio.timeout(timeout):
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        self._stopping = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _run_intake(self, batch: int = 100) -> None:
        try:
            await self._exclusively(
                INTAKE,
                "intake",
                lambda: self._intake_batches(batch),
                lambda: asyncio.to_thread(unattached, self.factory, 1),
            )
        finally:
            # A message stored while the lock was being released (after the last batch
            # looked) only set the flag: run again rather than leave it waiting.
            again, self._intake, self._intake_again = self._intake_again, None, False
            if again:
                self.received()

    async def _intake_batches(self, batch: int) -> None:
        while True:
            self._intake_again = False
            message_ids = await asyncio.to_thread(unattached, self.factory, batch)
            for message_id in message_ids:
                customer_id = await self._with_retries(
                    message_id, "attached", lambda m=message_id: asyncio.to_thread(self._attach, m)
                )
                if customer_id is not None and self.notify_attached:
                    self.notify(customer_id)
            if not self._intake_again and len(message_ids) < batch:
                return

    async def _drain(self, customer_id: int, batch: int = 100) -> None:
        try:
            await self._exclusively(
                customer_key(customer_id),
                f"customer {customer_id}",
                lambda: self._drain_batches(customer_id, batch),
                lambda: asyncio.to_thread(unprocessed, self.factory, customer_id, 1),
            )
        finally:
            # Likewise a message attached while the lock was being released.
            again = customer_id in self._again
            self._running.discard(customer_id)
            self._again.discard(customer_id)
            if again:
                self.notify(customer_id)

    async def _drain_batches(self, customer_id: int, batch: int) -> None:
        while True:
            # One query for the whole backlog; again only when a message arrived
            # (notify) meanwhile, or the batch was full.
            self._again.discard(customer_id)
            message_ids = await asyncio.to_thread(unprocessed, self.factory, customer_id, batch)
            for message_id in message_ids:
                await self._with_retries(message_id, "processed", lambda m=message_id: self._handle(m))
            if customer_id not in self._again and len(message_ids) < batch:
                return

    async def _exclusively(
        self,
        key: tuple[int, int],
        what: str,
        work: Callable[[], Awaitable[None]],
        left_over: Callable[[], Awaitable[list[int]]],
    ) -> None:
        """`work` under the lock `key`, unless another worker process holds it. Having
        released it, look again (`left_over`): work stored while we held the lock may
        have been left to us by a worker that found it taken."""
        while True:
            if not await self._with_retries(what, "locked", lambda: self.locks.try_acquire(key)):
                return  # the holder looks again after releasing
            try:
                await work()
            finally:
                await self.locks.release(key)
            if not self.locks.shared or self._stopping or not await left_over():
                return

    async def _handle(self, message_id: int) -> None:
        async with self._slots:
            await self.handler(message_id)

    async def _with_retries(self, what: int | str, step: str, work: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await work()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - kept and retried, never lost
                delay = self._retry_delays[min(attempt, len(self._retry_delays) - 1)]
                attempt += 1
                log.warning(
                    "%s not %s (%s); retry %d in %.1f s",
                    f"message {what}" if isinstance(what, int) else what,
                    step,
                    exc,
                    attempt,
                    delay,
                )
                await asyncio.sleep(delay)
