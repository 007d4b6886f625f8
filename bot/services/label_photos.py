"""Photos of the product label: the serials read on one ranked for this customer, and the
record of each photo (the copy kept, what was read, the serial offered)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from bot.campaigns.definition import CampaignDefinition
from bot.domain.label_text import SerialCandidate, TextLine, model_on_label, rank_candidates, serial_candidates
from bot.domain.serials import affected_range
from bot.models import LabelPhoto, PhotoReading, Unit


@dataclass(frozen=True)
class LabelRead:
    """The serials on one photo, likeliest first, and a model of the campaign on the label."""

    candidates: tuple[SerialCandidate, ...]
    model: str | None

    @property
    def serial(self) -> str | None:
        return self.candidates[0].serial if self.candidates else None


def rank_label(
    session: Session, *, campaign_id: int, customer_id: int, definition: CampaignDefinition, lines: Sequence[TextLine]
) -> LabelRead:
    """`serial_candidates` ranked as a typed serial's look-alike readings are: the customer's own
    serial on file first, then affected ones (registry or range), then the rest."""
    found = serial_candidates(lines, re.compile(definition.affected.serial_format))
    ranges = definition.affected.serial_ranges()
    model = model_on_label(lines, {r.model for r in ranges})
    if not found:
        return LabelRead((), model)
    serials = [c.serial for c in found]
    own = set(session.scalars(select(Unit.serial).where(Unit.customer_id == customer_id)))
    registered = set(
        session.scalars(
            select(Unit.serial).where(Unit.campaign_id == campaign_id, Unit.serial.in_(serials), Unit.affected)
        )
    )
    ranked = rank_candidates(
        found, on_file=own, affected=lambda s: s in registered or affected_range(s, ranges) is not None
    )
    return LabelRead(tuple(ranked), model)


def photos_of_message(session: Session, message_id: int) -> list[LabelPhoto]:
    """The photos of this message already read (a message handled again after a crash)."""
    return list(
        session.scalars(select(LabelPhoto).where(LabelPhoto.message_id == message_id).order_by(LabelPhoto.media_index))
    )


def photo_reading(session: Session, message_id: int, index: int) -> LabelPhoto | None:
    """The record of photo `index` of this message (with the copy kept), or None."""
    return session.scalar(
        select(LabelPhoto).where(LabelPhoto.message_id == message_id, LabelPhoto.media_index == index)
    )


def readings_of_messages(session: Session, message_ids: Sequence[int]) -> dict[tuple[int, int], LabelPhoto]:
    """What was read on the photos of these messages, by (message id, media index); the
    copies kept are not loaded (the console serves them one by one)."""
    if not message_ids:
        return {}
    rows = session.scalars(
        select(LabelPhoto).options(defer(LabelPhoto.data)).where(LabelPhoto.message_id.in_(message_ids))
    )
    return {(p.message_id, p.media_index): p for p in rows}


@dataclass(frozen=True)
class PhotoRecord:
    """What became of one photo, to be kept (`record_photo`)."""

    media_index: int
    reading: PhotoReading
    reason: str | None = None
    content_type: str | None = None
    data: bytes | None = None
    sha256: str | None = None
    lines: tuple[TextLine, ...] = ()
    read: LabelRead | None = None
    engine: str | None = None
    read_ms: int | None = None


def record_photo(session: Session, *, message_id: int, customer_id: int | None, record: PhotoRecord) -> LabelPhoto:
    """Keep the photo and its reading, once per (message, media index): a second call for the
    same photo returns the row kept the first time."""
    kept = session.scalar(
        select(LabelPhoto).where(LabelPhoto.message_id == message_id, LabelPhoto.media_index == record.media_index)
    )
    if kept is not None:
        return kept
    read = record.read
    photo = LabelPhoto(
        message_id=message_id,
        media_index=record.media_index,
        customer_id=customer_id,
        reading=record.reading,
        reason=record.reason,
        content_type=record.content_type,
        data=record.data,
        sha256=record.sha256,
        text="\n".join(line.text for line in record.lines),
        serial=read.serial if read else None,
        candidates=[
            {"serial": c.serial, "substitutions": c.substitutions, "confidence": round(c.confidence, 3)}
            for c in (read.candidates if read else ())
        ],
        model=read.model if read else None,
        engine=(record.engine or "")[:120] or None,
        read_ms=record.read_ms,
    )
    session.add(photo)
    session.flush()
    return photo
