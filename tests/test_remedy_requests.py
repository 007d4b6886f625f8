"""Replacement and refund requests and their pickups, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from bot.db import make_engine, make_session_factory, run_in_write_transaction
from bot.domain.refunds import format_money, refund_amount
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    ServiceSlot,
    Unit,
)
from bot.services.bookings import cancel_booking
from bot.services.remedy_requests import open_request, request_refund, request_replacement
from bot.services.slots import free_slots
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)  # Saturday 10:00 in Pune
PUNE = "411045"


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        (Decimal("32990"), Decimal("32990.00")),
        (Decimal("32990.50"), Decimal("32990.50")),
        ("1299.995", Decimal("1300.00")),
        (45000, Decimal("45000.00")),
        (None, None),
        (Decimal("0"), None),
        (Decimal("-10"), None),
        ("not a price", None),
        (Decimal("NaN"), None),
    ],
)
def test_refund_amount(price, expected):
    assert refund_amount(price) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("32990"), "INR", "₹32,990"),
        (Decimal("132990"), "INR", "₹1,32,990"),
        (Decimal("13299000"), "INR", "₹1,32,99,000"),
        (Decimal("999"), "INR", "₹999"),
        (Decimal("1000"), "INR", "₹1,000"),
        (Decimal("32990.5"), "INR", "₹32,990.50"),
        (Decimal("0"), "INR", "₹0"),
        (Decimal("-1500"), "INR", "-₹1,500"),
        (Decimal("1299"), "USD", "$1,299.00"),
        (Decimal("1234567.891"), "USD", "$1,234,567.89"),
        (Decimal("12.5"), "EUR", "EUR 12.50"),
        (Decimal("1299.5"), "gbp", "GBP 1,299.50"),
        ("45", "INR", "₹45"),
    ],
)
def test_format_money(amount, currency, expected):
    assert format_money(amount, currency) == expected


@pytest.fixture
def world(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer(s, campaign, "+919812300001", "AR26D004512", postcode=PUNE)
        s.execute(update(Unit).where(Unit.customer_id == asha.id).values(price=Decimal("32990")))
        ravi = factories.customer(s, campaign, "+919812300002", "AR26D004513", postcode=PUNE)
        nobody = factories.customer(s, campaign, "+919812300003", None, postcode=PUNE)  # no unit on file
        slots = [slot.id for slot in free_slots(s, campaign, PUNE, now=NOW, limit=4)]
        unit = s.scalar(select(Unit.id).where(Unit.customer_id == asha.id))
        return {
            "campaign": campaign.id,
            "asha": asha.id,
            "ravi": ravi.id,
            "nobody": nobody.id,
            "slots": slots,
            "unit": unit,
        }


def test_refund_request_for_the_purchase_price(session_factory, world):
    outcome = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund)
    assert outcome.created and outcome.reason is None
    request = outcome.request
    assert request.reference.startswith("RF-") and len(request.reference) == 9
    assert request.kind == RequestKind.REFUND and request.status == RequestStatus.REQUESTED
    assert request.amount == Decimal("32990.00") and request.amount_label == "₹32,990"
    assert request.unit_id == world["unit"]
    with session_factory() as s:
        assert s.get(Customer, world["asha"]).remedy == Remedy.REFUND
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "request.refund"))
        assert event.detail == {"reference": request.reference, "unit_id": world["unit"], "amount": "32990.00"}


@pytest.mark.parametrize("customer", ["ravi", "nobody"])
def test_refund_amount_unknown_without_a_price(session_factory, world, customer):
    outcome = factories.new_request(session_factory, world[customer], now=NOW, create=request_refund)
    assert outcome.created and outcome.request.amount is None and outcome.request.amount_label is None


def test_replacement_request(session_factory, world):
    outcome = factories.new_request(session_factory, world["asha"], now=NOW, note="wants the 280L")
    assert outcome.created
    assert outcome.request.reference.startswith("RL-") and outcome.request.kind == RequestKind.REPLACEMENT
    assert outcome.request.amount is None
    with session_factory() as s:
        assert s.get(Customer, world["asha"]).remedy == Remedy.REPLACEMENT
        assert s.get(RemedyRequest, outcome.request.id).note == "wants the 280L"


def test_one_open_request_per_customer(session_factory, world):
    first = factories.new_request(session_factory, world["asha"], now=NOW)
    for again in (request_replacement, request_refund):
        outcome = factories.new_request(session_factory, world["asha"], now=NOW, create=again)
        assert not outcome.created and outcome.reason == "already_open"
        assert outcome.request.reference == first.request.reference
    with session_factory() as s:
        assert s.scalar(select(func.count(RemedyRequest.id))) == 1
        assert s.get(Customer, world["asha"]).remedy == Remedy.REPLACEMENT


def test_someone_elses_unit_is_refused(session_factory, world):
    with pytest.raises(LookupError):
        factories.new_request(session_factory, world["ravi"], now=NOW, create=request_refund, unit_id=world["unit"])


def test_schedule_the_pickup(session_factory, world):
    request, outcome = factories.request_with_pickup(
        session_factory, world["asha"], world["slots"][0], now=NOW, create=request_refund
    )
    assert outcome.booked
    booking = outcome.booking
    assert booking.reference.startswith("PU-") and booking.kind == BookingKind.PICKUP
    assert booking.request_id == request.id and booking.unit_ids == (world["unit"],)
    assert booking.slot.label == "Mon 30 Nov, 09:00–13:00"
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.SCHEDULED
        assert s.get(Customer, world["asha"]).remedy == Remedy.REFUND  # a pickup does not change it
        assert s.get(ServiceSlot, world["slots"][0]).booked == 1
        assert open_request(s, world["asha"], world["campaign"]).id == request.id


def test_cancelling_the_pickup_puts_the_request_back(session_factory, world):
    request, _ = factories.request_with_pickup(session_factory, world["asha"], world["slots"][1], now=NOW)
    outcome = run_in_write_transaction(
        session_factory, lambda session: cancel_booking(session, customer_id=world["asha"], now=NOW)
    )
    assert outcome.cancelled and outcome.booking.kind == BookingKind.PICKUP
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.REQUESTED
        assert s.get(Customer, world["asha"]).remedy == Remedy.REPLACEMENT
        assert s.get(ServiceSlot, world["slots"][1]).booked == 0


def test_pickup_in_a_full_slot_offers_alternatives(session_factory, world):
    request = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund).request
    with session_factory.begin() as s:
        s.execute(update(ServiceSlot).where(ServiceSlot.id == world["slots"][0]).values(booked=ServiceSlot.capacity))
    outcome = factories.book_pickup(session_factory, world["asha"], request.id, world["slots"][0], now=NOW)
    assert not outcome.booked and outcome.reason == "slot_full"
    assert [v.id for v in outcome.alternatives] == world["slots"][1:4]
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.REQUESTED


def test_pickup_for_someone_elses_request_is_refused(session_factory, world):
    request = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund).request
    outcome = factories.book_pickup(
        session_factory, world["ravi"], request.id, world["slots"][0], now=NOW, address="3 FC Road"
    )
    assert not outcome.booked and outcome.reason == "no_such_request"
    with session_factory() as s:
        assert s.scalar(select(func.count(Booking.id))) == 0
        assert s.get(ServiceSlot, world["slots"][0]).booked == 0


def test_a_repair_visit_blocks_a_pickup(session_factory, world):
    repair = factories.book_repair(session_factory, world["asha"], world["slots"][0], now=NOW)
    _, outcome = factories.request_with_pickup(
        session_factory, world["asha"], world["slots"][1], now=NOW, create=request_refund
    )
    assert not outcome.booked and outcome.reason == "already_booked"
    assert outcome.existing.reference == repair.booking.reference
    with session_factory() as s:
        statuses = list(s.scalars(select(Booking.status)))
        assert statuses == [BookingStatus.BOOKED]


def test_simultaneous_requests_open_one(db_url):
    engine = make_engine(db_url, pool_size=12, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        with factory.begin() as s:
            campaign = factories.demo_campaign(s)
            customer_id = factories.customer(s, campaign, postcode=PUNE).id
        barrier = threading.Barrier(10)

        def ask(i: int):
            barrier.wait(timeout=60)
            ask_for = request_refund if i % 2 else request_replacement
            return run_in_write_transaction(factory, lambda session: ask_for(session, customer_id=customer_id, now=NOW))

        with ThreadPoolExecutor(max_workers=10) as pool:
            outcomes = list(pool.map(ask, range(10)))
        created = [o for o in outcomes if o.created]
        assert len(created) == 1
        assert {o.request.reference for o in outcomes} == {created[0].request.reference}
        assert all(o.reason == "already_open" for o in outcomes if not o.created)
        with factory() as s:
            assert s.scalar(select(func.count(RemedyRequest.id))) == 1
            campaign = s.scalar(select(Campaign))
            assert open_request(s, customer_id, campaign.id) is not None
    finally:
        engine.dispose()
