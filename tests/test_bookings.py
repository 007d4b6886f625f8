"""Slots, booking, rescheduling and cancelling, on SQLite and PostgreSQL (see conftest)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle

import pytest
from sqlalchemy import func, select, update

from bot.db import run_in_write_transaction
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    Remedy,
    ServiceSlot,
)
from bot.services.bookings import (
    BookingOutcome,
    active_booking,
    available_slots,
    cancel_booking,
    reschedule_booking,
)
from bot.services.slots import ensure_slots, free_slots, offer_slots
from tests import factories

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=UTC)  # Saturday 10:00 in Pune (Asia/Kolkata)
PUNE = "411045"  # region "4110": 2 technicians
ELSEWHERE = "560001"  # region "": 1 technician


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def world(session_factory):
    """The demo campaign, two customers in Pune and one elsewhere, and the first free slots."""
    with session_factory.begin() as s:
        world = factories.pune_world(s, now=NOW, slots=6)
        campaign = s.get(Campaign, world["campaign"])
        meera = factories.customer(s, campaign, "+919812300003", "AR26D004514", postcode=ELSEWHERE)
        elsewhere = [slot.id for slot in free_slots(s, campaign, ELSEWHERE, now=NOW, limit=6)]
        return {**world, "meera": meera.id, "pune": world["slots"], "elsewhere": elsewhere}


def book(session_factory, customer_id, slot_id, postcode=PUNE, **kwargs) -> BookingOutcome:
    kwargs.setdefault("now", NOW)
    return factories.book_repair(session_factory, customer_id, slot_id, postcode=postcode, **kwargs)


def slot_row(session_factory, slot_id) -> ServiceSlot:
    with session_factory() as s:
        slot = s.get(ServiceSlot, slot_id)
        assert slot is not None
        return slot


def fill(session_factory, slot_id) -> None:
    with session_factory.begin() as s:
        s.execute(update(ServiceSlot).where(ServiceSlot.id == slot_id).values(booked=ServiceSlot.capacity))


# --- the calendar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "capacity"),
    [(PUNE, 2), (ELSEWHERE, 1)],
)
def test_free_slots_per_region_skip_sundays_and_the_lead_time(session_factory, postcode, capacity):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        slots = free_slots(s, campaign, postcode, now=NOW)
        # Sat 28 Nov: today, inside the lead time; Sun 29 Nov: no service.
        assert [(x.starts_at, x.ends_at) for x in slots] == [
            (utc(2026, 11, 30, 3, 30), utc(2026, 11, 30, 7, 30)),  # Mon 09:00–13:00 IST
            (utc(2026, 11, 30, 8, 30), utc(2026, 11, 30, 12, 30)),  # Mon 14:00–18:00
            (utc(2026, 12, 1, 3, 30), utc(2026, 12, 1, 7, 30)),  # Tue 09:00–13:00
        ]
        assert {x.capacity for x in slots} == {capacity}
        assert {x.postcode_prefix for x in slots} == {"4110" if postcode == PUNE else ""}
        horizon = free_slots(s, campaign, postcode, now=NOW, limit=100)
        assert len(horizon) == 12 * 2  # Mon 30 Nov .. Sat 12 Dec: 12 working days
        assert all(
            x.starts_at.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))).weekday() != 6 for x in horizon
        )


def test_ensure_slots_is_idempotent_and_per_region(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        assert ensure_slots(s, campaign, now=NOW, region_prefix="4110") == 13 * 2  # 28 Nov .. 12 Dec
        assert ensure_slots(s, campaign, now=NOW, region_prefix="4110") == 0
        assert ensure_slots(s, campaign, now=NOW + dt.timedelta(days=1), region_prefix="4110") == 0  # Sunday
        assert ensure_slots(s, campaign, now=NOW + dt.timedelta(days=2), region_prefix="4110") == 2  # Mon 14 Dec
        assert ensure_slots(s, campaign, now=NOW, region_prefix="9999") == 0  # no such region
        assert s.scalar(select(func.count(ServiceSlot.id))) == 28


def test_free_slots_skip_full_and_excluded_slots(session_factory, world):
    first, second, third, fourth = world["pune"][:4]
    fill(session_factory, first)
    with session_factory() as s:
        campaign = s.get(Campaign, world["campaign"])
        ids = [x.id for x in free_slots(s, campaign, PUNE, now=NOW, exclude_ids=[second])]
    assert ids == [third, fourth, world["pune"][4]]


def test_offer_slots_labels_in_the_customers_timezone(session_factory, world):
    with session_factory.begin() as s:
        customer = s.get(Customer, world["asha"])
        assert [v.label for v in offer_slots(s, customer, now=NOW, limit=2)] == [
            "Mon 30 Nov, 09:00–13:00",
            "Mon 30 Nov, 14:00–18:00",
        ]
        customer.timezone = "Asia/Dubai"
        view = offer_slots(s, customer, now=NOW, limit=1)[0]
        assert view.label == "Mon 30 Nov, 07:30–11:30"
        assert {"monday", "mon", "30 nov", "morning", "7:30", "7:30am"} <= set(view.keywords)


def test_available_slots_for_a_customer(session_factory, world):
    views = run_in_write_transaction(
        session_factory,
        lambda session: available_slots(
            session, customer_id=world["meera"], now=NOW, exclude_ids=(world["elsewhere"][0],)
        ),
    )
    assert [v.id for v in views] == world["elsewhere"][1:4]
    assert views[0].label == "Mon 30 Nov, 14:00–18:00"
    other_postcode = run_in_write_transaction(
        session_factory,
        lambda session: available_slots(session, customer_id=world["meera"], now=NOW, postcode=PUNE, limit=1),
    )
    assert [v.id for v in other_postcode] == world["pune"][:1]
    with pytest.raises(LookupError):
        run_in_write_transaction(session_factory, lambda session: available_slots(session, customer_id=999, now=NOW))


# --- booking ---------------------------------------------------------------------------


def test_book_a_repair_visit(session_factory, world):
    slot_id = world["pune"][0]
    outcome = book(session_factory, world["asha"], slot_id)
    assert outcome.booked and outcome.reason is None and outcome.alternatives == []
    view = outcome.booking
    assert view is not None
    assert view.reference.startswith("RP-") and len(view.reference) == 9
    assert view.kind == BookingKind.REPAIR and view.status == BookingStatus.BOOKED
    assert view.slot.id == slot_id and view.slot.label == "Mon 30 Nov, 09:00–13:00"
    assert (view.address, view.postcode) == ("12 MG Road", PUNE)
    assert slot_row(session_factory, slot_id).booked == 1
    with session_factory() as s:
        assert s.get(Customer, world["asha"]).remedy == Remedy.REPAIR
        booking = active_booking(s, world["asha"], world["campaign"])
        assert booking is not None and booking.reference == view.reference
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "booking.created"))
        assert event.customer_id == world["asha"] and event.detail["reference"] == view.reference
        assert event.detail["slot_id"] == slot_id and event.at == NOW


def test_a_customer_has_one_active_booking(session_factory, world):
    first = book(session_factory, world["asha"], world["pune"][0])
    again = book(session_factory, world["asha"], world["pune"][1])
    assert not again.booked and again.reason == "already_booked"
    assert again.existing is not None and again.existing.reference == first.booking.reference
    assert slot_row(session_factory, world["pune"][1]).booked == 0


def test_a_full_slot_offers_the_next_free_ones(session_factory, world):
    slot_id = world["pune"][0]
    assert book(session_factory, world["asha"], slot_id).booked
    assert book(session_factory, world["ravi"], slot_id).booked  # 2 technicians in Pune
    meera_in_pune = book(session_factory, world["meera"], slot_id, postcode=ELSEWHERE)
    assert not meera_in_pune.booked and meera_in_pune.reason == "wrong_region"
    with session_factory.begin() as s:
        third = factories.customer(s, s.get(Campaign, world["campaign"]), "+919812300009", None, postcode=PUNE)
    outcome = book(session_factory, third.id, slot_id)
    assert not outcome.booked and outcome.reason == "slot_full" and outcome.booking is None
    assert [v.id for v in outcome.alternatives] == world["pune"][1:4]
    assert outcome.alternatives[0].label == "Mon 30 Nov, 14:00–18:00"
    assert slot_row(session_factory, slot_id).booked == 2


@pytest.mark.parametrize(
    ("case", "reason"),
    [("unknown", "no_such_slot"), ("too_soon", "too_soon"), ("other_region", "wrong_region")],
)
def test_unbookable_slots_are_refused_with_alternatives(session_factory, world, case, reason):
    with session_factory.begin() as s:
        campaign = s.get(Campaign, world["campaign"])
        today = s.scalar(
            select(ServiceSlot.id).where(ServiceSlot.postcode_prefix == "4110").order_by(ServiceSlot.starts_at).limit(1)
        )  # Sat 28 Nov 09:00: already started
        assert today is not None and today not in world["pune"]
        assert campaign is not None
    slot_id = {"unknown": 999_999, "too_soon": today, "other_region": world["elsewhere"][0]}[case]
    outcome = book(session_factory, world["asha"], slot_id)
    assert not outcome.booked and outcome.reason == reason
    assert [v.id for v in outcome.alternatives] == world["pune"][:3]
    with session_factory() as s:
        assert s.scalar(select(func.count(Booking.id))) == 0


def test_reference_collisions_draw_again(session_factory, world):
    first = book(session_factory, world["asha"], world["pune"][0], rng=ScriptedRng("2"))
    assert first.booking.reference == "RP-222222"
    second = book(session_factory, world["ravi"], world["pune"][0], rng=ScriptedRng("2", "3"))
    assert second.booked and second.booking.reference == "RP-333333"


class ScriptedRng:
    """An rng whose references are 'RP-<c>×6' for each character given, in turn."""

    def __init__(self, *chars: str) -> None:
        self._chars = cycle(chars)
        self._current = ""
        self._left = 0

    def choice(self, seq):
        if self._left == 0:
            self._current, self._left = next(self._chars), 6
        self._left -= 1
        return self._current


# --- reschedule and cancel -------------------------------------------------------------


def test_reschedule_keeps_the_reference_and_moves_the_seat(session_factory, world):
    old, new = world["pune"][0], world["pune"][3]
    booked = book(session_factory, world["asha"], old).booking
    later = NOW + dt.timedelta(hours=1)
    outcome = run_in_write_transaction(
        session_factory,
        lambda session: reschedule_booking(
            session, customer_id=world["asha"], reference=booked.reference.lower(), new_slot_id=new, now=later
        ),
    )
    assert outcome.booked and outcome.booking.reference == booked.reference
    assert outcome.booking.status == BookingStatus.BOOKED and outcome.booking.slot.id == new
    assert outcome.booking.slot.label == "Tue 1 Dec, 14:00–18:00"
    assert (slot_row(session_factory, old).booked, slot_row(session_factory, new).booked) == (0, 1)
    with session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "booking.rescheduled"))
        assert event.detail["old_slot_id"] == old and event.detail["new_slot_id"] == new
        assert event.detail["old_starts_at"] == utc(2026, 11, 30, 3, 30).isoformat()
        assert s.scalar(select(func.count(Booking.id))) == 1


def test_reschedule_into_a_full_slot_changes_nothing(session_factory, world):
    old, full = world["pune"][0], world["pune"][1]
    booked = book(session_factory, world["asha"], old).booking
    fill(session_factory, full)
    outcome = run_in_write_transaction(
        session_factory,
        lambda session: reschedule_booking(
            session, customer_id=world["asha"], booking_id=booked.id, new_slot_id=full, now=NOW
        ),
    )
    assert not outcome.booked and outcome.reason == "slot_full"
    assert outcome.existing.slot.id == old
    assert [v.id for v in outcome.alternatives] == world["pune"][2:5]
    assert slot_row(session_factory, old).booked == 1


def test_reschedule_without_a_booking_or_to_the_same_slot(session_factory, world):
    nothing = run_in_write_transaction(
        session_factory,
        lambda session: reschedule_booking(session, customer_id=world["asha"], new_slot_id=world["pune"][1], now=NOW),
    )
    assert not nothing.booked and nothing.reason == "no_booking"
    booked = book(session_factory, world["asha"], world["pune"][0]).booking
    same = run_in_write_transaction(
        session_factory,
        lambda session: reschedule_booking(session, customer_id=world["asha"], new_slot_id=world["pune"][0], now=NOW),
    )
    assert same.booked and same.reason == "unchanged" and same.booking.reference == booked.reference
    other = run_in_write_transaction(
        session_factory,
        lambda session: reschedule_booking(
            session, customer_id=world["ravi"], reference=booked.reference, new_slot_id=world["pune"][1], now=NOW
        ),
    )
    assert other.reason == "no_booking"  # not Ravi's booking


def test_cancel_frees_the_seat_and_clears_the_remedy(session_factory, world):
    slot_id = world["pune"][0]
    booked = book(session_factory, world["asha"], slot_id).booking
    outcome = run_in_write_transaction(
        session_factory,
        lambda session: cancel_booking(session, customer_id=world["asha"], now=NOW, note="bought a new fridge"),
    )
    assert outcome.cancelled and outcome.booking.reference == booked.reference
    assert outcome.booking.status == BookingStatus.CANCELLED
    assert slot_row(session_factory, slot_id).booked == 0
    with session_factory() as s:
        assert s.get(Customer, world["asha"]).remedy is None
        assert active_booking(s, world["asha"], world["campaign"]) is None
        assert (
            s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "booking.cancelled"))["note"]
            == "bought a new fridge"
        )
    again = run_in_write_transaction(
        session_factory, lambda session: cancel_booking(session, customer_id=world["asha"], now=NOW)
    )
    assert not again.cancelled and again.reason == "no_booking"
    rebooked = book(session_factory, world["asha"], slot_id)
    assert rebooked.booked and rebooked.booking.reference != booked.reference


def test_cancel_by_a_reference_that_is_not_theirs(session_factory, world):
    booked = book(session_factory, world["asha"], world["pune"][0]).booking
    outcome = run_in_write_transaction(
        session_factory,
        lambda session: cancel_booking(session, customer_id=world["ravi"], reference=booked.reference, now=NOW),
    )
    assert not outcome.cancelled and outcome.reason == "no_booking"
    assert slot_row(session_factory, world["pune"][0]).booked == 1


# --- concurrency -----------------------------------------------------------------------


def _race(factory, calls):
    """Run the calls at the same moment, one thread each; returns (results, errors)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
    results, errors = [], []
    for future in futures:
        if future.exception() is not None:
            errors.append(future.exception())
        else:
            results.append(future.result())
    return results, errors


