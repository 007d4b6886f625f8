"""Recording that a conversation needs a person, and giving it back to the bot.

While an escalation is in progress the customer's conversation is paused
(`Conversation.bot_paused`): the gateway stores their messages for the console and sends
nothing on the bot's behalf, on any channel, until an agent hands back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from bot.models import Agent, AuditEvent, Conversation, Customer, Escalation, EscalationStatus, Priority, utcnow

IN_PROGRESS = (EscalationStatus.OPEN, EscalationStatus.CLAIMED)
PRIORITY_BY_REASON = {
    "report_hazard": Priority.URGENT,
    "complain": Priority.HIGH,
    "request_human": Priority.NORMAL,
    "serial_failed": Priority.NORMAL,
    "not_understood": Priority.NORMAL,
    "no_free_slots": Priority.NORMAL,
    "system_error": Priority.HIGH,  # our failure mid-conversation (bot.services.system_errors)
    "low_feedback": Priority.HIGH,  # a score of 1-2 after the fix (bot.services.feedback)
    "no_suitable_time": Priority.NORMAL,  # no free time fits the customer's wish (actions/time_preferences.py)
    "goodwill_claim": Priority.NORMAL,  # a claim for compensation to review (bot.services.goodwill)
}
# Reasons a person looks at while the bot carries on (the conversation is not paused).
UNPAUSED_REASONS = frozenset({"goodwill_claim"})


@dataclass(frozen=True)
class EscalationView:
    id: int
    reason: str
    priority: str
    status: str
    created: bool


def record_escalation(
    session: Session,
    *,
    customer_id: int,
    reason: str,
    text: str | None,
    message_id: int | None = None,
    priority: Priority | None = None,
    signals: dict[str, Any] | None = None,
    pause: bool = True,
) -> EscalationView:
    """Open an escalation, or raise the priority of the one already in progress. `pause`
    False: a person reviews something (a goodwill claim) while the bot keeps answering; a
    later escalation that needs a person to talk takes its place and pauses the bot."""
    priority = priority or PRIORITY_BY_REASON.get(reason, Priority.NORMAL)
    active = active_escalation(session, customer_id)
    created = active is None
    if active is None:
        active = Escalation(
            customer_id=customer_id,
            reason=reason,
            priority=priority,
            status=EscalationStatus.OPEN,
            trigger_text=text,
            message_id=message_id,
        )
        session.add(active)
    elif _rank(priority) < _rank(active.priority) or (
        active.reason in UNPAUSED_REASONS and reason not in UNPAUSED_REASONS
    ):
        active.priority = priority if _rank(priority) < _rank(active.priority) else active.priority
        active.reason = reason
        active.trigger_text = text
    if pause:
        pause_bot(session, customer_id, True)
    session.add(
        AuditEvent(
            actor="bot",
            action="escalation.recorded",
            customer_id=customer_id,
            detail={
                "reason": reason,
                "priority": priority.value,
                "text": (text or "")[:500],
                **({"signals": signals} if signals else {}),
            },
        )
    )
    session.flush()
    return EscalationView(active.id, active.reason, active.priority.value, active.status.value, created)


def pause_bot(session: Session, customer_id: int, paused: bool) -> None:
    session.execute(update(Conversation).where(Conversation.customer_id == customer_id).values(bot_paused=paused))


def hand_back(session: Session, customer_id: int, *, actor: str) -> bool:
    """The bot answers the customer again; the escalation in progress (if any) ends as
    handed back. False when nothing was in progress."""
    active = active_escalation(session, customer_id)
    if active is not None:
        return hand_back_escalation(session, active.id, actor=actor)
    if not session.scalar(select(Conversation.bot_paused).where(Conversation.customer_id == customer_id)):
        return False
    pause_bot(session, customer_id, False)
    session.add(
        AuditEvent(
            actor=actor, action="escalation.handed_back", customer_id=customer_id, detail={"escalation_id": None}
        )
    )
    return True


def _rank(priority: Priority) -> int:
    return [Priority.URGENT, Priority.HIGH, Priority.NORMAL].index(priority)


@dataclass(frozen=True)
class QueueItem:
    id: int
    priority: str
    reason: str
    status: str
    created_at: dt.datetime
    trigger_text: str | None
    customer_id: int
    customer_name: str
    phone: str
    claimed_by: str | None
    language: str | None = None  # the customer's (None: the campaign's default)


def queue(session: Session, limit: int = 200) -> list[QueueItem]:
    """Escalations in progress: most urgent first, then the longest waiting."""
    rank = case({Priority.URGENT: 0, Priority.HIGH: 1}, value=Escalation.priority, else_=2)
    rows = session.execute(
        select(Escalation, Customer.name, Customer.phone, Agent.email, Customer.language)
        .join(Customer, Customer.id == Escalation.customer_id)
        .outerjoin(Agent, Agent.id == Escalation.claimed_by_id)
        .where(Escalation.status.in_(IN_PROGRESS))
        .order_by(rank, Escalation.created_at, Escalation.id)
        .limit(limit)
    ).all()
    return [
        QueueItem(
            e.id,
            e.priority.value,
            e.reason,
            e.status.value,
            e.created_at,
            e.trigger_text,
            e.customer_id,
            name,
            phone,
            email,
            language,
        )
        for e, name, phone, email, language in rows
    ]


def holder_problem(escalation: Escalation, agent_id: int, is_admin: bool) -> str | None:
    """Why this agent may not answer, close or hand back the escalation (None: they may).
    Whoever claimed it may, and an admin; an open one must be claimed first."""
    if escalation.status not in IN_PROGRESS:
        return "This conversation is not waiting for a person any more."
    if is_admin or (escalation.status is EscalationStatus.CLAIMED and escalation.claimed_by_id == agent_id):
        return None
    if escalation.status is EscalationStatus.OPEN:
        return "Claim this conversation first."
    return "Another agent has claimed this conversation (an admin may take over)."


def claim(session: Session, escalation_id: int, agent_id: int, *, actor: str) -> bool:
    """Take an open escalation. Atomic: of two agents claiming at once, one gets True."""
    taken = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == EscalationStatus.OPEN)
        .values(status=EscalationStatus.CLAIMED, claimed_by_id=agent_id, claimed_at=utcnow())
        .returning(Escalation.customer_id)
    ).first()
    if taken is None:
        return False
    session.add(
        AuditEvent(
            actor=actor,
            action="escalation.claimed",
            customer_id=taken.customer_id,
            detail={"escalation_id": escalation_id},
        )
    )
    return True


def resolve(session: Session, escalation_id: int, *, actor: str) -> bool:
    """Close the matter; the bot answers the customer's next messages again."""
    return _end(session, escalation_id, EscalationStatus.RESOLVED, "escalation.resolved", actor)


