"""The customer's language at the gateway (issue 17, item 2): each inbound message tells
about it (written in, asked for), a request reaches Rasa as `/switch_language`, and the
gateway's own answers are in the customer's language — with a stand-in Rasa and Twilio,
on the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from bot.conversation import texts
from bot.conversation.catalog import current_language
from bot.gateway.handling import SWITCH_LANGUAGE
from bot.models import AuditEvent, Campaign, Customer, Direction, Message

PHONE = "+919812300001"


def language_of(factory, phone: str = PHONE) -> tuple[str | None, str | None]:
    with factory() as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        source = customer.language_source
        return customer.language, source.value if source else None


def set_language(factory, language: str | None, source: str | None, phone: str = PHONE) -> None:
    with factory.begin() as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        customer.language, customer.language_source = language, source


def test_a_request_reaches_rasa_as_the_intent_and_the_stored_message_keeps_its_words(gateway):
    gateway.inbound("hindi me baat karo")
    gateway.settle()

    assert gateway.rasa.turns[-1][1] == SWITCH_LANGUAGE
    assert language_of(gateway.factory) == ("hi", "chosen")
    with gateway.factory() as s:
        assert s.scalar(select(Message.body).where(Message.direction == Direction.INBOUND)) == "hindi me baat karo"
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "customer.language"))
        assert event.actor == "customer" and event.detail == {"from": None, "to": "hi", "source": "chosen"}


def test_the_language_written_in_is_kept_until_the_customer_chooses_one(gateway):
    gateway.inbound("मेरा फ्रिज ठंडा नहीं कर रहा")
    gateway.settle()
    assert gateway.rasa.turns[-1][1] == "मेरा फ्रिज ठंडा नहीं कर रहा"  # an ordinary message for Rasa
    assert language_of(gateway.factory) == ("hi", "written")

    gateway.inbound("mera fridge thanda nahi kar raha")
    gateway.inbound("ok")  # says nothing: stays as it was
    gateway.settle()
    assert language_of(gateway.factory) == ("hi-Latn", "written")

    gateway.inbound("English please")
    gateway.inbound("मेरा फ्रिज ठंडा नहीं कर रहा")
    gateway.inbound("repair karwa do")
    gateway.settle()
    assert language_of(gateway.factory) == ("en", "chosen")  # a choice sticks
    assert [text for _, text in gateway.rasa.turns][-3:] == [
        SWITCH_LANGUAGE,
        "मेरा फ्रिज ठंडा नहीं कर रहा",
        "repair karwa do",
    ]

    gateway.inbound("हिंदी में बात करें")
    gateway.settle()
    assert language_of(gateway.factory) == ("hi", "chosen")  # a new choice replaces it


def test_a_buyer_list_language_is_not_undone_by_what_is_written(gateway):
    set_language(gateway.factory, "hi", "list")
    gateway.inbound("my fridge is not cooling at all")
    gateway.settle()
    assert language_of(gateway.factory) == ("hi", "list")


def test_a_language_the_campaign_does_not_ship_is_not_kept_nor_switched_to(gateway):
    with gateway.factory.begin() as s:
        campaign = s.scalar(select(Campaign))
        campaign.definition = {**campaign.definition, "languages": ["en"], "translations": {}}
    gateway.inbound("hindi")
    gateway.inbound("मेरा फ्रिज ठंडा नहीं कर रहा")
    gateway.settle()

    assert [text for _, text in gateway.rasa.turns] == ["hindi", "मेरा फ्रिज ठंडा नहीं कर रहा"]
    assert language_of(gateway.factory) == (None, None)


def test_rasa_is_called_and_the_gateway_answers_in_the_customers_language(gateway, monkeypatch):
    languages_seen = []
    gateway.rasa.reply = lambda text: languages_seen.append(current_language()) or [f"echo: {text}"]
    monkeypatch.setattr(texts, "photo_received", lambda: f"photo ({current_language()})")
    gateway.rasa.waiting_for_serial = False

    gateway.inbound("hinglish")
    gateway.inbound("", media=[("https://api.twilio.com/media/ME1", "image/jpeg")])
    gateway.settle()

    assert languages_seen == ["hi-Latn"]  # the new language is the one of this very turn
    assert gateway.sender.sent[-1]["body"] == "photo (hi-Latn)"


def test_help_is_answered_with_the_campaigns_texts_in_the_customers_language(gateway):
    gateway.inbound("HELP")
    gateway.settle()
    assert "फ्रिज" not in gateway.sender.sent[-1]["body"]

    set_language(gateway.factory, "hi", "chosen")
    gateway.inbound("HELP")
    gateway.settle()
    assert "Arctica FrostFree 260L फ्रिज" in gateway.sender.sent[-1]["body"]  # translations.hi.product


def test_the_apology_when_the_action_server_is_down_is_in_the_customers_language(session_factory, monkeypatch):
    from bot.processes import free_port
    from tests.gateway.support import running_gateway

    monkeypatch.setattr(texts, "escalated", lambda d, reason, when: f"sorry ({current_language()}, {d.product})")
    with running_gateway(session_factory, action_server_port=free_port()) as gateway:  # nothing listens there
        gateway.rasa.reply = lambda text: []  # what Rasa's REST channel answers then
        gateway.inbound("मेरा serial AR26D004512 है")
        gateway.settle()
        assert gateway.sender.sent[-1]["body"] == "sorry (hi, Arctica FrostFree 260L फ्रिज)"
