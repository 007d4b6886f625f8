"""Every message in and out, and the outreach outbox that decides what is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, str_enum, utcnow
from bot.models.enums import AttemptStatus, Author, Channel, Direction, MessageStatus

# The outreach messages Twilio accepted (the notices and reminders): what the dashboard's
# `messages_by_language` counts (bot/services/dashboard.py). A query must repeat this
# condition for the planner to use the partial index below.
OUTREACH_SENT = text("author = 'outreach' AND twilio_sid IS NOT NULL")


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    author: Mapped[Author] = mapped_column(str_enum(Author, "author"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    from_address: Mapped[str] = mapped_column(String(64))
    to_address: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus, "message_status"))
    error_code: Mapped[int | None]
    error_message: Mapped[str | None] = mapped_column(Text)
    segments: Mapped[int | None]
    encoding: Mapped[str | None] = mapped_column(String(8))
    num_media: Mapped[int] = mapped_column(default=0)
    # [{"url": ..., "content_type": ...}, ...] as Twilio sent them.
    media: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_updated_at: Mapped[dt.datetime | None]
    # Inbound only: when the gateway started and finished handling it (null = to do).
    processing_started_at: Mapped[dt.datetime | None]
    processed_at: Mapped[dt.datetime | None]
    # Outbound only: the inbound message this one answers (exactly-once replies).
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)

    __table_args__ = (
        Index("ix_messages_customer_id_id", "customer_id", "id"),
        Index("ix_messages_direction_processed_at", "direction", "processed_at"),
        # the dashboard's messages_by_language: on PostgreSQL an index-only scan (channel,
        # encoding and segments carried in the index) instead of a scan of every message
        # (migration 0009; benchmarks/README.md, "Recall dashboard")
        Index(
            "ix_messages_outreach_customer_id",
            "customer_id",
            postgresql_include=["channel", "encoding", "segments"],
            postgresql_where=OUTREACH_SENT,
            sqlite_where=OUTREACH_SENT,
        ),
        CheckConstraint("num_media >= 0", name="num_media"),
    )


class OutreachAttempt(Base):
    """The outbox: one row per (campaign, customer, step), written before Twilio is called."""

    __tablename__ = "outreach_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(20))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    status: Mapped[AttemptStatus] = mapped_column(str_enum(AttemptStatus, "attempt_status"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[int | None]
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("campaign_id", "customer_id", "step"),
        Index("ix_outreach_attempts_status", "status"),
    )
