"""Several units per customer: each verified, with its own remedy and state; one visit fixes
several units (no second seat), one request per unit, a repair visit and a pickup side by
side. On SQLite and PostgreSQL (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.campaigns.definition import parse_definition
from bot.db import run_in_write_transaction
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingUnit,
    Campaign,
    Customer,
    Remedy,
    RemedyRequest,
    RequestStatus,
    ServiceSlot,
    Unit,
    Verification,
)
from bot.services.bookings import add_unit_to_visit, book_slot, cancel_booking
from bot.services.completion import record_visit_outcome
from bot.services.recall_state import recall_state
from bot.services.refusals import Refusal
from bot.services.remedy_requests import request_refund, request_replacement
from bot.services.slots import free_slots
from bot.services.verification import VerificationOutcome, check_serials, record_verification
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)  # Saturday 10:00 in Pune
PUNE = factories.PUNE


@pytest.fixture
def priya(session_factory):
    """The demo campaign and Priya in Pune with two affected units on file, neither verified."""
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        owner = factories.customer_with_units(
            s,
            campaign,
            "+919812300003",
            ["AR26D004513", "AR26D004514"],
            postcode=PUNE,
            address="Flat 302, Koregaon Park",
        )
        units = [u.id for u in s.scalars(select(Unit).where(Unit.customer_id == owner.id).order_by(Unit.id))]
        slots = [row.id for row in free_slots(s, campaign, PUNE, now=NOW, limit=4)]
        return {"campaign": campaign.id, "customer": owner.id, "units": units, "slots": slots}


def in_tx(session_factory, work):
    return run_in_write_transaction(session_factory, work)


def verify(session_factory, world, text):
    """Check every serial in `text` and record the conclusive ones, as the form does."""

    def work(s):
        campaign = s.get(Campaign, world["campaign"])
        checks = check_serials(
            s,
            campaign_id=campaign.id,
            customer_id=world["customer"],
            definition=parse_definition(campaign.definition),
            text=text,
        )
        for check in checks:
            record_verification(s, campaign_id=campaign.id, customer_id=world["customer"], check=check)
        return checks

    return in_tx(session_factory, work)


def unit_row(s, serial) -> Unit:
    return s.scalar(select(Unit).where(Unit.serial == serial))


def test_two_serials_in_one_message_are_each_checked_and_recorded(session_factory, priya):
    checks = verify(session_factory, priya, "AR26D004514 and ar26-b 000777")
    assert [(c.serial, c.outcome) for c in checks] == [
        ("AR26D004514", VerificationOutcome.AFFECTED),
        ("AR26B000777", VerificationOutcome.NOT_AFFECTED),
    ]
    with session_factory() as s:
        assert unit_row(s, "AR26D004514").verified_at is not None
        assert unit_row(s, "AR26D004513").verified_at is None  # on file, not sent: not verified
        fine = unit_row(s, "AR26B000777")  # not in the registry: registered, as today
        assert (fine.customer_id, fine.affected, fine.verified_at is not None) == (priya["customer"], False, True)
        customer = s.get(Customer, priya["customer"])
        assert customer.verification == Verification.AFFECTED  # the unaffected one does not undo it
        assert customer.verified_at is not None


def test_an_unaffected_unit_after_an_affected_one_keeps_the_customer_affected(session_factory, priya):
    verify(session_factory, priya, "AR26D004513")
    verify(session_factory, priya, "AR26H000001")
    with session_factory() as s:
        assert s.get(Customer, priya["customer"]).verification == Verification.AFFECTED
        state = recall_state(s, priya["customer"])
        assert [u.serial for u in state.verified_units] == ["AR26D004513", "AR26H000001"]
        assert state.unit is not None and state.unit.serial == "AR26D004513"


def test_a_mistyped_second_serial_is_a_suggestion_never_recorded(session_factory, priya):
    checks = verify(session_factory, priya, "AR26D004513 and AR26D0O4514")
    assert [c.outcome for c in checks] == [VerificationOutcome.AFFECTED, VerificationOutcome.NEAR_MISS]
    assert checks[1].suggestion == "AR26D004514"
    with session_factory() as s:
        assert unit_row(s, "AR26D004514").verified_at is None


def test_a_second_unit_joins_the_booked_visit_without_a_second_seat(session_factory, priya):
    verify(session_factory, priya, "AR26D004513 AR26D004514")
    first, second = priya["units"]
    booked = in_tx(
        session_factory,
        lambda s: book_slot(
            s,
            customer_id=priya["customer"],
            slot_id=priya["slots"][0],
            kind=BookingKind.REPAIR,
            address="Flat 302, Koregaon Park",
            postcode=PUNE,
            now=NOW,
        ),
    )
    assert booked.booked and booked.booking.unit_ids == (first,)  # the current unit, not both
    with session_factory() as s:
        assert recall_state(s, priya["customer"]).unit.id == second
    joined = in_tx(
        session_factory, lambda s: add_unit_to_visit(s, customer_id=priya["customer"], unit_id=second, now=NOW)
    )
    assert joined.booked and joined.booking.reference == booked.booking.reference
    assert joined.booking.unit_ids == (first, second)
    with session_factory() as s:
        assert s.get(ServiceSlot, priya["slots"][0]).booked == 1
        assert s.scalar(select(func.count()).select_from(Booking)) == 1
        rows = s.execute(select(BookingUnit.booking_id, BookingUnit.unit_id).order_by(BookingUnit.unit_id)).all()
        assert [r.unit_id for r in rows] == [first, second]
        assert [s.get(Unit, u).remedy for u in (first, second)] == [Remedy.REPAIR, Remedy.REPAIR]
        assert s.get(Customer, priya["customer"]).remedy == Remedy.REPAIR
        state = recall_state(s, priya["customer"])
        assert state.unit is None and state.settled
        assert [u.booking_reference for u in state.units] == [booked.booking.reference] * 2
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "booking.unit_added"))
        assert event.detail["serial"] == "AR26D004514"


def test_joining_is_refused_without_a_visit_or_twice(session_factory, priya):
    first, second = priya["units"]
    none = in_tx(
        session_factory, lambda s: add_unit_to_visit(s, customer_id=priya["customer"], unit_id=second, now=NOW)
    )
    assert not none.booked and none.reason is Refusal.NO_BOOKING
    factories.book_repair(session_factory, priya["customer"], priya["slots"][0], now=NOW)
    again = in_tx(
        session_factory, lambda s: add_unit_to_visit(s, customer_id=priya["customer"], unit_id=first, now=NOW)
    )
    assert not again.booked and again.reason is Refusal.ALREADY_BOOKED
    with session_factory.begin() as s:
        other = factories.customer(s, s.get(Campaign, priya["campaign"]), "+919812300099", "AR26D009999")
        stranger = unit_row(s, "AR26D009999").id
    foreign = in_tx(
        session_factory, lambda s: add_unit_to_visit(s, customer_id=priya["customer"], unit_id=stranger, now=NOW)
    )
    assert not foreign.booked and foreign.reason is Refusal.NO_SUCH_UNIT
    assert other.id != priya["customer"]


def test_a_second_repair_visit_is_refused_while_one_is_booked(session_factory, priya):
    first, second = priya["units"]
    factories.book_repair(session_factory, priya["customer"], priya["slots"][0], now=NOW, unit_ids=[first])
    again = factories.book_repair(session_factory, priya["customer"], priya["slots"][1], now=NOW, unit_ids=[second])
    assert not again.booked and again.reason is Refusal.ALREADY_BOOKED  # it joins the visit instead


def test_one_request_per_unit_and_a_pickup_beside_a_repair(session_factory, priya):
    first, second = priya["units"]
    factories.book_repair(session_factory, priya["customer"], priya["slots"][0], now=NOW, unit_ids=[first])
    refund = factories.new_request(session_factory, priya["customer"], now=NOW, create=request_refund, unit_id=second)
    assert refund.created and refund.request.unit_id == second
    twice = factories.new_request(
        session_factory, priya["customer"], now=NOW, create=request_replacement, unit_id=second
    )
    assert not twice.created and twice.reason is Refusal.ALREADY_OPEN
    pickup = factories.book_pickup(session_factory, priya["customer"], refund.request.id, priya["slots"][1], now=NOW)
    assert pickup.booked and pickup.booking.unit_ids == (second,)  # a repair visit and a pickup side by side
    with session_factory() as s:
        assert [s.get(Unit, u).remedy for u in (first, second)] == [Remedy.REPAIR, Remedy.REFUND]
        assert s.get(Customer, priya["customer"]).remedy == Remedy.REPAIR  # the first unit's: the funnel stage
        assert s.get(RemedyRequest, refund.request.id).status == RequestStatus.SCHEDULED
        state = recall_state(s, priya["customer"])
        assert {b.kind for b in state.bookings} == {BookingKind.REPAIR, BookingKind.PICKUP}


def test_a_pickup_collects_a_second_units_request(session_factory, priya):
    first, second = priya["units"]
    one = factories.new_request(session_factory, priya["customer"], now=NOW, create=request_refund, unit_id=first)
    pickup = factories.book_pickup(session_factory, priya["customer"], one.request.id, priya["slots"][0], now=NOW)
    two = factories.new_request(session_factory, priya["customer"], now=NOW, unit_id=second)
    joined = in_tx(
        session_factory,
        lambda s: add_unit_to_visit(
            s,
            customer_id=priya["customer"],
            unit_id=second,
            kind=BookingKind.PICKUP,
            request_id=two.request.id,
            now=NOW,
        ),
    )
    assert joined.booked and joined.booking.reference == pickup.booking.reference
    assert joined.booking.unit_ids == (first, second)
    with session_factory() as s:
        assert s.get(RemedyRequest, two.request.id).status == RequestStatus.SCHEDULED
        assert [s.get(Unit, u).remedy for u in (first, second)] == [Remedy.REFUND, Remedy.REPLACEMENT]
        assert s.get(ServiceSlot, priya["slots"][0]).booked == 1


def test_cancelling_the_visit_clears_each_units_repair(session_factory, priya):
    first, second = priya["units"]
    booked = factories.book_repair(session_factory, priya["customer"], priya["slots"][0], now=NOW, unit_ids=[first])
    in_tx(session_factory, lambda s: add_unit_to_visit(s, customer_id=priya["customer"], unit_id=second, now=NOW))
    in_tx(
        session_factory,
        lambda s: cancel_booking(s, customer_id=priya["customer"], reference=booked.booking.reference, now=NOW),
    )
    with session_factory() as s:
        assert [s.get(Unit, u).remedy for u in (first, second)] == [None, None]
        assert s.get(Customer, priya["customer"]).remedy is None
        assert s.get(ServiceSlot, priya["slots"][0]).booked == 0


def test_a_serial_next_to_one_already_verified_is_another_unit_not_a_slip(session_factory, priya):
    """Two fridges bought together have neighbouring serials: one slip from a serial the customer
    already sent is their next unit; one slip from a serial on file not yet sent is still asked."""
    verify(session_factory, priya, "AR26D004513")
    [next_one] = verify(session_factory, priya, "AR26D004553")  # one slip from 4513 (sent), two from 4514
    assert next_one.outcome is VerificationOutcome.AFFECTED  # not "Did you mean AR26D004513?"
    with session_factory.begin() as s:
        s.delete(unit_row(s, "AR26D004553"))
    [slip] = verify(session_factory, priya, "AR26D004524")  # one slip from AR26D004514, on file, not sent
    assert slip.outcome is VerificationOutcome.NEAR_MISS and slip.suggestion == "AR26D004514"


def two_requests_on_one_pickup(session_factory, world):
    """A refund for the first unit with its pickup booked, then a replacement for the second
    unit collected on the same pickup. Returns the pickup's reference and both request ids."""
    first, second = world["units"]
    one = factories.new_request(session_factory, world["customer"], now=NOW, create=request_refund, unit_id=first)
    pickup = factories.book_pickup(session_factory, world["customer"], one.request.id, world["slots"][0], now=NOW)
    two = factories.new_request(session_factory, world["customer"], now=NOW, unit_id=second)
    in_tx(
        session_factory,
        lambda s: add_unit_to_visit(
            s,
            customer_id=world["customer"],
            unit_id=second,
            kind=BookingKind.PICKUP,
            request_id=two.request.id,
            now=NOW,
        ),
    )
    return pickup.booking.reference, (one.request.id, two.request.id)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("completed", RequestStatus.PICKED_UP),
        ("failed", RequestStatus.REQUESTED),
        ("missed", RequestStatus.REQUESTED),
    ],
)
def test_a_pickups_outcome_moves_every_request_it_collects(session_factory, priya, outcome, expected):
    reference, requests = two_requests_on_one_pickup(session_factory, priya)
    result = in_tx(session_factory, lambda s: record_visit_outcome(s, reference, outcome, actor="agent@x", now=NOW))
    assert result.ok, result.message
    with session_factory() as s:
        assert [s.get(RemedyRequest, r).status for r in requests] == [expected, expected]


def test_cancelling_a_pickup_puts_every_request_it_collects_back(session_factory, priya):
    reference, requests = two_requests_on_one_pickup(session_factory, priya)
    in_tx(session_factory, lambda s: cancel_booking(s, customer_id=priya["customer"], reference=reference, now=NOW))
    with session_factory() as s:
        assert [s.get(RemedyRequest, r).status for r in requests] == [RequestStatus.REQUESTED] * 2
        assert s.get(ServiceSlot, priya["slots"][0]).booked == 0
