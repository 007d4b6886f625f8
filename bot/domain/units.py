"""Several units per customer: how many the customer says they have, several serials in
one message, and how a unit is named in the conversation ("your second refrigerator")."""

from __future__ import annotations

import re

from bot.domain.scripts import ascii_digits
from bot.domain.serials import normalise_serial

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")

NUMBERS = {
    "two": 2,
    "2": 2,
    "both": 2,
    "couple": 2,
    "pair": 2,
    "three": 3,
    "3": 3,
    "four": 4,
    "4": 4,
    "five": 5,
    "5": 5,
}
UNIT_WORDS = (
    r"fridges?|frid?ge?s?|fridg|frdge|refrid?gerators?|refrigerators?|freezers?|appliances?|units?|"
    r"products?|machines?|ones|of\s+(them|these|those|your|ur|the)"
)
# "i have two fridges", "we got 2 of these", "both of them", "a couple of your units"
_COUNT = re.compile(
    rf"\b(two|2|three|3|four|4|five|5|couple|pair)\s+(of\s+)?(\w+\s+){{0,2}}({UNIT_WORDS})\b",
    re.IGNORECASE,
)
_BOTH = re.compile(rf"\bboth\s+(of\s+)?(them|these|those|my|our|({UNIT_WORDS}))\b", re.IGNORECASE)
# Hinglish and Hindi (issue 17): "mere paas do fridge hai", "teen fridge liye the", "dono fridge",
# "दो फ्रिज हैं". "do" is English too ("do fridges get recalled"): only with paas/hai around it.
HINDI_NUMBERS = {
    **dict.fromkeys(("do", "dono", "donon"), 2),
    **dict.fromkeys(("teen", "teeno", "teenon"), 3),
    **dict.fromkeys(("char", "chaar"), 4),
    **dict.fromkeys(("panch", "paanch"), 5),
}
_HI_COUNT = re.compile(
    rf"\b(?:(?:paas|pass|mere|hamare|humare|hamre)\s+(?P<after>do|teen|chaa?r|paa?nch)\s+({UNIT_WORDS})"
    rf"|(?P<before>do|teen|chaa?r|paa?nch)\s+({UNIT_WORDS})\s+(?:hai|hain|h|he|liye|liya|kharide|kharida|the|thi)"
    rf"|(?P<dono>dono|donon|teeno|teenon)\s+({UNIT_WORDS}))\b",
    re.IGNORECASE,
)
_DEVANAGARI_UNITS = r"फ्रिज|फ्रीज|फ़्रिज|फ्रिजों|रेफ्रिजरेटर|यूनिट"
_DEVANAGARI_COUNT = re.compile(rf"(?<!\S)(दो|दोनों|तीन|तीनों|चार|पांच|पाँच)\s+({_DEVANAGARI_UNITS})(?!\S)")
_DEVANAGARI_NUMBERS = {"दो": 2, "दोनों": 2, "तीन": 3, "तीनों": 3, "चार": 4, "पांच": 5, "पाँच": 5}
# "two fridges, both bought in may" is about the fridges; "the second one is ..." names a unit.
_SERIAL_LIKE = re.compile(r"[A-Za-z]*\d[A-Za-z0-9]{5,}")

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def units_mentioned(text: str) -> int | None:
    """How many units the customer says they have (2 for "i have 2 of these fridges",
    "both of them"), or None when the message says no number of units.

    >>> units_mentioned("hi, I have two of your fridges, both bought in May")
    2
    >>> units_mentioned("my serial is AR26D004512") is None
    True"""
    cleaned = _SERIAL_LIKE.sub(" ", text or "")
    match = _COUNT.search(cleaned)
    if match:
        return NUMBERS[match.group(1).lower()]
    if _BOTH.search(cleaned):
        return 2
    hinglish = _HI_COUNT.search(cleaned)
    if hinglish:
        word = (hinglish.group("after") or hinglish.group("before") or hinglish.group("dono")).lower()
        return HINDI_NUMBERS[word]
    hindi = _DEVANAGARI_COUNT.search(cleaned)
    return _DEVANAGARI_NUMBERS[hindi.group(1)] if hindi else None


def find_serials(text: str, serial_format: re.Pattern[str] | str, max_tokens: int = 5) -> tuple[list[str], str]:
    """Every serial written in `text` ("AR26D104514 and ar26-e 200001"), normalised, in the
    order written and without repeats, and what is left of the text once they are taken out
    (a word run that may be another serial, mistyped).

    Runs of up to `max_tokens` neighbouring words are tried longest first, as
    `serials.find_serial` does; a word belongs to one serial at most."""
    pattern = re.compile(serial_format) if isinstance(serial_format, str) else serial_format
    tokens = _TOKEN.findall(ascii_digits(text or ""))
    used = [False] * len(tokens)
    found: list[tuple[int, str]] = []
    for width in range(min(max_tokens, len(tokens)), 0, -1):
        for start in range(len(tokens) - width + 1):
            if any(used[start : start + width]):
                continue
            candidate = normalise_serial("".join(tokens[start : start + width]))
            if pattern.fullmatch(candidate):
                found.append((start, candidate))
                for i in range(start, start + width):
                    used[i] = True
    serials = list(dict.fromkeys(serial for _, serial in sorted(found)))
    remainder = " ".join(token for token, taken in zip(tokens, used, strict=True) if not taken)
    return serials, remainder


def ordinal(position: int) -> str:
    """'first', 'second' … for a 1-based position (beyond ten: '11th')."""
    if 1 <= position <= len(ORDINALS):
        return ORDINALS[position - 1]
    suffix = "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"
