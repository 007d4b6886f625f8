"""Both SMS segment counters (the app's and the Twilio simulator's) against Twilio's documented rules.

GSM-7: 160 septets in one segment, 153 per part; the extension characters (^ { } \\ [ ~ ] | € and
form feed) take two septets and are never split; ESC itself is not a character a body can contain,
so a literal one makes the body UCS-2. UCS-2: 70 UTF-16 code units in one segment, 67 per part; an
emoji (a surrogate pair) takes two units and is never split.
"""

from __future__ import annotations

import pytest

from bot.domain.sms import segment_count
from bot.twilio_sim.segments import count_segments, encoding

EXAMPLES = [
    # (body, encoding, units, segments)
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),  # 2 x 153
    ("a" * 307, "GSM-7", 307, 3),
    ("é" * 160, "GSM-7", 160, 1),  # é is in the basic set
    ("€" * 80, "GSM-7", 160, 1),  # extension characters count double
    ("€" * 81, "GSM-7", 162, 2),
    ("{}" * 40, "GSM-7", 160, 1),
    ("^" * 81, "GSM-7", 162, 2),
    ("\f" * 80, "GSM-7", 160, 1),
    ("a" * 159 + "€", "GSM-7", 161, 2),
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),  # the escape pair is not split across parts
    ("a" * 159 + "\x1b", "UCS-2", 160, 3),  # a literal ESC is not GSM-7
    ("\x1b", "UCS-2", 1, 1),
    ("ł" * 70, "UCS-2", 70, 1),
    ("ł" * 71, "UCS-2", 71, 2),
    ("ł" * 134, "UCS-2", 134, 2),  # 2 x 67
    ("ł" * 135, "UCS-2", 135, 3),
    ("It’s" + "a" * 66, "UCS-2", 70, 1),  # one curly apostrophe makes the whole body UCS-2
    ("It’s" + "a" * 67, "UCS-2", 71, 2),
    ("a" * 68 + "😀", "UCS-2", 70, 1),  # an emoji is two code units
    ("a" * 69 + "😀", "UCS-2", 71, 2),
    ("😀" * 35, "UCS-2", 70, 1),
    ("😀" * 36, "UCS-2", 72, 2),
    ("a" * 66 + "😀" + "a" * 66, "UCS-2", 134, 3),  # the surrogate pair is not split across parts
    ("फ" * 70, "UCS-2", 70, 1),  # Devanagari (a Hindi notice): UCS-2
    ("फ" * 71, "UCS-2", 71, 2),
    ("फ" * 134, "UCS-2", 134, 2),
    ("फ" * 135, "UCS-2", 135, 3),
    ("फ" * 335, "UCS-2", 335, 5),
    ("नमस्ते 🙏", "UCS-2", 9, 1),
]


@pytest.mark.parametrize(("body", "expected_encoding", "units", "segments"), EXAMPLES)
def test_app_counter(body: str, expected_encoding: str, units: int, segments: int) -> None:
    info = segment_count(body)
    assert (info.encoding, info.units, info.segments) == (expected_encoding, units, segments)


@pytest.mark.parametrize(("body", "expected_encoding", "units", "segments"), EXAMPLES)
def test_simulator_counter(body: str, expected_encoding: str, units: int, segments: int) -> None:
    assert (encoding(body), count_segments(body)) == (expected_encoding, segments)


def test_empty_body() -> None:
    assert segment_count("").segments == 0  # the app never sends one
    assert count_segments("") == 1  # Twilio bills an empty message as one segment
