"""A time outside the service calendar, arranged by a person for one customer (when no free
time suited them: the escalation `no_suitable_time`): a one-off slot of one seat in the
customer's region, which the caller then books in the same transaction
(`bot/console/remedies.py`). The slot is never offered to anyone else
(`bot.services.slots.calendar_check`: it is not one of the calendar's daily slots), even
if its booking is cancelled later.

Never commits; the audit event `slot.one_off_created` names the agent."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.calendar import earliest_start
from bot.models import AuditEvent, ServiceSlot
from bot.services.recall_state import customer_in_campaign
from bot.services.slots import ensure_slots, region_for
from bot.services.time_offers import search_days

MAX_VISIT = dt.timedelta(hours=12)


class OtherTimeProblem(enum.StrEnum):
    ORDER = "order"  # ends before it starts, or longer than MAX_VISIT
    TOO_SOON = "too_soon"  # before the first moment a visit may start (the bot's lead time)
    NO_REGION = "no_region"  # no region serves the customer's postcode
    FULL = "full"  # the region's slot starting then (one of the calendar's) has no seat left


@dataclass(frozen=True)
class OtherTime:
    """The slot to book (`created`: the one-off one, else the calendar's slot starting at
    that time, which has a seat), or the problem."""

    slot: ServiceSlot | None = None
    created: bool = False
    problem: OtherTimeProblem | None = None


def local_window(day: dt.date, start: dt.time, end: dt.time, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """A day and two wall-clock times in `tz`, as aware datetimes (UTC)."""
    return (
        dt.datetime.combine(day, start, tz).astimezone(dt.UTC),
        dt.datetime.combine(day, end, tz).astimezone(dt.UTC),
    )


def create_one_off_slot(
    session: Session,
    *,
    customer_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    postcode: str | None,
    actor: str,
    now: dt.datetime,
) -> OtherTime:
    """A one-seat slot at `starts_at`–`ends_at` in the region of `postcode` (else the
    customer's), or why not; a time the region already has a slot at (the calendar's,
    materialised first up to that day) is that slot, when it has a seat. Raises
    LookupError for an unknown customer."""
    customer, campaign, _tz = customer_in_campaign(session, customer_id)
    if not starts_at < ends_at <= starts_at + MAX_VISIT:
        return OtherTime(problem=OtherTimeProblem.ORDER)
    if starts_at < earliest_start(now, campaign.timezone):
        return OtherTime(problem=OtherTimeProblem.TOO_SOON)
    region = region_for(campaign, postcode or customer.postcode)
    if region is None:
        return OtherTime(problem=OtherTimeProblem.NO_REGION)
    today = now.astimezone(ZoneInfo(campaign.timezone)).date()
    day = starts_at.astimezone(ZoneInfo(campaign.timezone)).date()
    ahead = min((day - today).days, search_days(campaign))  # the calendar's own slots, as far as offers look
    ensure_slots(session, campaign, now=now, region_prefix=region.postcode_prefix, days=ahead)
    existing = session.scalar(
        select(ServiceSlot).where(
            ServiceSlot.campaign_id == campaign.id,
            ServiceSlot.postcode_prefix == region.postcode_prefix,
            ServiceSlot.starts_at == starts_at,
        )
    )
    if existing is not None:
        if existing.booked >= existing.capacity:
            return OtherTime(problem=OtherTimeProblem.FULL)
        return OtherTime(slot=existing)
    slot = ServiceSlot(
        campaign_id=campaign.id,
        postcode_prefix=region.postcode_prefix,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=1,
        booked=0,
    )
    session.add(slot)
    session.flush()
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action="slot.one_off_created",
            customer_id=customer.id,
            detail={
                "slot_id": slot.id,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "postcode_prefix": region.postcode_prefix,
            },
        )
    )
    session.flush()
    return OtherTime(slot=slot, created=True)
