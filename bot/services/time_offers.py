"""Free times for a customer who said when they would like the visit ("sunday?", "after the
20th", "evening", "none of these work"): the nearest fitting free slots of their region,
searched beyond the campaign's `days_ahead` when needed, up to `SEARCH_DAYS` (the slot
rows of those days are created on demand, like the usual offer's, with the region's
technicians as capacity). The fitting itself is `bot.domain.time_preferences.fit_slots`.

Call it in a write transaction (it may insert slot rows); it never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.domain.calendar import SlotPattern, earliest_start
from bot.domain.time_preferences import TimePreference, days_not_worked, fit_slots, time_outside_hours
from bot.models import Campaign, Customer, ServiceSlot
from bot.services.slots import SlotView, calendar_check, customer_zone, ensure_slots, region_for, slot_view

SEARCH_DAYS = 60  # how far a preference may look (at least the campaign's days_ahead)
OFFERED = 3


@dataclass(frozen=True)
class TimeOffer:
    """The slots to offer (best first), what was relaxed to find them ("time", "day"),
    the days asked for that are not working days, whether the time of day asked for is
    outside the calendar's daily slots, and how far the search looked (days)."""

    slots: list[SlotView]
    relaxed: frozenset[str] = field(default_factory=frozenset)
    days_not_worked: frozenset[int] = field(default_factory=frozenset)
    outside_hours: bool = False
    search_days: int = SEARCH_DAYS


def search_days(campaign: Campaign) -> int:
    return max(SEARCH_DAYS, parse_definition(campaign.definition).service.days_ahead)


def offer_for_preference(
    session: Session,
    *,
    customer_id: int,
    preference: TimePreference,
    now: dt.datetime,
    postcode: str | None = None,
    exclude_ids: Iterable[int] = (),
    limit: int = OFFERED,
) -> TimeOffer:
    """The free slots of the customer's region that fit `preference` best, never one of
    `exclude_ids` (offered and turned down); "later" also skips everything up to the last of
    those."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"customer {customer_id} not found")
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    service = parse_definition(campaign.definition).service
    pattern = SlotPattern.of(service)
    days = search_days(campaign)
    notes = {
        "days_not_worked": days_not_worked(preference, pattern.working_days),
        "outside_hours": time_outside_hours(preference, pattern.slots),
        "search_days": days,
    }
    region = region_for(campaign, postcode or customer.postcode)
    if region is None:
        return TimeOffer([], **notes)
    ensure_slots(session, campaign, now=now, region_prefix=region.postcode_prefix, days=days)
    tz = customer_zone(customer, campaign)
    excluded = set(exclude_ids)
    after = None
    if preference.later and excluded:
        after = session.scalar(select(func.max(ServiceSlot.starts_at)).where(ServiceSlot.id.in_(excluded)))
    horizon = now + dt.timedelta(days=days + 1)
    stmt = (
        select(ServiceSlot)
        .where(
            ServiceSlot.campaign_id == campaign.id,
            ServiceSlot.postcode_prefix == region.postcode_prefix,
            ServiceSlot.starts_at >= max(earliest_start(now, campaign.timezone), after or now),
            ServiceSlot.starts_at < horizon,
            ServiceSlot.booked < ServiceSlot.capacity,
        )
        .order_by(ServiceSlot.starts_at, ServiceSlot.id)
    )
    on_calendar = calendar_check(campaign)
    candidates = [
        s
        for s in session.scalars(stmt)
        if s.id not in excluded and on_calendar(s) and (after is None or s.starts_at > after)
    ]
    fit = fit_slots([(s.starts_at, s.ends_at) for s in candidates], preference, tz, limit=limit)
    today = now.astimezone(tz).date()
    chosen = sorted(fit.chosen, key=lambda i: (candidates[i].starts_at, candidates[i].id))
    return TimeOffer([slot_view(candidates[i], tz, today=today) for i in chosen], fit.relaxed, **notes)
