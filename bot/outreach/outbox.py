"""The outbox: one `outreach_attempts` row per (campaign, customer, step), written and
committed *before* Twilio is called. The unique key is the claim: of two workers trying
the same customer's step, one inserts the row and sends; the other inserts nothing.

A row still `pending` is a send whose outcome we do not know (the process died between
the call and the write). It is settled, not resent blindly: after its lease has passed
(the worker that wrote it is gone), Twilio's message list says whether the message
exists; only when it does not is it sent (again, once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import func, select, update
from sqlalchemy import insert as sqlalchemy_insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.domain.sms import segment_count
from bot.models import (
    AttemptStatus,
    Author,
    Channel,
    Customer,
    Direction,
    Message,
    MessageStatus,
    OutreachAttempt,
)
from bot.services.opt_outs import record_opt_out
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult


@dataclass(frozen=True)
class Outgoing:
    """One customer's message of one step, as it will be sent."""

    customer_id: int
    phone: str
    channel: Channel
    step: str
    body: str
    content_sid: str | None
    content_variables: dict[str, str] | None


@dataclass(frozen=True)
class Planned(Outgoing):
    from_address: str
    to_address: str


@dataclass(frozen=True)
class Claimed(Outgoing):
    """An outgoing message whose attempt (and message row) this worker wrote."""

    attempt_id: int
    message_id: int


def claim(session: Session, campaign_id: int, plans: list[Planned], now: dt.datetime) -> list[Claimed]:
    """Insert a pending attempt (and its outbound message row) for each plan whose
    (campaign, customer, step) has none yet; the ones this call inserted. Three
    statements for the whole batch, whatever its size."""
    if not plans:
        return []
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = session.execute(
        insert(OutreachAttempt)
        .values(
            [
                {
                    "campaign_id": campaign_id,
                    "customer_id": p.customer_id,
                    "step": p.step,
                    "channel": p.channel,
                    "status": AttemptStatus.PENDING,
                    "attempted_at": now,
                }
                for p in plans
            ]
        )
        .on_conflict_do_nothing(index_elements=["campaign_id", "customer_id", "step"])
        .returning(OutreachAttempt.id, OutreachAttempt.customer_id)
    ).all()
    if not rows:
        return []
    by_customer = {p.customer_id: p for p in plans}
    won = [(attempt_id, by_customer[customer_id]) for attempt_id, customer_id in rows]
    message_ids = session.scalars(
        sqlalchemy_insert(Message).returning(Message.id, sort_by_parameter_order=True),
        [_message_row(plan, now) for _, plan in won],
    ).all()
    session.execute(
        update(OutreachAttempt),
        [
            {"id": attempt_id, "message_id": message_id}
            for (attempt_id, _), message_id in zip(won, message_ids, strict=True)
        ],
    )
    return [
        Claimed(
            **{f.name: getattr(plan, f.name) for f in fields(Outgoing)}, attempt_id=attempt_id, message_id=message_id
        )
        for (attempt_id, plan), message_id in zip(won, message_ids, strict=True)
    ]


def _message_row(plan: Planned, now: dt.datetime) -> dict[str, object]:
    info = segment_count(plan.body) if plan.channel is Channel.SMS else None
    return {
        "customer_id": plan.customer_id,
        "direction": Direction.OUTBOUND,
        "channel": plan.channel,
        "author": Author.OUTREACH,
        "from_address": plan.from_address,
        "to_address": plan.to_address,
        "body": plan.body,
        "status": MessageStatus.QUEUED,
        "created_at": now,
        "num_media": 0,
        "media": [],
        "segments": info.segments if info else 1,
        "encoding": info.encoding if info else None,
    }


def stale_pending(session: Session, campaign_id: int, older_than: dt.datetime, limit: int = 100) -> list[int]:
    """Pending attempts whose worker is presumed gone, locked for this transaction (on
    PostgreSQL: SKIP LOCKED, so two workers never settle the same one)."""
    stmt = (
        select(OutreachAttempt.id)
        .where(
            OutreachAttempt.campaign_id == campaign_id,
            OutreachAttempt.status == AttemptStatus.PENDING,
            OutreachAttempt.attempted_at < older_than,
        )
        .order_by(OutreachAttempt.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class StillPending:
    """Attempts another run (stopped, or still going) left pending within their lease: a
    run neither sends nor settles them; one started from `first_settle_at` on settles the
    first of them, one from `last_settle_at` on all of them."""

    count: int
    first_settle_at: dt.datetime
    last_settle_at: dt.datetime


def still_pending(session: Session, campaign_id: int, started: dt.datetime, lease: dt.timedelta) -> StillPending | None:
    """The attempts written before a run `started` that are still pending and were within
    their lease then (`stale_pending` left them alone); those it resent or claimed itself
    are newer."""
    at = OutreachAttempt.attempted_at
    count, first, last = session.execute(
        select(func.count(OutreachAttempt.id), func.min(at), func.max(at)).where(
            OutreachAttempt.campaign_id == campaign_id,
            OutreachAttempt.status == AttemptStatus.PENDING,
            at >= started - lease,
            at < started,
        )
    ).one()
    if not count:
        return None
    return StillPending(count, first + lease, last + lease)  # min/max keep the column's type: aware UTC


def record(
    session: Session,
    claimed: Claimed,
    result: SendResult,
    *,
    sent_channel: Channel,
    now: dt.datetime,
    whatsapp_failed: SendResult | None = None,
) -> None:
    """Twilio's answer on the attempt, its message and the customer: three UPDATEs by
    primary key, nothing read first (this runs once per message sent)."""
    attempt: dict[str, object] = {"settled_at": now, "channel": sent_channel}
    message: dict[str, object] = {"channel": sent_channel, "status_updated_at": now}
    customer: dict[str, object] = {}
    if sent_channel is Channel.SMS and claimed.channel is not Channel.SMS:
        info = segment_count(claimed.body)
        message.update(segments=info.segments, encoding=info.encoding)
    if whatsapp_failed is not None:
        customer["whatsapp_unreachable"] = True
        message["error_message"] = f"WhatsApp failed ({whatsapp_failed.error_code}); sent by SMS"
    if result.ok:
        attempt.update(status=AttemptStatus.SENT, twilio_sid=result.sid)
        message.update(twilio_sid=result.sid, status=MessageStatus(result.status or "queued"))
        customer["notified_at"] = func.coalesce(Customer.notified_at, now)
        customer["notified_channel"] = func.coalesce(Customer.notified_channel, sent_channel.value)
    else:
        attempt.update(status=AttemptStatus.FAILED, error_code=result.error_code)
        message.update(status=MessageStatus.FAILED, error_code=result.error_code, error_message=result.error_message)
        if result.outcome is SendOutcome.OPTED_OUT:
            record_opt_out(session, claimed.phone, source=f"twilio_{result.error_code}")
        elif result.outcome is SendOutcome.UNREACHABLE:
            customer["sms_unreachable" if sent_channel is Channel.SMS else "whatsapp_unreachable"] = True
    connection = session.connection()  # plain statements: the ORM's bulk-update machinery costs more than they do
    connection.execute(update(OutreachAttempt).where(OutreachAttempt.id == claimed.attempt_id).values(**attempt))
    connection.execute(update(Message).where(Message.id == claimed.message_id).values(**message))
    if customer:
        connection.execute(update(Customer).where(Customer.id == claimed.customer_id).values(**customer))
