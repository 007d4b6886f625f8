"""A change of mind after booking (bot/services/remedy_switch.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select, update

from bot.db import run_in_write_transaction
from bot.models import (
    AuditEvent,
    Booking,
    BookingStatus,
    Customer,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    ServiceSlot,
    Unit,
)
from bot.services.refusals import Refusal
from bot.services.remedy_requests import request_refund
from bot.services.remedy_switch import plan_switch, request_beside_repair, switch_remedy
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)  # Saturday 10:00 in Pune


def _world(session_factory):
    with session_factory.begin() as s:
        world = factories.pune_world(s, now=NOW, slots=2)
        s.execute(update(Unit).where(Unit.customer_id == world["asha"]).values(price=Decimal("32990")))
    return world


def _switch(session_factory, customer_id, to):
    return run_in_write_transaction(
        session_factory, lambda s: switch_remedy(s, customer_id=customer_id, to=to, now=NOW + dt.timedelta(hours=1))
    )


def test_booked_repair_becomes_a_refund_and_the_seat_is_released(session_factory):
    world = _world(session_factory)
    booked = factories.book_repair(session_factory, world["asha"], world["slots"][0], now=NOW)
    assert booked.booked
    with session_factory() as s:
        plan = plan_switch(s, customer_id=world["asha"], to="refund")
    assert plan.possible and plan.current == "repair" and plan.booking.reference == booked.booking.reference

    outcome = _switch(session_factory, world["asha"], "refund")

    assert outcome.switched and outcome.cancelled.reference == booked.booking.reference
    assert outcome.request.kind == RequestKind.REFUND and outcome.request.amount_label == "₹32,990"
    with session_factory() as s:
        booking = s.scalar(select(Booking).where(Booking.reference == booked.booking.reference))
        assert booking.status == BookingStatus.CANCELLED
        assert s.get(ServiceSlot, world["slots"][0]).booked == 0
        request = s.scalar(select(RemedyRequest).where(RemedyRequest.reference == outcome.request.reference))
        assert request.status == RequestStatus.REQUESTED and request.kind == RequestKind.REFUND
        assert s.get(Customer, world["asha"]).remedy == Remedy.REFUND
        unit = s.scalar(select(Unit).where(Unit.customer_id == world["asha"]))
        assert unit.remedy == Remedy.REFUND
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-3:] == ["booking.cancelled", "request.refund", "remedy.switched"]
        switched = s.scalar(select(AuditEvent).where(AuditEvent.action == "remedy.switched"))
        assert switched.detail["from"] == "repair" and switched.detail["to"] == "refund"
        assert switched.detail["cancelled_booking"] == booked.booking.reference


def test_replacement_with_a_pickup_becomes_a_refund_and_keeps_the_pickup(session_factory):
    world = _world(session_factory)
    old, pickup = factories.request_with_pickup(session_factory, world["asha"], world["slots"][0], now=NOW)
    assert pickup.booked

    outcome = _switch(session_factory, world["asha"], "refund")

    assert outcome.switched and outcome.cancelled is None and outcome.pickup_kept
    assert outcome.request.reference.startswith("RF-") and outcome.request.status == RequestStatus.SCHEDULED
    with session_factory() as s:
        assert s.scalar(select(RemedyRequest).where(RemedyRequest.id == old.id)).status == RequestStatus.CANCELLED
        booking = s.scalar(select(Booking).where(Booking.reference == pickup.booking.reference))
        assert booking.status == BookingStatus.BOOKED and booking.request_id == outcome.request.id
        assert s.get(ServiceSlot, world["slots"][0]).booked == 1
        assert s.get(Customer, world["asha"]).remedy == Remedy.REFUND


def test_refund_back_to_repair_only_while_only_requested(session_factory):
    world = _world(session_factory)
    factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund)
    outcome = _switch(session_factory, world["asha"], "repair")
    assert outcome.switched and outcome.request is None
    with session_factory() as s:
        assert s.scalar(select(RemedyRequest.status)) == RequestStatus.CANCELLED
        assert s.get(Customer, world["asha"]).remedy is None

    _, pickup = factories.request_with_pickup(
        session_factory, world["ravi"], world["slots"][1], now=NOW, create=request_refund
    )
    assert pickup.booked
    refused = _switch(session_factory, world["ravi"], "repair")
    assert not refused.switched and refused.reason == Refusal.VISIT_BOOKED
    with session_factory() as s:
        assert s.scalar(select(Booking.status).where(Booking.id == pickup.booking.id)) == BookingStatus.BOOKED


def test_nothing_to_switch(session_factory):
    world = _world(session_factory)
    assert _switch(session_factory, world["asha"], "refund").reason == Refusal.NO_BOOKING
    factories.book_repair(session_factory, world["asha"], world["slots"][0], now=NOW)
    assert _switch(session_factory, world["asha"], "repair").reason == Refusal.UNCHANGED
    with session_factory() as s:
        assert s.scalar(select(Booking.status)) == BookingStatus.BOOKED


def test_a_repair_would_stand_beside_an_open_request_until_the_switch(session_factory):
    """The open request a repair would be booked next to (after a cancelled pickup, only
    `requested`): for the customer and for that unit; none once the switch cancelled it."""
    world = _world(session_factory)
    with session_factory() as s:
        assert request_beside_repair(s, customer_id=world["asha"]) is None
    refund = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund).request
    with session_factory() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.customer_id == world["asha"]))
        other_unit = s.scalar(select(Unit.id).where(Unit.customer_id == world["ravi"]))
        assert request_beside_repair(s, customer_id=world["asha"]).reference == refund.reference
        beside = request_beside_repair(s, customer_id=world["asha"], unit_id=unit_id)
        assert beside.kind == RequestKind.REFUND and beside.status == RequestStatus.REQUESTED
        assert request_beside_repair(s, customer_id=world["asha"], unit_id=other_unit) is None  # not hers
    assert _switch(session_factory, world["asha"], "repair").switched
    with session_factory() as s:
        assert request_beside_repair(s, customer_id=world["asha"], unit_id=unit_id) is None


def test_a_visit_fixing_two_units_is_not_released_by_the_bot(session_factory):
    """Two units on one booked visit: a switch would cancel the other unit's repair too, so the
    bot does not make it (a person changes the one unit meant); the visit stays booked."""
    from bot.services.bookings import add_unit_to_visit

    world = _world(session_factory)
    booked = factories.book_repair(session_factory, world["asha"], world["slots"][0], now=NOW)
    with session_factory.begin() as s:
        asha = s.get(Customer, world["asha"])
        second = factories.unit(s, asha, "AR26D004599", verified_at=NOW)
        s.flush()
        second_id = second.id
    added = run_in_write_transaction(
        session_factory, lambda s: add_unit_to_visit(s, customer_id=world["asha"], unit_id=second_id, now=NOW)
    )
    assert added.booked
    with session_factory() as s:
        plan = plan_switch(s, customer_id=world["asha"], to="refund")
    assert not plan.possible and plan.reason is Refusal.SEVERAL_UNITS

    outcome = _switch(session_factory, world["asha"], "replacement")

    assert not outcome.switched and outcome.reason is Refusal.SEVERAL_UNITS
    with session_factory() as s:
        booking = s.scalar(select(Booking).where(Booking.reference == booked.booking.reference))
        assert booking.status == BookingStatus.BOOKED and len(booking.units) == 2
        assert s.scalar(select(RemedyRequest)) is None
