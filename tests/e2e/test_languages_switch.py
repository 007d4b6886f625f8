"""A switch of language mid-conversation through the whole stack (real Rasa, action
server, gateway, the Twilio simulator; issue 17, item 2): "hindi" is kept as the
customer's choice and reaches Rasa as `/switch_language`; the confirmation and everything
after are in Hindi — the catalog's sentences and the campaign's own texts
(translations.hi); "english please" in the middle of the recall form switches back and
the form asks its question again, in English."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.db import make_engine, make_session_factory
from bot.models import Customer

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]
PHONE = "+919812300001"  # Asha Rao, AR26D004512 (affected), in demo/buyers.csv


def language_of(dialogue, phone: str = PHONE) -> tuple[str | None, str | None]:
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        return customer.language, customer.language_source.value if customer.language_source else None


def actions_run(chat) -> list[str]:
    return [e["name"] for e in chat.tracker()["events"] if e.get("event") == "action"]


def test_hindi_then_english_in_the_middle_of_the_form(dialogue):
    chat = dialogue.chat(PHONE)

    switched = chat.say("hindi")

    assert language_of(dialogue) == ("hi", "chosen")
    assert "action_switch_language" in actions_run(chat)
    with speaking("hi"):
        confirmation = texts.language_switched()
    assert confirmation in switched and "हिंदी" in confirmation  # the catalog's Hindi

    remedies = chat.say("AR26D004512")
    assert "घर पर मुफ्त रिपेयर" in remedies and "पूरी कीमत का रिफंड" in remedies  # translations.hi.remedies
    assert "Free repair at your home" not in remedies

    back = chat.say("english please")
    assert language_of(dialogue) == ("en", "chosen")
    assert "OK, I will write in English from now on." in back
    assert "Free repair at your home" in back and "घर पर मुफ्त रिपेयर" not in back  # the question again, in English
    assert dialogue.customer(PHONE)["escalation"] is None


def test_hinglish_written_is_kept_and_the_campaigns_texts_follow(dialogue):
    """Divya writes in Hinglish: her language is detected (not chosen), and the remedies are
    offered with the campaign's Hinglish labels."""
    phone = "+919812300009"  # Divya Joshi, AR26D004600 (affected)
    chat = dialogue.chat(phone)

    chat.say("mera fridge thanda nahi kar raha hai")
    assert language_of(dialogue, phone) == ("hi-Latn", "written")

    remedies = chat.say("AR26D004600")
    assert "Ghar par free repair" in remedies and "Poori keemat ka refund" in remedies  # translations.hi-Latn
    assert "Free repair at your home" not in remedies
