import datetime as dt

import pytest

from bot.domain.calendar import format_slot, slot_keywords
from bot.domain.choices import ChoiceOption, parse_choice, remedy_option, tokens

IST = "Asia/Kolkata"


def _slot(day: int, month: int, hour: int) -> ChoiceOption:
    start = dt.datetime(2026, month, day, hour, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    end = start + dt.timedelta(hours=4)
    return ChoiceOption(format_slot(start, end, IST), slot_keywords(start, end, IST, today=dt.date(2026, 11, 29)))


# Mon 30 Nov 09:00, Mon 30 Nov 14:00, Tue 1 Dec 09:00, Wed 2 Dec 14:00.
SLOTS = [_slot(30, 11, 9), _slot(30, 11, 14), _slot(1, 12, 9), _slot(2, 12, 14)]
REMEDIES = [
    remedy_option("repair", "Free repair at your home"),
    remedy_option("replacement", "A new replacement refrigerator"),
    remedy_option("refund", "A full refund of the purchase price"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # positions
        ("1", 0),
        ("2", 1),
        ("2.", 1),
        ("#2", 1),
        (" 3 ", 2),
        ("option 2", 1),
        ("Option #3", 2),
        ("no. 2", 1),
        ("No 4", 3),
        ("two", 1),
        ("Three please", 2),
        ("one", 0),
        ("the second one", 1),
        ("2nd", 1),
        ("4th", 3),
        ("second pls", 1),
        ("the first", 0),
        ("last one", 3),
        ("the last", 3),
        ("I'd like the third one", 2),
        ("02", 1),
        # positions outside the list
        ("5", None),
        ("0", None),
        ("fifth", None),
        ("10th", None),
        # typos
        ("secnd", 1),
        ("frist", 0),
        ("thrid one", 2),
        ("aftrnoon on monday", 1),
        ("wednesdy", 3),
        ("tuesdy", 2),
        # keywords
        ("the tuesday one", 2),
        ("tue", 2),
        ("Tues", 2),
        ("wed", 3),
        ("weds please", 3),
        ("1 Dec", 2),
        ("1st december", 2),
        ("dec 2", 3),
        ("2/12", 3),
        ("01/12", 2),
        ("monday morning", 0),
        ("Monday afternoon", 1),
        ("mon 2pm", 1),
        ("monday at 2 pm", 1),
        ("monday 14:00", 1),
        ("Monday 9.00 am", 0),
        ("tuesday 9am", 2),
        ("wednesday afternoon is fine", 3),
        ("tomorrow afternoon", 1),
        ("tomorrow morning works", 0),
        # ambiguous or contradictory
        ("morning", None),
        ("afternoon", None),
        ("9am", None),
        ("monday", None),
        ("tomorrow", None),
        ("tuesday or wednesday", None),
        ("thursday morning", None),
        ("tuesday afternoon", None),
        ("monday 11am", None),
        ("9", None),
        # nothing
        ("", None),
        ("   ", None),
        ("ok", None),
        ("none of these", None),
        ("can you call me", None),
        ("STOP", None),
        # Hindi and Hinglish (issue 17): digits, number words, ordinals
        ("२", 1),
        ("३.", 2),
        ("नंबर 2", 1),
        ("नंबर ३", 2),
        ("2 wala", 1),
        ("2 number wala", 1),
        ("ek", 0),
        ("teen", 2),
        ("char", 3),
        ("एक", 0),
        ("तीन", 2),
        ("चार", 3),
        ("paanch", None),  # beyond the list
        ("pehla", 0),
        ("pahla", 0),
        ("pehle wala", 0),
        ("pehla wala chahiye", 0),
        ("doosra", 1),
        ("dusra", 1),
        ("dusra wala", 1),
        ("dusra wala de do", 1),  # "de do" is "give", not 2
        ("teesra", 2),
        ("tisra wala", 2),
        ("पहला", 0),
        ("दूसरा", 1),
        ("तीसरा", 2),
        ("मुझे दूसरा वाला चाहिए", 1),
        ("aakhri wala", 3),
        ("आखिरी", 3),
        # "do" is 2 only in a short Hinglish reply
        ("do", 1),
        ("Do", 1),
        ("do wala", 1),
        ("option do", 1),
        ("number do", 1),
        ("दो", 1),
        ("दो नंबर", 1),
        # ... and English "do" is untouched
        ("do it", None),
        ("what do i do", None),
        ("i do", None),
        ("do i need to be home", None),
        ("do you have sunday", None),
        ("do pls", None),
        ("kar do", None),
        # days and parts of the day in Hinglish and Hindi
        ("kal subah", 0),  # tomorrow is Monday 30 Nov
        ("kal dopahar", 1),
        ("somvar subah", 0),
        ("mangalvar", 2),
        ("budhvar shaam", None),  # no Wednesday evening slot
        ("सोमवार सुबह", 0),
        ("बुधवार", 3),
        ("kal", None),  # two slots tomorrow
        ("1 ya 2", None),
    ],
)
def test_parse_slot_choice(text, expected):
    assert parse_choice(text, SLOTS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("repair", 0),
        ("Repair please", 0),
        ("fix it", 0),
        ("can a technician visit", 0),
        ("replacement", 1),
        ("replacment", 1),
        ("I want a new one", 1),
        ("exchange", 1),
        ("refund pls", 2),
        ("refnud", 2),
        ("money back please", 2),
        ("I'd like my money back", 2),
        ("3", 2),
        ("the first one", 0),
        ("last", 2),
        ("refund or repair?", None),
        ("4", None),
        ("what is the difference", None),
        ("refund on monday", 2),
        # Hinglish and Hindi
        ("repair kar do", 0),
        ("refund chahiye", 2),
        ("teesra", 2),
        ("३", 2),
        ("दूसरा वाला", 1),
        ("do", 1),
        ("do you do refunds", 2),  # English "do": the refund wins, no position
    ],
)
def test_parse_remedy_choice(text, expected):
    assert parse_choice(text, REMEDIES) == expected


def test_bare_hour_beyond_the_list_picks_the_slot_starting_then():
    three = [SLOTS[0], SLOTS[1], SLOTS[3]]  # one 09:00 slot among three
    assert parse_choice("9", three) == 0
    assert parse_choice("14", three) is None  # two 14:00 slots


def test_no_options_means_no_choice():
    assert parse_choice("1", []) is None


def test_options_without_keywords_are_picked_by_position_only():
    options = [ChoiceOption("Yes"), ChoiceOption("No")]
    assert parse_choice("2", options) == 1
    assert parse_choice("yes", options) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue 9 am", ["tue", "9am"]),
        ("09.00", ["9:00"]),
        ("I'd like #2", ["id", "like", "2"]),
        ("1/12", ["1/12"]),
        ("2 P.M.", ["2pm"]),
        ("नंबर २", ["नंबर", "2"]),  # Devanagari words and digits
        ("हाँ 2", ["हां", "2"]),  # one spelling of Devanagari
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected
