"""The service calendar in the database: slot rows per region, and the free ones to offer.

Slots are materialised lazily: `ensure_slots` inserts the rows of the next `days_ahead`
days that are missing (insert-or-ignore, so concurrent callers cannot duplicate them).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.conversation import texts
from bot.domain.calendar import (
    SlotPattern,
    earliest_start,
    region_for_postcode,
    slot_keywords,
    slot_windows,
)
from bot.models import Campaign, Customer, ServiceRegion, ServiceSlot


@dataclass(frozen=True)
class SlotView:
    """A slot as the conversation shows it: UTC times, a local label and its keywords."""

    id: int
    start: dt.datetime
    end: dt.datetime
    label: str
    keywords: tuple[str, ...] = ()


def customer_zone(customer: Customer | None, campaign: Campaign) -> zoneinfo.ZoneInfo:
    """The customer's timezone when known and valid, else the campaign's."""
    for name in ((customer.timezone if customer else None), campaign.timezone):
        if name:
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return zoneinfo.ZoneInfo("UTC")


def slot_view(slot: ServiceSlot, tz: dt.tzinfo, *, today: dt.date | None = None) -> SlotView:
    return SlotView(
        id=slot.id,
        start=slot.starts_at,
        end=slot.ends_at,
        label=texts.slot_label(slot.starts_at, slot.ends_at, tz),
        keywords=slot_keywords(slot.starts_at, slot.ends_at, tz, today=today),
    )


def region_for(campaign: Campaign, postcode: str | None) -> ServiceRegion | None:
    """The campaign's region serving this postcode (longest prefix wins), or None."""
    prefix = region_for_postcode(postcode, [r.postcode_prefix for r in campaign.regions])
    return next((r for r in campaign.regions if r.postcode_prefix == prefix), None)


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"slot materialisation does not support {dialect}")


def ensure_slots(
    session: Session, campaign: Campaign, *, now: dt.datetime, region_prefix: str, days: int | None = None
) -> int:
    """Create the region's missing slots from today to `days_ahead` days ahead (local dates),
    or `days` ahead when given (a customer's preference searches further); returns how many
    rows this call inserted. Capacity = the region's technicians."""
    region = next((r for r in campaign.regions if r.postcode_prefix == region_prefix), None)
    if region is None or region.technicians <= 0:
        return 0
    service = parse_definition(campaign.definition).service
    today = now.astimezone(zoneinfo.ZoneInfo(service.timezone)).date()
    ahead = service.days_ahead if days is None else days
    windows = slot_windows(service, start_date=today, days=ahead + 1, tz=service.timezone)
    if not windows:
        return 0
    existing = set(
        session.scalars(
            select(ServiceSlot.starts_at).where(
                ServiceSlot.campaign_id == campaign.id,
                ServiceSlot.postcode_prefix == region_prefix,
                ServiceSlot.starts_at >= windows[0][0],
                ServiceSlot.starts_at <= windows[-1][0],
            )
        )
    )
    rows = [
        {
            "campaign_id": campaign.id,
            "postcode_prefix": region_prefix,
            "starts_at": start,
            "ends_at": end,
            "capacity": region.technicians,
            "booked": 0,
        }
        for start, end in windows
        if start not in existing
    ]
    if not rows:
        return 0
    stmt: Insert = (
        _insert(session)(ServiceSlot)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["campaign_id", "postcode_prefix", "starts_at"])
        .returning(ServiceSlot.id)
    )
    return len(session.execute(stmt).all())


def free_slots_in_region(
    session: Session,
    campaign: Campaign,
    region_prefix: str,
    *,
    now: dt.datetime,
    limit: int = 3,
    exclude_ids: Iterable[int] = (),
) -> list[ServiceSlot]:
    """The region's next slots with a seat left, starting after the lead time, by start."""
    ensure_slots(session, campaign, now=now, region_prefix=region_prefix)
    stmt = (
        select(ServiceSlot)
        .where(
            ServiceSlot.campaign_id == campaign.id,
            ServiceSlot.postcode_prefix == region_prefix,
            ServiceSlot.starts_at >= earliest_start(now, campaign.timezone),
            ServiceSlot.booked < ServiceSlot.capacity,
        )
        .order_by(ServiceSlot.starts_at, ServiceSlot.id)
        .limit(limit)
    )
    excluded = list(exclude_ids)
    if excluded:
        stmt = stmt.where(ServiceSlot.id.not_in(excluded))
    on_calendar = calendar_check(campaign)
    return list(islice((slot for slot in session.scalars(stmt.limit(None)) if on_calendar(slot)), limit))


def calendar_check(campaign: Campaign) -> Callable[[ServiceSlot], bool]:
    """Whether a slot row is one of the campaign's calendar (a working day, a daily slot):
    a one-off time an agent arranged for one customer (`bot.services.other_times`) is never
    offered to anyone else, even when its booking is cancelled."""
    service = parse_definition(campaign.definition).service
    pattern, tz = SlotPattern.of(service), zoneinfo.ZoneInfo(service.timezone)

    def check(slot: ServiceSlot) -> bool:
        start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
        return start.weekday() in pattern.working_days and (start.time(), end.time()) in pattern.slots

    return check


def free_slots(
    session: Session,
    campaign: Campaign,
    postcode: str | None,
    *,
    now: dt.datetime,
    limit: int = 3,
    exclude_ids: Iterable[int] = (),
) -> list[ServiceSlot]:
    """The next free slots for a postcode (empty when no region serves it)."""
    region = region_for(campaign, postcode)
    if region is None:
        return []
    return free_slots_in_region(
        session, campaign, region.postcode_prefix, now=now, limit=limit, exclude_ids=exclude_ids
    )


def offer_slots(
    session: Session,
    customer: Customer,
    *,
    now: dt.datetime,
    postcode: str | None = None,
    limit: int = 3,
    exclude_ids: Iterable[int] = (),
) -> list[SlotView]:
    """The free slots to offer a customer, labelled in their timezone."""
    campaign = session.get(Campaign, customer.campaign_id)
    if campaign is None:
        raise LookupError(f"campaign {customer.campaign_id} not found")
    tz = customer_zone(customer, campaign)
    postcode = postcode or customer.postcode
    slots = free_slots(session, campaign, postcode, now=now, limit=limit, exclude_ids=exclude_ids)
    return [slot_view(s, tz, today=now.astimezone(tz).date()) for s in slots]
