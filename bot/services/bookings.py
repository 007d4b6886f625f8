"""Booking, moving and cancelling visits (repairs and pickups), safely under concurrency.

A seat is taken with one conditional statement,
``UPDATE service_slots SET booked = booked + 1 WHERE id = :id AND booked < capacity``,
so two customers can never share the last seat: on PostgreSQL the second UPDATE waits
for the first and re-checks the condition; on SQLite every write transaction starts
with ``BEGIN IMMEDIATE``, so writers queue on the busy timeout. The partial unique
index (one active booking per customer) catches a customer booking twice at once: the
attempt runs in a savepoint, rolled back on the IntegrityError, and the booking that won
is read in the same transaction.

The functions take the caller's `Session` and never commit: the caller owns the one
transaction (`bot.db.run_in_write_transaction`), in which taking the seat, the booking
row, the customer's remedy and the audit event commit together or not at all.

A booking is for units (`booking_units`): a repair visit may fix several units at one
address, a pickup may collect several. A customer has at most one active booking of each
kind; a repair for another unit while a visit is booked joins that visit
(`add_unit_to_visit`: no second seat, the visit takes longer).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.calendar import earliest_start
from bot.domain.references import PICKUP, REPAIR_VISIT, ChoiceSource, new_reference, normalise_reference
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    BookingUnit,
    Campaign,
    Customer,
    Remedy,
    RemedyRequest,
    RequestStatus,
    ServiceSlot,
    Unit,
)
from bot.services.refusals import Refusal
from bot.services.slots import SlotView, customer_zone, free_slots_in_region, offer_slots, region_for, slot_view
from bot.services.units import OPEN_REQUEST_STATUSES, refresh_customer_remedy, unit_to_arrange

REFERENCE_ATTEMPTS = 8
ALTERNATIVES = 3


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingView:
    id: int
    reference: str
    kind: BookingKind
    status: BookingStatus
    slot: SlotView
    customer_id: int
    unit_ids: tuple[int, ...]  # the units this visit fixes or this pickup collects
    request_id: int | None
    address: str | None
    postcode: str | None


@dataclass(frozen=True)
class BookingOutcome:
    """`booked` with the booking, or not with a `reason` and `alternatives` to offer.

    Reasons (`Refusal`): slot_full, already_booked (see `existing`), no_such_slot,
    wrong_region, too_soon, no_such_request, no_such_unit, no_booking (reschedule),
    unchanged (a reschedule to the same slot: `booked` stays True).
    """

    booked: bool
    booking: BookingView | None = None
    reason: Refusal | None = None
    alternatives: list[SlotView] = field(default_factory=list)
    existing: BookingView | None = None


@dataclass(frozen=True)
class CancelOutcome:
    cancelled: bool
    booking: BookingView | None = None
    reason: Refusal | None = None


# --- shared steps ----------------------------------------------------------------------


def active_booking(
    session: Session, customer_id: int, campaign_id: int, kind: BookingKind | None = None
) -> Booking | None:
    """The customer's booked visit or pickup (of `kind`, if given; the oldest when they have both)."""
    stmt = select(Booking).where(
        Booking.customer_id == customer_id,
        Booking.campaign_id == campaign_id,
        Booking.status == BookingStatus.BOOKED,
    )
    if kind is not None:
        stmt = stmt.where(Booking.kind == kind)
    return session.scalar(stmt.order_by(Booking.id).limit(1))


def active_booking_of_unit(session: Session, unit_id: int) -> Booking | None:
    """The booked visit or pickup that includes the unit."""
    return session.scalar(
        select(Booking)
        .join(BookingUnit, BookingUnit.booking_id == Booking.id)
        .where(BookingUnit.unit_id == unit_id, Booking.status == BookingStatus.BOOKED)
        .limit(1)
    )


def pickup_requests(session: Session, booking: Booking) -> list[RemedyRequest]:
    """The open replacement/refund requests a pickup collects: the one it was booked for
    (`request_id`) and those of the other units put on it (`add_unit_to_visit`)."""
    if booking.kind != BookingKind.PICKUP:
        return []
    unit_ids = [unit.id for unit in booking.units]
    condition = RemedyRequest.id == booking.request_id
    if unit_ids:
        condition = or_(condition, RemedyRequest.unit_id.in_(unit_ids))
    return list(
        session.scalars(
            select(RemedyRequest)
            .where(
                RemedyRequest.customer_id == booking.customer_id,
                RemedyRequest.status.in_(OPEN_REQUEST_STATUSES),
                condition,
            )
            .order_by(RemedyRequest.id)
        )
    )


