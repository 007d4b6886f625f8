"""Serials typed with look-alike slips (O for 0, B for 8 ...), end to end: the bot reads
them through the campaign's format and asks "Did you mean …?" before verifying anything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import Customer, Unit

pytestmark = pytest.mark.rasa


def units_of(dialogue, phone: str) -> dict[str, bool]:
    """{serial: affected} of the customer's units, from the database."""
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        return {u.serial: u.affected for u in session.scalars(select(Unit).where(Unit.customer_id == customer.id))}


def test_letter_o_for_zero_is_asked_then_verified(dialogue):
    """The issue's example: Ravi (no serial on file) types lower-case o and capital O for zeros."""
    chat = dialogue.chat("+919812300041")
    asked = chat.say("ar26d1o452O")
    assert "Did you mean AR26D104520?" in asked
    assert "doesn't look like" not in asked and "is one of the affected" not in asked
    assert dialogue.customer("+919812300041")["verified"] is False  # nothing verified on a guess
    reply = chat.say("yes")
    assert "AR26D104520 is one of the affected" in reply
    assert "1. Free repair at your home" in reply and "3. A full refund" in reply
    view = dialogue.customer("+919812300041")
    assert view["verified"] is True and view["affected"] is True
    assert units_of(dialogue, "+919812300041") == {"AR26D104520": True}


def test_serial_in_a_sentence_with_slips_and_a_dash(dialogue):
    """Ritu writes her own serial with O for 0, a dash and words around it."""
    chat = dialogue.chat("+919812300025")
    chat.say("hello")
    assert "Did you mean AR26G000010?" in chat.say("its AR26-GOOOO1O i think")
    reply = chat.say("yes thats it")
    assert "AR26G000010 is one of the affected" in reply and "1. Free repair" in reply
    assert dialogue.customer("+919812300025")["verified"] is True
    assert units_of(dialogue, "+919812300025") == {"AR26G000010": True}


def test_a_wrong_reading_turned_down_then_the_right_serial(dialogue):
    """Harish's B was a 3, not an 8: he says no, and sends the serial again."""
    chat = dialogue.chat("+919812300026")
    chat.say("hi")
    assert "Did you mean AR26C000383?" in chat.say("AR26C OOO3B3")
    again = chat.say("no")
    assert "OK." in again and "serial number" in again and "Did you mean" not in again
    assert dialogue.customer("+919812300026")["verified"] is False
    reply = chat.say("sorry, AR26-C-000333")
    assert "AR26C000333 is one of the affected" in reply
    assert dialogue.customer("+919812300026")["verified"] is True
    assert units_of(dialogue, "+919812300026") == {"AR26C000333": True}  # the wrong reading never registered
    assert chat.tracker()["slots"]["serial_failures"] == 0


def test_two_readings_turned_down_offer_a_person(dialogue):
    """Nikhil says no to the bot's reading twice: that is two failures, and a person is offered."""
    chat = dialogue.chat("+919812300024")
    chat.say("hi")
    assert "Did you mean AR26E000800?" in chat.say("ar26e 0oo8oo")
    chat.say("no")
    assert "Did you mean AR26E000800?" in chat.say("AR26E OOO8OO")
    reply = chat.say("no its not")
    assert "Would you like a person from our team to help?" in reply
    view = dialogue.customer("+919812300024")
    assert view["verified"] is False and view["escalation"] is None
    assert units_of(dialogue, "+919812300024") == {"AR26E000700": True}


def test_a_serial_typed_right_is_verified_without_a_question(dialogue):
    chat = dialogue.chat("+919812300023")
    chat.say("hi")
    reply = chat.say("sr no AR26-D-005000")
    assert "Did you mean" not in reply and "AR26D005000 is one of the affected" in reply
    assert dialogue.customer("+919812300023")["verified"] is True
