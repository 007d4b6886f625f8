"""Human support: escalations, console agents and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, str_enum, utcnow
from bot.models.enums import AgentRole, EscalationStatus, Priority

ACTIVE_ESCALATION = text("status IN ('open', 'claimed')")


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[AgentRole] = mapped_column(str_enum(AgentRole, "agent_role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]


class Escalation(Base):
    """A conversation handed to a person: why, how urgent, and the message that caused it."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    priority: Mapped[Priority] = mapped_column(str_enum(Priority, "priority"))
    status: Mapped[EscalationStatus] = mapped_column(str_enum(EscalationStatus, "escalation_status"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    trigger_text: Mapped[str | None] = mapped_column(Text)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]

    __table_args__ = (
        # At most one escalation in progress per customer.
        Index(
            "uq_escalations_active_customer",
            "customer_id",
            unique=True,
            sqlite_where=ACTIVE_ESCALATION,
            postgresql_where=ACTIVE_ESCALATION,
        ),
        Index("ix_escalations_status_priority", "status", "priority", "created_at"),
        Index("ix_escalations_customer_id", "customer_id"),
    )


class Note(Base):
    """An agent's private note on a customer: seen in the console, never sent."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
