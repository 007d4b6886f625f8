"""Running custom actions directly: trackers built by `Tracker.from_dict` (as in
RasaHQ/financial-demo), and `run` that returns what an action said and the slots it set."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN: dict[str, Any] = {}


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
