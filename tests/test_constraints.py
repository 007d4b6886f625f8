"""The schema makes illegal states impossible, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from bot.models import (
    AttemptStatus,
    Author,
    Booking,
    BookingKind,
    BookingStatus,
    Channel,
    Customer,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    OutreachAttempt,
    Priority,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    ServiceSlot,
    Unit,
)
from tests import factories


@pytest.fixture
def world(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        customer = factories.customer(s, campaign)
        slot = factories.slot(s, campaign, capacity=2)
        return {"campaign": campaign.id, "customer": customer.id, "slot": slot.id}


def booking(world, ref, status=BookingStatus.BOOKED):
    return Booking(
        reference=ref,
        campaign_id=world["campaign"],
        customer_id=world["customer"],
        slot_id=world["slot"],
        kind=BookingKind.REPAIR,
        status=status,
    )


def expect_integrity_error(session_factory, *rows, statement=None):
    with pytest.raises(IntegrityError), session_factory.begin() as s:
        s.add_all(rows)
        if statement is not None:
            s.execute(statement)
        s.flush()


def test_one_active_booking_per_customer_and_campaign(session_factory, world):
    with session_factory.begin() as s:
        s.add(booking(world, "RP-AAAAAA"))
    expect_integrity_error(session_factory, booking(world, "RP-BBBBBB"))
    with session_factory.begin() as s:  # cancelled and completed ones may pile up
        s.add_all(
            [booking(world, "RP-CCCCCC", BookingStatus.CANCELLED), booking(world, "RP-DDDDDD", BookingStatus.COMPLETED)]
        )


def test_slot_can_never_be_overbooked(session_factory, world):
    expect_integrity_error(
        session_factory, statement=update(ServiceSlot).where(ServiceSlot.id == world["slot"]).values(booked=3)
    )
    expect_integrity_error(
        session_factory, statement=update(ServiceSlot).where(ServiceSlot.id == world["slot"]).values(booked=-1)
    )
    with session_factory.begin() as s:
        s.execute(update(ServiceSlot).where(ServiceSlot.id == world["slot"]).values(booked=2))


def test_booking_references_are_unique(session_factory, world):
    with session_factory.begin() as s:
        s.add(booking(world, "RP-AAAAAA", BookingStatus.CANCELLED))
    expect_integrity_error(session_factory, booking(world, "RP-AAAAAA", BookingStatus.CANCELLED))


def message(sid):
    return Message(
        direction=Direction.INBOUND,
        channel=Channel.SMS,
        author=Author.CUSTOMER,
        twilio_sid=sid,
        from_address="+919812300001",
        to_address="+15005550006",
        body="hi",
        status=MessageStatus.RECEIVED,
    )


def test_twilio_message_sids_are_unique(session_factory, world):
    with session_factory.begin() as s:
        s.add_all([message("SM" + "1" * 32), message(None), message(None)])  # outbound drafts have no SID yet
    expect_integrity_error(session_factory, message("SM" + "1" * 32))


def test_unknown_enum_values_are_refused_by_the_database(session_factory, world):
    with session_factory.begin() as s:
        s.add(booking(world, "RP-AAAAAA"))
    expect_integrity_error(session_factory, statement=text("UPDATE bookings SET status = 'lost'"))


def test_one_phone_per_campaign_and_one_serial_per_campaign(session_factory, world):
    expect_integrity_error(session_factory, Customer(campaign_id=world["campaign"], phone="+919812300001", name="X"))
    expect_integrity_error(session_factory, Unit(campaign_id=world["campaign"], serial="AR26D004512", affected=True))


def test_outreach_step_is_sent_at_most_once(session_factory, world):
    def attempt():
        return OutreachAttempt(
            campaign_id=world["campaign"],
            customer_id=world["customer"],
            step="notice",
            channel=Channel.SMS,
            status=AttemptStatus.PENDING,
        )

    with session_factory.begin() as s:
        s.add(attempt())
    expect_integrity_error(session_factory, attempt())


def test_one_escalation_in_progress_per_customer(session_factory, world):
    def escalation(status):
        return Escalation(
            customer_id=world["customer"], reason="request_human", priority=Priority.NORMAL, status=status
        )

    with session_factory.begin() as s:
        s.add_all([escalation(EscalationStatus.RESOLVED), escalation(EscalationStatus.OPEN)])
    expect_integrity_error(session_factory, escalation(EscalationStatus.CLAIMED))


def test_one_open_replacement_or_refund_per_customer(session_factory, world):
    def request(ref, status=RequestStatus.REQUESTED):
        return RemedyRequest(
            reference=ref,
            campaign_id=world["campaign"],
            customer_id=world["customer"],
            kind=RequestKind.REFUND,
            status=status,
            amount=32990,
        )

    with session_factory.begin() as s:
        s.add_all([request("RF-AAAAAA"), request("RF-BBBBBB", RequestStatus.CANCELLED)])
    expect_integrity_error(session_factory, request("RF-CCCCCC"))


def test_timestamps_come_back_timezone_aware_utc(session_factory, world):
    when = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    with session_factory.begin() as s:
        s.get(Customer, world["customer"]).notified_at = when
    with session_factory() as s:
        stored = s.get(Customer, world["customer"]).notified_at
    assert stored == when and stored.tzinfo is not None and stored.utcoffset() == dt.timedelta(0)


def test_naive_timestamps_are_refused(session_factory, world):
    with pytest.raises(Exception, match="naive datetime"), session_factory.begin() as s:
        s.get(Customer, world["customer"]).notified_at = dt.datetime(2026, 12, 1, 9, 0)
        s.flush()