def hand_back_escalation(session: Session, escalation_id: int, *, actor: str) -> bool:
    """Give the conversation back to the bot, which carries on from where it was."""
    return _end(session, escalation_id, EscalationStatus.HANDED_BACK, "escalation.handed_back", actor)


def _end(session: Session, escalation_id: int, status: EscalationStatus, action: str, actor: str) -> bool:
    """End an escalation in progress (one statement: of two agents at once, one does it)
    and un-pause the bot; False when it was not in progress."""
    ended = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status.in_(IN_PROGRESS))
        .values(status=status, resolved_at=utcnow())
        .returning(Escalation.customer_id)
    ).first()
    if ended is None:
        return False
    pause_bot(session, ended.customer_id, False)
    session.add(
        AuditEvent(actor=actor, action=action, customer_id=ended.customer_id, detail={"escalation_id": escalation_id})
    )
    return True


def escalation_by_id(session: Session, escalation_id: int) -> Escalation | None:
    return session.get(Escalation, escalation_id)


def active_escalation(session: Session, customer_id: int) -> Escalation | None:
    """The customer's escalation waiting for or held by a person, if any."""
    return session.scalar(
        select(Escalation).where(Escalation.customer_id == customer_id, Escalation.status.in_(IN_PROGRESS))
    )


def open_escalation_count(session: Session) -> int:
    """Escalations nobody has claimed yet (the console's badge beside "Queue")."""
    return (
        session.scalar(select(func.count()).select_from(Escalation).where(Escalation.status == EscalationStatus.OPEN))
        or 0
    )


def newest_open_escalation(session: Session) -> Escalation | None:
    return session.scalar(
        select(Escalation).where(Escalation.status == EscalationStatus.OPEN).order_by(Escalation.id.desc()).limit(1)
    )


def holder_email(session: Session, escalation_id: int) -> str | None:
    """Who claimed the escalation (for "Already taken by …")."""
    return session.scalar(
        select(Agent.email).join(Escalation, Escalation.claimed_by_id == Agent.id).where(Escalation.id == escalation_id)
    )


def queue_version(session: Session) -> tuple[Any, ...]:
    """Moves whenever the queue's table would look different (and every minute, for the
    waiting times)."""
    rows = session.execute(
        select(Escalation.id, Escalation.status, Escalation.priority, Escalation.claimed_by_id)
        .where(Escalation.status.in_(IN_PROGRESS))
        .order_by(Escalation.id)
    ).all()
    return tuple(tuple(row) for row in rows), utcnow().replace(second=0, microsecond=0)
