"""SMS arithmetic: GSM-7 vs UCS-2, segment counts, and splitting long replies.

Segments are what the carrier bills. A body made only of GSM 03.38 characters travels
as GSM-7: up to 160 septets in one segment, 153 per segment once concatenated, with
the extension characters (`^{}\\[~]|€` and form feed) taking two septets each (an
escape plus the character), never split across two segments. Any other character
switches the whole message to UCS-2: up to 70 UTF-16 code units in one segment, 67
per segment once concatenated, an emoji (a surrogate pair) counting two units and
never split. One curly quote or emoji therefore roughly triples the cost of a long
message — `non_gsm_characters` names the culprits for the outreach linter. A text in a
script GSM-7 has no letters for (Devanagari: a Hindi notice) is UCS-2 by nature
(`needs_ucs2`); the lint gives it UCS-2's segment limit instead of a warning.

Twilio accepts a body of at most 1,600 characters; `split_body` cuts longer replies
into several messages at sentence or word boundaries.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Encoding = "GSM-7"
UCS2: Encoding = "UCS-2"

# GSM 03.38 default alphabet, code points 0x00-0x7F in table order; 0x1B (the escape
# to the extension table) is not a character a body can contain, so it is left out.
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"  # 0x10-0x1F without 0x1B
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# GSM 03.38 extension table (reached through the escape): two septets each.
GSM7_EXTENDED: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE_SEGMENT = 160
GSM7_MULTI_SEGMENT = 153
UCS2_SINGLE_SEGMENT = 70
UCS2_MULTI_SEGMENT = 67
MAX_BODY_LENGTH = 1600


@dataclass(frozen=True)
class SegmentInfo:
    encoding: Encoding
    segments: int
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2


def is_gsm7(char: str) -> bool:
    return char in GSM7_BASIC or char in GSM7_EXTENDED


def encoding_of(body: str) -> Encoding:
    """'GSM-7' when every character is in the GSM 03.38 tables, otherwise 'UCS-2'."""
    return GSM7 if all(is_gsm7(c) for c in body) else UCS2


def non_gsm_characters(body: str) -> list[str]:
    """The distinct characters (code points) outside GSM-7, in order of first appearance."""
    return list(dict.fromkeys(c for c in body if not is_gsm7(c)))


def _latin_letter(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN ")


def needs_ucs2(body: str) -> bool:
    """Whether the text is written in a script GSM-7 has no letters for (Devanagari,
    Tamil, Cyrillic, Arabic ...): a letter outside GSM-7 that is not a Latin one. Such a
    text is UCS-2 by nature; a Latin-script text that is UCS-2 (a curly quote, an emoji,
    a "ç") could be GSM-7, and the outreach lint names the characters that prevent it."""
    return any(char.isalpha() and not is_gsm7(char) and not _latin_letter(char) for char in body)


def utf16_units(text: str) -> int:
    """Length in UTF-16 code units: 1 per BMP character, 2 per astral one (emoji)."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def _pack(costs: list[int], size: int) -> int:
    """Segments needed to pack items of these costs, none split, `size` units each."""
    segments, used = 1, 0
    for cost in costs:
        if used + cost > size:
            segments, used = segments + 1, 0
        used += cost
    return segments


def segment_count(body: str) -> SegmentInfo:
    """Encoding, segments and units of a body.

    An empty body is 0 segments (nothing to send; Twilio itself would bill 1 for an empty
    message, but the app never sends one). Any non-empty body is at least 1 segment.
    """
    encoding = encoding_of(body)
    if encoding == GSM7:
        costs = [2 if c in GSM7_EXTENDED else 1 for c in body]
        single, multi = GSM7_SINGLE_SEGMENT, GSM7_MULTI_SEGMENT
    else:
        costs = [2 if ord(c) > 0xFFFF else 1 for c in body]
        single, multi = UCS2_SINGLE_SEGMENT, UCS2_MULTI_SEGMENT
    units = sum(costs)
    if units == 0:
        return SegmentInfo(encoding, 0, 0)
    if units <= single:
        return SegmentInfo(encoding, 1, units)
    return SegmentInfo(encoding, _pack(costs, multi), units)


# --- splitting long replies ---------------------------------------------------------

_SENTENCE_END = ".!?"


def _fitting_prefix(text: str, limit: int) -> int:
    """The largest i such that text[:i] is at most `limit` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _joins_previous(char: str) -> bool:
    """Characters that belong to the grapheme before them: never start a part with one."""
    code = ord(char)
    return (
        unicodedata.combining(char) > 0
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors (emoji presentation)
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or code == 0x200D  # zero-width joiner
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _safe_hard_cut(text: str, cut: int) -> int:
    """Move a hard cut left so it does not split an emoji sequence or combining mark."""
    candidate = cut
    while candidate > 0 and (_joins_previous(text[candidate]) or text[candidate - 1] == "\u200d"):
        candidate -= 1
    if candidate > 0 and _is_regional_indicator(text[candidate]):
        run = 0  # flags are pairs of regional indicators: cut between pairs
        while candidate - run - 1 >= 0 and _is_regional_indicator(text[candidate - run - 1]):
            run += 1
        if run % 2 == 1:
            candidate -= 1
    return candidate if candidate > 0 else cut


def _cut_point(text: str, window: int, limit: int) -> tuple[int, int]:
    """Where to cut `text` (longer than the limit): (end of this part, start of the next).

    `window` is the longest prefix that fits. A sentence boundary (". ", "! ", "? " or a
    line break) wins when it fills at least half the limit; then the last whitespace;
    a hard cut only when the first word alone is longer than the limit.
    """
    last_sentence = -1
    last_space = -1
    for index in range(1, window + 1):  # text[index] exists: len(text) > window
        char = text[index]
        if char in "\r\n":
            last_sentence = index
        elif char.isspace():
            last_space = index
            if text[index - 1] in _SENTENCE_END:
                last_sentence = index
    if last_sentence > 0 and utf16_units(text[:last_sentence]) >= limit // 2:
        return last_sentence, last_sentence
    if last_space > 0 or last_sentence > 0:
        cut = max(last_space, last_sentence)
        return cut, cut
    cut = _safe_hard_cut(text, window)
    return cut, cut


def split_body(body: str, limit: int = MAX_BODY_LENGTH) -> list[str]:
    """Split a reply into messages of at most `limit` characters each.

    Characters are counted as UTF-16 code units (an emoji counts 2), which is how
    Twilio measures its 1,600-character limit, and is never less than `len()`.
    Parts are stripped of the whitespace at each cut and are never empty; joining them
    with a single space (or a newline) gives back the text, modulo that whitespace.
    Only a single word longer than the limit is cut mid-word (and then not inside a
    surrogate pair, emoji sequence or combining mark). An empty or blank body gives [].
    """
    if limit < 2:
        raise ValueError("limit must be at least 2 (an emoji takes two units)")
    parts: list[str] = []
    rest = body.strip()
    while utf16_units(rest) > limit:
        window = _fitting_prefix(rest, limit)
        end, start = _cut_point(rest, window, limit)
        part = rest[:end].rstrip()
        parts.append(part)
        rest = rest[start:].lstrip()
    if rest:
        parts.append(rest)
    return parts
