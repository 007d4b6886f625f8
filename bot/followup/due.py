"""Who the bot writes to after a visit: customers whose remedy is complete and who have
not been asked for feedback, and customers whose visit failed or was missed and who have
not been offered new times.

Never: an opted-out number, a customer marked wrong person, one unreachable on every
channel, one a person is talking to (an escalation in progress, or the bot paused).
Only recent events (`WINDOW`): a completion recorded weeks late, or the first run after
an upgrade, does not message every customer ever fixed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, not_, select
from sqlalchemy.orm import Session

from bot.models import Booking, Conversation, Customer, Escalation, Feedback, OptOut
from bot.services.escalations import IN_PROGRESS
from bot.services.rebooking import REBOOKABLE, rebook_offered, visit_to_rebook

WINDOW = dt.timedelta(days=14)
FEEDBACK = "feedback"
REBOOK = "rebook"


@dataclass(frozen=True)
class Due:
    kind: str  # FEEDBACK or REBOOK
    customer_id: int
    campaign_id: int
    phone: str
    timezone: str | None
    booking_id: int | None = None  # REBOOK: the failed or missed visit


def _absent(query) -> ColumnElement[bool]:
    return query.limit(1).scalar_subquery().is_(None)


def _may_write_to() -> ColumnElement[bool]:
    opted_out = select(OptOut.id).where(OptOut.phone == Customer.phone, OptOut.opted_in_at.is_(None))
    escalated = select(Escalation.id).where(Escalation.customer_id == Customer.id, Escalation.status.in_(IN_PROGRESS))
    paused = select(Conversation.id).where(Conversation.customer_id == Customer.id, Conversation.bot_paused.is_(True))
    return and_(
        Customer.wrong_person_at.is_(None),
        not_(and_(Customer.sms_unreachable, Customer.whatsapp_unreachable)),
        _absent(opted_out),
        _absent(escalated),
        _absent(paused),
    )


_COLUMNS = (Customer.id, Customer.campaign_id, Customer.phone, Customer.timezone)


def feedback_due(session: Session, now: dt.datetime, *, limit: int = 200) -> list[Due]:
    """Remedy completed within `WINDOW`, no feedback row yet, and we may write to them."""
    asked = select(Feedback.id).where(Feedback.customer_id == Customer.id)
    rows = session.execute(
        select(*_COLUMNS)
        .where(
            Customer.completed_at.is_not(None),
            Customer.completed_at >= now - WINDOW,
            Customer.completed_at <= now,
            _absent(asked),
            _may_write_to(),
        )
        .order_by(Customer.completed_at, Customer.id)
        .limit(limit)
    )
    return [Due(FEEDBACK, r.id, r.campaign_id, r.phone, r.timezone) for r in rows]


def rebook_due(session: Session, now: dt.datetime, *, limit: int = 200) -> list[Due]:
    """A visit failed or missed within `WINDOW`, still the customer's latest, not offered
    new times yet, and we may write to them."""
    rows = session.execute(
        select(Booking.id.label("booking_id"), *_COLUMNS)
        .join(Customer, Customer.id == Booking.customer_id)
        .where(
            Booking.status.in_(REBOOKABLE),
            Booking.updated_at >= now - WINDOW,
            Customer.completed_at.is_(None),
            _may_write_to(),
        )
        .order_by(Booking.updated_at, Booking.id)
        .limit(limit)
    ).all()
    due = []
    for r in rows:
        visit = visit_to_rebook(session, r.id)
        if visit is not None and visit.id == r.booking_id and not rebook_offered(session, visit):
            due.append(Due(REBOOK, r.id, r.campaign_id, r.phone, r.timezone, booking_id=r.booking_id))
    return due
