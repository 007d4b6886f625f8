"""At the free-text steps, words decide where the classifier may not: an address holding a time
word is an address, a time request is not; a request for a person is one, whatever intent the
classifier gave it (bot/domain/free_text.py, bot/domain/addresses.py)."""

import pytest

from bot.domain.addresses import is_plausible_address
from bot.domain.free_text import OffScript, asks_for_person, looks_like_address, off_script

ADDRESS_OR_TIME = [
    # (reply to the address question, plausible address, what it is instead)
    ("Morning Star Apts, plot 12", True, None),
    ("morning star apartments flat 4, baner", True, None),
    ("Sunday Market Lane 4, Kolkata", True, None),
    ("12 Evening Glory Society, Kothrud", True, None),
    ("Flat 3, Morning Star Apartments, Baner Road, Pune 411045", True, None),
    ("plot 12 night queen colony", True, None),
    # real time requests are still refused as addresses
    ("morning is better", False, OffScript.TIME_REQUEST),
    ("can he come in the morning", False, OffScript.TIME_REQUEST),
    ("sunday morning?", False, OffScript.TIME_REQUEST),
    ("come at 6 pm", False, OffScript.TIME_REQUEST),
    ("after the 20th pls", False, OffScript.TIME_REQUEST),
    ("can the technician come on sunday instead?", False, OffScript.TIME_REQUEST),
    ("tomorrow 10 am at plot 12?", False, OffScript.TIME_REQUEST),  # a question, not an address
]


@pytest.mark.parametrize(("text", "plausible", "kind"), ADDRESS_OR_TIME)
def test_an_address_with_a_time_word(text, plausible, kind):
    assert is_plausible_address(text, "IN") is plausible
    assert off_script(text) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Morning Star Apts, plot 12", True),
        ("12 mg road", True),
        ("411045", True),
        ("morning is better", False),
        ("after the 20th", False),
        ("come at 6 pm", False),
        ("flat 12 ok?", False),
        ("", False),
    ],
)
def test_looks_like_address(text, expected):
    assert looks_like_address(text) is expected


PERSON = [
    # (reply at a free-text step, a request for a person)
    ("can i talk to someone real", True),
    ("i need to speak to an agent about this", True),
    ("call me pls", True),
    ("pls call me", True),
    ("can you call me", True),
    ("can i speak with your staff", True),
    ("any real people there?", True),
    ("can a real person handle this", True),
    ("let me talk with a real one", True),
    ("put me through to customer care", True),
    ("i want a human", True),
    ("give me an agent", True),
    ("operator", True),
    ("agent pls", True),
    ("someone real pls", True),
    ("i want a call back from someone", True),
    # not a request for a person
    ("someone will be at home", False),
    ("someone needs to be home?", False),
    ("the technician can call me before coming", False),
    ("can he call me when he is on the way", False),
    ("can you call me before you come", False),
    ("dont call me, just text", False),
    ("flat 4, staff quarters, sector 2", False),
    ("Team Enclave, plot 7", False),
    ("i want a replacement", False),
    ("ok", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "expected"), PERSON)
def test_asks_for_person(text, expected):
    assert asks_for_person(text) is expected
    if expected:  # refused as an address, handed over
        assert off_script(text) is OffScript.PERSON_REQUEST
        assert not is_plausible_address(text, "IN")
    else:
        assert off_script(text) is not OffScript.PERSON_REQUEST
