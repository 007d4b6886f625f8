"""An agent books a visit outside the service calendar for a customer no free time suited
(bot/console/remedies.py `booking/other-time`, bot/services/other_times.py): a one-off slot
of one seat and the booking on it, in one transaction, audited under the agent's email;
the slot is never offered to anyone else. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select

from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    ServiceSlot,
    Verification,
    utcnow,
)
from bot.services.slots import free_slots
from tests.console.test_remedies import AGENT, agent_actions, booked, console, flash, panel, people, post, render

__all__ = ["console", "people"]  # fixtures

IST = zoneinfo.ZoneInfo("Asia/Kolkata")


def a_sunday_evening() -> dt.date:
    """A Sunday at least two days ahead (no calendar slot on Sundays in the demo recall)."""
    day = utcnow().astimezone(IST).date() + dt.timedelta(days=2)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


def one_off_slots(session_factory) -> list[ServiceSlot]:
    with session_factory() as s:
        return list(s.scalars(select(ServiceSlot).where(ServiceSlot.capacity == 1).order_by(ServiceSlot.id)))


def test_the_panel_has_the_other_time_form_only_when_a_visit_may_be_booked(session_factory, people):
    assert panel(session_factory, people["asha"])["other_time"] is True
    page = render(session_factory, people["asha"])
    assert 'data-action="book-other-time"' in page and 'name="day"' in page and "Book repair at this time" in page
    assert panel(session_factory, people["ravi"])["other_time"] is False  # serial not verified
    assert 'data-action="book-other-time"' not in render(session_factory, people["ravi"])


def test_a_repair_at_a_time_outside_the_calendar(console, session_factory, people):
    asha, sunday = people["asha"], a_sunday_evening()
    response = post(
        console, f"/console/customers/{asha}/booking/other-time", day=sunday.isoformat(), start="18:30", end="20:00"
    )
    assert response.status_code == 303
    [slot] = one_off_slots(session_factory)
    assert slot.starts_at == dt.datetime.combine(sunday, dt.time(18, 30), IST)
    assert slot.ends_at == dt.datetime.combine(sunday, dt.time(20, 0), IST)
    assert (slot.capacity, slot.booked, slot.postcode_prefix) == (1, 1, "4110")
    [booking] = booked(session_factory, asha)
    assert booking.slot_id == slot.id and booking.kind == BookingKind.REPAIR and booking.status == BookingStatus.BOOKED
    assert "booked for" in flash(console)
    assert agent_actions(session_factory, asha) == ["slot.one_off_created", "booking.created"]
    with session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "slot.one_off_created"))
        assert event.actor == AGENT and event.detail["slot_id"] == slot.id

    # cancelled, the one-off seat is free again, and still offered to nobody
    post(console, f"/console/customers/{asha}/booking/cancel")
    with session_factory.begin() as s:
        campaign = s.get(Campaign, s.get(ServiceSlot, slot.id).campaign_id)
        offered = free_slots(s, campaign, "411045", now=utcnow(), limit=200)
    assert slot.id not in {row.id for row in offered}
    assert slot.id not in {row["id"] for row in panel(session_factory, asha)["slots"]}


def test_a_booked_visit_is_moved_to_the_other_time(console, session_factory, people):
    asha = people["asha"]
    first = panel(session_factory, asha)["slots"][0]["id"]
    post(console, f"/console/customers/{asha}/booking", slot_id=first)
    flash(console)
    day = a_sunday_evening() + dt.timedelta(days=7)
    post(console, f"/console/customers/{asha}/booking/other-time", day=day.isoformat(), start="07:00", end="08:30")
    [slot] = one_off_slots(session_factory)
    [booking] = booked(session_factory, asha)
    assert booking.slot_id == slot.id and "moved to" in flash(console)
    with session_factory() as s:
        assert s.get(ServiceSlot, first).booked == 0 and s.get(ServiceSlot, slot.id).booked == 1
    assert agent_actions(session_factory, asha) == ["booking.created", "slot.one_off_created", "booking.rescheduled"]


def test_what_cannot_be_booked_leaves_nothing_behind(console, session_factory, people):
    asha, ravi, sunday = people["asha"], people["ravi"], a_sunday_evening()
    path = f"/console/customers/{asha}/booking/other-time"
    post(console, path, day=sunday.isoformat(), start="20:00", end="19:00")
    assert flash(console).startswith("The visit must end after it starts")
    post(console, path, day="next sunday", start="10:00", end="11:00")
    assert flash(console).startswith("Give the day")
    today = utcnow().astimezone(IST).date()
    post(console, path, day=today.isoformat(), start="23:00", end="23:30")
    assert flash(console).startswith("That time starts too soon")
    post(console, f"/console/customers/{ravi}/booking/other-time", day=sunday.isoformat(), start="10:00", end="11:00")
    assert "not verified" in flash(console)
    assert one_off_slots(session_factory) == []
    with session_factory() as s:
        assert s.scalar(select(Booking)) is None
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "slot.one_off_created")) is None


def test_a_time_of_the_calendar_books_the_calendars_slot_while_it_has_a_seat(console, session_factory, people):
    asha, ravi = people["asha"], people["ravi"]
    monday = a_sunday_evening() + dt.timedelta(days=8)  # 09:00-13:00 is a slot of the demo calendar
    start = dt.datetime.combine(monday, dt.time(9), IST)
    with session_factory.begin() as s:
        s.get(Customer, ravi).verification = Verification.AFFECTED
    post(console, f"/console/customers/{asha}/booking/other-time", day=monday.isoformat(), start="09:00", end="13:00")
    [booking] = booked(session_factory, asha)
    with session_factory() as s:
        slot = s.get(ServiceSlot, booking.slot_id)
        assert (slot.starts_at, slot.capacity, slot.booked) == (start, 2, 1)  # the calendar's, two technicians
        slot_id = slot.id
    with session_factory.begin() as s:
        s.get(ServiceSlot, slot_id).booked = 2
    post(console, f"/console/customers/{ravi}/booking/other-time", day=monday.isoformat(), start="09:00", end="13:00")
    assert flash(console) == "That time is a slot of the calendar, and it is full: choose another time."
    assert booked(session_factory, ravi) == [] and one_off_slots(session_factory) == []
