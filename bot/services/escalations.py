"""Recording that a conversation needs a person (the console acts on it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AuditEvent, Escalation, EscalationStatus, Priority

PRIORITY_BY_REASON = {
    "report_hazard": Priority.URGENT,
    "complain": Priority.HIGH,
    "request_human": Priority.NORMAL,
    "serial_failed": Priority.NORMAL,
    "not_understood": Priority.NORMAL,
    "no_free_slots": Priority.NORMAL,
    "action_error": Priority.HIGH,
}


@dataclass(frozen=True)
class EscalationView:
    id: int
    reason: str
    priority: str
    status: str
    created: bool


def record_escalation(session: Session, *, customer_id: int, reason: str, text: str | None,
                      message_id: int | None = None, priority: Priority | None = None) -> EscalationView:
    """Open an escalation, or raise the priority of the one already in progress."""
    priority = priority or PRIORITY_BY_REASON.get(reason, Priority.NORMAL)
    active = session.scalar(
        select(Escalation).where(
            Escalation.customer_id == customer_id,
            Escalation.status.in_([EscalationStatus.OPEN, EscalationStatus.CLAIMED]),
        )
    )
    created = active is None
    if active is None:
        active = Escalation(customer_id=customer_id, reason=reason, priority=priority,
                            status=EscalationStatus.OPEN, trigger_text=text, message_id=message_id)
        session.add(active)
    elif _rank(priority) < _rank(active.priority):
        active.priority = priority
        active.reason = reason
        active.trigger_text = text
    session.add(AuditEvent(actor="bot", action="escalation.recorded", customer_id=customer_id,
                           detail={"reason": reason, "priority": priority.value, "text": (text or "")[:500]}))
    session.flush()
    return EscalationView(active.id, active.reason, active.priority.value, active.status.value, created)


def _rank(priority: Priority) -> int:
    return [Priority.URGENT, Priority.HIGH, Priority.NORMAL].index(priority)