def test_thirty_customers_race_for_the_last_five_seats(race_factory):
    factory = race_factory
    with factory.begin() as s:
        campaign = factories.demo_campaign(s)
        customers = [
            factories.customer(s, campaign, f"+9198765{i:05d}", None, postcode=ELSEWHERE).id for i in range(30)
        ]
        # Region "" has one technician: these five slots are five seats.
        seats = [slot.id for slot in free_slots(s, campaign, ELSEWHERE, now=NOW, limit=5)]
        assert len(seats) == 5

    calls = [(lambda i=i: book(factory, customers[i], seats[i % 5], postcode=ELSEWHERE)) for i in range(30)]
    results, errors = _race(factory, calls)

    assert errors == []
    won = [r for r in results if r.booked]
    lost = [r for r in results if not r.booked]
    assert len(won) == 5 and len(lost) == 25
    assert sorted(r.booking.slot.id for r in won) == sorted(seats)
    assert len({r.booking.reference for r in won}) == 5
    for outcome in lost:
        assert outcome.reason == "slot_full"
        assert outcome.alternatives, "a refused customer must be offered other slots"
    with factory() as s:
        assert s.scalar(select(func.count(Booking.id)).where(Booking.status == BookingStatus.BOOKED)) == 5
        assert s.scalar(select(func.count(Booking.id))) == 5
        assert s.scalar(select(func.count(ServiceSlot.id)).where(ServiceSlot.booked > ServiceSlot.capacity)) == 0
        assert list(s.scalars(select(ServiceSlot.booked).where(ServiceSlot.id.in_(seats)))) == [1] * 5
        assert s.scalar(select(func.sum(ServiceSlot.booked))) == 5
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "booking.created")) == 5


def test_one_customer_booking_many_slots_at_once_gets_one(race_factory):
    factory = race_factory
    with factory.begin() as s:
        campaign = factories.demo_campaign(s)
        customer_id = factories.customer(s, campaign, postcode=PUNE).id
        slots = [slot.id for slot in free_slots(s, campaign, PUNE, now=NOW, limit=8)]

    results, errors = _race(factory, [(lambda sid=sid: book(factory, customer_id, sid)) for sid in slots])

    assert errors == []
    won = [r for r in results if r.booked]
    assert len(won) == 1
    assert all(
        r.reason == "already_booked" and r.existing.reference == won[0].booking.reference
        for r in results
        if not r.booked
    )
    with factory() as s:
        assert s.scalar(select(func.sum(ServiceSlot.booked))) == 1
        assert s.scalar(select(func.count(Booking.id))) == 1
