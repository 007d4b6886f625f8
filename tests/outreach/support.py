"""Constants of the outreach tests: the simulator's template and token, fixed instants."""

from __future__ import annotations

import datetime as dt

TEMPLATE_SID = "HX" + "1" * 32
AUTH_TOKEN = "outreach-test-token"
NOON_IST = dt.datetime(2026, 11, 25, 6, 30, tzinfo=dt.UTC)  # 12:00 in Kolkata
NIGHT_IST = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)  # 23:00 in Kolkata


def daytime_zone() -> str:
    """A fixed-offset zone where it is about noon now, so quiet hours never interfere."""
    offset = max(-12, min(14, 12 - dt.datetime.now(dt.UTC).hour))
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
