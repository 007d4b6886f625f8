"""Questions customers ask off the script, end to end (real Rasa, action server, database):
each answered from the campaign's fields (demo/campaign.yml), then the step the
conversation was waiting for is asked again."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import Customer

# Conversations only: SQLite (PostgreSQL runs the scripted ones in test_conversations.py).
pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")


def address_of(dialogue, phone: str) -> str | None:
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        return session.scalar(select(Customer.address).where(Customer.phone == phone))


def test_who_is_this_how_did_you_get_my_number_what_do_i_do(dialogue):
    """Manoj answers the notice with the issue's three questions, then sends his serial."""
    chat = dialogue.chat("+919812300020")
    who = chat.say("who is this?")
    assert "This is Arctica Care" in who and "free recall" in who and "didn't understand" not in who
    how = chat.say("how did you get my number")
    assert "from the sales record of the shop you bought it from" in how
    assert "person from our team" not in how
    todo = chat.say("ok what do I need to do")
    assert "Just send us the serial number" in todo and "Please send the serial number" in todo
    assert dialogue.customer("+919812300020")["verified"] is False
    reply = chat.say("ar26-c-000200")
    assert "AR26C000200 is one of the affected" in reply and "1. Free repair" in reply
    view = dialogue.customer("+919812300020")
    assert view["verified"] is True and view["escalation"] is None


def test_refund_time_after_the_refund_is_confirmed(dialogue):
    """Sanjay books his refund, then asks when the money comes: the refund days, not the repair's 90 minutes."""
    chat = dialogue.chat("+919812300010")
    chat.say("hello")
    assert "affected" in chat.say("AR26G999001")
    assert "YES" in chat.say("3")
    assert "right address" in chat.say("yes")
    chat.say("yes")
    done = chat.say("1")
    reference = REFERENCE.search(done).group(0)
    assert reference.startswith("RF-")
    answer = chat.say("how long will the money take to reach my account?")
    assert "within 7 days after we collect" in answer and "90 minutes" not in answer
    view = dialogue.customer("+919812300010")
    assert view["remedy"] == "refund" and view["booking"]["kind"] == "pickup"
    assert view["booking"]["status"] == "booked" and view["escalation"] is None


def test_is_this_a_scam_gets_the_official_website_and_phone(dialogue):
    chat = dialogue.chat("+919812300022")
    reply = chat.say("is this a scam??")
    assert "genuine" in reply and "https://www.arctica-appliances.in/recall" in reply
    assert "+91 1800 266 0260" in reply and "never ask for a payment" in reply
    assert dialogue.customer("+919812300022")["escalation"] is None  # a question, not a complaint


def test_question_at_the_serial_step_then_the_serial(dialogue):
    chat = dialogue.chat("+919812300023")
    assert "serial number" in chat.say("hi")
    answer = chat.say("wat will u do with my data")
    assert "only for this recall" in answer and "serial number" in answer  # the step is asked again
    assert "AR26D005000 is one of the affected" in chat.say("AR26D005000")
    assert dialogue.customer("+919812300023")["verified"] is True


def test_question_at_the_address_step_then_the_address(dialogue):
    """No address on file: asked for it, the customer asks about the visit first."""
    chat = dialogue.chat("+919812399990")
    assert "AR26E000888 is one of the affected" in chat.say("my serial is AR26E000888")
    assert "full address" in chat.say("1")
    answer = chat.say("do i need to be home when the technician comes?")
    assert "18 or over needs to be at home" in answer and "90 minutes" in answer
    assert "address" in answer  # asked again
    assert dialogue.customer("+919812399990")["booking"] is None
    assert not address_of(dialogue, "+919812399990")
    slots = chat.say("Flat 4B, Rose Villa, Baner Road, Pune 411045")
    assert "Reply with a number" in slots
    assert REFERENCE.search(chat.say("1")).group(0).startswith("RP-")
    view = dialogue.customer("+919812399990")
    assert view["booking"]["status"] == "booked"
    assert "Rose Villa" in address_of(dialogue, "+919812399990")  # the question was never stored as the address


def test_two_trust_questions_in_one_message_are_both_answered(dialogue):
    """Swati's first message asks whether the notice is real and how we got her number."""
    chat = dialogue.chat("+919812300027")
    reply = chat.say("hii is this real?? how did u get my no")
    assert "genuine" in reply and "https://www.arctica-appliances.in/recall" in reply
    assert "from the sales record of the shop you bought it from" in reply
    assert reply.index("genuine") < reply.index("sales record")  # in the order she asked
    assert "didn't understand" not in reply
    assert "AR26D005100 is one of the affected" in chat.say("ok my serial is AR26D005100")
