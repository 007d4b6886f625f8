"""Which writing system a message uses, and digits of other scripts read as ASCII digits
(issue 17's first step: Devanagari → Hindi; Latin letters may be English or romanised Hindi,
which only the words tell).

Plain functions over Unicode ranges; no detector library (a maintained one is chosen for
Latin-script Hindi by measurement, issue 17)."""

from __future__ import annotations

import enum
import unicodedata


class Script(enum.StrEnum):
    DEVANAGARI = "devanagari"
    LATIN = "latin"
    MIXED = "mixed"  # letters of both, neither at least 80% of them
    NONE = "none"  # no letters (digits, emoji, punctuation)


DOMINANT = 0.8
_DEVANAGARI = range(0x0900, 0x0980)
_DEVANAGARI_EXTENDED = range(0xA8E0, 0xA900)


def _is_devanagari(ch: str) -> bool:
    return ord(ch) in _DEVANAGARI or ord(ch) in _DEVANAGARI_EXTENDED


def script_of(text: str) -> Script:
    """The script of the message's letters: Devanagari or Latin when at least 80% of them are,
    mixed when neither is, none without letters (a serial's letters count as Latin)."""
    devanagari = latin = 0
    for ch in text or "":
        if _is_devanagari(ch) and (ch.isalpha() or unicodedata.category(ch).startswith("M")):
            devanagari += 1
        elif ch.isalpha() and ch.isascii():
            latin += 1
    letters = devanagari + latin
    if letters == 0:
        return Script.NONE
    if devanagari / letters >= DOMINANT:
        return Script.DEVANAGARI
    if latin / letters >= DOMINANT:
        return Script.LATIN
    return Script.MIXED


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits ("०१२" → "012", "२" → "2"); everything else kept."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text or "")
