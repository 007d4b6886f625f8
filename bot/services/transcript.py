"""A customer's conversation as the console shows it: every message in and out (who
wrote it, on which channel, how far it got) with the agents' private notes in between,
and the customer's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import Agent, AuditEvent, Author, Escalation, LabelPhoto, Message, Note, PhotoReading
from bot.services.label_photos import readings_of_messages

TRANSCRIPT_LIMIT = 200  # the newest messages and notes; older ones are in the database
HISTORY_LIMIT = 50
VERSION_MESSAGES = 50  # a delivery status that changes further back is not watched
AUTHOR_LABELS = {
    Author.CUSTOMER: "Customer",
    Author.BOT: "Bot",
    Author.OUTREACH: "Recall notice",
    Author.SYSTEM: "System",
}


# Why a photo was not fetched (bot/twilio/media.py `Unavailable`), in the agent's words.
NOT_FETCHED = {
    "not_twilio_host": "not at Twilio",
    "http_status": "Twilio answered with an error",
    "too_large": "too large",
    "not_an_image": "not an image",
    "timeout": "timeout",
    "network": "network",
}


@dataclass(frozen=True)
class Photo:
    index: int
    content_type: str
    reading: str | None = None  # what the bot read on it (`reading_note`); None: it did not try
    text: str = ""  # the OCR engine's text


def reading_note(reading: PhotoReading, serial: str | None, model: str | None, reason: str | None) -> str:
    """What the bot made of a photo, for the agent beside it."""
    if reading is PhotoReading.UNAVAILABLE:
        why = NOT_FETCHED.get(reason or "", (reason or "").replace("_", " "))
        return f"Not fetched ({why})" if why else "Not fetched"
    said = f"Serial read: {serial}" if reading is PhotoReading.READ and serial else "No serial read"
    return f"{said} · model {model}" if model else said


@dataclass(frozen=True)
class TranscriptEntry:
    kind: str  # "message" or "note"
    id: int
    at: dt.datetime
    author: str  # customer, bot, agent, outreach, system; "note" for a note
    who: str  # what the console shows: "Customer", "Bot", an agent's email
    body: str
    channel: str | None = None
    direction: str | None = None
    status: str | None = None
    error: str | None = None
    photos: list[Photo] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    actor: str
    action: str
    detail: dict[str, Any]


def _photos(message: Message, readings: dict[tuple[int, int], LabelPhoto]) -> list[Photo]:
    photos = []
    for i, m in enumerate(message.media or []):
        if not m.get("url"):
            continue
        kept = readings.get((message.id, i))
        note = reading_note(kept.reading, kept.serial, kept.model, kept.reason) if kept is not None else None
        photos.append(Photo(i, str(m.get("content_type") or ""), note, kept.text if kept is not None else ""))
    return photos


def transcript(session: Session, customer_id: int, limit: int = TRANSCRIPT_LIMIT) -> list[TranscriptEntry]:
    """The newest `limit` messages and notes, oldest first."""
    messages = session.execute(
        select(Message, Agent.email)
        .outerjoin(Agent, Agent.id == Message.agent_id)
        .where(Message.customer_id == customer_id)
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    readings = readings_of_messages(session, [m.id for m, _email in messages if m.media])
    notes = session.execute(
        select(Note, Agent.email)
        .outerjoin(Agent, Agent.id == Note.agent_id)
        .where(Note.customer_id == customer_id)
        .order_by(Note.id.desc())
        .limit(limit)
    ).all()
    entries = [
        TranscriptEntry(
            "message",
            m.id,
            m.created_at,
            m.author.value,
            email or AUTHOR_LABELS.get(m.author, m.author.value.title()),
            m.body or "",
            channel=m.channel.value,
            direction=m.direction.value,
            status=m.status.value,
            error=m.error_message,
            photos=_photos(m, readings),
        )
        for m, email in messages
    ] + [TranscriptEntry("note", n.id, n.created_at, "note", email or "(removed agent)", n.body) for n, email in notes]
    entries.sort(key=lambda e: (e.at, e.kind == "note", e.id))
    return entries[-limit:]


def history(session: Session, customer_id: int, limit: int = HISTORY_LIMIT) -> list[HistoryItem]:
    """What happened to this customer (the audit log), newest first."""
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.customer_id == customer_id).order_by(AuditEvent.id.desc()).limit(limit)
    )
    return [HistoryItem(e.at, e.actor, e.action, e.detail or {}) for e in events]


def conversation_version(session: Session, customer_id: int) -> tuple[Any, ...]:
    """Changes whenever the console's view of this customer should: a message arrives or
    moves on (delivery status), a note is written, something is audited (booking,
    escalation claimed or ended, serial checked), a photo of the label is read."""
    recent = session.execute(
        select(Message.id, Message.status)
        .where(Message.customer_id == customer_id)
        .order_by(Message.id.desc())
        .limit(VERSION_MESSAGES)
    ).all()
    return (
        tuple((row.id, row.status.value) for row in recent),
        session.scalar(select(func.max(Note.id)).where(Note.customer_id == customer_id)),
        session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.customer_id == customer_id)),
        session.scalar(select(func.max(Escalation.id)).where(Escalation.customer_id == customer_id)),
        session.scalar(select(func.max(LabelPhoto.id)).where(LabelPhoto.customer_id == customer_id)),
    )
