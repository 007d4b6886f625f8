import datetime as dt

import pytest

from bot.conversation.catalog import speaking
from bot.conversation.texts import describe, reply_expectation
from bot.domain.support_hours import SupportHours, next_reply

MON_SAT = SupportHours(frozenset(range(6)), dt.time(9), dt.time(18))
KOLKATA = "Asia/Kolkata"  # UTC+05:30


def utc(local: str) -> dt.datetime:
    """A Kolkata wall-clock time as UTC."""
    return (dt.datetime.fromisoformat(local) - dt.timedelta(hours=5, minutes=30)).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-12-01 10:00", "shortly"),  # Tuesday, open
        ("2026-12-01 08:59", "from 09:00 today"),
        ("2026-12-01 18:00", "from 09:00 tomorrow"),  # closes at 18:00 sharp
        ("2026-12-01 23:30", "from 09:00 tomorrow"),
        ("2026-12-05 17:59", "shortly"),  # Saturday
        ("2026-12-05 18:30", "on Monday from 09:00"),  # Saturday evening: Sunday closed
        ("2026-12-06 11:00", "from 09:00 tomorrow"),  # Sunday
    ],
)
def test_reply_expectation(local, expected):
    assert reply_expectation(utc(local), KOLKATA, MON_SAT) == expected


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (range(6), "Monday to Saturday, 09:00 to 18:00"),
        (range(5), "Monday to Friday, 09:00 to 18:00"),
        ((0, 2, 4), "Monday, Wednesday, Friday, 09:00 to 18:00"),
        ((5, 6), "Saturday, Sunday, 09:00 to 18:00"),
    ],
)
def test_describe(days, text):
    assert describe(SupportHours(frozenset(days), dt.time(9), dt.time(18))) == text


@pytest.mark.parametrize(
    ("reason", "when", "expected"),
    [
        ("request_human", "shortly", "OK. A person from our team will reply here shortly."),
        (
            "request_human",
            "from 09:00 tomorrow",
            "OK. A person from our team will reply here from 09:00 tomorrow "
            "(our hours: Monday to Saturday, 09:00 to 18:00).",
        ),
        ("complain", "on Monday from 09:00", "who will reply here on Monday from 09:00 (our hours: Monday to Saturday"),
        ("report_hazard", "from 09:00 tomorrow", "contact you urgently."),  # a hazard does not wait for opening hours
    ],
)
def test_the_escalation_text_says_when(reason, when, expected):
    from bot.campaigns.definition import read_definition
    from bot.conversation.texts import escalated
    from tests.factories import DEMO_CAMPAIGN

    text = escalated(read_definition(DEMO_CAMPAIGN), reason, when)
    assert expected in text and len(text) <= 320


def test_next_reply_is_plain_data():
    assert next_reply(utc("2026-12-01 10:00"), KOLKATA, MON_SAT) is None
    opening = next_reply(utc("2026-12-05 18:30"), KOLKATA, MON_SAT)
    assert (opening.weekday(), opening.hour, opening.minute) == (0, 9, 0)


@pytest.mark.parametrize(("language", "monday"), [("en", "Monday"), ("hi", "सोमवार"), ("hi-Latn", "Somwaar")])
def test_day_names_are_in_the_customer_language(language, monday):
    with speaking(language):
        assert describe(SupportHours(frozenset(range(6)), dt.time(9), dt.time(18))).startswith(monday)
