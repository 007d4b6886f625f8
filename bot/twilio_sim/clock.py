"""The simulator's clock: real UTC time plus an offset tests can move forward."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime


class SimClock:
    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta()

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset.total_seconds()


def rfc2822(moment: datetime | None) -> str | None:
    """Twilio's date format: 'Thu, 24 Aug 2023 05:01:45 +0000'."""
    if moment is None:
        return None
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0))


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def parse_date_filter(text: str) -> tuple[date, datetime | None]:
    """A DateSent filter value → (the day, the exact moment when a time of day was given).

    Accepts YYYY-MM-DD, ISO 8601 date-times (what twilio-python sends: 2024-01-02T00:00:00Z)
    and RFC 2822. Midnight counts as "no time given" (the client turns a `date` into
    midnight). Raises ValueError.
    """
    text = text.strip()
    moment: datetime
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a date: {text!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    exact = None if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0) else moment
    return moment.date(), exact