def release_pickup_requests(session: Session, booking: Booking, now: dt.datetime) -> None:
    """A pickup that will not happen (cancelled, failed, missed): its scheduled requests go
    back to `requested`, for a new pickup."""
    for request in pickup_requests(session, booking):
        if request.status == RequestStatus.SCHEDULED:
            request.status = RequestStatus.REQUESTED
            request.updated_at = now


def booking_view(booking: Booking, tz: dt.tzinfo) -> BookingView:
    return BookingView(
        id=booking.id,
        reference=booking.reference,
        kind=booking.kind,
        status=booking.status,
        slot=slot_view(booking.slot, tz),
        customer_id=booking.customer_id,
        unit_ids=tuple(unit.id for unit in booking.units),
        request_id=booking.request_id,
        address=booking.address,
        postcode=booking.postcode,
    )


def _customer_and_campaign(session: Session, customer_id: int) -> tuple[Customer, Campaign]:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"customer {customer_id} not found")
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    return customer, campaign


def _slot_problem(
    slot: ServiceSlot | None, campaign: Campaign, postcode: str | None, now: dt.datetime
) -> Refusal | None:
    if slot is None or slot.campaign_id != campaign.id:
        return Refusal.NO_SUCH_SLOT
    if postcode:
        region = region_for(campaign, postcode)
        if region is None or region.postcode_prefix != slot.postcode_prefix:
            return Refusal.WRONG_REGION
    if slot.starts_at < earliest_start(now, campaign.timezone):
        return Refusal.TOO_SOON
    return None


def _alternatives(
    session: Session,
    campaign: Campaign,
    region_prefix: str | None,
    tz: dt.tzinfo,
    now: dt.datetime,
    exclude_ids: tuple[int, ...],
) -> list[SlotView]:
    if region_prefix is None:
        return []
    slots = free_slots_in_region(session, campaign, region_prefix, now=now, limit=ALTERNATIVES, exclude_ids=exclude_ids)
    today = now.astimezone(tz).date()
    return [slot_view(s, tz, today=today) for s in slots]


def _region_prefix(campaign: Campaign, postcode: str | None, slot: ServiceSlot | None) -> str | None:
    region = region_for(campaign, postcode) if postcode else None
    if region is not None:
        return region.postcode_prefix
    return slot.postcode_prefix if slot is not None and slot.campaign_id == campaign.id else None


def _take_seat(session: Session, slot_id: int) -> bool:
    result = session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.id == slot_id, ServiceSlot.booked < ServiceSlot.capacity)
        .values(booked=ServiceSlot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seat(session: Session, slot_id: int) -> None:
    session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.id == slot_id, ServiceSlot.booked > 0)
        .values(booked=ServiceSlot.booked - 1)
        .execution_options(synchronize_session=False)
    )


def _lock_slots(session: Session, *slot_ids: int) -> None:
    """Lock slot rows in id order (PostgreSQL; SQLite already holds the write lock)."""
    session.execute(
        select(ServiceSlot.id).where(ServiceSlot.id.in_(slot_ids)).order_by(ServiceSlot.id).with_for_update()
    )


def _reference_taken(session: Session, model: type[Booking] | type[RemedyRequest], reference: str) -> bool:
    return bool(session.scalar(select(exists().where(model.reference == reference))))


def insert_with_reference(
    session: Session, make: Callable[[str], Booking | RemedyRequest], prefix: str, rng: ChoiceSource
) -> Booking | RemedyRequest:
    """Insert the row `make(reference)` with a fresh reference, drawing again on a
    collision; any other integrity error (e.g. a partial unique index) is raised."""
    for _ in range(REFERENCE_ATTEMPTS):
        row = make(new_reference(prefix, rng))
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            if _reference_taken(session, type(row), row.reference):
                continue
            raise
        return row
    raise RuntimeError(f"no free {prefix} reference after {REFERENCE_ATTEMPTS} draws")


def _audit(session: Session, *, actor: str, action: str, customer_id: int, now: dt.datetime, **detail: object) -> None:
    session.add(AuditEvent(at=now, actor=actor, action=action, customer_id=customer_id, detail=detail))


# --- offering --------------------------------------------------------------------------


