"""Goodwill claims: compensation a customer asks for beyond the remedy (spoiled food, a
discount on a new product), recorded by the bot and decided by a person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, str_enum, utcnow
from bot.models.enums import ClaimStatus, GoodwillKind


class GoodwillClaim(Base):
    __tablename__ = "goodwill_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[GoodwillKind] = mapped_column(str_enum(GoodwillKind, "goodwill_kind"))
    # What the customer asked for, in the campaign's currency (None: not said).
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    text: Mapped[str] = mapped_column(Text, default="")  # the customer's own words
    receipt_required: Mapped[bool] = mapped_column(default=False)
    # The inbound message carrying the photo of the receipt (its `media`), once sent.
    receipt_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    status: Mapped[ClaimStatus] = mapped_column(str_enum(ClaimStatus, "claim_status"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(254))  # the agent's email
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_goodwill_claims_customer_id", "customer_id"),)

    @property
    def receipt_awaited(self) -> bool:
        return self.receipt_required and self.receipt_message_id is None and self.status == ClaimStatus.SUBMITTED
