"""When a customer's remedy is complete, unit by unit (bot/domain/unit_progress.py)."""

import pytest

from bot.domain.unit_progress import UnitProgress, awaiting, customer_complete, owed


def unit(code: str, remedy: str | None = None) -> UnitProgress:
    """A unit from letters: a = affected, v = verified, x = out of reach, c = corrected."""
    return UnitProgress(
        affected="a" in code, verified="v" in code, out_of_reach="x" in code, corrected="c" in code, remedy=remedy
    )


@pytest.mark.parametrize(
    ("code", "is_owed"),
    [
        ("av", True),
        ("avc", True),  # corrected, still one the recall owed a remedy
        ("a", False),  # on file, never verified by the customer
        ("v", False),  # verified, not affected
        ("avx", False),  # sold, given away or thrown away
        ("", False),
    ],
)
def test_owed(code, is_owed):
    assert owed(unit(code)) is is_owed


@pytest.mark.parametrize(
    ("code", "remedy", "is_owed"),
    [
        ("a", "refund", True),  # arranged by an agent for a buyer who never sent the serial
        ("ax", "repair", False),  # then sold
        ("", "repair", False),  # not affected
    ],
)
def test_a_unit_with_a_remedy_arranged_is_owed(code, remedy, is_owed):
    assert owed(unit(code, remedy)) is is_owed


@pytest.mark.parametrize(
    ("units", "remedy_completed", "complete"),
    [
        # every owed unit corrected
        (["avc"], True, True),
        (["avc", "avc"], True, True),
        # one owed unit still waits: not complete, whatever this outcome did
        (["avc", "av"], True, False),
        (["av", "av"], True, False),
        # out of reach, unverified and not-affected units are not waited for
        (["avc", "avx"], True, True),
        (["avc", "a"], True, True),
        (["avc", "v"], True, True),
        # no owed unit at all (units without a verification of their own): this remedy decides
        (["a"], True, True),
        (["a"], False, False),
        ([], True, True),
        ([], False, False),
        (["avx", "avx"], True, True),
        # an outcome that completed nothing still reports a customer whose units are all corrected
        (["avc"], False, True),
    ],
)
def test_customer_complete(units, remedy_completed, complete):
    assert customer_complete([unit(u) for u in units], remedy_completed=remedy_completed) is complete


def test_a_unit_arranged_but_never_verified_is_waited_for():
    repaired, refund_pending = unit("ac", "repair"), unit("a", "refund")
    assert customer_complete([repaired, refund_pending], remedy_completed=True) is False
    assert customer_complete([repaired, unit("ac", "refund")], remedy_completed=True) is True


@pytest.mark.parametrize(
    ("units", "remedy", "chosen"),
    [
        ([("a", None)], "repair", [0]),
        ([("a", "repair"), ("a", "refund")], "repair", [0]),
        ([("a", "repair"), ("a", "refund")], "refund", [1]),
        ([("ac", "repair"), ("a", "repair")], "repair", [1]),  # already corrected
        ([("ax", None), ("a", None)], "repair", [1]),  # out of reach
        ([("v", None), ("av", None)], "repair", [1]),  # not affected
        ([("a", "replacement")], "repair", []),
    ],
)
def test_units_awaiting_a_remedy_recorded_without_its_units(units, remedy, chosen):
    assert awaiting([(n, unit(code, r)) for n, (code, r) in enumerate(units)], remedy) == chosen
