"""When a person can answer: the support team's opening hours, and what to tell a
customer whose conversation was just handed to the team.

Hours are wall-clock times in the campaign's timezone, the same every open day;
`closes` after `opens` (a team does not work across midnight here)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class SupportHours:
    days: frozenset[int]  # 0 = Monday
    opens: dt.time
    closes: dt.time

    def is_open(self, local: dt.datetime) -> bool:
        return local.weekday() in self.days and self.opens <= local.time().replace(tzinfo=None) < self.closes

    def next_opening(self, local: dt.datetime) -> dt.datetime:
        """The first opening after `local` (local wall-clock time, same tzinfo)."""
        for ahead in range(8):
            day = local.date() + dt.timedelta(days=ahead)
            start = dt.datetime.combine(day, self.opens, tzinfo=local.tzinfo)
            if day.weekday() in self.days and start > local:
                return start
        raise ValueError("no open day")  # unreachable with at least one day (the definition ensures it)


def describe(hours: SupportHours) -> str:
    """'Monday to Saturday, 09:00 to 18:00'; single days and gaps listed by name."""
    days = sorted(hours.days)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        span = f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    else:
        span = ", ".join(DAY_NAMES[d] for d in days)
    return f"{span}, {hours.opens:%H:%M} to {hours.closes:%H:%M}"


def reply_expectation(now_utc: dt.datetime, timezone: str, hours: SupportHours) -> str:
    """When the customer can expect a person to reply, in words: 'shortly' while the team
    works, else the next opening ('from 09:00 tomorrow', 'on Monday from 09:00')."""
    local = now_utc.astimezone(zoneinfo.ZoneInfo(timezone))
    if hours.is_open(local):
        return "shortly"
    opening = hours.next_opening(local)
    days_ahead = (opening.date() - local.date()).days
    if days_ahead == 0:
        return f"from {opening:%H:%M} today"
    if days_ahead == 1:
        return f"from {opening:%H:%M} tomorrow"
    return f"on {DAY_NAMES[opening.weekday()]} from {opening:%H:%M}"
