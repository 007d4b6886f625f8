"""SMS segment counting: GSM-7 160/153 septets, UCS-2 70/67 units."""

from __future__ import annotations

import pytest

from bot.twilio_sim.segments import count_segments, encoding


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),  # extension characters take two septets
        ("a" * 152 + "€", 1),
        ("a" * 159 + "€", 2),
        ("é" * 160, 1),  # é is in the GSM-7 basic set
        ("ł" * 70, 1),
        ("ł" * 71, 2),
        ("ł" * 134, 2),
        ("ł" * 135, 3),
        ("😀" * 35, 1),
        ("😀" * 36, 2),  # outside the BMP: two UTF-16 units each
        ("नमस्ते " * 10, 1),
        ("नमस्ते " * 11, 2),
        ("फ" * 134, 2),  # Devanagari: 67 per part
        ("फ" * 135, 3),
        ("फ" * 335, 5),  # the most a Hindi notice may take (bot/outreach/notice.py)
        ("फ" * 66 + "🙏" + "फ" * 66, 3),  # the emoji's surrogate pair is not split across parts
    ],
)
def test_segments(body: str, segments: int) -> None:
    assert count_segments(body) == segments


def test_encoding() -> None:
    assert encoding("Hello {world}") == "GSM-7"
    assert encoding("Hello ✓") == "UCS-2"
    assert encoding("फ्रिज") == "UCS-2"
