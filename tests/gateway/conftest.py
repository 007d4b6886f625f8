"""The gateway in-process (FastAPI TestClient) with a stand-in Rasa and Twilio sender,
on the real database: fast checks of signatures, storage, ordering and keywords. The
full-stack versions (real Rasa, action server and the Twilio simulator) are in
tests/e2e/test_gateway.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gateway.support import Gateway, running_gateway


@pytest.fixture
def gateway(session_factory) -> Iterator[Gateway]:
    with running_gateway(session_factory) as running:
        yield running
