"""Free-text slots take only what fits, end to end: at the address and postcode steps a
change of remedy, a day asked for, a bare "ok" or a question is never stored as the address;
the bot handles it and asks again (issue 16, item 3)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import Customer, Feedback
from tests.support.feedback import repair_done_and_feedback_asked

# Conversations only: SQLite (PostgreSQL runs the scripted ones in test_conversations.py).
pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")


def on_file(dialogue, phone: str) -> tuple[str | None, str | None]:
    """The customer's address and postcode in the database."""
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        return customer.address, customer.postcode


def to_the_address_step(chat, serial: str) -> None:
    """Greeting, serial, a repair, and NO to the address on file: the address is asked."""
    chat.say("hi")
    assert "is one of the affected" in chat.say(serial)
    assert "Is this the right address" in chat.say("1")
    assert "full address" in chat.say("no")


def test_a_replacement_instead_of_the_address(dialogue):
    """Swati is asked for her address and changes her mind: a replacement instead."""
    phone = "+919812300027"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "AR26D005100")
    reply = chat.say("actually I want a replacement instead")
    assert "OK, you'd like this instead: A new replacement refrigerator." in reply
    assert "Reply YES to confirm" in reply and "postcode of that address" not in reply
    assert on_file(dialogue, phone) == ("41 Deccan Gymkhana, Pune", "411004")  # nothing stored
    assert chat.tracker()["slots"]["address"] is None
    assert "full address" in chat.say("yes pls")
    offer = chat.say("Flat 12, Shanti Apts, Baner Road, Pune 411045")
    assert "we can collect it" in offer and "1. " in offer
    booked = chat.say("1")
    assert REFERENCE.search(booked), booked
    view = dialogue.customer(phone)
    assert view["remedy"] == "replacement" and view["booking"]["kind"] == "pickup"
    assert on_file(dialogue, phone) == ("Flat 12, Shanti Apts, Baner Road, Pune 411045", "411045")


def test_sunday_asked_for_at_the_address_then_a_short_address(dialogue):
    """Abdul asks for a Sunday visit when the address is asked, then types a short address."""
    phone = "+919812300028"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "ar26f200002")
    reply = chat.say("can the technician come on sunday instead?")
    assert "You can choose the day in the next step." in reply and "full address" in reply
    assert "postcode of that address" not in reply
    assert chat.tracker()["slots"]["address"] is None
    assert on_file(dialogue, phone) == ("3 Frazer Town, Bengaluru", "560005")
    assert "postcode of that address" in chat.say("12 mg road")  # a number and words: an address
    offer = chat.say("560001")
    assert "a technician can visit" in offer
    slots = chat.tracker()["slots"]
    assert (slots["address"], slots["postcode"]) == ("12 mg road", "560001")
    assert REFERENCE.search(chat.say("2"))
    assert on_file(dialogue, phone) == ("12 mg road", "560001")
    assert dialogue.customer(phone)["booking"]["kind"] == "repair"


def test_travelling_at_the_postcode_step(dialogue):
    """Ananya gives a Hyderabad house number, then says she travels instead of the postcode."""
    phone = "+919812300011"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "AR26D004700")
    assert "postcode of that address" in chat.say("h.no 5-3-12 ameerpet hyderabad")
    reply = chat.say("i am travelling till the 20th")
    assert "You can choose the day in the next step." in reply and "postcode" in reply
    assert chat.tracker()["slots"]["postcode"] is None
    offer = chat.say("500016")
    assert "a technician can visit" in offer
    slots = chat.tracker()["slots"]
    assert (slots["address"], slots["postcode"]) == ("h.no 5-3-12 ameerpet hyderabad", "500016")
    assert on_file(dialogue, phone) == ("14 Salt Lake Sector V, Kolkata", "700091")  # stored only on booking


def test_ok_and_words_without_a_number_are_not_an_address(dialogue):
    """Gurpreet answers "ok", then a place without a number: both are refused with an example."""
    phone = "+919812300018"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "AR26E 555010")
    reply = chat.say("ok")
    assert "doesn't look like an address" in reply and "Baner Road, Pune 411045" in reply
    reply = chat.say("sector seventeen chandigarh")
    assert "doesn't look like an address" in reply
    assert chat.tracker()["slots"]["address"] is None
    assert on_file(dialogue, phone) == ("House 12, Sector 17, Chandigarh", "160017")
    offer = chat.say("house 14, sector 17 chandigarh 160017")
    assert "a technician can visit" in offer
    assert chat.tracker()["slots"]["postcode"] == "160017"


def test_a_yes_to_the_comment_question_is_not_the_comment(dialogue):
    """After her repair, Bhavna scores 5 and answers "yes" to the comment question: the bot asks
    for the comment itself and stores only that."""
    phone = "+919812300038"
    chat = dialogue.chat(phone)
    assert "How did the repair go?" in repair_done_and_feedback_asked(dialogue, chat)
    assert "anything you'd like to tell us" in chat.say("5")
    assert "Please type your comment" in chat.say("yes")
    assert "Thank you for your feedback" in chat.say("the technician came on time, fridge is cold now")
    with make_session_factory(make_engine(dialogue.database_url))() as s:
        row = s.scalar(select(Feedback).join(Customer).where(Customer.phone == phone))
    assert (row.score, row.comment) == (5, "the technician came on time, fridge is cold now")
