"""One customer as `recall customer PHONE` shows it (and later the console)."""

from __future__ import annotations

import zoneinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import (
    Booking,
    BookingStatus,
    Campaign,
    Customer,
    Escalation,
    EscalationStatus,
    Message,
    Unit,
    Verification,
)
from bot.services.opt_outs import is_opted_out

CUSTOMER_KEYS = (
    "phone",
    "name",
    "campaign",
    "serial",
    "verified",
    "affected",
    "remedy",
    "booking",
    "escalation",
    "opted_out",
    "last_message_at",
)


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
        "serial": unit.serial if unit else None,
        "verified": customer.verified_at is not None,
        "affected": affected,
        "remedy": customer.remedy.value if customer.remedy else None,
        "booking": _booking(session, customer, tz),
        "escalation": _escalation(session, customer),
        "opted_out": is_opted_out(session, customer.phone),
        "last_message_at": last_message.isoformat() if last_message else None,
    }
    assert tuple(view) == CUSTOMER_KEYS
    return view
