"""Outreach against the local Twilio simulator (in a thread) on the real database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender
from bot.twilio_sim import SimConfig, SimHandle, running_simulator
from tests.outreach.support import AUTH_TOKEN, TEMPLATE_SID


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    config = SimConfig(
        auth_token=AUTH_TOKEN,
        step_delay=0.01,
        read_delay=-1,
        auto_replies=False,
        templates={TEMPLATE_SID: "Hello {{1}}, RECALL of the {{2}}: {{3}}. Reply with your serial."},
    )
    with running_simulator(config) as handle:
        yield handle


@pytest.fixture
def settings(sim: SimHandle, db_url: str) -> Settings:
    return Settings(database_url=db_url, twilio_api_url=sim.base_url, twilio_auth_token=AUTH_TOKEN, public_base_url="")


@pytest.fixture
def sender_factory(settings: Settings):
    return lambda: TwilioSender(make_twilio_client(settings), settings, base_delay=0.01, max_delay=0.05)
