"""Goodwill and compensation, end to end (issue 16, item 9): the bot explains what the demo
recall offers for the trouble (15% off a new product; spoiled food up to ₹2,000 with a photo
of the receipt, reviewed by a person), records a claim with the customer's words, and the
claim reaches the agents' queue with its own reason while the bot carries on."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import Booking, BookingStatus, Conversation, Customer, Escalation, GoodwillClaim

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

CLAIM = re.compile(r"\bGW-[A-Z2-9]{6}\b")
REFERENCE = re.compile(r"\bRP-[A-Z2-9]{6}\b")
POLICY = ("15% off a new Arctica Appliances product", "up to ₹2,000", "reviewed by a person")


def state(dialogue, phone: str) -> dict:
    """The customer's claims, escalation in progress, pause flag and booking, from the database."""
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        claims = list(
            session.scalars(
                select(GoodwillClaim).where(GoodwillClaim.customer_id == customer.id).order_by(GoodwillClaim.id)
            )
        )
        escalation = session.scalar(select(Escalation).where(Escalation.customer_id == customer.id))
        booking = session.scalar(
            select(Booking).where(Booking.customer_id == customer.id, Booking.status == BookingStatus.BOOKED)
        )
        return {
            "claims": [(c.kind.value, c.amount, c.status.value, c.receipt_required, c.text) for c in claims],
            "references": [c.reference for c in claims],
            "escalation": (escalation.reason, escalation.status.value) if escalation else None,
            "paused": session.scalar(select(Conversation.bot_paused).where(Conversation.customer_id == customer.id)),
            "booking": booking.kind.value if booking else None,
        }


def test_the_issue_message_spoiled_food_and_a_discount(dialogue):
    """Kavya, once her serial is checked, asks the issue's question in one message: both parts
    are answered from the campaign and recorded as two claims for a person to review."""
    phone = "+919812300007"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("AR26 F 000777")
    reply = chat.say("what do I get for the trouble? my food spoiled, can I get a discount on a new one?")
    for part in POLICY:
        assert part in reply, reply
    assert "Please send a photo of the receipt here" in reply and len(CLAIM.findall(reply)) == 2
    assert "Which would you like?" in reply  # the remedy question again: the recall goes on
    after = state(dialogue, phone)
    assert [c[:3] for c in after["claims"]] == [("spoiled_food", None, "submitted"), ("discount", None, "submitted")]
    assert after["claims"][0][3] is True and "my food spoiled" in after["claims"][0][4]
    assert set(CLAIM.findall(reply)) == set(after["references"])
    assert after["escalation"] == ("goodwill_claim", "open") and after["paused"] is False
    assert "Is this the right address" in chat.say("1")  # the repair is still arranged by the bot


def test_a_discount_question_as_the_first_message(dialogue):
    """Sneha writes first to ask about a discount on a new fridge: the discount is explained as
    the campaign words it, and her request goes to a person; nothing about food is claimed."""
    phone = "+919812300019"
    chat = dialogue.chat(phone)
    reply = chat.say("hello, is there any discount if i buy a new arctica fridge?")
    assert "15% off a new Arctica Appliances product" in reply and "arctica-appliances.in" in reply
    assert "discount" in reply and CLAIM.search(reply) and "photo of the receipt here" not in reply
    assert "Please send the serial number" in reply  # then the recall's first step
    after = state(dialogue, phone)
    assert [c[:3] for c in after["claims"]] == [("discount", None, "submitted")]
    assert after["escalation"] == ("goodwill_claim", "open") and after["paused"] is False


def test_a_claim_in_the_middle_of_booking_then_the_booking_goes_on(dialogue):
    """Venkat is asked to confirm his address and claims for spoiled milk first, with an
    amount; the claim is recorded and the address question comes back, then he books."""
    phone = "+919812300030"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("AR26D 005200")
    assert "Is this the right address" in chat.say("1")
    reply = chat.say("before that, my milk and curd spoiled, around rs 800. can i claim for it?")
    assert CLAIM.search(reply) and "₹800" in reply and "photo of the receipt" in reply
    assert "Is this the right address" in reply
    offer = chat.say("yes")
    assert "a technician can visit" in offer
    assert REFERENCE.search(chat.say("1"))
    after = state(dialogue, phone)
    assert [c[:3] for c in after["claims"]] == [("spoiled_food", Decimal("800.00"), "submitted")]
    assert after["booking"] == "repair" and after["escalation"] == ("goodwill_claim", "open")


def test_what_do_i_get_for_the_trouble_then_the_claim(dialogue):
    """Anjali asks what she gets for the trouble: the policy and how to claim, nothing recorded;
    she then says what spoiled and what it cost, and that is the claim."""
    phone = "+919812300031"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("AR26C000400")
    reply = chat.say("do i get anything for the trouble")
    for part in POLICY:
        assert part in reply, reply
    assert "tell me what spoiled" in reply and not CLAIM.search(reply)
    assert state(dialogue, phone)["claims"] == []
    reply = chat.say("ok so the vegetables and milk spoiled, about 1500 worth")
    assert CLAIM.search(reply) and "₹1,500" in reply
    after = state(dialogue, phone)
    assert [c[:3] for c in after["claims"]] == [("spoiled_food", Decimal("1500.00"), "submitted")]
    assert after["escalation"] == ("goodwill_claim", "open")


def test_an_angry_claim_goes_to_a_person_and_is_still_a_claim(dialogue):
    """Karthik is furious about the food he lost: a complaint hands him to a person, and his
    claim is recorded as well, so the agent sees both."""
    phone = "+919812300012"
    chat = dialogue.chat(phone)
    chat.say("hi")
    reply = chat.say("ALL my food got spoiled because of your useless fridge!!! who will pay for this, terrible")
    assert "I'm sorry we let you down" in reply and CLAIM.search(reply)
    after = state(dialogue, phone)
    assert [c[:3] for c in after["claims"]] == [("spoiled_food", None, "submitted")]
    assert after["escalation"] == ("complain", "open") and after["paused"] is True
