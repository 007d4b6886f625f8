"""Agents' private notes on a customer: kept and shown in the console, never sent."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.models import AuditEvent, Note

MAX_NOTE_CHARS = 4000


def add_note(session: Session, customer_id: int, agent_id: int, body: str, *, actor: str) -> Note | None:
    """Store a note (cut at MAX_NOTE_CHARS); None when it is blank."""
    text = body.strip()[:MAX_NOTE_CHARS]
    if not text:
        return None
    note = Note(customer_id=customer_id, agent_id=agent_id, body=text)
    session.add(note)
    session.flush()
    session.add(AuditEvent(actor=actor, action="note.added", customer_id=customer_id, detail={"note_id": note.id}))
    return note
