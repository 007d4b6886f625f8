"""From the text an OCR engine read on a photo of the product label to the serials it may
show, likeliest first (docs/conversation.md, "A photo of the label").

The same look-alike rules as a typed serial (`bot.domain.serials.serial_readings`: O/0,
I/1, S/5, B/8, Z/2 read as the kind the format wants), applied line by line: a label
prints the serial on one line, beside a caption ("S/N:", "Serial No.") that the format
rules out, or glued to it when the OCR lost the space ("SER.NOAR26D004512": read from
inside the word, at the cost of one substitution). A read serial is only ever a suggestion
the customer confirms with YES.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from bot.domain.serials import serial_readings

MAX_WORDS_PER_SERIAL = 4  # "AR26 D 004512" printed in groups, plus a stray caption letter
MAX_SUBSTITUTIONS = 2  # more look-alikes than this on one serial is a guess, not a reading
GLUED_COST = (
    1  # a serial read from inside a word ("SER.NOAR26D004512": the OCR lost the space) counts as a substitution
)
_MODEL_WORD = re.compile(r"[A-Za-z0-9]+")
_WORD_CHAR = re.compile(r"[A-Za-z0-9|]")  # as `serial_readings` reads words
_WORDS = re.compile(r"[A-Za-z0-9|]+")


@dataclass(frozen=True)
class TextLine:
    """One line of text the OCR engine found, with its confidence (0–1)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class SerialCandidate:
    serial: str
    substitutions: int  # look-alike characters read as the other kind
    confidence: float  # the OCR engine's confidence in the line it was read from
    line: str  # that line, as read


def serial_candidates(
    lines: Iterable[TextLine], serial_format: re.Pattern[str] | str, *, min_confidence: float = 0.0
) -> list[SerialCandidate]:
    """Every serial of the format on the label, each once (its best reading: fewest
    substitutions, then highest confidence), fewest substitutions first, then by confidence.

    >>> [c.serial for c in serial_candidates([TextLine("S/N: AR26D0O4512", 0.9)], r"^AR26[A-Z][0-9]{6}$")]
    ['AR26D004512']
    >>> glued = serial_candidates([TextLine("SER.NOAR26D004512", 0.9)], r"^AR26[A-Z][0-9]{6}$")
    >>> [(c.serial, c.substitutions) for c in glued]
    [('AR26D004512', 1)]"""
    pattern = re.compile(serial_format) if isinstance(serial_format, str) else serial_format
    best: dict[str, SerialCandidate] = {}
    for line in lines:
        if line.confidence < min_confidence:
            continue
        for serial, substitutions in _line_readings(line.text, pattern):
            if substitutions > MAX_SUBSTITUTIONS:
                continue
            candidate = SerialCandidate(serial, substitutions, line.confidence, line.text)
            known = best.get(serial)
            if known is None or _order(candidate) < _order(known):
                best[serial] = candidate
    return sorted(best.values(), key=_order)


def _line_readings(text: str, pattern: re.Pattern[str]) -> Iterable[tuple[str, int]]:
    """(serial, substitutions) of every reading of the line: its words as they are, then
    from inside a word on (the caption glued to the serial, "SER.NOAR26D004512"), at `GLUED_COST`."""
    for reading in serial_readings(text, pattern, max_words=MAX_WORDS_PER_SERIAL):
        yield reading.serial, reading.substitutions
    for cut in range(1, len(text)):
        if _WORD_CHAR.match(text[cut - 1]) and _WORD_CHAR.match(text[cut]):
            head = " ".join(_WORDS.findall(text[cut:])[:MAX_WORDS_PER_SERIAL])  # runs from the cut on
            for reading in serial_readings(head, pattern, max_words=MAX_WORDS_PER_SERIAL):
                yield reading.serial, reading.substitutions + GLUED_COST


def _order(candidate: SerialCandidate) -> tuple[int, float, str]:
    return (candidate.substitutions, -candidate.confidence, candidate.serial)


def rank_candidates(
    candidates: Iterable[SerialCandidate], *, on_file: Collection[str], affected: Callable[[str], bool]
) -> list[SerialCandidate]:
    """The customer's own serial on file first, then affected serials (in the registry or an
    affected range), then the rest; within a tier the reading order of `serial_candidates`."""

    def tier(candidate: SerialCandidate) -> int:
        if candidate.serial in on_file:
            return 0
        return 1 if affected(candidate.serial) else 2

    return sorted(candidates, key=lambda c: (tier(c), _order(c)))


def model_on_label(lines: Iterable[TextLine], models: Collection[str]) -> str | None:
    """The first of the campaign's model numbers printed on the label ("Model: FF260"), if any."""
    wanted = {m.upper(): m for m in models}
    for line in lines:
        for word in _MODEL_WORD.findall(line.text):
            if word.upper() in wanted:
                return wanted[word.upper()]
    return None
