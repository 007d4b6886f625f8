"""The serial question carries the campaign's picture of where the label is
(`serial_hint_image`, demo/serial-hint.png) at its absolute URL; "Did you mean …?" does not."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import hint_image
from actions.recall_form import ActionAskSerial
from bot.settings import Settings
from tests.actions.support import BOT_SPOKE, DOMAIN, tracker

SLUG = "arctica-ff260-valve-2026"
PICTURE = f"https://recall.example.com/campaign-media/{SLUG}/serial-hint.png"


@pytest.fixture(autouse=True)
def public_base_url(monkeypatch):
    monkeypatch.setattr(hint_image, "get_settings", lambda: Settings(public_base_url="https://recall.example.com/"))


def asked(t) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskSerial().run(dispatcher, t, DOMAIN))
    return dispatcher.messages


def test_the_plain_serial_question_carries_the_picture(action_db):
    messages = asked(tracker(action_db["sender_id"], "hi", events=BOT_SPOKE))
    assert len(messages) == 1
    assert "serial number" in messages[0]["text"] and messages[0]["image"] == PICTURE


def test_the_first_turn_introduction_comes_first_and_without_it(action_db):
    messages = asked(tracker(action_db["sender_id"], "hi"))
    assert [bool(m["image"]) for m in messages] == [False, True]


def test_did_you_mean_carries_no_picture(action_db):
    t = tracker(action_db["sender_id"], "ar26d1o452O", slots={"suggested_serial": "AR26D104520"}, events=BOT_SPOKE)
    messages = asked(t)
    assert [(m["text"], m["image"]) for m in messages] == [("Did you mean AR26D104520? Reply YES or NO.", None)]


def test_no_picture_without_a_public_base_url(action_db, monkeypatch):
    monkeypatch.setattr(hint_image, "get_settings", lambda: Settings(public_base_url=""))
    messages = asked(tracker(action_db["sender_id"], "hi", events=BOT_SPOKE))
    assert [m["image"] for m in messages] == [None]
