import math
import random
import re

import pytest

from bot.domain.sms import (
    GSM7_BASIC,
    GSM7_EXTENDED,
    MAX_BODY_LENGTH,
    SegmentInfo,
    encoding_of,
    needs_ucs2,
    non_gsm_characters,
    segment_count,
    split_body,
    utf16_units,
)

# --- the GSM 03.38 tables ---------------------------------------------------------


def test_gsm7_tables():
    assert len(GSM7_BASIC) == 127  # 128 code points less the escape to the extension table
    assert frozenset("\f^{}\\[~]|€") == GSM7_EXTENDED
    assert not GSM7_BASIC & GSM7_EXTENDED
    assert "\x1b" not in GSM7_BASIC
    assert set("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r") <= GSM7_BASIC
    assert set("ABCXYZabcxyz0123456789 !\"#%&'()*+,-./:;<=>?") <= GSM7_BASIC
    assert not set("`çÁáíóúâêÊ’“”…–—\t") & (GSM7_BASIC | GSM7_EXTENDED)


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        ("", "GSM-7"),
        ("Your unit RP-7K3F2Q is booked for 12/03 @ 10:00.", "GSM-7"),
        ("Price: €20 [incl. tax] {ok} ~ | ^ \\", "GSM-7"),
        ("Ça coûte 5£ — merci", "UCS-2"),  # û and the em dash
        ("It’s fixed", "UCS-2"),  # curly apostrophe
        ("Thanks 👍", "UCS-2"),
        ("नमस्ते", "UCS-2"),
        ("tab\there", "UCS-2"),
        ("Über straße", "GSM-7"),
    ],
)
def test_encoding_of(body: str, encoding: str):
    assert encoding_of(body) == encoding


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("plain text", []),
        ("It’s “fixed” — it’s fine", ["’", "“", "”", "—"]),
        ("👍👍 ok 😀", ["👍", "😀"]),
        ("€ [ ] are fine", []),
        ("café à la carte", []),
        ("façade", ["ç"]),
        ("❤️", ["❤", "\ufe0f"]),  # the variation selector is a character too
    ],
)
def test_non_gsm_characters_are_distinct_and_in_order(body: str, expected: list[str]):
    assert non_gsm_characters(body) == expected


