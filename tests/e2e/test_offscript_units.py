"""Several units per customer, end to end (issue 16, item 6): serials in one message or one
after another, each unit verified with its own remedy and state; a repair for a second unit
joins the visit booked (no second seat, the visit takes twice as long); a replacement or
refund is one request per unit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.models import Booking, BookingStatus, Customer, RemedyRequest, ServiceSlot, Unit

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")
PUNE_ADDRESS = "Flat 4B, Shanti Apartments, Baner Road, Pune 411045"


def session(dialogue):
    return make_session_factory(make_engine(dialogue.database_url))()


def units_of(dialogue, phone: str) -> dict[str, dict]:
    """{serial: the unit's own state} of the customer's units, from the database."""
    with session(dialogue) as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        rows = s.scalars(select(Unit).where(Unit.customer_id == customer.id).order_by(Unit.id))
        return {
            u.serial: {
                "affected": u.affected,
                "verified": u.verified_at is not None,
                "remedy": u.remedy.value if u.remedy else None,
            }
            for u in rows
        }


def visits_of(dialogue, phone: str) -> list[dict]:
    """The customer's booked visits and pickups: kind, reference, the serials on it, seats taken."""
    with session(dialogue) as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        rows = s.scalars(
            select(Booking)
            .where(Booking.customer_id == customer.id, Booking.status == BookingStatus.BOOKED)
            .order_by(Booking.id)
        )
        return [
            {
                "kind": b.kind.value,
                "reference": b.reference,
                "serials": [u.serial for u in b.units],
                "seats": s.get(ServiceSlot, b.slot_id).booked,
            }
            for b in rows
        ]


def requests_of(dialogue, phone: str) -> list[tuple[str, str, str]]:
    """(kind, status, serial) of the customer's replacement/refund requests."""
    with session(dialogue) as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        rows = s.execute(
            select(RemedyRequest.kind, RemedyRequest.status, Unit.serial)
            .join(Unit, Unit.id == RemedyRequest.unit_id)
            .where(RemedyRequest.customer_id == customer.id)
            .order_by(RemedyRequest.id)
        )
        return [(kind.value, status.value, serial) for kind, status, serial in rows]


def book_first_time(chat, address: str = PUNE_ADDRESS) -> str:
    """The address asked (none on file), typed, then the first free time: the booking reply."""
    offer = chat.say(address)
    assert "a technician can visit" in offer and "1. " in offer, offer
    return chat.say("1")


def test_two_serials_in_one_message_one_of_them_fine(dialogue):
    """A new customer sends two serials at once; the second is not affected."""
    phone = "+919800011001"
    chat = dialogue.chat(phone)
    chat.say("hello")
    reply = chat.say("AR26D104514 and AR26H000001")
    assert "AR26D104514 is one of the affected units" in reply, reply
    assert "AR26H000001 is not affected" in reply
    assert "Which would you like?" in reply  # one affected unit: the usual question
    assert units_of(dialogue, phone) == {
        "AR26D104514": {"affected": True, "verified": True, "remedy": None},
        "AR26H000001": {"affected": False, "verified": True, "remedy": None},
    }
    assert "full address" in chat.say("1")
    booked = book_first_time(chat)
    assert REFERENCE.search(booked) and "The repair takes about 90 minutes" in booked, booked
    assert "second" not in booked  # nothing more to ask: the other unit is fine
    assert units_of(dialogue, phone)["AR26D104514"]["remedy"] == "repair"
    assert units_of(dialogue, phone)["AR26H000001"]["remedy"] is None
    [visit] = visits_of(dialogue, phone)
    assert (visit["kind"], visit["serials"]) == ("repair", ["AR26D104514"])


def test_two_fridges_said_then_serials_one_after_another(dialogue):
    """ "i have 2 of these fridges": after the first is booked the bot asks for the second serial,
    and the second repair joins the same visit."""
    phone = "+919800011002"
    chat = dialogue.chat(phone)
    first = chat.say("hi i have 2 of these fridges, what do i do")
    assert "serial number" in first, first
    assert "AR26D104530 is one of the affected" in chat.say("first one is AR26D104530")
    assert "full address" in chat.say("repair pls")
    booked = book_first_time(chat)
    assert REFERENCE.search(booked), booked
    assert "serial number of your second refrigerator" in booked, booked
    seats = visits_of(dialogue, phone)[0]["seats"]
    reply = chat.say("ar26d104531")
    assert "AR26D104531 is one of the affected" in reply
    assert "Now your second refrigerator, AR26D104531: which would you like?" in reply, reply
    joined = chat.say("1")
    assert "on the same visit" in joined and "both refrigerators" in joined, joined
    assert "about 180 minutes" in joined
    [visit] = visits_of(dialogue, phone)
    assert visit["serials"] == ["AR26D104530", "AR26D104531"] and visit["seats"] == seats  # no second seat
    assert visit["reference"] in joined
    assert {s: u["remedy"] for s, u in units_of(dialogue, phone).items()} == {
        "AR26D104530": "repair",
        "AR26D104531": "repair",
    }


def test_a_second_serial_after_the_first_is_booked_joins_the_visit(dialogue):
    """Priya (two units on file) books the first; later she sends the other serial: the
    technician fixes both on the same visit, which now takes twice as long."""
    phone = "+919812300003"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "AR26D004513 is one of the affected" in chat.say("AR26D004513")
    assert "Is this the right address" in chat.say("1")
    assert "a technician can visit" in chat.say("yes")
    booked = chat.say("1")
    assert "The repair takes about 90 minutes" in booked and "second" not in booked, booked
    [visit] = visits_of(dialogue, phone)
    assert visit["serials"] == ["AR26D004513"]
    seats = visit["seats"]
    assert units_of(dialogue, phone)["AR26D004514"] == {"affected": True, "verified": False, "remedy": None}
    reply = chat.say("oh and my other fridge is ar26-d 004514, same problem")
    assert "AR26D004514 is one of the affected" in reply, reply
    assert "Now your second refrigerator, AR26D004514" in reply
    joined = chat.say("repair")
    assert f"on the same visit, {visit['reference']}" in joined and "about 180 minutes" in joined, joined
    [after] = visits_of(dialogue, phone)
    assert after["serials"] == ["AR26D004513", "AR26D004514"] and after["seats"] == seats
    assert all(
        u == {"affected": True, "verified": True, "remedy": "repair"} for u in units_of(dialogue, phone).values()
    )
    # a refund asked for now would release the visit of both: the bot keeps it, a person changes one unit
    kept = chat.say("actually can i get a refund instead")
    assert "repairs more than one of your units" in kept and "stays booked" in kept, kept
    [still] = visits_of(dialogue, phone)
    assert still["reference"] == visit["reference"] and still["serials"] == ["AR26D004513", "AR26D004514"]
    assert requests_of(dialogue, phone) == []


def test_one_unit_repaired_the_other_refunded(dialogue):
    """Two serials in one message: a repair for the first, a refund for the second (its own
    request and a pickup, the address typed once)."""
    phone = "+919800011004"
    chat = dialogue.chat(phone)
    reply = chat.say("my serials are AR26D104540 , AR26D104541")
    assert "AR26D104540 and AR26D104541 are among the affected units" in reply, reply
    assert "For your first refrigerator, AR26D104540: which would you like?" in reply
    assert "full address" in chat.say("1")
    booked = book_first_time(chat)
    assert REFERENCE.search(booked), booked
    assert "Now your second refrigerator, AR26D104541" in booked, booked
    assert "You chose a refund" in chat.say("3 refund")
    offer = chat.say("yes")
    assert "we can collect it" in offer and "right address" not in offer, offer  # the address typed once
    confirmed = chat.say("1")
    assert re.search(r"RF-[A-Z2-9]{6}", confirmed) and "pickup" in confirmed, confirmed
    visits = visits_of(dialogue, phone)
    assert [(v["kind"], v["serials"]) for v in visits] == [("repair", ["AR26D104540"]), ("pickup", ["AR26D104541"])]
    assert requests_of(dialogue, phone) == [("refund", "scheduled", "AR26D104541")]
    assert {s: u["remedy"] for s, u in units_of(dialogue, phone).items()} == {
        "AR26D104540": "repair",
        "AR26D104541": "refund",
    }


def test_a_typo_in_the_second_serial(dialogue):
    """The second serial has a letter O for a zero: "Did you mean …?" first; only after the YES
    is it recorded, and its repair joins the first unit's visit."""
    phone = "+919800011005"
    chat = dialogue.chat(phone)
    reply = chat.say("AR26D104550 and AR26D1O4551")
    assert "AR26D104550 is one of the affected" in reply, reply
    assert "Did you mean AR26D104551? Reply YES or NO." in reply
    assert set(units_of(dialogue, phone)) == {"AR26D104550"}  # nothing recorded on a guess
    reply = chat.say("yes")
    assert "AR26D104551 is one of the affected" in reply, reply
    assert "For your first refrigerator, AR26D104550" in reply
    assert "full address" in chat.say("1")
    booked = book_first_time(chat)
    assert "Now your second refrigerator, AR26D104551" in booked, booked
    seats = visits_of(dialogue, phone)[0]["seats"]
    joined = chat.say("the same, repair")
    assert "on the same visit" in joined and "about 180 minutes" in joined, joined
    [visit] = visits_of(dialogue, phone)
    assert visit["serials"] == ["AR26D104550", "AR26D104551"] and visit["seats"] == seats


def test_the_same_serial_named_twice(dialogue):
    """The serial twice in one message is one unit; sent again after booking, the bot says it
    has it already and nothing changes."""
    phone = "+919800011006"
    chat = dialogue.chat(phone)
    reply = chat.say("serial AR26D104560 , AR26D104560")
    assert "AR26D104560 is one of the affected" in reply and "I checked them" not in reply, reply
    assert "full address" in chat.say("1")
    booked = book_first_time(chat)
    reference = REFERENCE.search(booked).group(0)
    again = chat.say("AR26D104560")
    assert f"You've already sent AR26D104560: it is on {reference}" in again, again
    assert "is one of the affected" not in again
    assert units_of(dialogue, phone) == {"AR26D104560": {"affected": True, "verified": True, "remedy": "repair"}}
    [visit] = visits_of(dialogue, phone)
    assert visit["serials"] == ["AR26D104560"]


def test_another_serial_while_the_remedy_is_asked(dialogue):
    """The second serial comes while the first unit's remedy is asked: it is checked, the
    question comes back naming the first unit; then a repair for one, a replacement for the other."""
    phone = "+919800011007"
    chat = dialogue.chat(phone)
    assert "Which would you like?" in chat.say("AR26D104570")
    reply = chat.say("wait i have one more, AR26D104571")
    assert "AR26D104571 is one of the affected" in reply, reply
    assert "For your first refrigerator, AR26D104570: which would you like?" in reply
    assert "full address" in chat.say("1")
    booked = book_first_time(chat)
    assert "Now your second refrigerator, AR26D104571" in booked, booked
    assert "You chose a new replacement refrigerator" in chat.say("2")
    offer = chat.say("yes")
    assert "we can collect it" in offer, offer
    confirmed = chat.say("1")
    assert re.search(r"RL-[A-Z2-9]{6}", confirmed), confirmed
    visits = visits_of(dialogue, phone)
    assert [(v["kind"], v["serials"]) for v in visits] == [("repair", ["AR26D104570"]), ("pickup", ["AR26D104571"])]
    assert requests_of(dialogue, phone) == [("replacement", "scheduled", "AR26D104571")]
    assert {s: u["remedy"] for s, u in units_of(dialogue, phone).items()} == {
        "AR26D104570": "repair",
        "AR26D104571": "replacement",
    }


def test_two_fridges_said_the_second_serial_later_is_not_asked_again(dialogue):
    """A stranger opens with "hi i have 2 fridges" (a message the classifier does not place): asked
    for both serials; she books the first, then says she will send the other later: not asked for
    it again, and the serial she sends afterwards is checked and offered its own fix."""
    phone = "+919800011008"
    chat = dialogue.chat(phone)
    first = chat.say("hi i have 2 fridges")
    assert "serial number of each of your 2 refrigerators" in first and "didn't understand" not in first
    assert "AR26D771001 is one of the affected" in chat.say("AR26D771001")
    assert "address" in chat.say("1").lower()
    booked = book_first_time(chat)
    assert REFERENCE.search(booked).group(0).startswith("RP-")
    assert "serial number of your second refrigerator" in booked
    later = chat.say("i will send it later")
    assert "whenever you have it" in later and "couldn't find a serial" not in later
    assert "serial number of your second refrigerator" not in later
    assert "serial" not in chat.say("thanks").lower()  # not asked again
    other = chat.say("AR26D771002")
    assert "AR26D771002 is one of the affected" in other and "your second refrigerator, AR26D771002" in other
    assert set(units_of(dialogue, phone)) == {"AR26D771001", "AR26D771002"}
