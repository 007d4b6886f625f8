"""A running simulator per test, pointed at a small recording app that stands in for the
Recall Assistant's webhooks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from twilio.rest import Client

from bot.twilio_sim import SimConfig, SimHandle, running_simulator, serving
from tests.twilio_sim.support import ACCOUNT_SID, AUTH_TOKEN, OPENAPI, SMS_FROM, WHATSAPP_FROM, Receiver


@pytest.fixture(scope="session")
def _receiver_server() -> Iterator[Receiver]:
    recv = Receiver()
    app = Starlette(routes=[Route("/{path:path}", recv.asgi_endpoint, methods=["POST"])])
    with serving(app) as url:
        recv.base_url = url
        yield recv


@pytest.fixture
def receiver(_receiver_server: Receiver) -> Receiver:
    """The recording app, emptied for this test (one server for the whole session)."""
    _receiver_server.clear()
    return _receiver_server


@pytest.fixture
def make_sim(receiver: Receiver) -> Iterator[Callable[..., SimHandle]]:
    """Start a simulator with test defaults (fast status steps, webhooks to `receiver`)."""
    with ExitStack() as stack:

        def start(**overrides: Any) -> SimHandle:
            values: dict[str, Any] = {
                "account_sid": ACCOUNT_SID,
                "auth_token": AUTH_TOKEN,
                "sms_number": SMS_FROM,
                "whatsapp_number": WHATSAPP_FROM,
                "inbound_url": receiver.url("/twilio/inbound"),
                "step_delay": 0.02,
                "read_delay": 0.02,
                "webhook_timeout": 2.0,
            }
            values.update(overrides)
            return stack.enter_context(running_simulator(SimConfig(**values)))

        yield start


@pytest.fixture
def sim(make_sim: Callable[..., SimHandle]) -> SimHandle:
    return make_sim()


@pytest.fixture
def client(sim: SimHandle) -> Client:
    return sim.twilio_client()


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text())
