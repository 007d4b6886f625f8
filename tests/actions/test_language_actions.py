"""The customer's language in the action server (issue 17): every action of a request
speaks it (`load_customer` → `use_language`) with the campaign's texts in it, and
`action_switch_language` confirms a switch in the new language."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from actions.languages import ActionSwitchLanguage
from actions.questions import ActionAnswerQuestion
from bot.conversation import texts
from bot.conversation.catalog import current_language, speaking
from bot.models import Customer
from tests.actions.support import BOT_SPOKE, run, tracker


def set_language(factory, language: str | None, source: str | None = "chosen") -> None:
    with factory.begin() as s:
        customer = s.scalar(select(Customer).where(Customer.phone == "+919812300001"))
        customer.language, customer.language_source = language, source


def test_the_switch_is_confirmed_in_the_new_language(action_db, monkeypatch):
    set_language(action_db["factory"], "hi")
    monkeypatch.setattr(texts, "language_switched", lambda: f"switched ({current_language()})")

    said, slots = asyncio.run(
        run(
            ActionSwitchLanguage(),
            tracker(action_db["sender_id"], "/switch_language", "switch_language", events=list(BOT_SPOKE)),
        )
    )

    assert said == ["switched (hi)"] and slots == {}


def test_the_confirmation_text_comes_from_the_catalog(action_db):
    set_language(action_db["factory"], "hi-Latn")
    said, _ = asyncio.run(
        run(
            ActionSwitchLanguage(),
            tracker(action_db["sender_id"], "/switch_language", "switch_language", events=list(BOT_SPOKE)),
        )
    )
    with speaking("hi-Latn"):
        assert said == [texts.language_switched()]


def test_an_answer_uses_the_campaigns_texts_in_the_customers_language(action_db):
    asked = tracker(action_db["sender_id"], "what is wrong with it", "ask_defect", events=list(BOT_SPOKE))
    english, _ = asyncio.run(run(ActionAnswerQuestion(), asked))
    assert "रेफ्रिजरेंट" not in " ".join(english)

    set_language(action_db["factory"], "hi")
    hindi, _ = asyncio.run(run(ActionAnswerQuestion(), asked))
    assert "रेफ्रिजरेंट" in " ".join(hindi)  # translations.hi.hazard


def test_a_language_the_campaign_does_not_ship_is_written_to_in_its_default(action_db, monkeypatch):
    set_language(action_db["factory"], "ta", "list")
    monkeypatch.setattr(texts, "language_switched", lambda: f"switched ({current_language()})")
    said, _ = asyncio.run(
        run(
            ActionSwitchLanguage(),
            tracker(action_db["sender_id"], "/switch_language", "switch_language", events=list(BOT_SPOKE)),
        )
    )
    assert said == ["switched (en)"]


def test_a_switch_in_the_middle_of_the_recall_form_fills_no_slot(action_db):
    """The form leaves `/switch_language` to its rule (the confirmation, then the question again)."""
    from tests.actions.test_recall_actions import form_tracker, run_form

    asked_remedy = form_tracker(
        action_db["sender_id"],
        "/switch_language",
        "switch_language",
        slots={"requested_slot": "remedy", "serial": "AR26D004512", "remedy": None},
    )
    said, slots = asyncio.run(run_form(asked_remedy))
    assert said == [] and slots.get("remedy") is None
    assert "Please reply with a number" not in " ".join(said)
