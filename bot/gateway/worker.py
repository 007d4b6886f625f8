"""The gateway worker: everything after a webhook was stored — attaching messages to
customers, the dialogue through Rasa, replies through Twilio — in its own process
(`recall worker`, started by `recall serve` and `recall up`), woken by the web process
through the database (`wakeups`)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from bot.followup.job import PeriodicFollowUps
from bot.gateway.dialogue import RasaClient
from bot.gateway.handling import InboundHandler
from bot.gateway.locks import WorkLocks, work_locks
from bot.gateway.outbound import ReplySender
from bot.gateway.processor import Processor
from bot.gateway.system_failures import http_ok
from bot.gateway.wakeups import InboundWakeups
from bot.outreach.schedule import PeriodicTick
from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

log = logging.getLogger(__name__)
PROCESSING_THREADS = 14


@contextlib.asynccontextmanager
async def processing(
    settings: Settings,
    factory: sessionmaker[Session],
    *,
    sender: TwilioSender | None = None,
    rasa: RasaClient | None = None,
) -> AsyncIterator[Processor]:
    """A running processor (stored work recovered first); stopped on exit."""
    dialogue = rasa or RasaClient(settings.rasa_urls, settings.rasa_token)
    replies = ReplySender(factory, sender or TwilioSender(make_twilio_client(settings), settings), settings)
    action_server_up = functools.partial(http_ok, f"{settings.action_server_url}/health")
    locks = work_locks(database_url_of(factory))
    processor = Processor(
        factory,
        InboundHandler(factory, dialogue, replies, action_server_up=action_server_up),
        locks=locks,
        notify_attached=not shares_customers(settings, locks),
    )
    recovered = await processor.recover()
    if recovered:
        log.info("picked up unprocessed messages of %d customers", recovered)
    try:
        yield processor
    finally:
        await processor.stop()
        await locks.close()
        await dialogue.close()


def database_url_of(factory: sessionmaker[Session]) -> str:
    return factory.kw["bind"].url.render_as_string(hide_password=False)


def shares_customers(settings: Settings, locks: WorkLocks) -> bool:
    """Several workers on PostgreSQL: a customer attached by one worker's intake goes to
    whichever worker takes it first (`pg_notify('recall_attached')`)."""
    return locks.shared and settings.gateway_workers > 1


def worker_wakeups(database_url: str, processor: Processor, loop: asyncio.AbstractEventLoop) -> InboundWakeups:
    """What wakes the processor: messages stored (its intake) and, when workers share
    customers, customers another worker's intake attached."""
    shared = not processor.notify_attached
    return InboundWakeups(
        database_url,
        lambda: loop.call_soon_threadsafe(processor.received),
        attached=(lambda customer_id: loop.call_soon_threadsafe(processor.notify, customer_id)) if shared else None,
        resync=(lambda: asyncio.run_coroutine_threadsafe(processor.recover(), loop)) if shared else None,
    )


async def run_worker(settings: Settings, factory: sessionmaker[Session]) -> None:
    """Process stored messages, send the reminders due every 10 minutes and the
    follow-ups after visits (feedback, new times) every minute, until SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    # The handlers' blocking steps (database, the Twilio call) run on the default pool:
    # sized so that the 32 customers handled at once do not queue for 6 threads (the
    # interpreter's default on 2 cores), within the database pool (15 connections).
    loop.set_default_executor(ThreadPoolExecutor(PROCESSING_THREADS, thread_name_prefix="processing"))
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    async with processing(settings, factory) as processor:
        wakeups = worker_wakeups(settings.database_url, processor, loop)
        reminders = PeriodicTick(factory, settings)  # `recall outreach tick` every 10 minutes
        follow_ups = PeriodicFollowUps(factory, settings)  # `recall feedback tick` every minute
        wakeups.start()
        reminders.start()
        follow_ups.start()
        try:
            await stopped.wait()
        finally:
            follow_ups.stop()
            reminders.stop()
            wakeups.stop()
