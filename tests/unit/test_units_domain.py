"""How many units a customer says they have, several serials in one message, ordinals."""

import pytest

from bot.domain.units import find_serials, ordinal, units_mentioned

FORMAT = r"^AR26[A-Z][0-9]{6}$"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("hi, I have two of your fridges, both bought in May", 2),
        ("i have 2 of these fridges", 2),
        ("we got 2 fridges from croma", 2),
        ("both of them stopped cooling", 2),
        ("both fridges are arctica", 2),
        ("we have a couple of your units", 2),
        ("three refrigerators, all from the same shop", 3),
        ("i own 3 units", 3),
        ("my fridge is not cooling", None),
        ("AR26D104514 and AR26E200001", None),
        ("2", None),  # a pick from a list
        ("both", None),
        ("what do i need to do", None),
        ("the 2 pm slot", None),
        # Hinglish and Hindi (issue 17)
        ("mere paas do fridge hai", 2),
        ("hamare paas teen fridge hain", 3),
        ("do fridge liye the croma se", 2),
        ("2 fridge hai", 2),
        ("dono fridge kharab hain", 2),
        ("मेरे पास दो फ्रिज हैं", 2),
        ("दोनों फ्रिज ठंडा नहीं कर रहे", 2),
        ("do", None),  # a pick from a list
        ("do fridges get recalled?", None),  # English "do"
        ("what do fridges need", None),
    ],
)
def test_units_mentioned(text, count):
    assert units_mentioned(text) == count


@pytest.mark.parametrize(
    ("text", "serials", "rest"),
    [
        ("AR26D104514 and AR26E200001", ["AR26D104514", "AR26E200001"], "and"),
        ("ar26-d 104514, ar26e200001 pls", ["AR26D104514", "AR26E200001"], "pls"),
        ("AR26D104514 AR26D104514", ["AR26D104514"], ""),  # the same serial twice: once
        ("AR26D104514 and AR26E2OOOO1", ["AR26D104514"], "and AR26E2OOOO1"),
        ("sr no AR26D004512", ["AR26D004512"], "sr no"),
        ("no serial here", [], "no serial here"),
        # Hindi and Hinglish (issue 17)
        ("मेरा सीरियल नंबर AR26D004512 है", ["AR26D004512"], ""),
        ("AR26D००४५१२ और AR26E२०००01", ["AR26D004512", "AR26E200001"], ""),
        ("serial AR26D004512 hai", ["AR26D004512"], "serial hai"),
    ],
)
def test_find_serials(text, serials, rest):
    assert find_serials(text, FORMAT) == (serials, rest)


@pytest.mark.parametrize(
    ("n", "word"), [(1, "first"), (2, "second"), (3, "third"), (10, "tenth"), (11, "11th"), (22, "22nd")]
)
def test_ordinal(n, word):
    assert ordinal(n) == word
