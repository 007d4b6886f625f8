"""Photos of the product label the bot read for a serial: the copy kept (metadata such as
the EXIF location stripped), what the OCR engine read and the serial offered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, str_enum, utcnow
from bot.models.enums import PhotoReading


class LabelPhoto(Base):
    __tablename__ = "label_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The inbound message and which of its media (MediaUrl{index}): read once, however often
    # the message is handled again after a crash.
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    media_index: Mapped[int] = mapped_column(default=0)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    reading: Mapped[PhotoReading] = mapped_column(str_enum(PhotoReading, "photo_reading"))
    reason: Mapped[str | None] = mapped_column(String(40))  # why UNAVAILABLE (bot/twilio/media.py)
    content_type: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # the copy kept, metadata stripped
    sha256: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")  # what the OCR engine read, line by line
    serial: Mapped[str | None] = mapped_column(String(64))  # the serial offered (first candidate)
    # every candidate, likeliest first: [{"serial", "substitutions", "confidence"}, ...]
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    model: Mapped[str | None] = mapped_column(String(64))  # a model number of the campaign on the label
    engine: Mapped[str | None] = mapped_column(String(120))  # bot.ocr.engine_name()
    read_ms: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("message_id", "media_index"),
        Index("ix_label_photos_customer_id", "customer_id"),
    )
