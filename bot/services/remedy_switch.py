"""A change of mind after booking: from a booked repair visit to a replacement or a
refund, between a replacement and a refund, or from a request back to a repair while the
request is only `requested` (no pickup booked yet: after a cancelled pickup). A repair visit
that fixes several units is not released by the bot (a person changes one unit's remedy:
`several_units`), so no unit's repair is dropped with another's. A repair named
while such a request is open is never booked beside it (`request_beside_repair`): it goes
through the switch.

Everything a switch changes happens in the caller's one transaction: the booked visit is
cancelled and its seat released (`bookings.cancel_booking`), the old request cancelled,
the new request created (`remedy_requests.request_*`, which sets the customer's remedy),
the unit's remedy set, a booked pickup moved over to the new request, and the audit
events. The bot asks the customer to confirm first (texts.confirm_switch): a released
visit is not given back. The functions take a `Session` and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Customer,
    Remedy,
    RemedyRequest,
    RequestStatus,
    Unit,
)
from bot.services.bookings import BookingView, active_booking, booking_view, cancel_booking
from bot.services.recall_state import customer_in_campaign
from bot.services.refusals import Refusal
from bot.services.remedy_requests import (
    RequestView,
    open_request,
    open_request_for_unit,
    request_refund,
    request_replacement,
    request_view,
)

REMEDIES = ("repair", "replacement", "refund")


@dataclass(frozen=True)
class SwitchPlan:
    """What switching to `to` would do: `possible`, else `reason`. `booking` is the visit
    that would be cancelled (a repair), `request` the request that would change."""

    to: str
    current: str | None
    possible: bool
    reason: Refusal | None = None
    booking: BookingView | None = None
    request: RequestView | None = None


@dataclass(frozen=True)
class SwitchOutcome:
    switched: bool
    to: str
    reason: Refusal | None = None
    cancelled: BookingView | None = None  # the repair visit released
    request: RequestView | None = None  # the new request (None when back to a repair)
    pickup_kept: bool = False  # a booked pickup now serves the new request


def _current(customer: Customer, booking: Booking | None, request: RemedyRequest | None) -> str | None:
    if request is not None:
        return request.kind.value
    if booking is not None and booking.kind == BookingKind.REPAIR:
        return "repair"
    return customer.remedy.value if customer.remedy else None


def plan_switch(session: Session, *, customer_id: int, to: str) -> SwitchPlan:
    """Whether the customer's arranged remedy can become `to`, and what it would release."""
    if to not in REMEDIES:
        raise ValueError(f"unknown remedy {to!r}")
    customer, campaign, tz = customer_in_campaign(session, customer_id)
    booking = active_booking(session, customer.id, campaign.id)
    request = open_request(session, customer.id, campaign.id)
    current = _current(customer, booking, request)
    currency = parse_definition(campaign.definition).currency
    booking_v = booking_view(booking, tz) if booking is not None else None
    request_v = request_view(request, currency) if request is not None else None

    def plan(possible: bool, reason: Refusal | None = None) -> SwitchPlan:
        return SwitchPlan(to, current, possible, reason, booking_v, request_v)

    if customer.completed_at is not None:
        return plan(False, Refusal.REMEDY_COMPLETE)
    if current == to:
        return plan(False, Refusal.UNCHANGED)
    if request is not None:
        if request.status is RequestStatus.PICKED_UP:
            return plan(False, Refusal.UNIT_COLLECTED)
        if to == "repair" and (request.status is not RequestStatus.REQUESTED or booking is not None):
            return plan(False, Refusal.VISIT_BOOKED)  # the pickup is booked: a person changes it
        return plan(True)
    if booking is not None and booking.kind == BookingKind.REPAIR:
        if len(booking.units) > 1:  # released, it would drop the other units' repair too
            return plan(False, Refusal.SEVERAL_UNITS)
        return plan(True)
    return plan(False, Refusal.NO_BOOKING)


def request_beside_repair(session: Session, *, customer_id: int, unit_id: int | None = None) -> RequestView | None:
    """The open replacement or refund request a repair of the unit (None: of the customer)
    would stand next to, or None. A repair is then not booked beside it: the customer is
    asked to switch (`plan_switch`, texts.confirm_switch), and only their YES cancels the
    request (`switch_remedy`) before the repair is booked (actions/remedy_switch.py)."""
    customer, campaign, _ = customer_in_campaign(session, customer_id)
    if unit_id is None:
        request = open_request(session, customer.id, campaign.id)
    else:
        request = open_request_for_unit(session, customer.id, campaign.id, unit_id)
    if request is None:
        return None
    return request_view(request, parse_definition(campaign.definition).currency)


def _set_unit_remedy(session: Session, unit_id: int | None, remedy: Remedy | None) -> None:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is not None and hasattr(unit, "remedy"):
        unit.remedy = remedy


def switch_remedy(
    session: Session, *, customer_id: int, to: str, now: dt.datetime, actor: str = "bot"
) -> SwitchOutcome:
    """Make the switch `plan_switch` allows, in the caller's transaction."""
    plan = plan_switch(session, customer_id=customer_id, to=to)
    if not plan.possible:
        return SwitchOutcome(switched=False, to=to, reason=plan.reason)
    customer, campaign, _ = customer_in_campaign(session, customer_id)
    note = f"remedy changed from {plan.current} to {to}"
    cancelled = None
    pickup_kept = False
    old_request = open_request(session, customer.id, campaign.id)
    unit_id = old_request.unit_id if old_request is not None else None
    if old_request is None:  # a booked repair visit: released first
        outcome = cancel_booking(session, customer_id=customer.id, now=now, actor=actor, note=note)
        cancelled = outcome.booking
    else:
        old_request.status = RequestStatus.CANCELLED
        old_request.updated_at = now
        old_request.note = "; ".join(n for n in (old_request.note, note) if n)
        session.add(
            AuditEvent(
                at=now,
                actor=actor,
                action="request.cancelled",
                customer_id=customer.id,
                detail={"reference": old_request.reference, "note": note},
            )
        )
        session.flush()
    new_request = None
    if to == "repair":
        customer.remedy = None  # set again when the repair visit is booked
        _set_unit_remedy(session, unit_id, Remedy.REPAIR)
    else:
        create = request_refund if to == "refund" else request_replacement
        created = create(session, customer_id=customer.id, now=now, unit_id=unit_id, note=note, actor=actor)
        assert created.created and created.request is not None, created.reason
        new_request = created.request
        _set_unit_remedy(session, new_request.unit_id, Remedy(to))
        if old_request is not None:
            pickup = session.scalar(
                select(Booking).where(Booking.request_id == old_request.id, Booking.status == BookingStatus.BOOKED)
            )
            if pickup is not None:  # the old unit is still collected at the booked time
                pickup.request_id = new_request.id
                pickup.updated_at = now
                row = session.get(RemedyRequest, new_request.id)
                assert row is not None
                row.status = RequestStatus.SCHEDULED
                pickup_kept = True
                session.flush()
                new_request = request_view(row, parse_definition(campaign.definition).currency)
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action="remedy.switched",
            customer_id=customer.id,
            detail={
                "from": plan.current,
                "to": to,
                "cancelled_booking": cancelled.reference if cancelled else None,
                "old_request": old_request.reference if old_request else None,
                "new_request": new_request.reference if new_request else None,
            },
        )
    )
    session.flush()
    return SwitchOutcome(switched=True, to=to, cancelled=cancelled, request=new_request, pickup_kept=pickup_kept)