def available_slots(
    session: Session,
    *,
    customer_id: int,
    now: dt.datetime,
    postcode: str | None = None,
    limit: int = ALTERNATIVES,
    exclude_ids: tuple[int, ...] = (),
) -> list[SlotView]:
    """The next free slots to offer the customer (their postcode unless one is given),
    labelled in their timezone. Materialises missing slot rows: call it in a write transaction."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"customer {customer_id} not found")
    return offer_slots(session, customer, now=now, postcode=postcode, limit=limit, exclude_ids=exclude_ids)


# --- booking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _BookingRequest:
    customer_id: int
    slot_id: int
    kind: BookingKind
    address: str | None
    postcode: str | None
    unit_ids: tuple[int, ...] | None  # None: the unit to arrange (`units.unit_to_arrange`)
    request_id: int | None
    now: dt.datetime
    actor: str
    rng: ChoiceSource


def _request_problem(session: Session, req: _BookingRequest, customer: Customer) -> Refusal | None:
    if req.request_id is not None:
        request = session.get(RemedyRequest, req.request_id)
        if request is None or request.customer_id != customer.id or request.status not in OPEN_REQUEST_STATUSES:
            return Refusal.NO_SUCH_REQUEST
    return None


def _units_of(session: Session, customer: Customer, unit_ids: tuple[int, ...] | None) -> list[Unit] | None:
    """The units to book (None: one of them is not the customer's)."""
    if unit_ids is None:
        unit = unit_to_arrange(session, customer.id)
        return [unit] if unit is not None else []
    units = [session.get(Unit, unit_id) for unit_id in dict.fromkeys(unit_ids)]
    if any(unit is None or unit.customer_id != customer.id for unit in units):
        return None
    return [unit for unit in units if unit is not None]


def _book(session: Session, req: _BookingRequest) -> BookingOutcome:
    customer, campaign = _customer_and_campaign(session, req.customer_id)
    tz = customer_zone(customer, campaign)
    units = _units_of(session, customer, req.unit_ids)
    existing = active_booking(session, customer.id, campaign.id, req.kind) or next(
        (b for b in (active_booking_of_unit(session, u.id) for u in units or []) if b is not None), None
    )
    if existing is not None:
        return BookingOutcome(booked=False, reason=Refusal.ALREADY_BOOKED, existing=booking_view(existing, tz))
    postcode = req.postcode or customer.postcode
    slot = session.get(ServiceSlot, req.slot_id)
    region_prefix = _region_prefix(campaign, postcode, slot)
    problem = _slot_problem(slot, campaign, postcode, req.now) or _request_problem(session, req, customer)
    if problem is None and units is None:
        problem = Refusal.NO_SUCH_UNIT
    if problem is None and not _take_seat(session, req.slot_id):
        problem = Refusal.SLOT_FULL
    if problem is not None:
        alternatives = _alternatives(session, campaign, region_prefix, tz, req.now, (req.slot_id,))
        return BookingOutcome(booked=False, reason=problem, alternatives=alternatives)
    assert slot is not None

    def make(reference: str) -> Booking:
        return Booking(
            reference=reference,
            campaign_id=campaign.id,
            customer_id=customer.id,
            slot_id=slot.id,
            request_id=req.request_id,
            kind=req.kind,
            status=BookingStatus.BOOKED,
            address=req.address,
            postcode=postcode,
            created_at=req.now,
            updated_at=req.now,
        )

    prefix = REPAIR_VISIT if req.kind == BookingKind.REPAIR else PICKUP
    booking = insert_with_reference(session, make, prefix, req.rng)
    assert isinstance(booking, Booking)
    booking.slot = slot
    booking.units = list(units or [])
    if req.kind == BookingKind.REPAIR:
        for unit in booking.units:
            unit.remedy = Remedy.REPAIR
        refresh_customer_remedy(session, customer, Remedy.REPAIR)
    if req.request_id is not None:
        request = session.get(RemedyRequest, req.request_id)
        assert request is not None
        if request.status == RequestStatus.REQUESTED:
            request.status = RequestStatus.SCHEDULED
            request.updated_at = req.now
    _audit(
        session,
        actor=req.actor,
        action="booking.created",
        customer_id=customer.id,
        now=req.now,
        reference=booking.reference,
        kind=req.kind.value,
        slot_id=slot.id,
        starts_at=slot.starts_at.isoformat(),
        request_id=req.request_id,
        unit_ids=[unit.id for unit in booking.units],
    )
    return BookingOutcome(booked=True, booking=booking_view(booking, tz))


def _already_booked_after_race(
    session: Session, customer_id: int, kind: BookingKind, exc: IntegrityError
) -> BookingOutcome:
    """The partial unique index refused a second active booking of the kind made at the same
    moment (the attempt's savepoint is rolled back): the booking that won, read in the same
    transaction."""
    customer, campaign = _customer_and_campaign(session, customer_id)
    existing = active_booking(session, customer.id, campaign.id, kind)
    if existing is None:
        raise exc
    return BookingOutcome(
        booked=False, reason=Refusal.ALREADY_BOOKED, existing=booking_view(existing, customer_zone(customer, campaign))
    )


def book_slot(
    session: Session,
    *,
    customer_id: int,
    slot_id: int,
    kind: BookingKind,
    address: str | None,
    postcode: str | None,
    unit_ids: tuple[int, ...] | list[int] | None = None,
    request_id: int | None = None,
    now: dt.datetime,
    actor: str = "bot",
    rng: ChoiceSource = secrets,  # type: ignore[assignment]
) -> BookingOutcome:
    """Book one seat of `slot_id` for the customer, atomically (in a savepoint of the
    caller's transaction), for `unit_ids` (None: the unit to arrange, `unit_to_arrange`).

    Refused (`already_booked`, with `existing`) while the customer has a booked visit of
    this kind (a repair for another unit joins it: `add_unit_to_visit`) or one of the
    units is on another booked visit. A pickup for a replacement/refund passes
    `request_id`; the request then moves to `scheduled` in the same transaction. A repair
    sets `units.remedy = repair` on its units and the customer's remedy.
    """
    units = tuple(unit_ids) if unit_ids is not None else None
    req = _BookingRequest(customer_id, slot_id, kind, address, postcode, units, request_id, now, actor, rng)
    try:
        with session.begin_nested():
            return _book(session, req)
    except IntegrityError as exc:
        return _already_booked_after_race(session, customer_id, kind, exc)


def add_unit_to_visit(
    session: Session,
    *,
    customer_id: int,
    unit_id: int,
    now: dt.datetime,
    kind: BookingKind = BookingKind.REPAIR,
    request_id: int | None = None,
    actor: str = "bot",
) -> BookingOutcome:
    """Put another unit of the customer on their booked visit of `kind`: the technician fixes
    it on the same visit (a pickup collects it with the others). No seat is taken; the visit
    takes longer (`BookingView.unit_ids`). A repair sets `units.remedy = repair`; a pickup
    for the unit's open request (`request_id`) moves that request to `scheduled`.

    Refusals: no_booking (none of that kind is booked), no_such_unit, already_booked (the
    unit is on a booked visit already, see `existing`), no_such_request."""
    customer, campaign = _customer_and_campaign(session, customer_id)
    tz = customer_zone(customer, campaign)
    booking = active_booking(session, customer.id, campaign.id, kind)
    if booking is None:
        return BookingOutcome(booked=False, reason=Refusal.NO_BOOKING)
    unit = session.get(Unit, unit_id)
    if unit is None or unit.customer_id != customer.id:
        return BookingOutcome(booked=False, reason=Refusal.NO_SUCH_UNIT, existing=booking_view(booking, tz))
    on = active_booking_of_unit(session, unit.id)
    if on is not None:
        return BookingOutcome(booked=False, reason=Refusal.ALREADY_BOOKED, existing=booking_view(on, tz))
    request = session.get(RemedyRequest, request_id) if request_id is not None else None
    if request_id is not None and (
        request is None or request.customer_id != customer.id or request.status not in OPEN_REQUEST_STATUSES
    ):
        return BookingOutcome(booked=False, reason=Refusal.NO_SUCH_REQUEST, existing=booking_view(booking, tz))
    session.add(BookingUnit(booking_id=booking.id, unit_id=unit.id))
    booking.updated_at = now
    session.flush()
    session.expire(booking, ["units"])
    if kind == BookingKind.REPAIR:
        unit.remedy = Remedy.REPAIR
        refresh_customer_remedy(session, customer, Remedy.REPAIR)
    if request is not None and request.status == RequestStatus.REQUESTED:
        request.status = RequestStatus.SCHEDULED
        request.updated_at = now
    _audit(
        session,
        actor=actor,
        action="booking.unit_added",
        customer_id=customer.id,
        now=now,
        reference=booking.reference,
        kind=booking.kind.value,
        unit_id=unit.id,
        serial=unit.serial,
        request_id=request_id,
    )
    return BookingOutcome(booked=True, booking=booking_view(booking, tz))


# --- reschedule ------------------------------------------------------------------------


def _find_active(session: Session, customer: Customer, reference: str | None, booking_id: int | None) -> Booking | None:
    stmt = select(Booking).where(
        Booking.customer_id == customer.id,
        Booking.campaign_id == customer.campaign_id,
        Booking.status == BookingStatus.BOOKED,
    )
    if booking_id is not None:
        stmt = stmt.where(Booking.id == booking_id)
    if reference is not None:
        stmt = stmt.where(Booking.reference == (normalise_reference(reference) or reference.strip().upper()))
    return session.scalar(stmt.order_by(Booking.id).limit(1))


def _reschedule(
    session: Session,
    *,
    customer_id: int,
    new_slot_id: int,
    reference: str | None,
    booking_id: int | None,
    now: dt.datetime,
    actor: str,
) -> BookingOutcome:
    customer, campaign = _customer_and_campaign(session, customer_id)
    tz = customer_zone(customer, campaign)
    booking = _find_active(session, customer, reference, booking_id)
    if booking is None:
        return BookingOutcome(booked=False, reason=Refusal.NO_BOOKING)
    if booking.slot_id == new_slot_id:
        return BookingOutcome(booked=True, booking=booking_view(booking, tz), reason=Refusal.UNCHANGED)
    old = booking.slot
    new = session.get(ServiceSlot, new_slot_id)
    postcode = booking.postcode or customer.postcode
    problem = _slot_problem(new, campaign, postcode, now)
    if problem is None:
        _lock_slots(session, old.id, new_slot_id)
        if not _take_seat(session, new_slot_id):
            problem = Refusal.SLOT_FULL
    if problem is not None:
        region_prefix = _region_prefix(campaign, postcode, old)
        alternatives = _alternatives(session, campaign, region_prefix, tz, now, (new_slot_id, old.id))
        return BookingOutcome(
            booked=False, reason=problem, alternatives=alternatives, existing=booking_view(booking, tz)
        )
    assert new is not None
    _release_seat(session, old.id)
    booking.slot = new
    booking.updated_at = now
    _audit(
        session,
        actor=actor,
        action="booking.rescheduled",
        customer_id=customer.id,
        now=now,
        reference=booking.reference,
        old_slot_id=old.id,
        old_starts_at=old.starts_at.isoformat(),
        new_slot_id=new.id,
        new_starts_at=new.starts_at.isoformat(),
    )
    session.flush()
    return BookingOutcome(booked=True, booking=booking_view(booking, tz))


def reschedule_booking(
    session: Session,
    *,
    customer_id: int,
    new_slot_id: int,
    now: dt.datetime,
    reference: str | None = None,
    booking_id: int | None = None,
    actor: str = "bot",
) -> BookingOutcome:
    """Move the customer's active booking (by reference or id; else their only one) to
    `new_slot_id`: the new seat is taken and the old released together. The reference
    and the `booked` status stay; the old slot is recorded in the audit event."""
    return _reschedule(
        session,
        customer_id=customer_id,
        new_slot_id=new_slot_id,
        reference=reference,
        booking_id=booking_id,
        now=now,
        actor=actor,
    )


# --- cancel ----------------------------------------------------------------------------


def _cancel(
    session: Session, *, customer_id: int, reference: str | None, now: dt.datetime, actor: str, note: str | None
) -> CancelOutcome:
    customer, campaign = _customer_and_campaign(session, customer_id)
    booking = _find_active(session, customer, reference, None)
    if booking is None:
        return CancelOutcome(cancelled=False, reason=Refusal.NO_BOOKING)
    _lock_slots(session, booking.slot_id)
    booking.status = BookingStatus.CANCELLED
    booking.updated_at = now
    if note:
        booking.note = note
    _release_seat(session, booking.slot_id)
    session.flush()
    if booking.kind == BookingKind.REPAIR:
        for unit in booking.units:
            if unit.remedy == Remedy.REPAIR and unit.completed_at is None:
                unit.remedy = None
        repair_left = active_booking(session, customer.id, campaign.id, BookingKind.REPAIR) is not None
        kept = customer.remedy if customer.remedy != Remedy.REPAIR or repair_left else None
        refresh_customer_remedy(session, customer, kept)
    release_pickup_requests(session, booking, now)
    _audit(
        session,
        actor=actor,
        action="booking.cancelled",
        customer_id=customer.id,
        now=now,
        reference=booking.reference,
        kind=booking.kind.value,
        slot_id=booking.slot_id,
        note=note,
    )
    session.flush()
    return CancelOutcome(cancelled=True, booking=booking_view(booking, customer_zone(customer, campaign)))


def cancel_booking(
    session: Session,
    *,
    customer_id: int,
    reference: str | None = None,
    now: dt.datetime,
    actor: str = "bot",
    note: str | None = None,
) -> CancelOutcome:
    """Cancel the customer's active booking (that reference, if given) and free its seat.
    A cancelled repair clears `customer.remedy`; a cancelled pickup puts its request
    back to `requested`."""
    return _cancel(session, customer_id=customer_id, reference=reference, now=now, actor=actor, note=note)
