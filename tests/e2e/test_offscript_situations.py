"""Situations people are in (issue 16, item 8), end to end: repaired elsewhere, works fine,
sold / given away, moved house, a household member, travelling — said in the customers'
own words at the first reply, the serial step, the remedy step and after a booking. The bot
answers each and the recall goes on; a unit is recorded as gone only after a YES to a
question naming it. Real Rasa server, action server and database (SQLite: conversations only)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bot.campaigns.definition import read_definition
from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.db import make_engine, make_session_factory
from bot.models import AuditEvent, Booking, BookingStatus, Customer, Unit
from bot.settings import PROJECT_ROOT

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

REFERENCE = re.compile(r"\bRP-[A-Z2-9]{6}\b")
CONFIRM = "Just to check: you no longer have"
WRONG_PERSON = "Just to check: this number is not the owner"
# The demo recall's texts in Hinglish: what a customer who writes Hinglish is answered with.
HINGLISH = read_definition(PROJECT_ROOT / "demo" / "campaign.yml").localized("hi-Latn")


def session_of(dialogue):
    return make_session_factory(make_engine(dialogue.database_url))()


def units_of(dialogue, phone: str) -> dict[str, tuple[str | None, bool]]:
    """{serial: (disposition, disposition_at is set)} of the customer's units."""
    with session_of(dialogue) as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        return {
            u.serial: (u.disposition.value if u.disposition else None, u.disposition_at is not None)
            for u in session.scalars(select(Unit).where(Unit.customer_id == customer.id).order_by(Unit.id))
        }


def disposition_audits(dialogue, phone: str) -> list[dict]:
    with session_of(dialogue) as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.phone == phone))
        return [
            e.detail
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.customer_id == customer_id, AuditEvent.action == "unit.disposition")
            )
        ]


def customer_row(dialogue, phone: str) -> Customer:
    with session_of(dialogue) as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        session.expunge(customer)
        return customer


def active_bookings(dialogue, phone: str) -> list[tuple[str, str | None]]:
    with session_of(dialogue) as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.phone == phone))
        return [
            (b.reference, b.address)
            for b in session.scalars(
                select(Booking).where(Booking.customer_id == customer_id, Booking.status == BookingStatus.BOOKED)
            )
        ]


def test_repaired_at_a_local_shop_is_told_the_fault_remains_and_offered_the_fix(dialogue):
    """The issue's message, as the first reply to the notice: not a choice of repair."""
    phone = "+919812300001"
    chat = dialogue.chat(phone)
    reply = chat.say("I already got it repaired at a local shop, it works now")
    assert "A repair elsewhere does not fix the fault" in reply and "refrigerant valve" in reply
    assert "full address" not in reply and "right address" not in reply
    assert "Please send the serial number" in reply
    assert "is one of the affected" in chat.say("ok its AR26D004512")
    assert "Is this the right address" in chat.say("1")
    assert active_bookings(dialogue, phone) == []
    assert units_of(dialogue, phone) == {"AR26D004512": (None, False)}


def test_works_fine_at_the_remedy_step_is_told_the_fault_can_come_later(dialogue):
    phone = "+919812300004"
    chat = dialogue.chat(phone)
    assert "1. Free repair at your home" in chat.say("sr no AR26C 000150")
    reply = chat.say("but its workng fine no problm at all")
    assert "The fault can appear later without warning" in reply
    assert "1. Free repair at your home" in reply  # the choice again
    assert "Is this the right address" in chat.say("ok fine, repair then")
    assert units_of(dialogue, phone) == {"AR26C000150": (None, False)}


def test_sold_it_is_asked_first_and_its_yes_records_the_unit(dialogue):
    phone = "+919812300007"
    chat = dialogue.chat(phone)
    question = chat.say("hi, i sold that fridge last month to my neighbour")
    assert (
        "Just to check: you no longer have the Arctica FrostFree 260L refrigerator (serial AR26F000777): "
        "you sold it? Reply YES or NO." in question
    )
    assert units_of(dialogue, phone) == {"AR26F000777": (None, False)}  # nothing on a guess
    reply = chat.say("yes")
    assert "noted that you sold the Arctica FrostFree 260L refrigerator (serial AR26F000777)" in reply
    assert "pass this recall notice to whoever has the refrigerator now" in reply
    assert units_of(dialogue, phone) == {"AR26F000777": ("sold", True)}
    [audit] = disposition_audits(dialogue, phone)
    assert audit["disposition"] == "sold" and audit["serial"] == "AR26F000777" and audit["text"] == "yes"
    assert customer_row(dialogue, phone).wrong_person_at is None  # the number stays a customer


def test_sold_then_no_wait_its_still_here_records_nothing(dialogue):
    phone = "+919812300008"
    chat = dialogue.chat(phone)
    assert "1. Free repair at your home" in chat.say("AR26C.000151")
    question = chat.say("actualy we sold the fridge i think")
    assert CONFIRM in question and "(serial AR26C000151): you sold it?" in question
    reply = chat.say("no wait, its still here in the kitchen")
    assert "nothing is changed" in reply
    assert "1. Free repair at your home" in reply  # back to the choice
    assert units_of(dialogue, phone) == {"AR26C000151": (None, False)}
    assert disposition_audits(dialogue, phone) == []


