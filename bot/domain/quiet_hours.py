"""Quiet hours: no outreach between `start` and `end` in the customer's local time.

A window that crosses midnight (21:00–08:00) is the usual case; start == end means no
quiet hours at all. Times are local wall-clock times of the customer."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def parse_hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def is_quiet(local: dt.time, start: dt.time, end: dt.time) -> bool:
    if start == end:
        return False
    if start < end:  # e.g. 13:00–14:00
        return start <= local < end
    return local >= start or local < end  # crosses midnight


def quiet_now(now_utc: dt.datetime, timezone: str, start: dt.time, end: dt.time) -> bool:
    """Whether it is quiet hours now for someone living in `timezone`."""
    local = now_utc.astimezone(zoneinfo.ZoneInfo(timezone))
    return is_quiet(local.time().replace(tzinfo=None), start, end)
