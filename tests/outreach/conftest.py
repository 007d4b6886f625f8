"""Outreach against the local Twilio simulator (in a thread) on the real database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from bot.settings import Settings
from bot.twilio.http import make_twilio_client
from bot.twilio.sender import TwilioSender
from bot.twilio_sim import SimConfig, SimHandle, running_simulator

TEMPLATE_SID = "HX" + "1" * 32
AUTH_TOKEN = "outreach-test-token"
NOON_IST = dt.datetime(2026, 11, 25, 6, 30, tzinfo=dt.UTC)  # 12:00 in Kolkata
NIGHT_IST = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)  # 23:00 in Kolkata


def daytime_zone() -> str:
    """A fixed-offset zone where it is about noon now, so quiet hours never interfere."""
    offset = max(-12, min(14, 12 - dt.datetime.now(dt.UTC).hour))
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


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
    return dataclasses.replace(
        Settings(), database_url=db_url, twilio_api_url=sim.base_url, twilio_auth_token=AUTH_TOKEN, public_base_url=""
    )


@pytest.fixture
def sender_factory(settings: Settings):
    return lambda: TwilioSender(make_twilio_client(settings), settings, base_delay=0.01, max_delay=0.05)
