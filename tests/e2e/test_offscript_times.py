"""Time preferences, end to end (issue 16, item 5): a day that is not a working day, a date
said at the address step or with the remedy, "evening" when visits have none, "next
saturday afternoon", and "none of these work" twice, after which a person arranges the
time. Each asserts the replies that matter and the booking (or escalation) in the database.

The demo calendar: Monday to Saturday, 09:00-13:00 and 14:00-18:00 (Asia/Kolkata)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from sqlalchemy import select

from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.db import make_engine, make_session_factory
from bot.models import Booking, BookingStatus, Conversation, Customer, Escalation, EscalationStatus, ServiceSlot, utcnow

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
REFERENCE = re.compile(r"\bRP-[A-Z2-9]{6}\b")
LABEL = re.compile(r"^\d\. (\w{3} \d{1,2} \w{3}, \d{2}:\d{2}–\d{2}:\d{2})$", re.M)


def factory(dialogue):
    return make_session_factory(make_engine(dialogue.database_url))


def booked_start(dialogue, phone: str) -> dt.datetime:
    """The local start of the customer's booked visit."""
    with factory(dialogue)() as s:
        start = s.scalar(
            select(ServiceSlot.starts_at)
            .join(Booking, Booking.slot_id == ServiceSlot.id)
            .join(Customer, Customer.id == Booking.customer_id)
            .where(Customer.phone == phone, Booking.status == BookingStatus.BOOKED)
        )
    assert start is not None, "no booking"
    return start.astimezone(IST)


def labels(reply: str) -> list[str]:
    return LABEL.findall(reply)


def day_after_the_next_20th() -> dt.date:
    """'after the 20th' said today: the 21st of this month, or of the next one once the 20th has passed."""
    today = utcnow().astimezone(IST).date()
    twentieth = today.replace(day=20)
    if twentieth < today:
        twentieth = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=20)
    return twentieth + dt.timedelta(days=1)


def to_the_offer(chat, serial: str) -> str:
    """Greeting, serial, a repair, YES to the address on file: the times are offered."""
    chat.say("hi")
    assert "is one of the affected" in chat.say(serial)
    assert "Is this the right address" in chat.say("1")
    offer = chat.say("yes")
    assert "next free times a technician can visit" in offer, offer
    return offer


def test_sunday_asked_for_at_the_time_step(dialogue):
    """Meera asks for a Sunday: the working days are said and the nearest times offered."""
    phone = "+919812300005"
    chat = dialogue.chat(phone)
    to_the_offer(chat, "AR26-E-120034")
    reply = chat.say("can u come on sunday?")
    assert "Our technicians visit Monday to Saturday, not on Sunday." in reply, reply
    assert "nearest free times" in reply
    offered = labels(reply)
    assert len(offered) == 3 and all(label[:3] in ("Sat", "Mon") for label in offered), offered
    assert REFERENCE.search(chat.say("2"))
    start = booked_start(dialogue, phone)
    assert offered[1].startswith(start.strftime("%a %-d %b, %H:%M")) and start.weekday() in (5, 0)


def test_after_the_20th_at_the_address_step_is_honoured_at_the_offer(dialogue):
    """Divya says she is away when the address is asked; the times offered are after the 20th."""
    phone = "+919812300009"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("AR26D004600")
    assert "Is this the right address" in chat.say("repair pls")
    assert "full address" in chat.say("no")
    reply = chat.say("after the 20th pls, im out of town till then")
    assert "You can choose the day in the next step." in reply and "full address" in reply
    assert chat.tracker()["slots"]["address"] is None
    offer = chat.say("flat 4, 5 aundh road, pune 411007")
    assert "that fit" in offer, offer
    earliest = day_after_the_next_20th()
    offered = labels(offer)
    assert len(offered) == 3
    assert REFERENCE.search(chat.say("the first one"))
    start = booked_start(dialogue, phone)
    assert start.date() >= earliest and start.strftime("%a %-d %b") == offered[0].split(",")[0]
    with factory(dialogue)() as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        assert (customer.address, customer.postcode) == ("flat 4, 5 aundh road, pune 411007", "411007")


