"""`recall booking complete` and `recall request advance`, end to end on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, Booking, BookingStatus, Customer, RemedyRequest, RequestStatus
from bot.services.remedy_requests import request_refund
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)


@pytest.fixture
def world(session_factory):
    with session_factory.begin() as s:
        return factories.pune_world(s, now=NOW, slots=2)


def book(session_factory, world, customer="asha", slot=0) -> str:
    return factories.book_repair(session_factory, world[customer], world["slots"][slot], now=NOW).booking.reference


def test_booking_complete(recall, session_factory, world):
    reference = book(session_factory, world)
    out = recall("booking", "complete", reference.lower(), "--note", "valve replaced").output
    assert out.strip() == f"Repair visit {reference} completed: the customer's remedy is complete."
    with session_factory() as s:
        booking = s.scalar(select(Booking).where(Booking.reference == reference))
        assert booking.status == BookingStatus.COMPLETED and booking.note == "valve replaced"
        assert s.get(Customer, world["asha"]).completed_at is not None
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "booking.completed"))
        assert event.actor == "cli" and event.detail["reference"] == reference
    again = recall("booking", "complete", reference, ok=False)
    assert again.exit_code == 1
    assert f"Error: Repair visit {reference} is completed: only a booked visit gets an outcome." in again.output
    assert '"completed": 1' in recall("status", "--campaign", "arctica-ff260-valve-2026", "--json").output


@pytest.mark.parametrize("flag", ["--failed", "--missed"])
def test_booking_failed_or_missed(recall, session_factory, world, flag):
    reference = book(session_factory, world)
    out = recall("booking", "complete", reference, flag, "--note", "nobody home").output
    outcome = flag.removeprefix("--")
    assert f"recorded as {outcome}: the customer can book a new visit" in out
    with session_factory() as s:
        assert s.scalar(select(Booking.status)) == BookingStatus(outcome)
        assert s.get(Customer, world["asha"]).completed_at is None
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == f"booking.{outcome}"))
        assert event.detail["note"] == "nobody home" and event.customer_id == world["asha"]
    assert book(session_factory, world, slot=1) != reference  # booked again


def test_booking_complete_refusals(recall, session_factory, world):
    reference = book(session_factory, world)
    both = recall("booking", "complete", reference, "--failed", "--missed", ok=False)
    assert both.exit_code == 2 and "--failed and --missed: choose one." in both.output
    unknown = recall("booking", "complete", "RP-ZZZZZZ", ok=False)
    assert unknown.exit_code == 1 and "Error: No visit RP-ZZZZZZ." in unknown.output
    with session_factory() as s:
        assert s.scalar(select(Booking.status)) == BookingStatus.BOOKED


def test_request_advance(recall, session_factory, world):
    reference = factories.new_request(session_factory, world["asha"], now=NOW).request.reference
    refused = recall("request", "advance", reference, "--to", "done", ok=False)
    assert refused.exit_code == 1 and "it can go to scheduled, picked_up, cancelled, not done" in refused.output
    for before, step in (("requested", "scheduled"), ("scheduled", "picked_up")):  # a courier, outside the slots
        out = recall("request", "advance", reference, "--to", step).output
        assert out.strip() == f"Replacement {reference} moved from {before} to {step}."
    out = recall("request", "advance", reference, "--to", "done", "--note", "FF280 delivered").output
    assert out.strip() == f"Replacement {reference} done: the customer's remedy is complete."
    with session_factory() as s:
        request = s.scalar(select(RemedyRequest).where(RemedyRequest.reference == reference))
        assert request.status == RequestStatus.DONE and request.completed_at is not None
        assert s.get(Customer, world["asha"]).completed_at == request.completed_at
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.actor == "cli").order_by(AuditEvent.id)))
        assert actions == ["request.scheduled", "request.picked_up", "request.done"]


def test_request_advance_refusals(recall, session_factory, world):
    reference = factories.new_request(session_factory, world["ravi"], now=NOW, create=request_refund).request.reference
    bad = recall("request", "advance", reference, "--to", "requested", ok=False)
    assert bad.exit_code == 2 and "Invalid value for '--to'" in bad.output
    no_note = recall("request", "advance", reference, "--to", "done", ok=False)
    assert no_note.exit_code == 1 and "say in the note why the refund is paid without the unit" in no_note.output
    assert "moved from requested to cancelled" in recall("request", "advance", reference, "--to", "cancelled").output
    closed = recall("request", "advance", reference, "--to", "done", "--note", "x", ok=False)
    assert closed.exit_code == 1 and f"Refund {reference} is cancelled: it is closed." in closed.output
    unknown = recall("request", "advance", "RL-ZZZZZZ", "--to", "done", ok=False)
    assert "No replacement or refund RL-ZZZZZZ." in unknown.output
