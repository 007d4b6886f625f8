"""The form-validation base that counts repeated failures per slot (`actions.base.CountingFormValidation`)."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import CountingFormValidation


class _Form(CountingFormValidation):
    max_failures = {"colour": 3}

    def name(self) -> str:
        return "validate_test_form"

    async def explain_colour(self, value, dispatcher, tracker, domain):
        dispatcher.utter_message(text=f"{value} is not a colour")
        return {"hint": "red"}

    async def give_up_colour(self, value, dispatcher, tracker, domain):
        return {"colour": "unknown"}


def _count(slots: dict, slot: str = "colour") -> tuple[list[str], dict]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict({"sender_id": "s", "slots": slots, "events": [], "latest_message": {}})
    result = asyncio.run(_Form().count_failure(slot, "sky", dispatcher, tracker, {}))
    return [m["text"] for m in dispatcher.messages], result


def test_a_failure_below_the_limit_is_counted_and_explained():
    said, result = _count({"colour_failures": 1})
    assert result == {"colour": None, "colour_failures": 2, "hint": "red"}
    assert said == ["sky is not a colour"]


def test_the_failure_at_the_limit_gives_up():
    said, result = _count({"colour_failures": 2})
    assert result == {"colour": "unknown", "colour_failures": 3}
    assert said == []


def test_a_slot_without_hooks_is_only_counted():
    said, result = _count({}, slot="size")
    assert result == {"size": None, "size_failures": 1}
    assert said == []


def test_reset():
    assert _Form().reset_failures("colour") == {"colour_failures": 0}
