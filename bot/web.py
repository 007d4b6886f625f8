"""The web application's composition: the gateway's Twilio webhooks and health, and the
agents' console."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from bot.console.setup import install_console
from bot.db import make_engine, make_session_factory
from bot.gateway import campaign_media, health, webhooks
from bot.gateway.label_photos import LabelPhotoReader
from bot.gateway.processing import processing
from bot.messaging.rasa import RasaClient
from bot.messaging.replies import ReplySender
from bot.schema import ensure_schema
from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

WEBHOOK_THREADS = 4  # the webhooks' database work; inline processing uses the default pool


def create_app(
    settings: Settings,
    *,
    factory: sessionmaker[Session] | None = None,
    sender: TwilioSender | None = None,
    rasa: RasaClient | None = None,
    inline_processing: bool = True,
    photos: LabelPhotoReader | None = None,
) -> FastAPI:
    """The ASGI app. `sender` and `rasa` default to the real Twilio client (at
    TWILIO_API_URL) and the Rasa server at RASA_URL.

    `inline_processing=False` (`recall serve`, `recall up`): the app only stores and
    acknowledges; the worker process (`bot.worker`) does the rest.
    True (tests, the demo): the same processor runs inside the app."""
    if factory is None:
        engine = make_engine(settings.database_url)
        ensure_schema(engine)
        factory = make_session_factory(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.webhook_threads = ThreadPoolExecutor(WEBHOOK_THREADS, thread_name_prefix="webhook")
        try:
            if inline_processing:
                async with processing(settings, factory, sender=sender, rasa=rasa, photos=photos) as processor:
                    app.state.processor = processor
                    yield
            else:
                yield
        finally:
            app.state.processor = None
            app.state.webhook_threads.shutdown(wait=False)
            app.state.webhook_threads = None

    app = FastAPI(title="Recall Assistant", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.factory = factory
    app.state.webhook_threads = None  # until the app starts: the default pool
    app.state.processor = None  # inline processing only
    # Agents' replies from the console (the same sender as the bot's replies).
    app.state.replies = ReplySender(factory, sender or TwilioSender(make_twilio_client(settings), settings), settings)
    app.include_router(webhooks.router)
    app.include_router(health.router)
    app.include_router(campaign_media.router)  # the serial hint picture, for Twilio
    install_console(app, settings)
    return app
