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
async def processing(settings: Settings, factory: sessionmaker[Session], *, sender: TwilioSender | None = None,
                     rasa: RasaClient | None = None) -> AsyncIterator[Processor]:
    """A running processor (stored work recovered first); stopped on exit."""
    dialogue = rasa or RasaClient(settings.rasa_url, settings.rasa_token)
    replies = ReplySender(factory, sender or TwilioSender(make_twilio_client(settings), settings), settings)
    action_server_up = functools.partial(http_ok, f"{settings.action_server_url}/health")
    processor = Processor(factory, InboundHandler(factory, dialogue, replies, action_server_up=action_server_up))
    recovered = await processor.recover()
    if recovered:
        log.info("picked up unprocessed messages of %d customers", recovered)
    try:
        yield processor
    finally:
        await processor.stop()
        await dialogue.close()


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
        wakeups = InboundWakeups(settings.database_url, lambda: loop.call_soon_threadsafe(processor.received))
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
