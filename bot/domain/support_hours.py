"""When a person can answer: the support team's opening hours, and when a customer whose
conversation was just handed to the team can expect a reply (the words for it, in the
customer's language, are bot.conversation.texts.reply_expectation and .describe).

Hours are wall-clock times in the campaign's timezone, the same every open day;
`closes` after `opens` (a team does not work across midnight here)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass


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


def next_reply(now_utc: dt.datetime, timezone: str, hours: SupportHours) -> dt.datetime | None:
    """When a person can reply: None while the team works (shortly), else the next opening
    (local wall-clock time in `timezone`)."""
    local = now_utc.astimezone(zoneinfo.ZoneInfo(timezone))
    if hours.is_open(local):
        return None
    return hours.next_opening(local)
