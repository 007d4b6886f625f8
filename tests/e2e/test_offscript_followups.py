"""Follow-ups to issue 16's off-script items, end to end: a repair named beside "i'm out of
town till the 20th" is chosen and the times offered are after the 20th; a repair named
after a cancelled refund pickup is not booked beside the open refund request but goes
through the switch (its YES cancels the request, then the repair is booked).

The demo calendar: Monday to Saturday, 09:00-13:00 and 14:00-18:00 (Asia/Kolkata)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import Booking, Customer, RemedyRequest, ServiceSlot, utcnow

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
RP = re.compile(r"\bRP-[A-Z2-9]{6}\b")
RF = re.compile(r"\bRF-[A-Z2-9]{6}\b")
LABEL = re.compile(r"^\d\. (\w{3} \d{1,2} \w{3}, \d{2}:\d{2}–\d{2}:\d{2})$", re.M)


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
            "bookings": [(b.reference, b.kind.value, b.status.value) for b in bookings],
            "starts": [session.get(ServiceSlot, b.slot_id).starts_at.astimezone(IST) for b in bookings],
            "requests": [(r.reference, r.kind.value, r.status.value) for r in requests],
        }


def day_after_the_next_20th() -> dt.date:
    """'till the 20th' said today: the 21st of this month, or of the next one once the 20th has passed."""
    today = utcnow().astimezone(IST).date()
    twentieth = today.replace(day=20)
    if twentieth < today:
        twentieth = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=20)
    return twentieth + dt.timedelta(days=1)


def test_repair_beside_out_of_town_till_the_20th(dialogue):
    """Meera writes the repair and her trip in one lower-case message: the repair is taken, the
    address asked, and the times offered are after the 20th."""
    phone = "+919812300005"
    chat = dialogue.chat(phone)
    chat.say("hello")
    assert "is one of the affected" in chat.say("AR26-E-120034")
    reply = chat.say("ok repair chahiye, but im out of town till 20th")
    assert "Is this the right address" in reply and "Which would you like?" not in reply, reply
    offer = chat.say("ya correct")
    assert "that fit" in offer, offer
    earliest = day_after_the_next_20th()
    offered = LABEL.findall(offer)
    assert len(offered) == 3, offer
    assert RP.search(chat.say("2nd one"))
    after = state(dialogue, phone)
    assert [kind for _, kind, status in after["bookings"] if status == "booked"] == ["repair"]
    assert after["starts"][0].date() >= earliest and after["requests"] == []
    assert chat.tracker()["slots"]["time_preference"] is None  # cleared with the booking


def test_repair_after_a_cancelled_refund_pickup_goes_through_the_switch(dialogue):
    """Imran books a refund pickup, cancels the pickup, then asks for the repair instead: the
    bot asks to change the open refund request; only his YES cancels it, and the repair is
    booked (no repair next to an open request)."""
    phone = "+919812300016"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("ar26d004801")
    assert "Reply YES" in chat.say("refund")
    assert "Is this the right address" in chat.say("yes")
    offer = chat.say("yes")
    assert LABEL.findall(offer), offer
    booked = chat.say("1")
    refund = RF.search(booked)
    assert refund, booked
    question = chat.say("pls cancel the pickup")
    assert "Reply YES to cancel" in question, question
    assert "cancelled" in chat.say("yes")
    before = state(dialogue, phone)
    assert before["requests"] == [(refund.group(0), "refund", "requested")]
    assert [status for _, _, status in before["bookings"]] == ["cancelled"]

    switch = chat.say("actually can u just repair it instead")
    assert "refund request will be changed to a repair" in switch and "Reply YES" in switch, switch
    assert state(dialogue, phone)["requests"] == before["requests"]  # nothing changed on the question
    done = chat.say("yes pls")
    assert "your request is cancelled" in done and "Is this the right address" in done, done
    assert "a technician can visit" in chat.say("yes")
    repair = RP.search(chat.say("1"))
    assert repair
    after = state(dialogue, phone)
    assert after["requests"] == [(refund.group(0), "refund", "cancelled")]
    assert [(kind, status) for _, kind, status in after["bookings"]] == [("pickup", "cancelled"), ("repair", "booked")]
    assert after["bookings"][-1][0] == repair.group(0)
