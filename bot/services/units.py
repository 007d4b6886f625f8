"""A customer's units, each with its own state: verified, the remedy arranged for it, done.

A customer may own several affected units. Each is verified on its own (its serial
confirmed by the customer: `units.verified_at`), gets its own remedy (`units.remedy`,
set when a repair visit or a replacement/refund is arranged for it) and is corrected
on its own (`units.completed_at`). A repair visit may fix several units at one address
and a pickup may collect several (`booking_units`); a replacement or refund is one
request per unit (`remedy_requests.unit_id`).

The conversation works on one unit at a time: the first verified affected unit with
nothing arranged yet (`current_unit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import (
    Booking,
    BookingKind,
    BookingStatus,
    BookingUnit,
    Customer,
    Disposition,
    Remedy,
    RemedyRequest,
    RequestStatus,
    Unit,
)

OPEN_REQUEST_STATUSES = (RequestStatus.REQUESTED, RequestStatus.SCHEDULED, RequestStatus.PICKED_UP)
# A request whose old unit is to be or has been collected: nothing left to arrange for it.
ARRANGED_REQUEST_STATUSES = (RequestStatus.SCHEDULED, RequestStatus.PICKED_UP, RequestStatus.DONE)


@dataclass(frozen=True)
class UnitState:
    id: int
    serial: str
    model: str | None
    affected: bool
    verified: bool
    remedy: Remedy | None
    booking_reference: str | None = None  # the active visit or pickup that includes it
    booking_kind: BookingKind | None = None
    request_reference: str | None = None  # its open (or done) replacement/refund
    request_status: RequestStatus | None = None
    completed: bool = False
    disposition: Disposition | None = None
    price: Decimal | None = None  # its purchase price (a refund's amount), when known

    @property
    def arranged(self) -> bool:
        """Nothing left to arrange for it: on a booked visit or pickup, its old unit to be or
        already collected, corrected, or no longer with the customer."""
        return (
            self.booking_reference is not None
            or self.request_status in ARRANGED_REQUEST_STATUSES
            or self.completed
            or self.disposition is not None
        )

    @property
    def pending(self) -> bool:
        """Verified as affected and nothing arranged yet: the conversation is about it."""
        return self.verified and self.affected and not self.arranged


def unit_states(session: Session, customer_id: int) -> list[UnitState]:
    """The customer's units, oldest first, each with what is arranged for it."""
    units = list(session.scalars(select(Unit).where(Unit.customer_id == customer_id).order_by(Unit.id)))
    if not units:
        return []
    ids = [u.id for u in units]
    on_bookings = {
        unit_id: (reference, kind)
        for unit_id, reference, kind in session.execute(
            select(BookingUnit.unit_id, Booking.reference, Booking.kind)
            .join(Booking, Booking.id == BookingUnit.booking_id)
            .where(BookingUnit.unit_id.in_(ids), Booking.status == BookingStatus.BOOKED)
            .order_by(Booking.id)
        )
    }
    requests: dict[int, tuple[str, RequestStatus]] = {}
    for unit_id, reference, status in session.execute(
        select(RemedyRequest.unit_id, RemedyRequest.reference, RemedyRequest.status)
        .where(
            RemedyRequest.unit_id.in_(ids),
            RemedyRequest.status.in_((*OPEN_REQUEST_STATUSES, RequestStatus.DONE)),
        )
        .order_by(RemedyRequest.id)
    ):
        if unit_id is not None and (unit_id not in requests or status in OPEN_REQUEST_STATUSES):
            requests[unit_id] = (reference, status)
    states = []
    for unit in units:
        booking = on_bookings.get(unit.id)
        request = requests.get(unit.id)
        states.append(
            UnitState(
                id=unit.id,
                serial=unit.serial,
                model=unit.model,
                affected=unit.affected,
                verified=unit.verified_at is not None,
                remedy=unit.remedy,
                booking_reference=booking[0] if booking else None,
                booking_kind=booking[1] if booking else None,
                request_reference=request[0] if request else None,
                request_status=request[1] if request else None,
                completed=unit.completed_at is not None,
                disposition=unit.disposition,
                price=unit.price,
            )
        )
    return states


def current_unit(states: list[UnitState]) -> UnitState | None:
    """The unit the conversation is on: the first verified affected one with nothing arranged."""
    return next((s for s in states if s.pending), None)


def unit_to_arrange(session: Session, customer_id: int) -> Unit | None:
    """The unit a new visit or request is for when the caller names none: the current unit,
    else the first affected unit with nothing arranged (an agent arranging it for a buyer
    on file who never sent the serial), else None."""
    states = unit_states(session, customer_id)
    chosen = current_unit(states) or next((s for s in states if s.affected and not s.arranged), None)
    return session.get(Unit, chosen.id) if chosen else None


def refresh_customer_remedy(session: Session, customer: Customer, fallback: Remedy | None) -> None:
    """The customer's own remedy (the funnel's "remedy chosen"): that of their first unit with
    one, else `fallback` (a customer with no unit on file)."""
    session.flush()
    first = session.scalar(
        select(Unit.remedy).where(Unit.customer_id == customer.id, Unit.remedy.is_not(None)).order_by(Unit.id).limit(1)
    )
    customer.remedy = first or fallback
