"""One customer as `recall customer PHONE` shows it, and the console's customer page.

`units`: every unit of the customer (a customer may own several, issue 16), oldest
first, each with its own state — serial, model, affected, when the customer verified
it, the remedy arranged for it, when it was corrected, what became of it if it is out
of reach (sold, given away, thrown away) — and the visit or pickup and the
replacement/refund that are for it. The other keys are the customer's own.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import (
    Booking,
    BookingStatus,
    BookingUnit,
    Campaign,
    Customer,
    Escalation,
    EscalationStatus,
    Message,
    RemedyRequest,
    RequestStatus,
    Unit,
    Verification,
)
from bot.services.opt_outs import is_opted_out

CUSTOMER_KEYS = (
    "phone",
    "name",
    "campaign",
    "language",
    "language_source",
    "serial",
    "verified",
    "affected",
    "remedy",
    "booking",
    "escalation",
    "opted_out",
    "last_message_at",
    "units",
)
UNIT_KEYS = (
    "serial",
    "model",
    "affected",
    "verified_at",
    "remedy",
    "completed_at",
    "disposition",
    "disposition_at",
    "booking",
    "request",
)
OPEN_REQUESTS = (RequestStatus.REQUESTED, RequestStatus.SCHEDULED, RequestStatus.PICKED_UP)


def find_customers(session: Session, phone: str, campaign_slug: str | None = None) -> list[Customer]:
    stmt = select(Customer).join(Campaign).where(Customer.phone == phone).order_by(Customer.id)
    if campaign_slug:
        stmt = stmt.where(Campaign.slug == campaign_slug)
    return list(session.scalars(stmt))


def _primary_unit(session: Session, customer: Customer) -> Unit | None:
    """The unit the conversation is about: an affected one first, then the oldest."""
    return session.scalar(
        select(Unit).where(Unit.customer_id == customer.id).order_by(Unit.affected.desc(), Unit.id).limit(1)
    )


def _booking(session: Session, customer: Customer, tz: zoneinfo.ZoneInfo) -> dict[str, Any] | None:
    booking = session.scalar(
        select(Booking)
        .where(Booking.customer_id == customer.id)
        .order_by((Booking.status == BookingStatus.BOOKED).desc(), Booking.id.desc())
        .limit(1)
    )
    if booking is None:
        return None
    return {
        "reference": booking.reference,
        "kind": booking.kind.value,
        "start": booking.slot.starts_at.astimezone(tz).isoformat(),
        "end": booking.slot.ends_at.astimezone(tz).isoformat(),
        "status": booking.status.value,
    }


def _when(value: dt.datetime | None, tz: zoneinfo.ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def units_view(session: Session, customer: Customer, tz: zoneinfo.ZoneInfo) -> list[dict[str, Any]]:
    """The customer's units (keys: UNIT_KEYS), oldest first. A unit's booking: the booked
    visit or pickup that includes it, else the latest not cancelled, else the latest; its
    request: an open replacement/refund, else the latest not cancelled, else the latest."""
    units = list(session.scalars(select(Unit).where(Unit.customer_id == customer.id).order_by(Unit.id)))
    if not units:
        return []
    ids = [u.id for u in units]
    bookings: dict[int, dict[str, Any]] = {}
    for unit_id, booking in session.execute(
        select(BookingUnit.unit_id, Booking)
        .join(Booking, Booking.id == BookingUnit.booking_id)
        .where(BookingUnit.unit_id.in_(ids))
        .order_by(
            (Booking.status == BookingStatus.BOOKED).desc(),
            (Booking.status == BookingStatus.CANCELLED).asc(),
            Booking.id.desc(),
        )
    ):
        bookings.setdefault(
            unit_id, {"reference": booking.reference, "kind": booking.kind.value, "status": booking.status.value}
        )
    requests: dict[int, dict[str, Any]] = {}
    for request in session.scalars(
        select(RemedyRequest)
        .where(RemedyRequest.unit_id.in_(ids))
        .order_by(
            RemedyRequest.status.in_(OPEN_REQUESTS).desc(),
            (RemedyRequest.status == RequestStatus.CANCELLED).asc(),
            RemedyRequest.id.desc(),
        )
    ):
        assert request.unit_id is not None
        requests.setdefault(
            request.unit_id,
            {"reference": request.reference, "kind": request.kind.value, "status": request.status.value},
        )
    views = []
    for unit in units:
        view = {
            "serial": unit.serial,
            "model": unit.model,
            "affected": unit.affected,
            "verified_at": _when(unit.verified_at, tz),
            "remedy": unit.remedy.value if unit.remedy else None,
            "completed_at": _when(unit.completed_at, tz),
            "disposition": unit.disposition.value if unit.disposition else None,
            "disposition_at": _when(unit.disposition_at, tz),
            "booking": bookings.get(unit.id),
            "request": requests.get(unit.id),
        }
        assert tuple(view) == UNIT_KEYS
        views.append(view)
    return views


DISPOSITION_NAMES = {"sold": "sold", "given_away": "given away", "disposed": "thrown away"}


def unit_state(unit: dict[str, Any]) -> str:
    """A unit's stage in words (from `units_view`): out of reach, corrected, its remedy
    arranged, verified, or not verified yet."""
    if unit["disposition"]:
        return f"out of reach ({DISPOSITION_NAMES.get(unit['disposition'], unit['disposition'])})"
    if unit["completed_at"]:
        return f"corrected ({unit['remedy'] or 'remedy'}) {unit['completed_at'][:10]}"
    if unit["remedy"]:
        return f"{unit['remedy']} arranged"
    if unit["verified_at"]:
        return "verified"
    return "not verified"


def _escalation(session: Session, customer: Customer) -> dict[str, Any] | None:
    escalation = session.scalar(
        select(Escalation)
        .where(Escalation.customer_id == customer.id)
        .order_by(Escalation.status.in_([EscalationStatus.OPEN, EscalationStatus.CLAIMED]).desc(), Escalation.id.desc())
        .limit(1)
    )
    if escalation is None:
        return None
    return {"status": escalation.status.value, "reason": escalation.reason, "priority": escalation.priority.value}


def customer_view(session: Session, customer: Customer) -> dict[str, Any]:
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    tz = zoneinfo.ZoneInfo(customer.timezone or campaign.timezone)
    unit = _primary_unit(session, customer)
    if customer.verification is not None:
        affected: bool | None = customer.verification == Verification.AFFECTED
    else:
        affected = unit.affected if unit else None
    last_message = session.scalar(select(func.max(Message.created_at)).where(Message.customer_id == customer.id))
    view = {
        "phone": customer.phone,
        "name": customer.name,
        "campaign": campaign.slug,
        "language": customer.language,  # None: not known, the campaign's default is used
        "language_source": customer.language_source.value if customer.language_source else None,
        "serial": unit.serial if unit else None,
        "verified": customer.verified_at is not None,
        "affected": affected,
        "remedy": customer.remedy.value if customer.remedy else None,
        "booking": _booking(session, customer, tz),
        "escalation": _escalation(session, customer),
        "opted_out": is_opted_out(session, customer.phone),
        "last_message_at": last_message.isoformat() if last_message else None,
        "units": units_view(session, customer, tz),
    }
    assert tuple(view) == CUSTOMER_KEYS
    return view
