"""From OCR lines to the serials on a label (bot/domain/label_text.py)."""

import pytest

from bot.domain.label_text import TextLine, model_on_label, rank_candidates, serial_candidates

FORMAT = r"^AR26[A-Z][0-9]{6}$"


def lines(*texts: str, confidence: float = 0.9) -> list[TextLine]:
    return [TextLine(t, confidence) for t in texts]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (["S/N: AR26D004512"], ["AR26D004512"]),
        (["SERIAL NO. AR26D004512", "MODEL FF260"], ["AR26D004512"]),
        (["sn ar26d004512"], ["AR26D004512"]),  # case
        (["S/N AR26 D 004512"], ["AR26D004512"]),  # printed in groups
        (["S/N: AR26D0O4512"], ["AR26D004512"]),  # O for 0
        (["S/N: AR26DO045I2"], ["AR26D004512"]),  # two look-alikes
        (["S/N: AR26DOOO5I2"], []),  # three: a guess, not a reading
        (["S/N: AR26D00451"], []),  # a digit short
        (["ARCTICA", "220-240V ~ 50Hz", "R600a 38 g"], []),  # no serial at all
        (["Batch B26-0413", "PNC 925 052 311"], []),  # codes of another shape
        ([], []),
        (["AR26D004512", "S/N AR26D004512"], ["AR26D004512"]),  # twice on the label: once
    ],
)
def test_serial_candidates(read, expected):
    assert [c.serial for c in serial_candidates(lines(*read), FORMAT)] == expected


def test_fewest_substitutions_first_then_confidence():
    found = serial_candidates(
        [TextLine("AR26D0O4512", 0.99), TextLine("AR26E004512", 0.6), TextLine("AR26F004512", 0.8)], FORMAT
    )
    assert [c.serial for c in found] == ["AR26F004512", "AR26E004512", "AR26D004512"]
    assert found[-1].substitutions == 1


def test_low_confidence_lines_are_left_out():
    assert serial_candidates([TextLine("AR26D004512", 0.2)], FORMAT, min_confidence=0.5) == []


def test_rank_puts_the_serial_on_file_then_affected_first():
    found = serial_candidates(lines("AR26Z004512", "AR26D004512", "AR26E111111"), FORMAT)
    affected = lambda s: s[4] in "CDEFG"  # noqa: E731
    assert [c.serial for c in rank_candidates(found, on_file=set(), affected=affected)][:1] == ["AR26D004512"]
    ranked = rank_candidates(found, on_file={"AR26E111111"}, affected=affected)
    assert [c.serial for c in ranked] == ["AR26E111111", "AR26D004512", "AR26Z004512"]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (["Model: FF260", "S/N AR26D004512"], "FF260"),
        (["MODEL NO.FF260"], "FF260"),  # a dot is a separator
        (["model ff260"], "FF260"),
        (["Model: FF300"], None),  # not a model of this campaign
        ([], None),
    ],
)
def test_model_on_label(read, expected):
    assert model_on_label(lines(*read), {"FF260"}) == expected
