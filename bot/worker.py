"""The worker's composition: the gateway's processing of stored messages (attaching them
to customers, the dialogue through Rasa, replies through Twilio), the outreach reminders
and the follow-ups after visits, in a process of its own (`recall worker`, started by
`recall serve` and `recall up`), woken by the web process through the database
(`bot.gateway.wakeups`)."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from bot.followup.job import PeriodicFollowUps
from bot.gateway.processing import processing
from bot.gateway.processor import Processor
from bot.gateway.wakeups import InboundWakeups
from bot.outreach.schedule import PeriodicTick
from bot.settings import Settings

PROCESSING_THREADS = 14


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
