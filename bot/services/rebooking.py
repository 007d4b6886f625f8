"""A failed or missed visit booked again: the follow-up job has the bot apologise and
offer new times (once per visit, `claim_rebook_offer`), and recall_form books the one
the customer picks (`rebook`) — the same kind of visit, at the same address."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AuditEvent, Booking, BookingStatus, Customer, RemedyRequest
from bot.services.bookings import OPEN_REQUEST_STATUSES, BookingOutcome, book_slot
from bot.services.refusals import Refusal

REBOOKABLE = (BookingStatus.FAILED, BookingStatus.MISSED)
OFFERED = "booking.rebook_offered"  # audit action: the bot offered new times for this visit


def visit_to_rebook(session: Session, customer_id: int) -> Booking | None:
    """The customer's latest visit when it failed or was missed and nothing has replaced
    it (no later booking, remedy not complete); else None."""
    latest = session.scalar(
        select(Booking)
        .where(Booking.customer_id == customer_id)
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(1)
    )
    if latest is None or latest.status not in REBOOKABLE:
        return None
    if session.scalar(select(Customer.completed_at).where(Customer.id == customer_id)) is not None:
        return None
    return latest


def _offer_events(session: Session, customer_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.customer_id == customer_id, AuditEvent.action == OFFERED))
    )


def rebook_offered(session: Session, booking: Booking) -> bool:
    return any(e.detail.get("booking_id") == booking.id for e in _offer_events(session, booking.customer_id))


def claim_rebook_offer(session: Session, booking_id: int, now: dt.datetime) -> bool:
    """Record that the bot offers new times for this visit now; False when it did
    before (of two runs at once, one gets True: the booking row is locked)."""
    booking = session.scalar(select(Booking).where(Booking.id == booking_id).with_for_update())
    if booking is None or booking.status not in REBOOKABLE or rebook_offered(session, booking):
        return False
    session.add(
        AuditEvent(
            at=now,
            actor="bot",
            action=OFFERED,
            customer_id=booking.customer_id,
            detail={"booking_id": booking.id, "reference": booking.reference, "status": booking.status.value},
        )
    )
    return True


def release_rebook_offer(session: Session, booking_id: int, customer_id: int) -> None:
    """Undo a claim whose message never went out (Rasa unreachable): the next pass offers."""
    for event in _offer_events(session, customer_id):
        if event.detail.get("booking_id") == booking_id:
            session.delete(event)


def rebook(session: Session, *, customer_id: int, slot_id: int, now: dt.datetime, actor: str = "bot") -> BookingOutcome:
    """Book `slot_id` in place of the customer's failed or missed visit: a repair at the
    same address, or the pickup of the same open request."""
    failed = visit_to_rebook(session, customer_id)
    if failed is None:
        return BookingOutcome(booked=False, reason=Refusal.NO_BOOKING)
    request = session.get(RemedyRequest, failed.request_id) if failed.request_id else None
    request_id = request.id if request is not None and request.status in OPEN_REQUEST_STATUSES else None
    return book_slot(
        session,
        customer_id=customer_id,
        slot_id=slot_id,
        kind=failed.kind,
        address=failed.address,
        postcode=failed.postcode,
        unit_ids=[unit.id for unit in failed.units],
        request_id=request_id,
        now=now,
        actor=actor,
    )
