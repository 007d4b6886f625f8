import datetime as dt

import pytest

from bot.console.routes import waited

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("minutes", "text"), [
    (0, "0 min"), (3, "3 min"), (59, "59 min"), (60, "1 h 00 min"), (125, "2 h 05 min"),
    (24 * 60, "1 d 0 h"), (28 * 60 + 10, "1 d 4 h"), (-5, "0 min"),  # a clock a little ahead
])
def test_waited(minutes, text):
    assert waited(NOW - dt.timedelta(minutes=minutes), NOW) == text
