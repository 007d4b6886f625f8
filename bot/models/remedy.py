"""Service slots, bookings (repair visits and pickups) and replacement/refund requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, str_enum, utcnow
from bot.models.enums import BookingKind, BookingStatus, RequestKind, RequestStatus

if TYPE_CHECKING:
    from bot.models.customer import Unit


class ServiceSlot(Base):
    """A time window in one region; `booked` can never exceed `capacity` (technicians)."""

    __tablename__ = "service_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    postcode_prefix: Mapped[str] = mapped_column(String(20), default="")
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("campaign_id", "postcode_prefix", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
        CheckConstraint("ends_at > starts_at", name="slot_order"),
    )


ACTIVE_BOOKING = text("status = 'booked'")
OPEN_REQUEST = text("status IN ('requested', 'scheduled', 'picked_up')")
OPEN_REQUEST_NO_UNIT = text("status IN ('requested', 'scheduled', 'picked_up') AND unit_id IS NULL")


class Booking(Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("service_slots.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("remedy_requests.id", ondelete="SET NULL"))
    kind: Mapped[BookingKind] = mapped_column(str_enum(BookingKind, "booking_kind"))
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, "booking_status"))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[dt.datetime | None]

    slot: Mapped[ServiceSlot] = relationship()
    # The units this visit fixes or this pickup collects (one visit may fix several).
    units: Mapped[list[Unit]] = relationship(secondary="booking_units", order_by="Unit.id")

    __table_args__ = (
        # One active booking per customer, campaign and kind: a repair visit (which may fix
        # several units) and a pickup (which may collect several) at most.
        Index(
            "uq_bookings_active_customer_kind",
            "campaign_id",
            "customer_id",
            "kind",
            unique=True,
            sqlite_where=ACTIVE_BOOKING,
            postgresql_where=ACTIVE_BOOKING,
        ),
        Index("ix_bookings_customer_id", "customer_id"),
    )


class BookingUnit(Base):
    """A unit on a booking: a repair visit may fix several units at one address."""

    __tablename__ = "booking_units"

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True)


class RemedyRequest(Base):
    """A replacement or refund, moving requested → scheduled → picked_up → done."""

    __tablename__ = "remedy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, "request_kind"))
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus, "request_status"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[dt.datetime | None]

    __table_args__ = (
        # One open replacement/refund per unit (a customer may own several units).
        Index(
            "uq_remedy_requests_open_unit",
            "campaign_id",
            "customer_id",
            "unit_id",
            unique=True,
            sqlite_where=OPEN_REQUEST,
            postgresql_where=OPEN_REQUEST,
        ),
        # ... and one per customer among those with no unit on file.
        Index(
            "uq_remedy_requests_open_no_unit",
            "campaign_id",
            "customer_id",
            unique=True,
            sqlite_where=OPEN_REQUEST_NO_UNIT,
            postgresql_where=OPEN_REQUEST_NO_UNIT,
        ),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
    )


class Feedback(Base):
    """After a remedy is completed the bot asks how it went: a score of 1–5 and a comment."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("remedy_requests.id", ondelete="SET NULL"))
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    score: Mapped[int | None]
    answered_at: Mapped[dt.datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)
    commented_at: Mapped[dt.datetime | None]

    __table_args__ = (
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_range"),
        Index("ix_feedback_campaign_id_score", "campaign_id", "score"),
    )
