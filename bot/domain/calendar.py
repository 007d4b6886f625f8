"""The service calendar as plain functions: regions, slot windows, lead time and labels.

Every datetime that goes in or out is timezone-aware; windows come back in UTC. Local
times are computed with zoneinfo, so a slot "09:00–13:00" stays 09:00 local across a
DST change (a local time that does not exist is moved forward by the gap).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

UTC = dt.UTC
MIN_LEAD = dt.timedelta(hours=12)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Extra ways people shorten weekday names, beyond the first three letters.
_WEEKDAY_EXTRA = {1: ("tues",), 2: ("weds",), 3: ("thur", "thurs")}

Period = Literal["morning", "afternoon", "evening"]
Zone = str | dt.tzinfo


@dataclass(frozen=True)
class SlotPattern:
    """The daily slots (local start, end) and the weekdays they run on (0 = Monday)."""

    slots: tuple[tuple[dt.time, dt.time], ...]
    working_days: frozenset[int] = frozenset(range(6))

    @classmethod
    def of(cls, source: Any) -> SlotPattern:
        """From a SlotPattern, a CampaignDefinition or its `service` section."""
        if isinstance(source, SlotPattern):
            return source
        service = getattr(source, "service", source)
        return cls(tuple(s.times() for s in service.slots), frozenset(service.working_days))


def zone(tz: Zone) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def region_for_postcode(postcode: str | None, prefixes: Iterable[str]) -> str | None:
    """The longest prefix the postcode starts with ('' catches everything), or None."""
    code = "".join((postcode or "").split()).upper()
    matching = [p for p in prefixes if code.startswith("".join(p.split()).upper())]
    return max(matching, key=len) if matching else None


def _local(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """Local wall time → UTC; a time skipped by DST lands just after the gap."""
    naive = dt.datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-trip through UTC: a non-existent local time shifts forward by the gap.
    return aware.astimezone(UTC)


def slot_windows(
    definition_or_params: Any, *, start_date: dt.date, days: int, tz: Zone
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) in UTC of every slot on the working days from `start_date`, for `days` days."""
    pattern = SlotPattern.of(definition_or_params)
    zone_ = zone(tz)
    windows: list[tuple[dt.datetime, dt.datetime]] = []
    for offset in range(max(days, 0)):
        day = start_date + dt.timedelta(days=offset)
        if day.weekday() not in pattern.working_days:
            continue
        for start, end in pattern.slots:
            window = (_local(day, start, zone_), _local(day, end, zone_))
            if window[1] > window[0]:
                windows.append(window)
    return sorted(windows)


def earliest_start(now: dt.datetime, tz: Zone, *, min_lead: dt.timedelta = MIN_LEAD) -> dt.datetime:
    """The first moment a visit may start: the next local day, and at least `min_lead` away."""
    zone_ = zone(tz)
    tomorrow = now.astimezone(zone_).date() + dt.timedelta(days=1)
    midnight = _local(tomorrow, dt.time(0, 0), zone_)
    return max(midnight, (now + min_lead).astimezone(UTC))


def _day_month(local: dt.datetime) -> str:
    return f"{WEEKDAYS[local.weekday()][:3]} {local.day} {MONTHS[local.month - 1][:3]}"


def format_slot(start: dt.datetime, end: dt.datetime, tz: Zone) -> str:
    """'Tue 1 Dec, 09:00–13:00' in the customer's timezone (English names, any locale)."""
    zone_ = zone(tz)
    local_start, local_end = start.astimezone(zone_), end.astimezone(zone_)
    label = f"{_day_month(local_start)}, {local_start:%H:%M}–{local_end:%H:%M}"
    if local_end.date() != local_start.date():
        label = f"{_day_month(local_start)}, {local_start:%H:%M} – {_day_month(local_end)}, {local_end:%H:%M}"
    return label


def period_of_day(start: dt.datetime, tz: Zone) -> Period:
    hour = start.astimezone(zone(tz)).hour
    if hour < 12:
        return "morning"
    return "afternoon" if hour < 17 else "evening"


def _hour_forms(at: dt.datetime) -> list[str]:
    hour12 = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    forms = [f"{at.hour}:{at.minute:02d}", f"{hour12}:{at.minute:02d}{suffix}"]
    if at.minute == 0:
        forms += [str(at.hour), str(hour12), f"{hour12}{suffix}"]
    return list(dict.fromkeys(forms))


def slot_keywords(start: dt.datetime, end: dt.datetime, tz: Zone, *, today: dt.date | None = None) -> tuple[str, ...]:
    """The words a customer may use for this slot (for `bot.domain.choices.ChoiceOption`).

    Weekday names and abbreviations, date forms (day first for '1/12'), the period of
    day and the start hour ('9', '9am', '9:00'); 'today'/'tomorrow' when `today` is given.
    """
    local = start.astimezone(zone(tz))
    weekday, month = WEEKDAYS[local.weekday()].lower(), MONTHS[local.month - 1].lower()
    day = local.day
    ordinal = f"{day}{_ordinal_suffix(day)}"
    words = [weekday, weekday[:3], *_WEEKDAY_EXTRA.get(local.weekday(), ())]
    for d in (str(day), ordinal):
        for m in (month, month[:3]):
            words += [f"{d} {m}", f"{m} {d}"]
    words += [f"{day}/{local.month}", f"{day:02d}/{local.month:02d}", period_of_day(start, tz)]
    words += _hour_forms(local)
    if today is not None:
        if local.date() == today:
            words.append("today")
        elif local.date() == today + dt.timedelta(days=1):
            words.append("tomorrow")
    return tuple(dict.fromkeys(words))


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def weekday_words() -> Sequence[str]:
    """Every weekday name and abbreviation, lower case (for spotting contradictions)."""
    words = [w.lower() for w in WEEKDAYS] + [w[:3].lower() for w in WEEKDAYS]
    return words + [w for extra in _WEEKDAY_EXTRA.values() for w in extra]


def month_words() -> Sequence[str]:
    return [m.lower() for m in MONTHS] + [m[:3].lower() for m in MONTHS]
