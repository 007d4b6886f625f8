"""A change of mind after booking, end to end (issue 16, item 4): a booked repair becomes a
refund or a replacement only after a YES to a question naming the visit it cancels, and
then in one transaction (the visit cancelled, its seat released, the request created, the
customer's remedy changed); NO keeps the visit; a replacement already requested becomes a
refund with its pickup kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import AuditEvent, Booking, Customer, RemedyRequest, ServiceSlot

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

RP = re.compile(r"\bRP-[A-Z2-9]{6}\b")
RL = re.compile(r"\bRL-[A-Z2-9]{6}\b")
RF = re.compile(r"\bRF-[A-Z2-9]{6}\b")


def state(dialogue, phone: str) -> dict:
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        bookings = list(session.scalars(select(Booking).where(Booking.customer_id == customer.id).order_by(Booking.id)))
        requests = list(
            session.scalars(
                select(RemedyRequest).where(RemedyRequest.customer_id == customer.id).order_by(RemedyRequest.id)
            )
        )
        return {
            "remedy": customer.remedy.value if customer.remedy else None,
            "bookings": [(b.reference, b.kind.value, b.status.value, b.request_id) for b in bookings],
            "seats": {b.reference: session.get(ServiceSlot, b.slot_id).booked for b in bookings},
            "requests": [(r.id, r.reference, r.kind.value, r.status.value) for r in requests],
            "events": [
                e.action
                for e in session.scalars(
                    select(AuditEvent).where(AuditEvent.customer_id == customer.id).order_by(AuditEvent.id)
                )
            ],
        }


def book_a_repair(chat, serial: str) -> str:
    """Greeting, serial, the repair, the address on file, the first time: the RP- reference."""
    chat.say("hi")
    assert "is one of the affected" in chat.say(serial)
    assert "Is this the right address" in chat.say("1")
    assert "a technician can visit" in chat.say("yes")
    booked = chat.say("1")
    reference = RP.search(booked)
    assert reference, booked
    return reference.group(0)


def test_a_booked_repair_becomes_a_refund_after_a_yes(dialogue):
    """Lakshmi books a repair, then asks for a refund instead: the question names the visit and
    the amount; her YES cancels the visit, releases its seat and records the refund; she then
    picks a pickup time for the old fridge."""
    phone = "+919812300015"
    chat = dialogue.chat(phone)
    visit = book_a_repair(chat, "AR26-D-004800")
    seats_before = state(dialogue, phone)["seats"][visit]
    question = chat.say("actually can i just get a refund instead")
    assert f"Your repair visit {visit} on" in question and "will be cancelled" in question
    assert "a refund of ₹32,990" in question and "Reply YES to confirm" in question
    assert state(dialogue, phone)["bookings"][0][2] == "booked"  # nothing before the yes
    done = chat.say("yes please")
    assert f"Your repair visit {visit} is cancelled" in done and RF.search(done) and "₹32,990" in done
    refund = RF.search(done).group(0)
    after = state(dialogue, phone)
    assert after["bookings"] == [(visit, "repair", "cancelled", None)]
    assert after["seats"][visit] == seats_before - 1
    assert [r[1:] for r in after["requests"]] == [(refund, "refund", "requested")]
    assert after["remedy"] == "refund"
    assert after["events"][-3:] == ["booking.cancelled", "request.refund", "remedy.switched"]
    assert "Is this the right address" in done  # the pickup of the old unit is arranged next
    assert "we can collect it" in chat.say("yes")
    booked = chat.say("1")
    assert refund in booked, booked
    after = state(dialogue, phone)
    assert after["bookings"][-1][1:] == ("pickup", "booked", after["requests"][0][0])
    assert after["requests"][0][3] == "scheduled"


def test_a_booked_repair_then_replacement_then_no(dialogue):
    """Imran books a repair, asks whether he could have a new one instead, and says no to the
    question: the visit stays, nothing is requested."""
    phone = "+919812300016"
    chat = dialogue.chat(phone)
    visit = book_a_repair(chat, "ar26d004801")
    question = chat.say("hmm can i get a replacement instead?")
    assert f"Your repair visit {visit} on" in question and "a replacement requested instead" in question
    kept = chat.say("no, keep the visit")
    assert f"{visit} stays as it is" in kept
    after = state(dialogue, phone)
    assert after["bookings"] == [(visit, "repair", "booked", None)]
    assert after["requests"] == [] and after["remedy"] == "repair"
    assert "remedy.switched" not in after["events"] and "booking.cancelled" not in after["events"]


def test_a_replacement_already_requested_becomes_a_refund(dialogue):
    """Kiran asked for a replacement and booked its pickup, then prefers the money: after his
    YES the replacement request is cancelled, a refund recorded, and the pickup kept for it."""
    phone = "+919812300035"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("AR26D-005300")
    assert "Reply YES to confirm" in chat.say("2")
    assert "Is this the right address" in chat.say("yes")
    assert "we can collect it" in chat.say("yes")
    booked = chat.say("1")
    replacement = RL.search(booked)
    assert replacement, booked
    question = chat.say("actually i'd rather have a refund, is that ok")
    assert "replacement request will be changed to a refund of ₹32,990" in question
    assert "the pickup stays as booked" in question and "Reply YES to confirm" in question
    done = chat.say("yes")
    assert RF.search(done) and "collect the old unit at the time already booked" in done
    refund = RF.search(done).group(0)
    after = state(dialogue, phone)
    assert [r[1:] for r in after["requests"]] == [
        (replacement.group(0), "replacement", "cancelled"),
        (refund, "refund", "scheduled"),
    ]
    pickup = after["bookings"][-1]
    assert pickup[1:3] == ("pickup", "booked") and pickup[3] == after["requests"][1][0]
    assert after["remedy"] == "refund" and "booking.cancelled" not in after["events"]
