"""Time preferences read from the customer's words, and the free slots that fit them
(bot/domain/time_preferences.py). Today is Thursday 3 December 2026 throughout."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.time_preferences import (
    TimePreference,
    days_not_worked,
    fit_slots,
    parse_time_preference,
    preference_from_dict,
    preference_to_dict,
    time_outside_hours,
)

TODAY = dt.date(2026, 12, 3)  # a Thursday
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
D = dt.date
T = dt.time
P = TimePreference


def days(*weekdays: int) -> frozenset[int]:
    return frozenset(weekdays)


def periods(*names: str) -> frozenset[str]:
    return frozenset(names)


NEXT_WEEK = (D(2026, 12, 7), D(2026, 12, 13))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # days of the week, the way people write them
        ("sunday?", P(weekdays=days(6))),
        ("Sunday", P(weekdays=days(6))),
        ("can the technician come on sunday instead?", P(weekdays=days(6))),
        ("sat afternoon", P(weekdays=days(5), periods=periods("afternoon"))),
        ("next saturday afternoon", P(weekdays=days(5), periods=periods("afternoon"))),
        ("thursday or friday", P(weekdays=days(3, 4))),
        ("tues morning pls", P(weekdays=days(1), periods=periods("morning"))),
        ("weekend", P(weekdays=days(5, 6))),
        ("not monday", P(avoid_weekdays=days(0))),
        ("friday doesnt work", P(avoid_weekdays=days(4))),
        # dates
        ("after 20th", P(not_before=D(2026, 12, 21))),
        ("after the 20th", P(not_before=D(2026, 12, 21))),
        ("after the 20th dec", P(not_before=D(2026, 12, 21))),
        ("After 5 Dec", P(not_before=D(2026, 12, 6))),
        ("from the 15th", P(not_before=D(2026, 12, 15))),
        ("after the 2nd", P(not_before=D(2027, 1, 3))),  # the 2nd has passed: January's
        ("i am travelling till 20th", P(not_before=D(2026, 12, 21))),
        ("I want the repair but I am travelling until the 20th", P(not_before=D(2026, 12, 21))),
        ("away until 5th jan", P(not_before=D(2027, 1, 6))),
        ("im free until the 10th", P(not_after=D(2026, 12, 10))),
        ("before the 10th", P(not_after=D(2026, 12, 9))),
        ("dec 22", P(on_date=D(2026, 12, 22))),
        ("22/12", P(on_date=D(2026, 12, 22))),
        ("on the 22nd?", P(on_date=D(2026, 12, 22))),
        ("tomorrow morning", P(on_date=D(2026, 12, 4), periods=periods("morning"))),
        ("tmrw", P(on_date=D(2026, 12, 4))),
        ("day after tomorrow", P(on_date=D(2026, 12, 5))),
        # weeks and months
        ("next week", P(not_before=NEXT_WEEK[0], not_after=NEXT_WEEK[1])),
        ("not this week pls", P(not_before=D(2026, 12, 7), not_this_week=True)),
        ("this week", P(not_after=D(2026, 12, 6))),
        ("next month", P(not_before=D(2027, 1, 1), not_after=D(2027, 1, 31))),
        # the part of the day
        ("evening only", P(periods=periods("evening"))),
        ("evening?", P(periods=periods("evening"))),
        ("anything after 6pm", P(from_time=T(18, 0))),
        ("after 6", P(from_time=T(18, 0))),
        ("before 11am", P(until_time=T(11, 0))),
        ("after work", P(periods=periods("evening"))),
        ("at 3 pm", P(periods=periods("afternoon"))),
        # none of these, later
        ("none of these work", P(none_of_these=True)),
        ("none of these work for me", P(none_of_these=True)),
        ("none", P(none_of_these=True)),
        ("no", P(none_of_these=True)),
        ("those times dont suit me", P(none_of_these=True)),
        ("cant make any of those", P(none_of_these=True)),
        ("any other time?", P(none_of_these=True)),
        ("can u do later dates", P(later=True)),
        ("none of these, evening pls", P(none_of_these=True, periods=periods("evening"))),
        # Hinglish
        ("kal shaam", P(on_date=D(2026, 12, 4), periods=periods("evening"))),
        ("subah aana", P(periods=periods("morning"))),
        ("agle hafte", P(not_before=NEXT_WEEK[0], not_after=NEXT_WEEK[1])),
        ("ravivaar ko aa sakte ho?", P(weekdays=days(6))),
        ("itwaar", P(weekdays=days(6))),
        ("20 tak bahar hu", P(not_before=D(2026, 12, 21))),
        ("parso", P(on_date=D(2026, 12, 5))),
        ("kal subah", P(on_date=D(2026, 12, 4), periods=periods("morning"))),  # "kal": tomorrow, for a visit
        ("dopahar mein", P(periods=periods("afternoon"))),
        ("somvar ko", P(weekdays=days(0))),
        ("10 baje", P(periods=periods("morning"))),
        ("kal 10 baje aa jao", P(on_date=D(2026, 12, 4), periods=periods("morning"))),
        ("5 baje", P(periods=periods("evening"))),  # 1-7 without a part of the day: pm, as "after 6"
        ("subah 7 baje", P(periods=periods("morning"))),
        ("shaam 5 baje ke baad", P(periods=periods("evening"), from_time=T(17, 0))),
        ("dopahar 2 baje se", P(periods=periods("afternoon"), from_time=T(14, 0))),
        ("11 baje se pehle", P(until_time=T(11, 0))),
        ("12 baje se 4 baje tak", P(from_time=T(12, 0), until_time=T(16, 0))),
        ("20 tarikh ke baad", P(not_before=D(2026, 12, 21))),
        ("20 tarikh se pehle", P(not_after=D(2026, 12, 19))),
        ("5 tarikh se", P(not_before=D(2026, 12, 5))),
        ("22 tarikh ko", P(on_date=D(2026, 12, 22))),
        ("in mein se koi nahi", P(none_of_these=True)),
        ("nhi", P(none_of_these=True)),
        # Hindi in Devanagari
        ("कल", P(on_date=D(2026, 12, 4))),
        ("कल शाम", P(on_date=D(2026, 12, 4), periods=periods("evening"))),
        ("परसों सुबह", P(on_date=D(2026, 12, 5), periods=periods("morning"))),
        ("सोमवार", P(weekdays=days(0))),
        ("शनिवार दोपहर", P(weekdays=days(5), periods=periods("afternoon"))),
        ("सोमवार नहीं", P(avoid_weekdays=days(0))),
        ("अगले हफ्ते", P(not_before=NEXT_WEEK[0], not_after=NEXT_WEEK[1])),
        ("इस हफ्ते नहीं", P(not_before=D(2026, 12, 7), not_this_week=True)),
        ("२० तारीख के बाद", P(not_before=D(2026, 12, 21))),
        ("शाम 5 बजे के बाद", P(periods=periods("evening"), from_time=T(17, 0))),
        ("11 बजे से पहले", P(until_time=T(11, 0))),
        ("कल सुबह 10 बजे आ जाओ", P(on_date=D(2026, 12, 4), periods=periods("morning"))),
        ("इनमें से कोई नहीं", P(none_of_these=True)),
        ("नहीं", P(none_of_these=True)),
        # not about when
        ("1", None),
        ("2", None),
        ("the second one", None),
        ("12 mg road", None),
        ("h.no 5-3-12 ameerpet hyderabad", None),
        ("Flat 12, Shanti Apts, Baner Road, Pune 411045", None),
        ("yes", None),
        ("ok", None),
        ("is the repair free?", None),
        ("subah 9 se", P(periods=periods("morning"))),  # "9 se" alone is no date
        ("koi baat nahi", None),  # "never mind", not "none of these"
        ("मुझे हिंदी नहीं आती", None),  # a Hindi sentence is no bare "nahi"
        ("मेरा फ्रिज ठंडा नहीं कर रहा", None),
        ("mera serial AR26D004512 hai", None),
        ("do", None),
    ],
)
def test_a_preference_is_read_from_the_customers_words(text, expected):
    assert parse_time_preference(text, TODAY) == expected


def test_a_later_preference_goes_on_top_of_an_earlier_one():
    after_20 = parse_time_preference("after the 20th", TODAY)
    evening = parse_time_preference("evening pls", TODAY)
    refused = parse_time_preference("none of these", TODAY)
    merged = after_20.merged(evening).merged(refused)
    assert merged == P(not_before=D(2026, 12, 21), periods=periods("evening"), none_of_these=True)
    assert after_20.merged(parse_time_preference("sunday?", TODAY)).weekdays == days(6)
    assert merged.merged(parse_time_preference("ok mornings then", TODAY)).periods == periods("morning")


@pytest.mark.parametrize("text", ["sunday?", "after the 20th", "kal shaam", "none", "not this week", "before 11am"])
def test_a_preference_survives_the_slot(text):
    pref = parse_time_preference(text, TODAY)
    assert preference_from_dict(preference_to_dict(pref)) == pref


# ---------------------------------------------------------------------- fitting


def calendar(first: dt.date, count: int, working=(0, 1, 2, 3, 4, 5)) -> list[tuple[dt.datetime, dt.datetime]]:
    """The demo calendar: 09:00-13:00 and 14:00-18:00 IST on working days."""
    windows = []
    for offset in range(count):
        day = first + dt.timedelta(days=offset)
        if day.weekday() in working:
            for start, end in ((9, 13), (14, 18)):
                windows.append(
                    (dt.datetime.combine(day, T(start), IST).astimezone(dt.UTC), dt.datetime.combine(day, T(end), IST))
                )
    return windows


WINDOWS = calendar(D(2026, 12, 4), 40)  # from Friday 4 December


def picked(text: str, windows=WINDOWS) -> tuple[list[str], frozenset[str]]:
    fit = fit_slots(windows, parse_time_preference(text, TODAY), "Asia/Kolkata")
    return [f"{windows[i][0].astimezone(IST):%a %d %H}" for i in fit.chosen], fit.relaxed


@pytest.mark.parametrize(
    ("text", "chosen", "relaxed"),
    [
        ("sat afternoon", ["Sat 05 14", "Sat 12 14", "Sat 19 14"], set()),
        ("sunday?", ["Sat 05 09", "Sat 05 14", "Mon 07 09"], {"day"}),
        ("after the 20th", ["Mon 21 09", "Mon 21 14", "Tue 22 09"], set()),
        ("i am travelling till 20th", ["Mon 21 09", "Mon 21 14", "Tue 22 09"], set()),
        ("not this week pls", ["Mon 07 09", "Mon 07 14", "Tue 08 09"], set()),
        ("evening?", ["Fri 04 14", "Sat 05 14", "Mon 07 14"], {"time"}),
        ("anything after 6pm", ["Fri 04 14", "Sat 05 14", "Mon 07 14"], {"time"}),
        ("tomorrow morning", ["Fri 04 09"], set()),
        ("next week mornings", ["Mon 07 09", "Tue 08 09", "Wed 09 09"], set()),
        ("not monday, after the 20th", ["Tue 22 09", "Tue 22 14", "Wed 23 09"], set()),
        ("sunday evening", ["Sat 05 14", "Mon 07 14", "Sat 12 14"], {"day", "time"}),
    ],
)
def test_the_nearest_fitting_slots_are_chosen(text, chosen, relaxed):
    found, was_relaxed = picked(text)
    assert found[: len(chosen)] == chosen
    assert was_relaxed == relaxed


def test_nothing_before_the_earliest_date_is_ever_offered():
    early = calendar(D(2026, 12, 4), 10)  # up to the 13th only
    assert picked("after the 20th", early) == ([], frozenset())


def test_non_working_days_and_hours_are_named():
    working, slots = (0, 1, 2, 3, 4, 5), [(T(9), T(13)), (T(14), T(18))]
    assert days_not_worked(parse_time_preference("sunday?", TODAY), working) == days(6)
    assert days_not_worked(parse_time_preference("weekend", TODAY), working) == days(6)
    assert days_not_worked(parse_time_preference("Dec 6", TODAY), working) == days(6)  # a Sunday
    assert days_not_worked(parse_time_preference("sat", TODAY), working) == frozenset()
    assert time_outside_hours(parse_time_preference("evening", TODAY), slots)
    assert time_outside_hours(parse_time_preference("after 6pm", TODAY), slots)
    assert not time_outside_hours(parse_time_preference("afternoon", TODAY), slots)
    assert not time_outside_hours(parse_time_preference("after the 20th", TODAY), slots)


# ---------------------------------------------------------------------- what the bot says


def test_the_texts_name_the_calendar():
    from bot.campaigns.definition import read_definition
    from bot.conversation import texts
    from tests.factories import DEMO_CAMPAIGN

    d = read_definition(DEMO_CAMPAIGN)
    assert texts.working_days_only(d, [6]) == "Our technicians visit Monday to Saturday, not on Sunday."
    assert texts.visit_hours(d) == "Visits are at these times of day: 09:00–13:00 or 14:00–18:00."
    fits = texts.offer_preferred_slots(["Mon 21 Dec, 09:00–13:00"], "repair", exact=True)
    assert (
        fits
        == "These are the free times a technician can visit that fit. Reply with a number:\n1. Mon 21 Dec, 09:00–13:00"
    )
    assert "nearest free times we can collect it" in texts.offer_preferred_slots(["x"], "pickup", exact=False)
    assert texts.other_free_times(["a", "b"], "repair").endswith("suits you:\n1. a\n2. b")
    assert texts.time_by_person(d, "shortly", nothing_fits=True, days=60) == (
        "Sorry, I can't find a free time that fits in the next 60 days. I've asked a person from our team to "
        "arrange a time with you; they will reply here shortly."
    )
    later = texts.time_by_person(d, "from 09:00 tomorrow", nothing_fits=False, days=0)
    assert later.startswith("Sorry these times don't suit you.") and "(our hours: Monday to Saturday" in later