# --- segments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", SegmentInfo("GSM-7", 0, 0)),
        ("a", SegmentInfo("GSM-7", 1, 1)),
        ("a" * 160, SegmentInfo("GSM-7", 1, 160)),
        ("a" * 161, SegmentInfo("GSM-7", 2, 161)),
        ("a" * 306, SegmentInfo("GSM-7", 2, 306)),
        ("a" * 307, SegmentInfo("GSM-7", 3, 307)),
        ("a" * 459, SegmentInfo("GSM-7", 3, 459)),
        ("a" * 1600, SegmentInfo("GSM-7", 11, 1600)),
        ("€" * 80, SegmentInfo("GSM-7", 1, 160)),
        ("a" * 159 + "€", SegmentInfo("GSM-7", 2, 161)),
        ("\f" * 3, SegmentInfo("GSM-7", 1, 6)),
        # an escape sequence is never split: 152 + [€] would end a segment at 154
        ("a" * 152 + "€" + "a" * 152, SegmentInfo("GSM-7", 3, 306)),
        ("a" * 151 + "€" + "a" * 153, SegmentInfo("GSM-7", 2, 306)),
        ("д", SegmentInfo("UCS-2", 1, 1)),
        ("д" * 70, SegmentInfo("UCS-2", 1, 70)),
        ("д" * 71, SegmentInfo("UCS-2", 2, 71)),
        ("д" * 134, SegmentInfo("UCS-2", 2, 134)),
        ("д" * 135, SegmentInfo("UCS-2", 3, 135)),
        ("😀" * 35, SegmentInfo("UCS-2", 1, 70)),
        ("😀" * 36, SegmentInfo("UCS-2", 2, 72)),
        # a surrogate pair is never split: 66 + [😀] would end a segment at 68
        ("д" * 66 + "😀" + "д" * 66, SegmentInfo("UCS-2", 3, 134)),
        ("д" * 65 + "😀" + "д" * 67, SegmentInfo("UCS-2", 2, 134)),
        ("a" * 100 + "’", SegmentInfo("UCS-2", 2, 101)),  # one curly quote: 1 segment → 2
        ("a" * 159 + "’", SegmentInfo("UCS-2", 3, 160)),
    ],
)
def test_segment_count(body: str, expected: SegmentInfo):
    assert segment_count(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Devanagari: UCS-2, one UTF-16 unit per code point (a conjunct such as क्ष is three:
        # क, the virama, ष; a nukta or vowel sign is a unit of its own), never split into two.
        ("नमस्ते", SegmentInfo("UCS-2", 1, 6)),
        ("क्ष", SegmentInfo("UCS-2", 1, 3)),
        ("फ" * 70, SegmentInfo("UCS-2", 1, 70)),
        ("फ" * 71, SegmentInfo("UCS-2", 2, 71)),
        ("फ" * 134, SegmentInfo("UCS-2", 2, 134)),
        ("फ" * 135, SegmentInfo("UCS-2", 3, 135)),
        ("फ" * 335, SegmentInfo("UCS-2", 5, 335)),  # the outreach lint's limit for a Hindi notice
        ("फ" * 336, SegmentInfo("UCS-2", 6, 336)),
        ("फ्रिज ठीक है 👍", SegmentInfo("UCS-2", 1, 15)),  # the emoji is two units
        ("१२३४", SegmentInfo("UCS-2", 1, 4)),  # Devanagari digits
        ("फ" * 66 + "🙏" + "फ" * 66, SegmentInfo("UCS-2", 3, 134)),  # the surrogate pair is not split
        ("AR26D004512 " * 5 + "फ", SegmentInfo("UCS-2", 1, 61)),  # one Devanagari letter: all UCS-2
    ],
)
def test_segment_count_of_hindi(body: str, expected: SegmentInfo):
    assert segment_count(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("नमस्ते", True),
        ("Arctica FrostFree 260L फ्रिज का रिकॉल", True),  # Latin names inside a Hindi text
        ("привет", True),
        ("வணக்கம்", True),  # Tamil
        ("mera fridge thanda nahi kar raha", False),
        ("It’s “fixed” 👍", False),  # UCS-2, but only because of characters a Latin text can do without
        ("façade, coûte", False),  # Latin letters outside GSM-7: the lint names them
        ("ΔΦΓ", False),  # Greek capitals of GSM-7
        ("१२३", False),  # digits are not letters
        ("", False),
    ],
)
def test_needs_ucs2(body: str, expected: bool):
    assert needs_ucs2(body) is expected


def _reference_segments(body: str) -> int:
    """An independent count: build the segments one character at a time."""
    if not body:
        return 0
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in body):
        encoded = [("\x1b" + c) if c in GSM7_EXTENDED else c for c in body]
        single, size = 160, 153
    else:
        encoded = [c.encode("utf-16-le") for c in body]  # 2 or 4 bytes: whole units
        encoded = ["x" * (len(e) // 2) for e in encoded]
        single, size = 70, 67
    if sum(map(len, encoded)) <= single:
        return 1
    segments, current = [], ""
    for piece in encoded:
        if len(current) + len(piece) > size:
            segments.append(current)
            current = ""
        current += piece
    return len(segments) + 1


@pytest.mark.parametrize("seed", range(20))
def test_segment_count_matches_a_reference_on_random_bodies(seed: int):
    rng = random.Random(seed)
    alphabet = "ab €[д😀" if seed % 2 else "abc {}€^ "
    body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 700)))
    info = segment_count(body)
    assert info.segments == _reference_segments(body)
    per = 153 if info.encoding == "GSM-7" else 67
    if info.units > (160 if info.encoding == "GSM-7" else 70):
        assert info.segments >= math.ceil(info.units / per)
    if info.encoding == "UCS-2":
        assert info.units == len(body.encode("utf-16-le")) // 2


# --- splitting long replies ---------------------------------------------------------

WORDS = [
    "recall",
    "unit",
    "serial",
    "battery",
    "replacement",
    "engineer",
    "visit",
    "booked",
    "confirm",
    "address",
]


def prose(length: int, seed: int = 0) -> str:
    """Sentences of words, exactly `length` characters long."""
    rng = random.Random(seed)
    out = ""
    while len(out) < length:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14)))
        out += sentence.capitalize() + rng.choice(".!?") + (" " if rng.random() < 0.8 else "\n")
    out = out[:length]
    return out[:-1] + "x" if out[-1].isspace() else out


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_well_formed(parts: list[str], text: str, limit: int) -> None:
    assert parts, "a non-blank text gives at least one part"
    for part in parts:
        assert part and part == part.strip()
        assert utf16_units(part) <= limit
    assert squash(" ".join(parts)) == squash(text)


@pytest.mark.parametrize("length", [1, 1599, 1600])
def test_text_that_fits_is_one_part(length: int):
    text = prose(length)
    assert split_body(text) == [text]


@pytest.mark.parametrize(("length", "parts"), [(1601, 2), (3200, 3), (5000, 4)])
def test_long_prose_is_split_at_sentence_boundaries(length: int, parts: int):
    text = prose(length, seed=length)
    result = split_body(text)
    assert_well_formed(result, text, MAX_BODY_LENGTH)
    assert parts - 1 <= len(result) <= parts
    for part in result[:-1]:
        assert part[-1] in ".!?"  # every cut is at the end of a sentence
        assert len(part) >= MAX_BODY_LENGTH // 2


def test_many_lengths_and_limits_are_well_formed():
    for seed, (length, limit) in enumerate([(5000, 1600), (999, 100), (2000, 37), (400, 12)]):
        text = prose(length, seed)
        assert_well_formed(split_body(text, limit), text, limit)


def test_no_spaces_at_all_is_hard_cut():
    text = "x" * 5000
    assert [len(p) for p in split_body(text)] == [1600, 1600, 1600, 200]
    assert "".join(split_body(text)) == text


def test_only_a_word_longer_than_the_limit_is_hard_cut():
    long_word = "https://example.com/" + "a" * 1980
    text = "Open this link: " + long_word + " then reply DONE."
    parts = split_body(text)
    assert parts[0] == "Open this link:"
    assert "".join(parts[1:-1]) + parts[-1].split(" ")[0] == long_word
    assert parts[-1].endswith(" then reply DONE.")
    assert all(len(p) <= 1600 for p in parts)


def test_sentence_boundary_wins_when_it_fills_half_the_limit():
    first = "A" * 900 + "."
    second = " ".join(["word"] * 200)  # 999 characters
    assert split_body(first + " " + second) == [first, second]
    # also after "!", "?" and at a line break
    assert split_body(first[:-1] + "! " + second)[0] == first[:-1] + "!"
    assert split_body(first[:-1] + "? " + second)[0] == first[:-1] + "?"
    assert split_body("A" * 900 + "\n" + second)[0] == "A" * 900


def test_an_early_sentence_boundary_gives_way_to_a_fuller_word_cut():
    text = "Hi. " + " ".join(["word"] * 400)
    parts = split_body(text)
    assert parts[0] != "Hi."
    assert len(parts) == 2 and len(parts[0]) > 1500


def test_small_limits():
    assert split_body("one two three", 5) == ["one", "two", "three"]
    assert split_body("Hello world. Bye now", 13) == ["Hello world.", "Bye now"]
    assert split_body("abcdef", 4) == ["abcd", "ef"]
    assert split_body("  padded  ", 100) == ["padded"]


@pytest.mark.parametrize("body", ["", " ", "\n\n\t "])
def test_blank_bodies_give_no_parts(body: str):
    assert split_body(body) == []


def test_limit_must_hold_an_emoji():
    with pytest.raises(ValueError):
        split_body("abc", 1)


def test_emoji_count_two_and_are_never_split():
    text = "😀" * 1000  # 2,000 UTF-16 units, no spaces
    parts = split_body(text)
    assert [len(p) for p in parts] == [800, 200]
    assert "".join(parts) == text


def test_emoji_sequences_are_not_cut_apart():
    thumbs = "👍🏽"  # thumbs up + skin tone: 2 code points, 4 units
    text = "a" + thumbs * 600
    parts = split_body(text)
    assert "".join(parts) == text
    assert parts[0] == "a" + thumbs * 399
    assert all(p.replace("a", "").replace(thumbs, "") == "" for p in parts)
    assert all(utf16_units(p) <= 1600 for p in parts)


def test_flags_are_not_cut_apart():
    flag = "🇮🇳"  # two regional indicators
    text = "a" + flag * 600
    parts = split_body(text)
    assert "".join(parts) == text
    for part in parts:
        assert part.lstrip("a").replace(flag, "") == ""


def test_emoji_in_prose_count_two_units():
    text = ("Thanks 👍 " * 200).strip()  # 1,799 code points, 1,999 units
    parts = split_body(text)
    assert len(parts) == 2
    assert all(utf16_units(p) <= 1600 for p in parts)
    assert_well_formed(parts, text, 1600)
