"""Buyers, their units, their conversation with the bot, and opt-outs."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, str_enum, utcnow
from bot.models.enums import Channel, Disposition, Remedy, Verification


class LanguageSource(enum.StrEnum):
    """How a customer's language is known, weakest first (bot/services/languages.py)."""

    WRITTEN = "written"  # detected from what they write
    LIST = "list"  # the buyer file's `language` column
    CHOSEN = "chosen"  # they asked for it ("Hindi", "english please"), or an agent set it


class Customer(Base):
    """A buyer reached for one campaign, keyed on (campaign, E.164 phone).

    The progress columns (`notified_at` ... `completed_at`) are the funnel: each is set
    once, when the customer first reaches that stage, so the funnel counts are cheap.
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    whatsapp_opt_in: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(20))
    timezone: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20), default="import")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    notified_at: Mapped[dt.datetime | None]
    # The channel the first notification went out on (set with `notified_at`, once): the
    # dashboard's split by channel without joining the outbox.
    notified_channel: Mapped[Channel | None] = mapped_column(str_enum(Channel, "notified_channel"))
    delivered_at: Mapped[dt.datetime | None]
    replied_at: Mapped[dt.datetime | None]
    verified_at: Mapped[dt.datetime | None]
    verification: Mapped[Verification | None] = mapped_column(str_enum(Verification, "verification"))
    remedy: Mapped[Remedy | None] = mapped_column(str_enum(Remedy, "remedy"))
    completed_at: Mapped[dt.datetime | None]
    wrong_person_at: Mapped[dt.datetime | None]
    sms_unreachable: Mapped[bool] = mapped_column(default=False)
    whatsapp_unreachable: Mapped[bool] = mapped_column(default=False)
    flagged_for_agent: Mapped[str | None] = mapped_column(String(200))
    # The language the customer is written to in (a BCP 47 tag: en, hi, hi-Latn), and how
    # it is known: 'list' (the buyer file), 'written' (detected from their messages),
    # 'chosen' (they asked for it, or an agent set it). Unset: the campaign's default.
    # bot/services/languages.py decides which source wins.
    language: Mapped[str | None] = mapped_column(String(35))
    language_source: Mapped[LanguageSource | None] = mapped_column(str_enum(LanguageSource, "language_source"))

    units: Mapped[list[Unit]] = relationship(back_populates="customer", order_by="Unit.id")

    __table_args__ = (UniqueConstraint("campaign_id", "phone"),)


class Unit(Base):
    """One physical unit in the recall's registry, with the purchase that brought it home."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    serial: Mapped[str] = mapped_column(String(80))
    model: Mapped[str | None] = mapped_column(String(80))
    affected: Mapped[bool]
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    purchase_date: Mapped[dt.date | None] = mapped_column(Date)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    retailer: Mapped[str | None] = mapped_column(String(120))
    # The unit's own progress (a customer may own several): verified when the customer
    # confirmed its serial, the remedy chosen for it, corrected when that remedy is done.
    verified_at: Mapped[dt.datetime | None]
    remedy: Mapped[Remedy | None] = mapped_column(str_enum(Remedy, "unit_remedy"))
    completed_at: Mapped[dt.datetime | None]
    # Sold, given away or thrown away (confirmed by the customer): out of reach of the recall.
    disposition: Mapped[Disposition | None] = mapped_column(str_enum(Disposition, "disposition"))
    disposition_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer | None] = relationship(back_populates="units")

    __table_args__ = (UniqueConstraint("campaign_id", "serial"),)


class Conversation(Base):
    """The gateway's per-customer state: one conversation across SMS and WhatsApp."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), unique=True)
    sender_id: Mapped[str] = mapped_column(String(64), unique=True)
    last_channel: Mapped[Channel | None] = mapped_column(str_enum(Channel, "channel"))
    last_inbound_at: Mapped[dt.datetime | None]
    whatsapp_last_inbound_at: Mapped[dt.datetime | None]
    last_outbound_at: Mapped[dt.datetime | None]
    bot_paused: Mapped[bool] = mapped_column(default=False)
    serial_failures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OptOut(Base):
    """A phone number that said STOP. Active while `opted_in_at` is null."""

    __tablename__ = "opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    opted_out_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opted_in_at: Mapped[dt.datetime | None]
    source: Mapped[str] = mapped_column(String(40))
    keyword: Mapped[str | None] = mapped_column(String(20))
