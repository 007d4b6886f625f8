import pytest

from bot.conversation.understanding import yes_or_no
from bot.domain.addresses import find_postcode, is_postcode


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("affirm", "yes", True),
        ("affirm", "yes pls", True),
        ("deny", "no", False),
        ("deny", "nahi", False),
        (None, "Y", True),
        (None, "haan ji", True),
        ("choose_option", "ok", True),
        ("nlu_fallback", "n", False),
        ("nlu_fallback", "nope wrong", False),
        (None, "maybe", None),
        (None, "yes no", None),
        ("affirm", "no", False),  # the words win over a confused classifier
        ("deny", "yes", True),
        (None, "", None),
    ],
)
def test_yes_or_no(intent, text, expected):
    assert yes_or_no(intent, text) is expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Flat 12, Shanti Apts, Baner Road, Pune 411045", "IN", "411045"),
        ("Pune 411 045", "IN", "411045"),
        ("221 B MG road bangalore 560001", "IN", "560001"),
        ("12 MG road", "IN", None),
        ("phone 9812300001", "IN", None),
        ("1420 Elm St Apt 3, Austin TX 78701", "US", "78701"),
        ("Austin TX 78701-1234", "US", "78701"),
        ("10 Downing St, London sw1a 2aa", "GB", "SW1A 2AA"),
        ("Hauptstr. 5, 10115 Berlin", "DE", "10115"),
    ],
)
def test_find_postcode(text, country, expected):
    assert find_postcode(text, country) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("411045", True), (" 411 045 ", True), ("my pin is 411045", False), ("41104", False)],
)
def test_is_postcode(text, expected):
    assert is_postcode(text, "IN") is expected
