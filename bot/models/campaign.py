"""A recall campaign: what is recalled, which units, the remedies and the service calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    brand: Mapped[str] = mapped_column(String(120))
    sender_name: Mapped[str] = mapped_column(String(120))
    product: Mapped[str] = mapped_column(String(200))
    hazard: Mapped[str] = mapped_column(Text)
    safety_advice: Mapped[str] = mapped_column(Text)
    serial_format: Mapped[str] = mapped_column(String(200))
    extended_warranty_months: Mapped[int] = mapped_column(default=0)
    timezone: Mapped[str] = mapped_column(String(64))
    # The whole validated YAML definition (remedies, service calendar, outreach ...).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The file `serial_hint_image` names, read when the YAML was loaded (migration 0011):
    # served at /campaign-media/<slug>/serial-hint.png (bot/gateway/campaign_media.py).
    serial_hint_image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    serial_hint_image_type: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    ranges: Mapped[list[AffectedRange]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="AffectedRange.id"
    )
    regions: Mapped[list[ServiceRegion]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="ServiceRegion.id"
    )

    __table_args__ = (CheckConstraint("extended_warranty_months >= 0", name="warranty_months"),)


class AffectedRange(Base):
    """Serials from `serial_from` to `serial_to` (inclusive, same length) are affected."""

    __tablename__ = "affected_ranges"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(80))
    serial_from: Mapped[str] = mapped_column(String(80))
    serial_to: Mapped[str] = mapped_column(String(80))

    campaign: Mapped[Campaign] = relationship(back_populates="ranges")

    __table_args__ = (CheckConstraint("serial_from <= serial_to", name="range_order"),)


class ServiceRegion(Base):
    """Technicians per slot for postcodes starting with `postcode_prefix` ('' = elsewhere)."""

    __tablename__ = "service_regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    postcode_prefix: Mapped[str] = mapped_column(String(20), default="")
    technicians: Mapped[int]

    campaign: Mapped[Campaign] = relationship(back_populates="regions")

    __table_args__ = (
        UniqueConstraint("campaign_id", "postcode_prefix"),
        CheckConstraint("technicians >= 0", name="technicians"),
    )
