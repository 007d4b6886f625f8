"""The gateway's processor wired up and running: attaching stored messages to customers,
the dialogue through Rasa, replies through Twilio. Run by the worker (`bot.worker`) and,
for tests and the demo, inside the web application (`bot.web`)."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import AsyncIterator

from sqlalchemy.orm import Session, sessionmaker

from bot.gateway.handling import InboundHandler
from bot.gateway.label_photos import LabelPhotoReader, label_photo_reader
from bot.gateway.locks import WorkLocks, work_locks
from bot.gateway.processor import Processor
from bot.gateway.system_failures import http_ok
from bot.messaging.rasa import RasaClient
from bot.messaging.replies import ReplySender
from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def processing(
    settings: Settings,
    factory: sessionmaker[Session],
    *,
    sender: TwilioSender | None = None,
    rasa: RasaClient | None = None,
    photos: LabelPhotoReader | None = None,
) -> AsyncIterator[Processor]:
    """A running processor (stored work recovered first); stopped on exit. `photos` reads
    photos of the label (default: `label_photo_reader` from the settings)."""
    dialogue = rasa or RasaClient(settings.rasa_urls, settings.rasa_token)
    replies = ReplySender(factory, sender or TwilioSender(make_twilio_client(settings), settings), settings)
    action_server_up = functools.partial(http_ok, f"{settings.action_server_url}/health")
    locks = work_locks(database_url_of(factory))
    processor = Processor(
        factory,
        InboundHandler(
            factory,
            dialogue,
            replies,
            action_server_up=action_server_up,
            photos=photos or label_photo_reader(settings, factory),
        ),
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
