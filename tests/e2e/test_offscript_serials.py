"""Serials typed with look-alike slips (O for 0, B for 8 ...), end to end: the bot reads
them through the campaign's format and asks "Did you mean …?" before verifying anything."""

from __future__ import annotations

import pytest

# Conversations only: SQLite (PostgreSQL runs the scripted ones in test_conversations.py).
pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]


def asked_did_you_mean(dialogue, phone: str, typed: str, reading: str, greeting: str | None = "hi"):
    """A new chat (the greeting first, if any), then a serial with slips: the bot asks "Did you
    mean <reading>?" and verifies nothing on its guess. The chat, for the rest of the conversation."""
    chat = dialogue.chat(phone)
    if greeting:
        chat.say(greeting)
    asked = chat.say(typed)
    assert f"Did you mean {reading}?" in asked
    assert "doesn't look like" not in asked and "is one of the affected" not in asked
    assert dialogue.customer(phone)["verified"] is False
    return chat


def assert_verified(dialogue, phone: str, reply: str, serial: str) -> None:
    """The reply says `serial` is affected, and the database holds it as the customer's only unit."""
    assert f"{serial} is one of the affected" in reply
    assert dialogue.customer(phone)["verified"] is True
    assert dialogue.units_affected(phone) == {serial: True}


def test_letter_o_for_zero_is_asked_then_verified(dialogue):
    """The issue's example: Ravi (no serial on file) types lower-case o and capital O for zeros."""
    phone = "+919812300041"
    chat = asked_did_you_mean(dialogue, phone, "ar26d1o452O", "AR26D104520", greeting=None)
    reply = chat.say("yes")
    assert "1. Free repair at your home" in reply and "3. A full refund" in reply
    assert_verified(dialogue, phone, reply, "AR26D104520")
    assert dialogue.customer(phone)["affected"] is True


def test_serial_in_a_sentence_with_slips_and_a_dash(dialogue):
    """Ritu writes her own serial with O for 0, a dash and words around it."""
    phone = "+919812300025"
    chat = asked_did_you_mean(dialogue, phone, "its AR26-GOOOO1O i think", "AR26G000010", greeting="hello")
    reply = chat.say("yes thats it")
    assert "1. Free repair" in reply
    assert_verified(dialogue, phone, reply, "AR26G000010")


def test_a_wrong_reading_turned_down_then_the_right_serial(dialogue):
    """Harish's B was a 3, not an 8: he says no, and sends the serial again."""
    phone = "+919812300026"
    chat = asked_did_you_mean(dialogue, phone, "AR26C OOO3B3", "AR26C000383")
    again = chat.say("no")
    assert "OK." in again and "serial number" in again and "Did you mean" not in again
    assert dialogue.customer(phone)["verified"] is False
    # the wrong reading never registered
    assert_verified(dialogue, phone, chat.say("sorry, AR26-C-000333"), "AR26C000333")
    assert chat.tracker()["slots"]["serial_failures"] == 0


def test_two_readings_turned_down_offer_a_person(dialogue):
    """Nikhil says no to the bot's reading twice: that is two failures, and a person is offered."""
    phone = "+919812300024"
    chat = asked_did_you_mean(dialogue, phone, "ar26e 0oo8oo", "AR26E000800")
    chat.say("no")
    assert "Did you mean AR26E000800?" in chat.say("AR26E OOO8OO")
    reply = chat.say("no its not")
    assert "Would you like a person from our team to help?" in reply
    view = dialogue.customer(phone)
    assert view["verified"] is False and view["escalation"] is None
    assert dialogue.units_affected(phone) == {"AR26E000700": True}


def test_a_serial_typed_right_is_verified_without_a_question(dialogue):
    phone = "+919812300023"
    chat = dialogue.chat(phone)
    chat.say("hi")
    reply = chat.say("sr no AR26-D-005000")
    assert "Did you mean" not in reply
    assert_verified(dialogue, phone, reply, "AR26D005000")
