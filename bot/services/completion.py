"""Completing remedies: the technician's outcome of a visit, and a replacement or refund
moving through its states to done.

Plain functions on a Session that never commit, like every service: the caller owns the
transaction (the console runs them in `bot.db.run_in_write_transaction`, the CLI in
`AppContext.in_transaction`, which wraps it). The booking or request row is read
`FOR UPDATE`, so of two agents recording at once the second sees the first's outcome
and is refused. Each change writes an AuditEvent (`customer_id`, `detail.reference`):

- `booking.completed` / `booking.failed` / `booking.missed` — a visit's outcome;
  `detail.remedy_completed` says whether it completed the customer's remedy (a repair),
  `detail.units` the serials it corrected;
- `request.scheduled` / `request.picked_up` / `request.done` / `request.cancelled` — a
  request's move (`request.picked_up` also when its pickup visit is completed).

What corrects a unit (`Unit.completed_at`, what the dashboard's correction rate counts)
is a completed repair visit for every unit on it (`Booking.units`: one visit may fix
several), or a replacement/refund reaching `done` for its unit (`RemedyRequest.unit_id`).
The customer's remedy is complete (`Customer.completed_at`, set once: what `recall
status` counts as completed customers, and what the follow-up feedback waits for) when
every unit owed a remedy is corrected — the rule is `bot.domain.unit_progress`. A failed or
missed visit keeps its seat (the time has passed) and leaves no booked visit, so the
customer can book again (the bot's form and the console offer slots anew); a failed or
missed pickup puts its request back to `requested` for a new pickup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.references import normalise_reference
from bot.domain.remedy_states import next_states, note_required
from bot.domain.unit_progress import UnitProgress, awaiting, customer_complete
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Customer,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Unit,
)
from bot.services.bookings import pickup_requests, release_pickup_requests

OUTCOMES = (BookingStatus.COMPLETED, BookingStatus.FAILED, BookingStatus.MISSED)
VISIT_NAMES = {BookingKind.REPAIR: "Repair visit", BookingKind.PICKUP: "Pickup"}
REMEDY_OF = {RequestKind.REPLACEMENT: Remedy.REPLACEMENT, RequestKind.REFUND: Remedy.REFUND}


@dataclass(frozen=True)
class VisitResult:
    """`ok` with what happened in `message`, or not with the reason in `message`."""

    ok: bool
    message: str
    reference: str | None = None
    kind: BookingKind | None = None
    status: BookingStatus | None = None
    customer_id: int | None = None
    remedy_completed: bool = False  # this outcome completed the customer's remedy
    request_reference: str | None = None  # a pickup's replacement/refund
    request_status: RequestStatus | None = None
    units_corrected: tuple[str, ...] = ()  # the serials this outcome corrected


@dataclass(frozen=True)
class RequestResult:
    """`ok` with what happened in `message`, or not with the reason in `message`."""

    ok: bool
    message: str
    reference: str | None = None
    kind: RequestKind | None = None
    status: RequestStatus | None = None
    customer_id: int | None = None
    remedy_completed: bool = False
    units_corrected: tuple[str, ...] = ()  # the serials this outcome corrected


def _reference(text: str) -> str:
    return normalise_reference(text) or (text or "").strip().upper()


def _enum(kind: type[BookingStatus] | type[RequestStatus], value: object):
    try:
        return kind(value)
    except ValueError:
        return None


def _audit(session: Session, *, actor: str, action: str, customer_id: int, now: dt.datetime, **detail: object) -> None:
    session.add(AuditEvent(at=now, actor=actor, action=action, customer_id=customer_id, detail=detail))


def _progress(unit: Unit) -> UnitProgress:
    return UnitProgress(
        affected=unit.affected,
        verified=unit.verified_at is not None,
        out_of_reach=unit.disposition is not None,
        corrected=unit.completed_at is not None,
        remedy=unit.remedy.value if unit.remedy else None,
    )


def _correct_units(
    session: Session, customer_id: int, units: list[Unit], remedy: Remedy, now: dt.datetime
) -> tuple[bool, list[str]]:
    """Mark `units` corrected by `remedy` (the customer's units awaiting it when the
    visit or request was recorded without its units: `bot.domain.unit_progress`), then
    complete the customer when every unit owed a remedy is corrected (once: a customer
    already complete stays so). Returns whether the customer's remedy is complete and
    the serials corrected now."""
    customer = session.get(Customer, customer_id)
    assert customer is not None
    mine = list(session.scalars(select(Unit).where(Unit.customer_id == customer_id).order_by(Unit.id)))
    if not units:
        units = awaiting([(u, _progress(u)) for u in mine], remedy.value)
    corrected: list[str] = []
    for unit in units:
        if unit.completed_at is None:
            unit.completed_at = now
            corrected.append(unit.serial)
        if unit.remedy is None:
            unit.remedy = remedy
    if customer.completed_at is None and customer_complete([_progress(u) for u in mine], remedy_completed=True):
        customer.completed_at = now
    return customer.completed_at is not None, corrected


# --- a visit's outcome -----------------------------------------------------------------


def _pickup_outcome(
    session: Session, booking: Booking, outcome: BookingStatus, *, actor: str, now: dt.datetime
) -> RemedyRequest | None:
    """The requests the pickup collects (`pickup_requests`: one per unit on it): picked up
    when the visit is completed; back to `requested` (for a new pickup) when it failed or
    was missed. Returns the one the pickup was booked for (the first), for the message."""
    requests = pickup_requests(session, booking)
    for request in requests:
        if outcome == BookingStatus.COMPLETED and request.status in (RequestStatus.REQUESTED, RequestStatus.SCHEDULED):
            previous = request.status
            request.status = RequestStatus.PICKED_UP
            request.updated_at = now
            _audit(
                session,
                actor=actor,
                action="request.picked_up",
                customer_id=request.customer_id,
                now=now,
                reference=request.reference,
                kind=request.kind.value,
                previous=previous.value,
                booking=booking.reference,
                note=None,
                remedy_completed=False,
            )
    if outcome != BookingStatus.COMPLETED:
        release_pickup_requests(session, booking, now)
    return requests[0] if requests else None


def _still_waiting(corrected: list[str]) -> str:
    if not corrected:
        return "no unit newly corrected; the customer's other units still await their remedy."
    units = f"unit {corrected[0]}" if len(corrected) == 1 else f"units {', '.join(corrected)}"
    return f"{units} corrected; the customer's other units still await their remedy."


def _outcome_message(
    booking: Booking, request: RemedyRequest | None, remedy_completed: bool, corrected: list[str]
) -> str:
    name = f"{VISIT_NAMES[booking.kind]} {booking.reference}"
    if booking.status == BookingStatus.COMPLETED:
        if remedy_completed:
            return f"{name} completed: the customer's remedy is complete."
        if booking.kind == BookingKind.REPAIR:
            return f"{name} completed: {_still_waiting(corrected)}"
        if request is not None:
            return f"{name} completed: {request.kind.value} {request.reference} is {request.status.value}."
        return f"{name} completed."
    return f"{name} recorded as {booking.status.value}: the customer can book a new visit."


def record_visit_outcome(
    session: Session,
    reference: str,
    outcome: BookingStatus | str,
    *,
    note: str | None = None,
    actor: str,
    now: dt.datetime,
    customer_id: int | None = None,
) -> VisitResult:
    """Record the technician's outcome (`completed`, `failed` or `missed`) of the booked
    visit `reference` (as typed: 'rp 7k3f2q' will do); with `customer_id`, only that
    customer's visit. A completed repair completes the customer's remedy; a completed
    pickup moves its request to `picked_up`; a failed or missed pickup puts its request
    back to `requested`. Refusals change nothing."""
    status = _enum(BookingStatus, outcome)
    if status not in OUTCOMES:
        return VisitResult(ok=False, message=f"{outcome!r} is not an outcome: completed, failed or missed.")
    ref = _reference(reference)
    booking = session.scalar(select(Booking).where(Booking.reference == ref).with_for_update())
    if booking is None or (customer_id is not None and booking.customer_id != customer_id):
        return VisitResult(ok=False, message=f"No visit {ref}" + (" for this customer." if booking else "."))
    name = f"{VISIT_NAMES[booking.kind]} {booking.reference}"
    if booking.status != BookingStatus.BOOKED:
        return VisitResult(
            ok=False,
            message=f"{name} is {booking.status.value}: only a booked visit gets an outcome.",
            reference=booking.reference,
            kind=booking.kind,
            status=booking.status,
            customer_id=booking.customer_id,
        )
    note = (note or "").strip() or None
    booking.status = status
    booking.updated_at = now
    if note:
        booking.note = note
    if status == BookingStatus.COMPLETED:
        booking.completed_at = now
    remedy_completed, corrected = False, []
    if status == BookingStatus.COMPLETED and booking.kind == BookingKind.REPAIR:
        remedy_completed, corrected = _correct_units(
            session, booking.customer_id, list(booking.units), Remedy.REPAIR, now
        )
    request = (
        _pickup_outcome(session, booking, status, actor=actor, now=now) if booking.kind == BookingKind.PICKUP else None
    )
    _audit(
        session,
        actor=actor,
        action=f"booking.{status.value}",
        customer_id=booking.customer_id,
        now=now,
        reference=booking.reference,
        kind=booking.kind.value,
        slot_id=booking.slot_id,
        starts_at=booking.slot.starts_at.isoformat(),
        note=note,
        remedy_completed=remedy_completed,
        request=request.reference if request else None,
        units=corrected,
    )
    session.flush()
    return VisitResult(
        ok=True,
        message=_outcome_message(booking, request, remedy_completed, corrected),
        reference=booking.reference,
        kind=booking.kind,
        status=booking.status,
        customer_id=booking.customer_id,
        remedy_completed=remedy_completed,
        request_reference=request.reference if request else None,
        request_status=request.status if request else None,
        units_corrected=tuple(corrected),
    )


# --- a request's move ------------------------------------------------------------------


def _booked_pickup(session: Session, request: RemedyRequest) -> Booking | None:
    return session.scalar(
        select(Booking).where(Booking.request_id == request.id, Booking.status == BookingStatus.BOOKED)
    )


def _move_problem(session: Session, request: RemedyRequest, target: RequestStatus, note: str | None) -> str | None:
    name = f"{request.kind.value.capitalize()} {request.reference}"
    if target == request.status:
        return f"{name} is already {target.value}."
    allowed = next_states(request.kind, request.status)
    if target not in allowed:
        if not allowed:
            return f"{name} is {request.status.value}: it is closed."
        return (
            f"{name} is {request.status.value}: it can go to {', '.join(s.value for s in allowed)}, not {target.value}."
        )
    if note_required(request.kind, request.status, target) and not note:
        return f"{name} was never collected: say in the note why the refund is paid without the unit."
    pickup = _booked_pickup(session, request)
    if pickup is not None:
        return f"Pickup {pickup.reference} is booked: record its outcome, or cancel it, first."
    return None


def advance_request(
    session: Session,
    reference: str,
    to_status: RequestStatus | str,
    *,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
    customer_id: int | None = None,
) -> RequestResult:
    """Move the replacement/refund `reference` to `to_status` under the rules of
    `bot.domain.remedy_states` (and never past a pickup still booked: its outcome moves
    the request). `done` completes the customer's remedy (`completed_at` on both);
    `cancelled` clears the customer's remedy choice. Refusals change nothing."""
    target = _enum(RequestStatus, to_status)
    if target is None or target == RequestStatus.REQUESTED:
        return RequestResult(
            ok=False,
            message=f"{to_status!r} is not a status to move a request to: scheduled, picked_up, done or cancelled.",
        )
    ref = _reference(reference)
    request = session.scalar(select(RemedyRequest).where(RemedyRequest.reference == ref).with_for_update())
    if request is None or (customer_id is not None and request.customer_id != customer_id):
        return RequestResult(
            ok=False, message=f"No replacement or refund {ref}" + (" for this customer." if request else ".")
        )
    note = (note or "").strip() or None
    problem = _move_problem(session, request, target, note)
    if problem is not None:
        return RequestResult(
            ok=False,
            message=problem,
            reference=request.reference,
            kind=request.kind,
            status=request.status,
            customer_id=request.customer_id,
        )
    previous = request.status
    request.status = target
    request.updated_at = now
    if note:
        request.note = f"{request.note}\n{note}" if request.note else note
    remedy_completed, corrected = False, []
    unit = session.get(Unit, request.unit_id) if request.unit_id is not None else None
    if target == RequestStatus.DONE:
        request.completed_at = now
        remedy_completed, corrected = _correct_units(
            session, request.customer_id, [unit] if unit else [], REMEDY_OF[request.kind], now
        )
    if target == RequestStatus.CANCELLED:
        customer = session.get(Customer, request.customer_id)
        if customer is not None and customer.remedy == REMEDY_OF[request.kind]:
            customer.remedy = None
        if unit is not None and unit.completed_at is None and unit.remedy == REMEDY_OF[request.kind]:
            unit.remedy = None
    _audit(
        session,
        actor=actor,
        action=f"request.{target.value}",
        customer_id=request.customer_id,
        now=now,
        reference=request.reference,
        kind=request.kind.value,
        previous=previous.value,
        note=note,
        remedy_completed=remedy_completed,
        units=corrected,
    )
    session.flush()
    name = f"{request.kind.value.capitalize()} {request.reference}"
    if remedy_completed:
        message = f"{name} done: the customer's remedy is complete."
    elif target == RequestStatus.DONE:
        message = f"{name} done: {_still_waiting(corrected)}"
    else:
        message = f"{name} moved from {previous.value} to {target.value}."
    return RequestResult(
        ok=True,
        message=message,
        reference=request.reference,
        kind=request.kind,
        status=request.status,
        customer_id=request.customer_id,
        remedy_completed=remedy_completed,
        units_corrected=tuple(corrected),
    )