def test_none_of_these_twice_hands_the_time_to_a_person(dialogue):
    """Sneha turns the offered times down twice: other times first, then a person."""
    phone = "+919812300019"
    chat = dialogue.chat(phone)
    first = labels(to_the_offer(chat, "AR26D 004900"))
    reply = chat.say("none of these work for me")
    assert "Here are other free times" in reply, reply
    second = labels(reply)
    assert len(second) == 3 and not set(first) & set(second)
    reply = chat.say("nope, none of them")
    assert "arrange a time with you" in reply, reply
    with factory(dialogue)() as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        [escalation] = s.scalars(select(Escalation).where(Escalation.customer_id == customer.id)).all()
        assert escalation.reason == "no_suitable_time" and escalation.status == EscalationStatus.OPEN
        assert s.scalar(select(Conversation.bot_paused).where(Conversation.customer_id == customer.id))
        assert s.scalar(select(Booking).where(Booking.customer_id == customer.id)) is None


def test_evening_when_the_calendar_has_none(dialogue):
    """Deepa asks for an evening visit: the hours are said and the nearest (afternoon) times offered."""
    phone = "+919812300023"
    chat = dialogue.chat(phone)
    to_the_offer(chat, "AR26D005000")
    reply = chat.say("evening?")
    assert "Visits are at these times of day: 09:00–13:00 or 14:00–18:00." in reply, reply
    offered = labels(reply)
    assert len(offered) == 3 and all(label.endswith("14:00–18:00") for label in offered), offered
    assert REFERENCE.search(chat.say("1"))
    assert booked_start(dialogue, phone).hour == 14


def test_next_saturday_afternoon(dialogue):
    """Kiran wants a Saturday afternoon: he gets one (picked straight away when it was offered)."""
    phone = "+919812300035"
    chat = dialogue.chat(phone)
    to_the_offer(chat, "AR26D-005300")
    reply = chat.say("next saturday afternoon")
    if not REFERENCE.search(reply):
        assert "that fit" in reply, reply
        offered = labels(reply)
        assert offered and all(label.startswith("Sat") and label.endswith("14:00–18:00") for label in offered)
        assert REFERENCE.search(chat.say("1"))
    start = booked_start(dialogue, phone)
    assert (start.weekday(), start.hour) == (5, 14)


def test_the_repair_but_travelling_until_the_20th(dialogue):
    """Aditya chooses the repair and says he travels until the 20th in one message: the repair
    is taken (also when the message reads as travelling: actions/situations.py) and the
    wish kept for the offer."""
    phone = "+919812300014"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "is one of the affected" in chat.say("AR26F300300")
    reply = chat.say("I want the repair but I am travelling until the 20th")
    assert "Is this the right address" in reply and "Which would you like?" not in reply, reply
    assert chat.tracker()["slots"]["remedy"] == "repair"
    offer = chat.say("yes thats right")
    assert "that fit" in offer, offer
    earliest = day_after_the_next_20th()
    assert REFERENCE.search(chat.say("2"))
    assert booked_start(dialogue, phone).date() >= earliest


def test_not_this_week_in_hinglish_then_a_pick(dialogue):
    """Nandini writes "is hafte nahi, agle hafte subah": mornings of next week. She wrote
    Hinglish, so the times are offered in Hinglish (the catalog's hi-Latn texts and day names)."""
    phone = "+919812300033"
    chat = dialogue.chat(phone)
    to_the_offer(chat, "AR26E400401")
    reply = chat.say("is hafte nahi, agle hafte subah")
    offered = re.findall(r"^\d\. (.+)$", reply, re.M)
    with speaking("hi-Latn"):
        assert len(offered) == 3 and texts.offer_preferred_slots(offered, "repair", exact=True) in reply, reply
    assert REFERENCE.search(chat.say("3"))
    start = booked_start(dialogue, phone)
    with factory(dialogue)() as s:
        slot_start, slot_end = s.execute(
            select(ServiceSlot.starts_at, ServiceSlot.ends_at)
            .join(Booking, Booking.slot_id == ServiceSlot.id)
            .join(Customer, Customer.id == Booking.customer_id)
            .where(Customer.phone == phone, Booking.status == BookingStatus.BOOKED)
        ).one()
    with speaking("hi-Latn"):
        picked = texts.slot_label(slot_start, slot_end, IST)
    morning = picked.rsplit(", ", 1)[1]  # "09:00-13:00", as the catalog writes it
    assert offered[2] == picked and all(label.endswith(f", {morning}") for label in offered), (offered, picked)
    today = utcnow().astimezone(IST).date()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    assert next_monday <= start.date() < next_monday + dt.timedelta(days=7) and start.hour == 9
    with factory(dialogue)() as s:
        assert s.scalar(select(Customer.language).where(Customer.phone == phone)) == "hi-Latn"
