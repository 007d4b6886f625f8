"""Completing remedies (bot/services/completion.py) on SQLite and PostgreSQL: a visit's
outcome, a request moving to done, what `recall status` then counts, the audit events
the bot's follow-up reads, and rebooking after a failed or missed visit."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bot.db import run_in_write_transaction
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    Remedy,
    RemedyRequest,
    RequestStatus,
    ServiceSlot,
)
from bot.services.bookings import cancel_booking
from bot.services.completion import advance_request, record_visit_outcome
from bot.services.recall_state import recall_state
from bot.services.remedy_requests import request_refund, request_replacement
from bot.services.slots import free_slots
from bot.services.status import campaign_status
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)  # Saturday 10:00 in Pune
LATER = NOW + dt.timedelta(days=4)  # after the visit
PUNE = "411045"
ACTOR = "tech@example.com"


@pytest.fixture
def world(session_factory):
    with session_factory.begin() as s:
        return factories.pune_world(s, now=NOW, slots=4)


def repair(session_factory, world, customer="asha", slot=0) -> str:
    outcome = factories.book_repair(session_factory, world[customer], world["slots"][slot], now=NOW)
    assert outcome.booked
    return outcome.booking.reference


def pickup(session_factory, world, create=request_replacement) -> tuple[str, str]:
    request, outcome = factories.request_with_pickup(
        session_factory, world["asha"], world["slots"][0], now=NOW, create=create
    )
    assert outcome.booked
    return request.reference, outcome.booking.reference


def visit(session_factory, reference, outcome="completed", **kwargs):
    kwargs.setdefault("actor", ACTOR)
    kwargs.setdefault("now", LATER)
    return run_in_write_transaction(session_factory, lambda s: record_visit_outcome(s, reference, outcome, **kwargs))


def advance(session_factory, reference, to, **kwargs):
    kwargs.setdefault("actor", ACTOR)
    kwargs.setdefault("now", LATER)
    return run_in_write_transaction(session_factory, lambda s: advance_request(s, reference, to, **kwargs))


def events(session_factory, action=None) -> list[AuditEvent]:
    with session_factory() as s:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        return list(s.scalars(stmt))


def status(session_factory, world) -> dict:
    with session_factory() as s:
        return campaign_status(s, s.get(Campaign, world["campaign"]))


# --- a visit's outcome -----------------------------------------------------------------


def test_a_completed_repair_completes_the_remedy(session_factory, world):
    reference = repair(session_factory, world)
    assert status(session_factory, world)["completed"] == 0
    result = visit(session_factory, reference.lower().replace("-", " "), note="valve replaced")  # as typed
    assert result.ok and result.remedy_completed and result.status == BookingStatus.COMPLETED
    assert result.reference == reference and result.customer_id == world["asha"]
    assert result.message == f"Repair visit {reference} completed: the customer's remedy is complete."
    with session_factory() as s:
        booking = s.scalar(select(Booking).where(Booking.reference == reference))
        assert booking.status == BookingStatus.COMPLETED and booking.completed_at == LATER
        assert booking.note == "valve replaced"
        assert s.get(Customer, world["asha"]).completed_at == LATER
        assert s.get(ServiceSlot, world["slots"][0]).booked == 1  # the visit happened: its seat stays used
    [event] = events(session_factory, "booking.completed")
    assert event.actor == ACTOR and event.customer_id == world["asha"] and event.at == LATER
    assert event.detail["reference"] == reference and event.detail["kind"] == "repair"
    assert event.detail["note"] == "valve replaced" and event.detail["remedy_completed"] is True
    counts = status(session_factory, world)
    assert counts["completed"] == 1 and counts["repair_booked"] == 1 and counts["correction_rate"] == 0.5


def test_completing_again_is_refused_and_keeps_the_first_time(session_factory, world):
    reference = repair(session_factory, world)
    visit(session_factory, reference)
    for outcome in ("completed", "failed", "missed"):
        result = visit(session_factory, reference, outcome, now=LATER + dt.timedelta(days=1))
        assert not result.ok and result.status == BookingStatus.COMPLETED
        assert result.message == f"Repair visit {reference} is completed: only a booked visit gets an outcome."
    with session_factory() as s:
        assert s.get(Customer, world["asha"]).completed_at == LATER
    assert len(events(session_factory, "booking.completed")) == 1 and not events(session_factory, "booking.failed")


@pytest.mark.parametrize("outcome", ["failed", "missed"])
def test_a_failed_or_missed_visit_can_be_rebooked(session_factory, world, outcome):
    reference = repair(session_factory, world)
    result = visit(session_factory, reference, outcome, note="  part out of stock ")
    assert result.ok and not result.remedy_completed and result.status == BookingStatus(outcome)
    assert result.message == f"Repair visit {reference} recorded as {outcome}: the customer can book a new visit."
    with session_factory() as s:
        booking = s.scalar(select(Booking).where(Booking.reference == reference))
        assert booking.status == BookingStatus(outcome) and booking.completed_at is None
        assert booking.note == "part out of stock"
        customer = s.get(Customer, world["asha"])
        assert customer.completed_at is None and customer.remedy == Remedy.REPAIR
        assert s.get(ServiceSlot, world["slots"][0]).booked == 1  # in the past: nothing to free
        state = recall_state(s, world["asha"])
        assert state.booking is None and not state.settled and state.completed_at is None  # the bot offers slots again
    [event] = events(session_factory, f"booking.{outcome}")
    assert event.customer_id == world["asha"] and event.actor == ACTOR
    assert event.detail["reference"] == reference and event.detail["note"] == "part out of stock"
    assert event.detail["remedy_completed"] is False

    again = repair(session_factory, world, slot=1)  # the partial unique index lets them book anew
    assert again != reference
    with session_factory() as s:
        assert recall_state(s, world["asha"]).booking.reference == again
    assert status(session_factory, world)["completed"] == 0


def test_refusals_change_nothing(session_factory, world):
    reference = repair(session_factory, world)
    cancelled = repair(session_factory, world, customer="ravi", slot=1)
    run_in_write_transaction(
        session_factory, lambda session: cancel_booking(session, customer_id=world["ravi"], now=NOW)
    )
    before = len(events(session_factory))
    cases = [
        (("RP-ZZZZZZ", "completed"), {}, "No visit RP-ZZZZZZ."),
        (("nonsense", "completed"), {}, "No visit NONSENSE."),
        ((reference, "booked"), {}, "'booked' is not an outcome: completed, failed or missed."),
        ((reference, "done"), {}, "'done' is not an outcome: completed, failed or missed."),
        ((reference, "completed"), {"customer_id": world["ravi"]}, f"No visit {reference} for this customer."),
        ((cancelled, "missed"), {}, f"Repair visit {cancelled} is cancelled: only a booked visit gets an outcome."),
    ]
    for args, kwargs, message in cases:
        result = visit(session_factory, *args, **kwargs)
        assert not result.ok and result.message == message
    assert len(events(session_factory)) == before
    with session_factory() as s:
        assert s.scalar(select(Booking.status).where(Booking.reference == reference)) == BookingStatus.BOOKED
        assert s.scalar(select(func.count(Customer.id)).where(Customer.completed_at.is_not(None))) == 0


def test_a_completed_pickup_moves_its_request_to_picked_up(session_factory, world):
    request_ref, pickup_ref = pickup(session_factory, world)
    result = visit(session_factory, pickup_ref)
    assert result.ok and not result.remedy_completed and result.kind == BookingKind.PICKUP
    assert result.request_reference == request_ref and result.request_status == RequestStatus.PICKED_UP
    assert result.message == f"Pickup {pickup_ref} completed: replacement {request_ref} is picked_up."
    with session_factory() as s:
        assert (
            s.scalar(select(RemedyRequest.status).where(RemedyRequest.reference == request_ref))
            == RequestStatus.PICKED_UP
        )
        assert s.get(Customer, world["asha"]).completed_at is None  # the new unit is not delivered yet
    [picked] = events(session_factory, "request.picked_up")
    assert picked.detail["reference"] == request_ref and picked.detail["booking"] == pickup_ref
    [completed] = events(session_factory, "booking.completed")
    assert completed.detail["request"] == request_ref and completed.detail["remedy_completed"] is False

    done = advance(session_factory, request_ref, "done", note="new FF280 delivered")
    assert done.ok and done.remedy_completed and done.status == RequestStatus.DONE
    assert done.message == f"Replacement {request_ref} done: the customer's remedy is complete."
    with session_factory() as s:
        request = s.scalar(select(RemedyRequest).where(RemedyRequest.reference == request_ref))
        assert request.completed_at == LATER and request.note == "new FF280 delivered"
        assert s.get(Customer, world["asha"]).completed_at == LATER
    [event] = events(session_factory, "request.done")
    assert event.customer_id == world["asha"] and event.actor == ACTOR
    assert event.detail["reference"] == request_ref and event.detail["previous"] == "picked_up"
    assert status(session_factory, world)["completed"] == 1


@pytest.mark.parametrize("outcome", ["failed", "missed"])
def test_a_failed_pickup_puts_the_request_back_for_a_new_pickup(session_factory, world, outcome):
    request_ref, pickup_ref = pickup(session_factory, world, create=request_refund)
    result = visit(session_factory, pickup_ref, outcome)
    assert result.ok and result.request_status == RequestStatus.REQUESTED
    with session_factory() as s:
        request = s.scalar(select(RemedyRequest).where(RemedyRequest.reference == request_ref))
        assert request.status == RequestStatus.REQUESTED
        state = recall_state(s, world["asha"])
        assert state.booking is None and state.request.reference == request_ref
    again = factories.book_pickup(session_factory, world["asha"], request.id, world["slots"][1], now=NOW)
    assert again.booked
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.SCHEDULED


# --- a request's moves -----------------------------------------------------------------


def test_a_refund_paid_without_a_pickup_needs_a_note(session_factory, world):
    reference = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund).request.reference
    refused = advance(session_factory, reference, "done")
    assert not refused.ok and "say in the note why" in refused.message
    assert not events(session_factory, "request.done")
    result = advance(session_factory, reference, "done", note="unit destroyed, photo received")
    assert result.ok and result.remedy_completed
    with session_factory() as s:
        assert s.get(Customer, world["asha"]).completed_at == LATER
    [event] = events(session_factory, "request.done")
    assert event.detail["note"] == "unit destroyed, photo received" and event.detail["previous"] == "requested"


def test_a_request_step_by_step_and_then_closed(session_factory, world):
    reference = factories.new_request(session_factory, world["asha"], now=NOW).request.reference
    refused = advance(session_factory, reference, "done")  # a replacement needs the old unit back
    assert not refused.ok
    assert refused.message == (
        f"Replacement {reference} is requested: it can go to scheduled, picked_up, cancelled, not done."
    )
    for step in ("scheduled", "picked_up", "done"):  # a pickup arranged outside the recall's slots
        result = advance(session_factory, reference, step)
        assert result.ok and result.status == RequestStatus(step)
    assert [e.action for e in events(session_factory) if e.action.startswith("request.")] == [
        "request.replacement",
        "request.scheduled",
        "request.picked_up",
        "request.done",
    ]
    for step in ("cancelled", "scheduled", "done"):
        result = advance(session_factory, reference, step)
        assert not result.ok
    assert advance(session_factory, reference, "cancelled").message == f"Replacement {reference} is done: it is closed."
    assert advance(session_factory, reference, "done").message == f"Replacement {reference} is already done."


def test_no_move_past_a_booked_pickup(session_factory, world):
    request_ref, pickup_ref = pickup(session_factory, world)
    for step in ("picked_up", "cancelled"):
        result = advance(session_factory, request_ref, step)
        assert not result.ok
        assert result.message == f"Pickup {pickup_ref} is booked: record its outcome, or cancel it, first."
    with session_factory() as s:
        assert s.scalar(select(RemedyRequest.status)) == RequestStatus.SCHEDULED


def test_cancelling_a_request_clears_the_remedy_choice(session_factory, world):
    reference = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund).request.reference
    result = advance(session_factory, reference, "cancelled", note="customer prefers a repair")
    assert result.ok and result.message == f"Refund {reference} moved from requested to cancelled."
    with session_factory() as s:
        customer = s.get(Customer, world["asha"])
        assert customer.remedy is None and customer.completed_at is None
        assert recall_state(s, world["asha"]).request is None
    assert events(session_factory, "request.cancelled")[0].detail["reference"] == reference
    repair(session_factory, world)  # free to choose again


def test_request_refusals(session_factory, world):
    reference = factories.new_request(session_factory, world["asha"], now=NOW, create=request_refund).request.reference
    before = len(events(session_factory))
    cases = [
        (("RF-ZZZZZZ", "done"), {}, "No replacement or refund RF-ZZZZZZ."),
        (
            (reference, "scheduled"),
            {"customer_id": world["ravi"]},
            f"No replacement or refund {reference} for this customer.",
        ),
        (
            (reference, "requested"),
            {},
            "'requested' is not a status to move a request to: scheduled, picked_up, done or cancelled.",
        ),
        (
            (reference, "paid"),
            {},
            "'paid' is not a status to move a request to: scheduled, picked_up, done or cancelled.",
        ),
    ]
    for args, kwargs, message in cases:
        result = advance(session_factory, *args, **kwargs)
        assert not result.ok and result.message == message
    assert len(events(session_factory)) == before


# --- concurrency -----------------------------------------------------------------------


def test_two_outcomes_at_once_one_is_recorded(race_factory):
    factory = race_factory
    with factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer(s, campaign, postcode=PUNE, address="12 MG Road")
        slot = free_slots(s, campaign, PUNE, now=NOW, limit=1)[0].id
    reference = factories.book_repair(factory, asha.id, slot, now=NOW).booking.reference
    outcomes = ["completed", "failed", "missed", "completed"]
    barrier = threading.Barrier(len(outcomes))

    def record(outcome):
        barrier.wait(timeout=60)
        return visit(factory, reference, outcome)

    with ThreadPoolExecutor(max_workers=len(outcomes)) as pool:
        results = list(pool.map(record, outcomes))
    assert sum(r.ok for r in results) == 1
    [winner] = [r for r in results if r.ok]
    assert all("only a booked visit gets an outcome" in r.message for r in results if not r.ok)
    with factory() as s:
        assert s.scalar(select(Booking.status)) == winner.status
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("booking.%"))) == 2
