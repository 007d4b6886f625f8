import random
import re

import pytest

from bot.domain.references import ALPHABET, PREFIXES, new_reference, normalise_reference


@pytest.mark.parametrize("prefix", ["RP", "PU", "RL", "RF"])
def test_new_reference_shape(prefix):
    reference = new_reference(prefix)
    assert re.fullmatch(rf"{prefix}-[{ALPHABET}]{{6}}", reference)


def test_alphabet_has_no_ambiguous_characters():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_references_are_random_and_reproducible_with_a_seeded_rng():
    assert new_reference("RP", random.Random(7)) == new_reference("RP", random.Random(7))
    assert len({new_reference("RP") for _ in range(200)}) == 200


@pytest.mark.parametrize("prefix", ["", "rp", "XX", "RP-"])
def test_unknown_prefix_is_refused(prefix):
    with pytest.raises(ValueError, match="unknown reference prefix"):
        new_reference(prefix)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RP-7K3F2Q", "RP-7K3F2Q"),
        ("rp-7k3f2q", "RP-7K3F2Q"),
        ("RP7K3F2Q", "RP-7K3F2Q"),
        (" pu 7k3 f2q ", "PU-7K3F2Q"),
        ("RF_7K3F2Q", "RF-7K3F2Q"),
        ("RP-7K3F2", None),  # too short
        ("RP-7K3F2O", None),  # O is not in the alphabet
        ("XX-7K3F2Q", None),
        ("", None),
        ("RP-७K३F२Q", "RP-7K3F2Q"),  # Devanagari digits (issue 17)
    ],
)
def test_normalise_reference(text, expected):
    assert normalise_reference(text) == expected


def test_prefixes():
    assert {"RP", "PU", "RL", "RF", "GW"} == PREFIXES  # GW: a goodwill claim (bot/services/goodwill.py)
