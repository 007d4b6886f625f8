"""The periodic outreach pass `recall serve` runs (through its worker): the reminders
now due, for every campaign — what `recall outreach tick` does once."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.background import BackgroundLoop
from bot.models import Campaign
from bot.outreach.dispatcher import Dispatcher
from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender

log = logging.getLogger(__name__)
TICK_SECONDS = 600
TICK_RATE = 10  # messages per second: reminders trickle out beside the conversations


def tick_all(factory: sessionmaker[Session], settings: Settings) -> int:
    """One pass over every campaign; the number of reminders sent."""
    with factory() as session:
        slugs = list(session.scalars(select(Campaign.slug).order_by(Campaign.id)))
    dispatcher = Dispatcher(
        factory,
        settings,
        rate=TICK_RATE,
        concurrency=4,
        sender_factory=lambda: TwilioSender(make_twilio_client(settings), settings),
    )
    return sum(dispatcher.run(slug, steps="reminders").sent for slug in slugs)


class PeriodicTick(BackgroundLoop):
    """`tick_all` every `interval` seconds in a thread, until stopped."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings, interval: float = TICK_SECONDS) -> None:
        super().__init__("outreach-tick")
        self.factory, self.settings, self.interval = factory, settings, interval

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                sent = tick_all(self.factory, self.settings)
            except Exception:
                log.exception("outreach tick failed")
                continue
            if sent:
                log.info("outreach tick: %d reminders sent", sent)
