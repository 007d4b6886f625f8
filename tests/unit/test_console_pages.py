"""The console's small display rules: how long a customer has waited, and a moment in their time zone."""

import datetime as dt

import pytest

from bot.console.pages import clock, waited

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (3, "3 min"),
        (59, "59 min"),
        (60, "1 h 00 min"),
        (125, "2 h 05 min"),
        (24 * 60, "1 d 0 h"),
        (28 * 60 + 10, "1 d 4 h"),
        (-5, "0 min"),  # a clock a little ahead
    ],
)
def test_waited(minutes, text):
    assert waited(NOW - dt.timedelta(minutes=minutes), NOW) == text


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (None, "01 Dec 04:26 UTC"),
        ("Asia/Kolkata", "01 Dec 09:56 IST"),
        ("Europe/London", "01 Dec 04:26 GMT"),
        ("America/New_York", "30 Nov 23:26 EST"),
    ],
)
def test_clock_shows_the_customers_time_zone(zone, shown):
    assert clock(dt.datetime(2026, 12, 1, 4, 26, tzinfo=dt.UTC), zone) == shown