def test_gave_one_of_two_away_asks_which_and_records_that_one(dialogue):
    """Priya has two units on file and gave one to her sister: she is asked which."""
    phone = "+919812300003"
    chat = dialogue.chat(phone)
    question = chat.say("i gave one of them to my sister last yr")
    assert CONFIRM in question and "1. AR26D004513" in question and "2. AR26D004514" in question
    assert units_of(dialogue, phone) == {"AR26D004513": (None, False), "AR26D004514": (None, False)}
    reply = chat.say("2")
    assert "noted that you gave away the Arctica FrostFree 260L refrigerator (serial AR26D004514)" in reply
    assert units_of(dialogue, phone) == {"AR26D004513": (None, False), "AR26D004514": ("given_away", True)}


def test_moved_house_asks_for_the_new_address_and_books_there(dialogue):
    phone = "+919812300005"
    chat = dialogue.chat(phone)
    reply = chat.say("we shifted to mumbai last month, fridge came with us")
    assert "the fix is free at your new address too" in reply and "serial number" in reply
    assert "is one of the affected" in chat.say("AR26-E-120034")
    asked = chat.say("1")
    assert "full address" in asked and "Baner Road" not in asked  # not the old one on file
    offer = chat.say("Flat 9, Sea View Apts, Bandra West, Mumbai 400050")
    assert "a technician can visit" in offer
    assert REFERENCE.search(chat.say("1"))
    customer = customer_row(dialogue, phone)
    assert (customer.address, customer.postcode) == ("Flat 9, Sea View Apts, Bandra West, Mumbai 400050", "400050")
    [(_, address)] = active_bookings(dialogue, phone)
    assert address == "Flat 9, Sea View Apts, Bandra West, Mumbai 400050"


def test_the_buyers_husband_is_not_a_wrong_person(dialogue):
    phone = "+919812300009"
    chat = dialogue.chat(phone)
    reply = chat.say("hello this is her husband, my wife bought the fridge. what shud i do")
    assert WRONG_PERSON not in reply and "won't contact this number" not in reply
    assert "Anyone in the household can arrange the free fix" in reply and "serial number" in reply
    assert "is one of the affected" in chat.say("AR26D004600")
    assert customer_row(dialogue, phone).wrong_person_at is None


def test_travelling_at_the_first_reply_keeps_the_offer_open(dialogue):
    phone = "+919812300010"
    chat = dialogue.chat(phone)
    reply = chat.say("out of staion for 2 weeks, pls msg later")
    assert "The free fix stays open for you" in reply and "serial number" in reply
    assert "didn't understand" not in reply
    assert "is one of the affected" in chat.say("ar26-g 999001")
    assert active_bookings(dialogue, phone) == []


def test_travelling_after_a_booking_keeps_the_booking_and_says_how_to_move_it(dialogue):
    phone = "+919812300014"
    chat = dialogue.chat(phone)
    assert "is one of the affected" in chat.say("AR26F300300")
    assert "Is this the right address" in chat.say("1")
    assert "a technician can visit" in chat.say("yes")
    booked = REFERENCE.search(chat.say("1")).group(0)
    reply = chat.say("btw im abroad til jan, can we do this later?")
    assert "The free fix stays open for you" in reply and "reply 'change time'" in reply
    assert f"Your booking {booked} is confirmed" in reply
    assert [reference for reference, _ in active_bookings(dialogue, phone)] == [booked]


def test_repaired_elsewhere_after_a_booking_recommends_keeping_the_visit(dialogue):
    phone = "+919812300019"
    chat = dialogue.chat(phone)
    assert "is one of the affected" in chat.say("AR26D 004900")
    assert "Is this the right address" in chat.say("repair")
    assert "a technician can visit" in chat.say("yes")
    booked = REFERENCE.search(chat.say("2")).group(0)
    reply = chat.say("my cousin is a mechanic, he fixed it already yesterday")
    assert "A repair elsewhere does not fix the fault" in reply and "We recommend keeping your free visit." in reply
    assert f"Your booking {booked} is confirmed" in reply
    assert [reference for reference, _ in active_bookings(dialogue, phone)] == [booked]
    with session_of(dialogue) as session:
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "booking.cancelled")) == 0


def test_hinglish_repaired_read_as_a_repair_choice_is_not_a_choice(dialogue):
    """ "mistri se repair ho gaya" (the local mechanic repaired it): the classifier reads a choice
    of repair; the word rules say it is a repair elsewhere, at the first reply and at the remedy step.
    Kiran writes Hinglish, so she is answered in Hinglish (the catalog's hi-Latn texts)."""
    phone = "+919812300035"
    with speaking("hi-Latn"):
        repaired = texts.repaired_elsewhere(HINGLISH, booked=False)
        ask_serial = texts.ask_serial(HINGLISH)
        first_remedy = f"1. {texts.remedy_labels(HINGLISH)[0][1]}"
        confirm_address = texts.confirm_address("18 Wakad, Pune 411057")  # hers in demo/buyers.csv
        ask_address = texts.ask_address()
    chat = dialogue.chat(phone)
    reply = chat.say("mistri se repair ho gaya")
    assert repaired in reply and ask_serial in reply, reply
    assert first_remedy in chat.say("AR26D-005300")
    reply = chat.say("bhai local mistri se repair ho gaya tha")
    assert repaired in reply, reply
    assert confirm_address.splitlines()[0] not in reply and ask_address not in reply  # no remedy chosen
    assert confirm_address in chat.say("1")
    assert active_bookings(dialogue, phone) == []
    assert customer_row(dialogue, phone).language == "hi-Latn"
