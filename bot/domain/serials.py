"""Serial numbers: normalisation, format check, affected ranges, near misses.

Digits of other scripts are read as ASCII ("AR26D००४५१२" → "AR26D004512", issue 17), and a
serial inside a Hindi sentence is found like one inside an English one ("मेरा सीरियल नंबर
AR26D004512 है"): Devanagari words are not serial characters, so they separate words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.scripts import ascii_digits

_SEPARATORS = re.compile(r"[\s\-_./\\]+")


def normalise_serial(raw: str) -> str:
    """Upper case, with spaces, dashes, dots, slashes and underscores removed.

    >>> normalise_serial(" ar26-d 004512 ")
    'AR26D004512'
    """
    return _SEPARATORS.sub("", ascii_digits(raw or "")).upper()


def matches_format(serial: str, serial_format: re.Pattern[str] | str) -> bool:
    pattern = re.compile(serial_format) if isinstance(serial_format, str) else serial_format
    return pattern.fullmatch(serial) is not None


@dataclass(frozen=True)
class SerialRange:
    """Serials from `start` to `end` inclusive; serials compare as same-length strings."""

    model: str
    start: str
    end: str

    def __contains__(self, serial: object) -> bool:
        return (
            isinstance(serial, str)
            and len(serial) == len(self.start) == len(self.end)
            and self.start <= serial <= self.end
        )


def affected_range(serial: str, ranges: Iterable[SerialRange]) -> SerialRange | None:
    """The affected range that holds `serial` (already normalised), or None."""
    for candidate in ranges:
        if serial in candidate:
            return candidate
    return None


def is_affected(serial: str, ranges: Iterable[SerialRange]) -> bool:
    return affected_range(serial, ranges) is not None


def one_edit_apart(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one substitution, insertion, deletion or
    swap of two neighbouring characters (the usual typing slips)."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if la < lb else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def closest_serial(serial: str, known: Iterable[str]) -> str | None:
    """The single known serial one slip away from `serial`, or None (none or ambiguous)."""
    matches = {k for k in known if one_edit_apart(serial, k)}
    return matches.pop() if len(matches) == 1 else None


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")


def find_serial(text: str, serial_format: re.Pattern[str] | str, max_tokens: int = 5) -> str | None:
    """The serial written somewhere in `text` ("sr no ar26-d 004512 pls"), normalised.

    Tries every run of up to `max_tokens` neighbouring words, longest first, and returns
    the first whose normalised form matches the format in full."""
    pattern = re.compile(serial_format) if isinstance(serial_format, str) else serial_format
    tokens = _TOKEN.findall(ascii_digits(text or ""))
    for width in range(min(max_tokens, len(tokens)), 0, -1):
        for start in range(len(tokens) - width + 1):
            candidate = normalise_serial("".join(tokens[start : start + width]))
            if pattern.fullmatch(candidate):
                return candidate
    return None


def looks_like_serial(text: str) -> str | None:
    """The longest serial-shaped run in `text` (letters and digits, 6+ characters, at
    least one digit), normalised — used to explain why a serial was refused."""
    best = None
    for token in _TOKEN.findall(ascii_digits(text or "")):
        candidate = normalise_serial(token)
        if len(candidate) >= 6 and any(c.isdigit() for c in candidate) and (best is None or len(candidate) > len(best)):
            best = candidate
    return best


# ---------------------------------------------------------------------- look-alike slips

# What a customer may type for a digit, and for a letter, where the format wants the other.
DIGIT_LOOKALIKES = {
    **dict.fromkeys("Oo", "0"),
    **dict.fromkeys("Iil|", "1"),
    **dict.fromkeys("Ss", "5"),
    "B": "8",
    **dict.fromkeys("Zz", "2"),
}
LETTER_LOOKALIKES = {"0": "O", "1": "I", "|": "I", "5": "S", "8": "B", "2": "Z"}
_WORD = re.compile(r"[A-Za-z0-9|]+")  # anything else is a separator
MAX_READINGS_PER_RUN = 4096  # a run with more look-alike combinations than this is not a serial


@dataclass(frozen=True)
class SerialReading:
    """A serial the campaign's format allows, read from what the customer typed."""

    serial: str
    substitutions: int  # look-alike characters read as the other kind (O as 0, 5 as S ...)

    @property
    def substituted(self) -> bool:
        return self.substitutions > 0


def _choices(char: str) -> list[tuple[str, int]]:
    """(character, substitutions) for one typed character: as typed (upper case), then its look-alikes."""
    out = [(char.upper(), 0)] if char.isalnum() else []
    for table in (DIGIT_LOOKALIKES, LETTER_LOOKALIKES):
        if char in table and all(table[char] != c for c, _ in out):
            out.append((table[char], 1))
    return out


def _run_readings(run: str, pattern: re.Pattern[str]) -> list[SerialReading]:
    options = [_choices(c) for c in run]
    combinations = 1
    for option in options:
        combinations *= len(option)
    if not combinations or combinations > MAX_READINGS_PER_RUN:
        return []
    readings = [("", 0)]
    for option in options:  # position by position: the typed character, or its look-alike
        readings = [(text + c, subs + n) for text, subs in readings for c, n in option]
    return [SerialReading(text, subs) for text, subs in readings if pattern.fullmatch(text)]


def serial_readings(text: str, serial_format: re.Pattern[str] | str, max_words: int = 6) -> tuple[SerialReading, ...]:
    """Every serial the format allows that `text` may mean, fewest look-alike substitutions
    first (then alphabetical): separators of any kind are dropped, words around the serial
    ignored, and where the format wants a digit O/o→0, I/i/l/|→1, S/s→5, B→8, Z/z→2 (where it
    wants a letter 0→O, 1→I, 5→S, 8→B, 2→Z).

    >>> [r.serial for r in serial_readings("ar26d1o452O", r"^AR26[A-Z][0-9]{6}$")]
    ['AR26D104520']"""
    pattern = re.compile(serial_format) if isinstance(serial_format, str) else serial_format
    words = _WORD.findall(ascii_digits(text or ""))
    best: dict[str, int] = {}
    for width in range(1, min(max_words, len(words)) + 1):
        for start in range(len(words) - width + 1):
            for reading in _run_readings("".join(words[start : start + width]), pattern):
                best[reading.serial] = min(best.get(reading.serial, reading.substitutions), reading.substitutions)
    return tuple(SerialReading(s, n) for s, n in sorted(best.items(), key=lambda item: (item[1], item[0])))


def read_serial(text: str, serial_format: re.Pattern[str] | str) -> SerialReading | None:
    """The likeliest serial in `text` (see `serial_readings`), or None when no reading fits.

    >>> read_serial("its AR26-D00451Z i think", r"^AR26[A-Z][0-9]{6}$")
    SerialReading(serial='AR26D004512', substitutions=1)"""
    readings = serial_readings(text, serial_format)
    return readings[0] if readings else None
