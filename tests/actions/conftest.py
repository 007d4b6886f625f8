"""Custom actions run directly, with trackers built by `Tracker.from_dict` (as in
RasaHQ/financial-demo) and the real database behind the action runtime."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from bot.services.conversations import open_conversation
from tests import factories

DOMAIN: dict[str, Any] = {}


@pytest.fixture
def action_db(session_factory, monkeypatch):
    """The demo campaign and Asha (affected unit, address on file) behind the actions."""
    monkeypatch.setattr(runtime, "session_factory", lambda: session_factory)
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300001", "AR26D004512", address="12 FC Road, Pune", postcode="411001")
        sender_id = open_conversation(s, "+919812300001").sender_id
    return {"factory": session_factory, "sender_id": sender_id}


def tracker(
    sender_id: str,
    text: str = "",
    intent: str | None = None,
    *,
    slots: dict | None = None,
    entities: list[dict] | None = None,
    active_loop: str | None = None,
    events: list[dict] | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99} if intent else {},
        "entities": entities or [],
    }
    default_events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest},
    ]
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": slots or {},
            "latest_message": latest,
            "events": list(events) if events is not None else default_events,  # actions append to it
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


async def run(action, tracker_: Tracker) -> tuple[list[str], dict[str, Any]]:
    """Run an action; (texts it sent, {slot: value} it set)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return [m["text"] for m in dispatcher.messages], slots


BOT_SPOKE = ({"event": "bot", "text": "earlier"},)
