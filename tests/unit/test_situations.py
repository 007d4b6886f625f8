"""The word rules for the situations customers are in (bot/domain/situations.py)."""

from __future__ import annotations

import pytest

from bot.domain.dispositions import Disposition
from bot.domain.situations import INTENTS, Situation, disposition_in, situation_in, situation_told, still_here

S = Situation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # repaired elsewhere (the message first)
        ("I already got it repaired at a local shop, it works now", S.REPAIRED_ELSEWHERE),
        ("mechanic repaired it already", S.REPAIRED_ELSEWHERE),
        ("got it fixd at a local shop", S.REPAIRED_ELSEWHERE),
        ("had it fixed by a repairman already", S.REPAIRED_ELSEWHERE),
        ("local mistri ne theek kar diya", S.REPAIRED_ELSEWHERE),
        ("we fixed it ourselves", S.REPAIRED_ELSEWHERE),
        ("i want it repaired", None),
        ("please get it repaired at home", None),
        ("can u fix it", None),
        ("repair pls", None),
        # works fine
        ("its working fine no problem", S.WORKS_FINE),
        ("fridge is ok", S.WORKS_FINE),
        ("no issues at all, cools well", S.WORKS_FINE),
        ("nothing wrong with mine", S.WORKS_FINE),
        ("my fridge is not cooling", None),
        ("it stopped working fine last week", None),
        # sold, given, thrown away
        ("i sold it last month", S.DISPOSED),
        ("gave it to my sister", S.DISPOSED),
        ("threw it away", S.DISPOSED),
        ("scrapped it", S.DISPOSED),
        ("sold it, it worked fine till then", S.DISPOSED),
        # moved house
        ("we moved to mumbai", S.MOVED),
        ("i shifted house", S.MOVED),
        ("my address has changed", S.MOVED),
        ("we dont live there anymore", S.MOVED),
        # a household member
        ("this is his wife, he bought it", S.HOUSEHOLD_MEMBER),
        ("my son bought it, i use it", S.HOUSEHOLD_MEMBER),
        ("im the buyer's daughter", S.HOUSEHOLD_MEMBER),
        ("i live with the owner", S.HOUSEHOLD_MEMBER),
        # travelling
        ("i am travelling", S.TRAVELLING),
        ("out of station till monday", S.TRAVELLING),
        ("i'm abroad till jan, can we do this later", S.TRAVELLING),
        ("on holiday, back next week", S.TRAVELLING),
        # none of them
        ("AR26D004512", None),
        ("yes", None),
        ("i want a replacement", None),
        ("is the repair free?", None),
        ("", None),
    ],
)
def test_situation_in(text, expected):
    assert situation_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i sold it last month", Disposition.SOLD),
        ("sold on olx", Disposition.SOLD),
        ("maine fridge bech diya", Disposition.SOLD),
        ("gave it to my sister", Disposition.GIVEN_AWAY),
        ("donated it to a charity", Disposition.GIVEN_AWAY),
        ("gifted it to a friend", Disposition.GIVEN_AWAY),
        ("threw it away", Disposition.DISPOSED),
        ("scrapped it", Disposition.DISPOSED),
        ("gave it to the kabadiwala", Disposition.GIVEN_AWAY),
        ("it went to the scrap dealer", Disposition.DISPOSED),
        ("मैंने फ्रिज बेच दिया", Disposition.SOLD),
        ("पिछले महीने बेचा", Disposition.SOLD),
        ("भाई को दे दिया", Disposition.GIVEN_AWAY),
        ("fridge bhai ko de diya", Disposition.GIVEN_AWAY),
        ("purana tha fenk diya", Disposition.DISPOSED),
        ("फ्रिज फेंक दिया", Disposition.DISPOSED),
        ("कबाड़ में दे दिया", Disposition.GIVEN_AWAY),  # as "gave it to the kabadiwala"
        ("कबाड में डाल दिया", Disposition.DISPOSED),
        ("i didn't sell it", None),
        ("no wait, it's still here", None),
        ("i still have it, never sold it", None),
        ("i dont have it anymore", None),
        ("", None),
    ],
)
def test_disposition_in(text, expected):
    assert disposition_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no wait, it's still here", True),
        ("no wait its still here", True),
        ("i still have it", True),
        ("didnt sell it actually", True),
        ("no no its still there in the kitchen, i mixed it up with the old one", True),
        ("yes sold it", False),
        ("no", False),
    ],
)
def test_still_here(text, expected):
    assert still_here(text) is expected


def test_every_situation_has_its_intent():
    assert set(INTENTS.values()) == set(Situation)
    assert all(name.startswith("tell_") for name in INTENTS)


TOLD = [
    # (the classifier's intent, message, the situation told)
    ("tell_works_fine", "its working fine now", Situation.WORKS_FINE),
    ("tell_works_fine", "but its not cooling properly", None),  # a fault, not "it works"
    ("tell_works_fine", "mera fridge thanda nahi kar rha", None),
    ("tell_works_fine", "it is leaking water", None),
    ("tell_moved", "we moved to mumbai", Situation.MOVED),
    (None, "i am travelling till the 20th", Situation.TRAVELLING),
    ("greet", "hello", None),
]


@pytest.mark.parametrize(("intent", "text", "expected"), TOLD)
def test_situation_told(intent, text, expected):
    assert situation_told(intent, text) is expected
