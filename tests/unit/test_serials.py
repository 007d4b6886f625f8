import pytest

from bot.domain.serials import (
    SerialRange,
    affected_range,
    closest_serial,
    find_serial,
    is_affected,
    looks_like_serial,
    matches_format,
    normalise_serial,
    one_edit_apart,
)

FORMAT = r"^AR26[A-Z][0-9]{6}$"
RANGES = [SerialRange("FF260", "AR26C000001", "AR26G999999")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AR26D004512", "AR26D004512"),
        ("ar26d004512", "AR26D004512"),
        ("ar26-d 004512", "AR26D004512"),
        ("  AR26 D 004 512  ", "AR26D004512"),
        ("AR26_D.004/512", "AR26D004512"),
        ("ar26\td004512\n", "AR26D004512"),
        ("", ""),
        ("AR26D००४५१२", "AR26D004512"),  # Devanagari digits (issue 17)
        ("ar26-d ००४ ५१२", "AR26D004512"),
    ],
)
def test_normalise_serial(raw, expected):
    assert normalise_serial(raw) == expected


@pytest.mark.parametrize(
    ("serial", "ok"),
    [
        ("AR26D004512", True),
        ("AR26D00451", False),
        ("AR26D0045123", False),
        ("AR25D004512", False),
        ("AR26 D004512", False),
        ("XAR26D004512", False),
    ],
)
def test_matches_format_is_a_full_match(serial, ok):
    assert matches_format(serial, FORMAT) is ok


@pytest.mark.parametrize(
    ("serial", "affected"),
    [
        ("AR26C000001", True),  # first of range
        ("AR26G999999", True),  # last of range
        ("AR26D004512", True),
        ("AR26B999999", False),  # just before
        ("AR26H000000", False),  # just after
        ("AR26C00001", False),  # shorter string never compares into the range
        ("AR26D0045120", False),
    ],
)
def test_affected_ranges(serial, affected):
    assert is_affected(serial, RANGES) is affected
    assert (affected_range(serial, RANGES) is not None) is affected


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("AR26D004512", "AR26D004513", True),  # substitution
        ("AR26D004512", "AR26D04512", True),  # deletion
        ("AR26D004512", "AR26D0045122", True),  # insertion
        ("AR26D004512", "AR26D004521", True),  # neighbours swapped
        ("AR26D004512", "AR26D004512", False),  # identical is not a near miss
        ("AR26D004512", "AR26D004599", False),  # two substitutions
        ("AR26D004512", "AR26D0045", False),
    ],
)
def test_one_edit_apart(a, b, close):
    assert one_edit_apart(a, b) is close
    assert one_edit_apart(b, a) is close


def test_closest_serial_only_when_unambiguous():
    assert closest_serial("AR26D004513", ["AR26D004512", "AR26E000001"]) == "AR26D004512"
    assert closest_serial("AR26D004510", ["AR26D004511", "AR26D004512"]) is None
    assert closest_serial("AR26D999999", ["AR26D004512"]) is None


@pytest.mark.parametrize(
    ("text", "serial", "shaped"),
    [
        ("sr no ar26-d 004512 pls", "AR26D004512", "004512"),  # the longest run of one word
        ("AR26D004512", "AR26D004512", "AR26D004512"),
        ("where is the serial?", None, None),
        # Hindi and Hinglish (issue 17)
        ("AR26D००४५१२", "AR26D004512", "AR26D004512"),
        ("मेरा सीरियल नंबर AR26D004512 है", "AR26D004512", "AR26D004512"),
        ("सीरियल नंबर: AR26-D ००४५१२", "AR26D004512", "004512"),
        ("AR26D004512है", "AR26D004512", "AR26D004512"),
        ("serial AR26D004512 hai", "AR26D004512", "AR26D004512"),
        ("mera serial no AR26D004512 h", "AR26D004512", "AR26D004512"),
        ("मेरा सीरियल AR26D००४५१ है", None, "AR26D00451"),  # one digit short: refused, and shown
        ("सीरियल नंबर कहाँ है?", None, None),
    ],
)
def test_a_serial_is_found_in_a_message(text, serial, shaped):
    assert find_serial(text, FORMAT) == serial
    assert looks_like_serial(text) == shaped
