"""Two things in one message and questions answered from where the customer stands, end to
end: a remedy chosen with a question beside it (both handled in one reply), "when will it be
fixed" answered from the remedy and the booking (never the delivery time on a guess), an
address holding a time word, and a request for a person in words the classifier missed at the
address and postcode steps (issue 16)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.campaigns.definition import read_definition
from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.db import make_engine, make_session_factory
from bot.models import Customer, Escalation, Feedback
from bot.settings import PROJECT_ROOT
from tests.support.feedback import repair_done_and_feedback_asked

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")
WHICH = "Which would you like?"
REFUND_TIME = "The refund reaches your account within 7 days"
DELIVERY = "delivered within 10 days after you book, and we take the old one away"  # the delivery answer
HANDED_OVER = "A person from our team will reply here"
# The demo recall's texts in Hinglish: what a customer who writes Hinglish is answered with.
HINGLISH = read_definition(PROJECT_ROOT / "demo" / "campaign.yml").localized("hi-Latn")


def on_file(dialogue, phone: str) -> tuple[str | None, str | None]:
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        return customer.address, customer.postcode


def escalations(dialogue, phone: str) -> list[tuple[str, str]]:
    """(reason, the customer's words) of the customer's escalations."""
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        rows = session.scalars(select(Escalation).join(Customer).where(Customer.phone == phone))
        return [(e.reason, e.trigger_text) for e in rows]


def to_the_remedy_step(chat, serial: str) -> None:
    chat.say("hi")
    assert WHICH in chat.say(serial)


def to_the_address_step(chat, serial: str) -> None:
    """Greeting, serial, a repair, and NO to the address on file: the address is asked."""
    to_the_remedy_step(chat, serial)
    assert "Is this the right address" in chat.say("1")
    assert "full address" in chat.say("no")


def test_refund_instead_and_how_long_the_money_takes(dialogue):
    """The issue's message: Asha asks for a refund and how long the money takes, in one breath.
    Both are handled in one reply: the refund's time, and the refund's confirmation."""
    phone = "+919812300001"
    chat = dialogue.chat(phone)
    to_the_remedy_step(chat, "AR26D004512")
    reply = chat.say("can i get refund insted? how long will money take")
    assert REFUND_TIME in reply and "You chose a refund of ₹32,990" in reply, reply
    assert "Reply YES to confirm" in reply and WHICH not in reply
    assert chat.tracker()["slots"]["remedy"] == "refund"
    assert "Is this the right address" in chat.say("yes")
    assert "we can collect it" in chat.say("yes")
    booked = chat.say("1")
    assert REFERENCE.search(booked), booked
    assert REFUND_TIME in chat.say("how long will the money take to reach my account?")
    view = dialogue.customer(phone)
    assert view["remedy"] == "refund" and view["booking"]["kind"] == "pickup"
    assert on_file(dialogue, phone) == ("12 FC Road, Shivajinagar, Pune", "411001")


def test_refund_instead_and_its_time_while_the_address_is_asked(dialogue):
    """Sanjay chose the repair; asked for the address he changes to a refund and asks about the
    money in the same message: switched (confirmed first) and answered, nothing stored."""
    phone = "+919812300010"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "ar26-g 999001")
    reply = chat.say("can i get refund insted? how long will money take")
    assert "OK, you'd like this instead: A full refund of the purchase price." in reply, reply
    assert REFUND_TIME in reply and "Reply YES to confirm" in reply and "postcode" not in reply
    assert chat.tracker()["slots"]["address"] is None
    assert "full address" in chat.say("yes")
    assert "we can collect it" in chat.say("B-12, Lajpat Nagar 2, New Delhi 110024")
    assert REFERENCE.search(chat.say("1"))
    view = dialogue.customer(phone)
    assert view["remedy"] == "refund" and view["booking"]["kind"] == "pickup"
    assert on_file(dialogue, phone) == ("B-12, Lajpat Nagar 2, New Delhi 110024", "110024")


def test_repair_and_the_visit_length_then_when_it_will_be_fixed(dialogue):
    """Rahul picks the repair and asks how long the visit takes; once booked he asks when his
    fridge will be fixed: the booked visit, not a delivery time."""
    phone = "+919812300004"
    chat = dialogue.chat(phone)
    to_the_remedy_step(chat, "AR26C 000150")
    reply = chat.say("i want repair, how long does the visit take")
    assert "takes about 90 minutes" in reply and "Is this the right address" in reply, reply
    assert "a technician can visit" in chat.say("yes")
    booked = chat.say("1")
    reference = REFERENCE.search(booked).group(0)
    for question in ("when will my fridge be fixed", "how long till its sorted"):
        reply = chat.say(question)
        assert "fixes it at the visit booked for" in reply and reference in reply, reply
        assert DELIVERY not in reply
    view = dialogue.customer(phone)
    assert view["remedy"] == "repair" and view["booking"]["kind"] == "repair"
    assert view["booking"]["reference"] == reference


def test_hinglish_when_will_it_be_fixed_before_and_after_choosing(dialogue):
    """Meera asks in Hinglish by when her fridge will be fixed before choosing: each remedy with
    its time (not the replacement's delivery alone); she then picks the replacement by number
    with a delivery question, and asks again: now the delivery time. Her Hinglish question is
    answered in Hinglish (the catalog's hi-Latn texts); her next messages are English again, and
    so are the replies."""
    phone = "+919812300005"
    with speaking("hi-Latn"):
        each_remedy = texts.when_done(HINGLISH, None)  # each remedy with its time
        delivery = texts.when_done(HINGLISH, "replacement")  # the delivery time alone
        which = texts.ask_remedy(HINGLISH)
    chat = dialogue.chat(phone)
    to_the_remedy_step(chat, "AR26-E-120034")
    reply = chat.say("mera fridge kab tak theek hoga")
    assert each_remedy in reply and "90 minute" in reply, reply
    assert delivery not in reply and "10 din" in reply and "7 din" in reply
    assert which in reply  # the choice is asked again
    reply = chat.say("2 pls, how long for delivery?")
    assert DELIVERY in reply and "You chose a new replacement refrigerator" in reply, reply
    assert "Is this the right address" in chat.say("yes")
    reply = chat.say("when will my fridge be fixed?")
    assert DELIVERY in reply and "Is this the right address" in reply, reply
    assert "we can collect it" in chat.say("yes")
    assert REFERENCE.search(chat.say("2"))
    view = dialogue.customer(phone)
    assert view["remedy"] == "replacement" and view["booking"]["kind"] == "pickup"


def test_morning_star_apartments_is_an_address_and_sunday_morning_is_not(dialogue):
    """Arjun first asks for a Sunday morning, then gives an address with "Morning" in its name."""
    phone = "+919812300006"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "ar26e120035")
    reply = chat.say("sunday morning?")
    assert "postcode of that address" not in reply and "full address" in reply, reply
    assert chat.tracker()["slots"]["address"] is None
    reply = chat.say("Morning Star Apts, plot 12")
    assert "postcode of that address" in reply and "choose the day" not in reply, reply
    assert "a technician can visit" in chat.say("500033")
    assert REFERENCE.search(chat.say("1"))
    assert on_file(dialogue, phone) == ("Morning Star Apts, plot 12", "500033")
    assert dialogue.customer(phone)["booking"]["kind"] == "repair"


def test_a_person_asked_for_in_words_at_the_address(dialogue):
    """Kavya asks to speak with the staff when the address is asked (the classifier reads it as a
    safety question): she is handed over as a request for a person, nothing stored or booked."""
    phone = "+919812300007"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "AR26 F 000777")
    reply = chat.say("can i speak with your staff")
    assert HANDED_OVER in reply and "address first" not in reply and "not a fire" not in reply, reply
    assert escalations(dialogue, phone) == [("request_human", "can i speak with your staff")]
    view = dialogue.customer(phone)
    assert view["booking"] is None and view["escalation"]["status"] == "open"
    assert on_file(dialogue, phone) == ("3 MG Road, Bengaluru", "560001")
    slots = chat.tracker()["slots"]
    assert slots["address"] is None and slots["requested_slot"] is None


def test_a_person_asked_for_at_the_postcode(dialogue):
    """Rohan gives a new address, then asks whether a real person can handle it instead of the
    postcode: handed over; the new address is not stored (only a booking stores it)."""
    phone = "+919812300008"
    chat = dialogue.chat(phone)
    to_the_address_step(chat, "AR26C.000151")
    assert "postcode of that address" in chat.say("flat 2, 21 park street kolkata")
    reply = chat.say("can a real person handle this")
    assert HANDED_OVER in reply and "postcode" not in reply, reply
    assert escalations(dialogue, phone) == [("request_human", "can a real person handle this")]
    assert on_file(dialogue, phone) == ("21 Park Street, Kolkata", "700016")
    assert dialogue.customer(phone)["booking"] is None


def test_a_person_asked_for_in_words_instead_of_the_comment(dialogue):
    """After her repair Sneha scores 4, and asks to speak with the staff when the comment is asked:
    handed over as a request for a person; the score is kept, nothing is stored as the comment."""
    phone = "+919812300019"
    chat = dialogue.chat(phone)
    assert "How did the repair go?" in repair_done_and_feedback_asked(dialogue, chat)
    assert "anything you'd like to tell us" in chat.say("4")
    reply = chat.say("can i speak with your staff")
    assert HANDED_OVER in reply and "not a fire" not in reply, reply
    assert escalations(dialogue, phone) == [("request_human", "can i speak with your staff")]
    with make_session_factory(make_engine(dialogue.database_url))() as s:
        row = s.scalar(select(Feedback).join(Customer).where(Customer.phone == phone))
    assert (row.score, row.comment) == (4, None)


def test_cost_question_beside_the_refund_then_no(dialogue):
    """Divya asks for a refund and whether it costs anything; told it is free, she says no to the
    refund's confirmation and picks the repair."""
    phone = "+919812300009"
    chat = dialogue.chat(phone)
    to_the_remedy_step(chat, "AR26D004600")
    reply = chat.say("refund pls, does it cost anything")
    assert "It costs you nothing" in reply and "You chose a refund" in reply, reply
    assert WHICH in chat.say("no")
    assert chat.tracker()["slots"]["remedy"] is None
    assert "Is this the right address" in chat.say("1")
    assert "a technician can visit" in chat.say("yes")
    assert REFERENCE.search(chat.say("3"))
    view = dialogue.customer(phone)
    assert view["remedy"] == "repair" and view["booking"]["kind"] == "repair"
