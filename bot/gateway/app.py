"""The web application: Twilio webhooks and health (the console joins later)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.context import ensure_schema
from bot.db import make_engine, make_session_factory
from bot.gateway import health, webhooks
from bot.gateway.dialogue import RasaClient
from bot.gateway.handling import InboundHandler
from bot.gateway.outbound import ReplySender
from bot.gateway.processor import Processor
from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

log = logging.getLogger(__name__)
WEBHOOK_THREADS = 4  # for storing inbound webhooks; background processing uses the default pool


def create_app(settings: Settings, *, factory: sessionmaker[Session] | None = None,
               sender: TwilioSender | None = None, rasa: RasaClient | None = None) -> FastAPI:
    """The ASGI app. `sender` and `rasa` default to the real Twilio client (at
    TWILIO_API_URL) and the Rasa server at RASA_URL."""
    if factory is None:
        engine = make_engine(settings.database_url)
        ensure_schema(engine)
        factory = make_session_factory(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        dialogue = rasa or RasaClient(settings.rasa_url, settings.rasa_token)
        replies = ReplySender(factory, sender or TwilioSender(make_twilio_client(settings), settings), settings)
        app.state.replies = replies
        app.state.webhook_threads = ThreadPoolExecutor(WEBHOOK_THREADS, thread_name_prefix="webhook")
        app.state.processor = Processor(factory, InboundHandler(factory, dialogue, replies))
        recovered = await app.state.processor.recover()
        if recovered:
            log.info("picked up unprocessed messages of %d customers", recovered)
        try:
            yield
        finally:
            await app.state.processor.stop()
            await dialogue.close()
            app.state.webhook_threads.shutdown(wait=False)
            app.state.webhook_threads = None

    app = FastAPI(title="Recall Assistant", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.factory = factory
    app.state.webhook_threads = None  # until the app starts: the default pool
    app.include_router(webhooks.router)
    app.include_router(health.router)
    return app
