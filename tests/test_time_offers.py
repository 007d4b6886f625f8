"""Free times for a customer's preference (bot/services/time_offers.py): the nearest fitting
slots of their region, searched beyond `days_ahead` (rows created on demand with the
region's technicians as capacity), never one turned down, full, or off the calendar. On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from sqlalchemy import func, select, update

from bot.domain.time_preferences import parse_time_preference
from bot.models import Campaign, ServiceSlot
from bot.services.other_times import create_one_off_slot, local_window
from bot.services.slots import free_slots
from bot.services.time_offers import SEARCH_DAYS, offer_for_preference
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)  # Saturday 28 Nov, 10:00 in Pune
IST = zoneinfo.ZoneInfo("Asia/Kolkata")
TODAY = NOW.astimezone(IST).date()


@pytest.fixture
def world(session_factory):
    with session_factory.begin() as s:
        return factories.pune_world(s, now=NOW, slots=3)


def offer(session_factory, customer_id: int, text: str, **options):
    with session_factory.begin() as s:
        return offer_for_preference(
            s, customer_id=customer_id, preference=parse_time_preference(text, TODAY), now=NOW, **options
        )


def local(view) -> dt.datetime:
    return view.start.astimezone(IST)


def test_a_date_beyond_days_ahead_is_found_and_its_slots_created(session_factory, world):
    """The demo calendar looks 14 days ahead; "after the 5th jan" is 38 days away."""
    with session_factory() as s:
        assert s.scalar(select(func.max(ServiceSlot.starts_at))).astimezone(IST).date() <= TODAY + dt.timedelta(14)
    found = offer(session_factory, world["asha"], "im away until the 5th jan")
    expected = ["Wed 06 Jan 09", "Wed 06 Jan 14", "Thu 07 Jan 09"]
    assert [local(v).strftime("%a %d %b %H") for v in found.slots] == expected
    assert found.relaxed == frozenset() and found.search_days == SEARCH_DAYS
    with session_factory() as s:
        rows = s.scalars(select(ServiceSlot).where(ServiceSlot.id.in_([v.id for v in found.slots]))).all()
        assert {(r.capacity, r.booked, r.postcode_prefix) for r in rows} == {(2, 0, "4110")}  # two technicians
        last = s.scalar(select(func.max(ServiceSlot.starts_at))).astimezone(IST).date()
        horizon = TODAY + dt.timedelta(SEARCH_DAYS)
        assert last == horizon - dt.timedelta(days=horizon.weekday() == 6)  # the last working day within it


def test_a_sunday_gets_the_nearest_working_days_and_says_so(session_factory, world):
    found = offer(session_factory, world["asha"], "sunday?")
    assert [local(v).strftime("%a %d %H") for v in found.slots] == ["Mon 30 09", "Mon 30 14", "Sat 05 09"]
    assert found.days_not_worked == frozenset({6}) and found.relaxed == frozenset({"day"})


def test_evening_gets_the_afternoons_and_says_the_hours(session_factory, world):
    found = offer(session_factory, world["asha"], "evening only")
    assert found.outside_hours and found.relaxed == frozenset({"time"})
    assert all(local(v).hour == 14 for v in found.slots) and len(found.slots) == 3


def test_none_of_these_skips_what_was_turned_down_and_full_slots(session_factory, world):
    first = offer(session_factory, world["asha"], "morning")
    turned_down = [v.id for v in first.slots]
    with session_factory.begin() as s:  # the next morning is full
        nxt = offer_for_preference(
            s,
            customer_id=world["asha"],
            preference=parse_time_preference("morning", TODAY),
            now=NOW,
            exclude_ids=turned_down,
            limit=1,
        ).slots[0]
        s.execute(update(ServiceSlot).where(ServiceSlot.id == nxt.id).values(booked=ServiceSlot.capacity))
    refused = parse_time_preference("morning", TODAY).merged(parse_time_preference("none of these", TODAY))
    with session_factory.begin() as s:
        found = offer_for_preference(s, customer_id=world["asha"], preference=refused, now=NOW, exclude_ids=turned_down)
    ids = [v.id for v in found.slots]
    assert not set(ids) & set(turned_down) and nxt.id not in ids
    assert all(local(v).hour == 9 for v in found.slots) and local(found.slots[0]) > local(first.slots[-1])


def test_later_starts_after_the_last_time_turned_down(session_factory, world):
    first = offer(session_factory, world["asha"], "after the 10th")
    found = offer(session_factory, world["asha"], "later", exclude_ids=[v.id for v in first.slots])
    assert local(found.slots[0]) > local(first.slots[-1])


def test_nothing_fits_beyond_the_search(session_factory, world):
    found = offer(session_factory, world["asha"], "after the 20th march")
    assert found.slots == []


def test_a_one_off_time_is_never_offered_to_anyone(session_factory, world):
    day = TODAY + dt.timedelta(days=8)  # Sunday 6 December
    with session_factory.begin() as s:
        start, end = local_window(day, dt.time(18), dt.time(19), IST)
        made = create_one_off_slot(
            s, customer_id=world["asha"], starts_at=start, ends_at=end, postcode=None, actor="agent@x", now=NOW
        )
        assert made.created and made.slot.capacity == 1
        one_off = made.slot.id
        campaign = s.get(Campaign, world["campaign"])
        assert one_off not in {row.id for row in free_slots(s, campaign, "411045", now=NOW, limit=500)}
    assert one_off not in {v.id for v in offer(session_factory, world["ravi"], "sunday evening").slots}
