"""Custom actions run directly, with trackers built by `Tracker.from_dict` (as in
RasaHQ/financial-demo) and the real database behind the action runtime."""

from __future__ import annotations

import pytest

from actions import runtime
from bot.services.conversations import open_conversation
from tests import factories


@pytest.fixture
def action_db(session_factory, monkeypatch):
    """The demo campaign and Asha (affected unit, address on file) behind the actions."""
    monkeypatch.setattr(runtime, "session_factory", lambda: session_factory)
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300001", "AR26D004512", address="12 FC Road, Pune", postcode="411001")
        sender_id = open_conversation(s, "+919812300001").sender_id
    return {"factory": session_factory, "sender_id": sender_id}
