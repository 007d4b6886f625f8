"""Feedback after the fix: one `feedback` row per customer whose remedy is complete,
claimed by the follow-up job when the bot asks (`claim_feedback`), then the score 1–5
and an optional comment from the conversation (the dashboard's figures:
`bot.services.dashboard`).

A score of 1–2 goes to a person (`bot.domain.feedback.is_low`; the escalation itself is
recorded by the conversation, `actions/feedback.py`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import (
    AuditEvent,
    Booking,
    BookingStatus,
    Customer,
    Feedback,
    RemedyRequest,
    RequestStatus,
)

COMMENT_LIMIT = 2000


def _lock_customer(session: Session, customer_id: int) -> Customer | None:
    """The customer row, locked for this transaction on PostgreSQL (SQLite: the caller's
    write transaction already excludes other writers)."""
    return session.scalar(select(Customer).where(Customer.id == customer_id).with_for_update())


def claim_feedback(session: Session, customer_id: int, now: dt.datetime) -> int | None:
    """Record that the bot asks this customer for feedback now: the new row's id, or
    None when they were asked before (of two runs at once, one gets the id)."""
    customer = _lock_customer(session, customer_id)
    if customer is None or session.scalar(select(Feedback.id).where(Feedback.customer_id == customer_id).limit(1)):
        return None
    booking_id = session.scalar(
        select(Booking.id)
        .where(Booking.customer_id == customer_id, Booking.status == BookingStatus.COMPLETED)
        .order_by(Booking.completed_at.desc(), Booking.id.desc())
        .limit(1)
    )
    request_id = session.scalar(
        select(RemedyRequest.id)
        .where(RemedyRequest.customer_id == customer_id, RemedyRequest.status == RequestStatus.DONE)
        .order_by(RemedyRequest.completed_at.desc(), RemedyRequest.id.desc())
        .limit(1)
    )
    row = Feedback(
        campaign_id=customer.campaign_id,
        customer_id=customer_id,
        booking_id=booking_id,
        request_id=request_id,
        asked_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def release_feedback(session: Session, feedback_id: int) -> None:
    """Undo a claim whose question never went out (Rasa unreachable): the next pass asks."""
    row = session.get(Feedback, feedback_id)
    if row is None or row.score is not None or row.comment is not None:
        return
    session.delete(row)


def latest_feedback(session: Session, customer_id: int) -> Feedback | None:
    return session.scalar(
        select(Feedback)
        .where(Feedback.customer_id == customer_id)
        .order_by(Feedback.asked_at.desc(), Feedback.id.desc())
        .limit(1)
    )


def _row_for_answer(session: Session, customer_id: int, now: dt.datetime) -> Feedback:
    row = latest_feedback(session, customer_id)
    if row is None:  # answered a question whose row is gone: keep the answer anyway
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise LookupError(f"customer {customer_id} not found")
        row = Feedback(campaign_id=customer.campaign_id, customer_id=customer_id, asked_at=now)
        session.add(row)
    return row


def record_score(session: Session, customer_id: int, score: int, now: dt.datetime) -> int:
    """The customer's score (1–5) on their feedback row; the row's id."""
    if not 1 <= score <= 5:
        raise ValueError(f"score {score} is not 1-5")
    row = _row_for_answer(session, customer_id, now)
    row.score, row.answered_at = score, now
    session.flush()
    session.add(
        AuditEvent(
            at=now,
            actor="customer",
            action="feedback.scored",
            customer_id=customer_id,
            detail={"feedback_id": row.id, "score": score},
        )
    )
    return row.id


def record_comment(session: Session, customer_id: int, comment: str, now: dt.datetime) -> int:
    """The customer's comment on their feedback row (cut at 2,000 characters); the row's id."""
    row = _row_for_answer(session, customer_id, now)
    row.comment, row.commented_at = comment.strip()[:COMMENT_LIMIT], now
    session.flush()
    return row.id
