"""A message's script and digits of other scripts (bot/domain/scripts.py)."""

import pytest

from bot.domain.scripts import Script, ascii_digits, script_of

SCRIPTS = [
    ("नमस्ते", Script.DEVANAGARI),
    ("मेरा फ्रिज ठीक से ठंडा नहीं कर रहा", Script.DEVANAGARI),
    ("मेरा सीरियल AR26D004512 है", Script.DEVANAGARI),  # a serial inside a Hindi sentence
    ("mera fridge thanda nahi kar raha", Script.LATIN),  # romanised Hindi: the words tell, not the script
    ("hello", Script.LATIN),
    ("haan हाँ", Script.MIXED),
    ("ok हाँ repair karwa do", Script.LATIN),  # mostly Latin letters
    ("AR26D004512", Script.LATIN),
    ("२", Script.NONE),
    ("123 !!", Script.NONE),
    ("👍", Script.NONE),
    ("", Script.NONE),
]


@pytest.mark.parametrize(("text", "expected"), SCRIPTS)
def test_script_of(text, expected):
    assert script_of(text) is expected


DIGITS = [
    ("२", "2"),
    ("०९८१२३", "098123"),
    ("option ३ please", "option 3 please"),
    ("AR26D००४५१२", "AR26D004512"),
    ("12", "12"),
    ("नमस्ते", "नमस्ते"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), DIGITS)
def test_ascii_digits(text, expected):
    assert ascii_digits(text) == expected
