import datetime as dt
import zoneinfo

import pytest

from bot.campaigns.definition import read_definition
from bot.domain.calendar import (
    SlotPattern,
    earliest_start,
    format_slot,
    period_of_day,
    region_for_postcode,
    slot_keywords,
    slot_windows,
)
from tests.factories import DEMO_CAMPAIGN

UTC = dt.UTC
IST = "Asia/Kolkata"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("postcode", "prefixes", "expected"),
    [
        ("411045", ["4110", ""], "4110"),
        ("411045", ["41", "4110", "411"], "4110"),
        ("560001", ["4110", ""], ""),
        ("560001", ["4110"], None),
        (None, ["4110", ""], ""),
        (None, ["4110"], None),
        ("", ["4110", ""], ""),
        (" 411 045 ", ["4110", ""], "4110"),
        ("sw1a 1aa", ["SW1A", "SW", ""], "SW1A"),
        ("411045", [], None),
    ],
)
def test_region_for_postcode(postcode, prefixes, expected):
    assert region_for_postcode(postcode, prefixes) == expected


def test_slot_windows_from_the_demo_campaign_skip_sundays():
    definition = read_definition(DEMO_CAMPAIGN)
    windows = slot_windows(definition, start_date=dt.date(2026, 11, 28), days=3, tz=IST)  # Sat, Sun, Mon
    assert windows == [
        (utc(2026, 11, 28, 3, 30), utc(2026, 11, 28, 7, 30)),
        (utc(2026, 11, 28, 8, 30), utc(2026, 11, 28, 12, 30)),
        (utc(2026, 11, 30, 3, 30), utc(2026, 11, 30, 7, 30)),
        (utc(2026, 11, 30, 8, 30), utc(2026, 11, 30, 12, 30)),
    ]
    # the service section and a plain pattern give the same windows
    assert slot_windows(definition.service, start_date=dt.date(2026, 11, 28), days=3, tz=IST) == windows
    pattern = SlotPattern(((dt.time(9), dt.time(13)), (dt.time(14), dt.time(18))), frozenset(range(6)))
    assert slot_windows(pattern, start_date=dt.date(2026, 11, 28), days=3, tz=IST) == windows


@pytest.mark.parametrize(
    ("day", "expected_utc_start"),
    [
        (dt.date(2026, 3, 6), utc(2026, 3, 6, 14, 0)),  # Friday before the change: PST, UTC-8
        (dt.date(2026, 3, 9), utc(2026, 3, 9, 13, 0)),  # Monday after: PDT, UTC-7
        (dt.date(2026, 10, 30), utc(2026, 10, 30, 13, 0)),
        (dt.date(2026, 11, 2), utc(2026, 11, 2, 14, 0)),
    ],
)
def test_slot_windows_keep_local_time_across_dst(day, expected_utc_start):
    pattern = SlotPattern(((dt.time(6), dt.time(10)),), frozenset(range(7)))
    [(start, end)] = slot_windows(pattern, start_date=day, days=1, tz="America/Los_Angeles")
    assert start == expected_utc_start
    assert end - start == dt.timedelta(hours=4)
    assert start.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles")).hour == 6


def test_slot_in_a_dst_gap_moves_past_the_gap():
    pattern = SlotPattern(((dt.time(2, 30), dt.time(4)),), frozenset(range(7)))
    [(start, end)] = slot_windows(pattern, start_date=dt.date(2026, 3, 8), days=1, tz="America/Los_Angeles")
    local = start.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles"))
    assert (local.hour, local.minute) == (3, 30)
    assert end > start


def test_slot_windows_with_no_days_or_no_working_days():
    pattern = SlotPattern(((dt.time(9), dt.time(13)),), frozenset())
    assert slot_windows(pattern, start_date=dt.date(2026, 11, 30), days=7, tz=IST) == []
    mornings = SlotPattern(((dt.time(9), dt.time(13)),))
    assert slot_windows(mornings, start_date=dt.date(2026, 11, 30), days=0, tz=IST) == []


@pytest.mark.parametrize(
    ("start", "end", "tz", "expected"),
    [
        (utc(2026, 12, 1, 3, 30), utc(2026, 12, 1, 7, 30), IST, "Tue 1 Dec, 09:00–13:00"),
        (utc(2026, 12, 1, 8, 30), utc(2026, 12, 1, 12, 30), IST, "Tue 1 Dec, 14:00–18:00"),
        (utc(2026, 12, 1, 3, 30), utc(2026, 12, 1, 7, 30), "Asia/Dubai", "Tue 1 Dec, 07:30–11:30"),
        (utc(2026, 12, 1, 3, 30), utc(2026, 12, 1, 7, 30), "America/New_York", "Mon 30 Nov, 22:30 – Tue 1 Dec, 02:30"),
        (utc(2027, 1, 15, 14), utc(2027, 1, 15, 18), "UTC", "Fri 15 Jan, 14:00–18:00"),
    ],
)
def test_format_slot(start, end, tz, expected):
    assert format_slot(start, end, tz) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (utc(2026, 12, 1, 3, 30), "morning"),  # 09:00 IST
        (utc(2026, 12, 1, 6, 29), "morning"),  # 11:59
        (utc(2026, 12, 1, 6, 30), "afternoon"),  # 12:00
        (utc(2026, 12, 1, 8, 30), "afternoon"),  # 14:00
        (utc(2026, 12, 1, 11, 30), "evening"),  # 17:00
    ],
)
def test_period_of_day(start, expected):
    assert period_of_day(start, IST) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 28, 4, 30), utc(2026, 11, 28, 18, 30)),  # Sat 10:00 IST → midnight
        (utc(2026, 11, 28, 14, 0), utc(2026, 11, 29, 2, 0)),  # Sat 19:30 IST → 12 h later
        (utc(2026, 11, 28, 18, 0), utc(2026, 11, 29, 6, 0)),  # Sat 23:30 IST → 12 h later
    ],
)
def test_earliest_start_is_next_day_and_at_least_twelve_hours_away(now, expected):
    assert earliest_start(now, IST) == expected


def test_slot_keywords():
    words = slot_keywords(utc(2026, 12, 1, 8, 30), utc(2026, 12, 1, 12, 30), IST, today=dt.date(2026, 11, 30))
    for word in (
        "tuesday",
        "tue",
        "tues",
        "1 dec",
        "dec 1",
        "1st december",
        "1/12",
        "01/12",
        "afternoon",
        "14:00",
        "2:00pm",
        "14",
        "2",
        "2pm",
        "tomorrow",
    ):
        assert word in words
    assert "morning" not in words and "today" not in words
