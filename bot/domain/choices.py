"""Which option of a numbered list (sent by SMS) a customer's reply picks.

`parse_choice` reads, in this order:

1. a position: "2", "2.", "#2", "option 2", "no. 2", "two", "2nd", "the second one",
   "second pls", "last one". Positions outside the list give None — except a bare
   number that is not a position but is one option's keyword (a start hour, "9").
2. the options' keywords: each option scores the reply words its keywords cover
   (multi-word keywords like "1 dec" must appear in order); the single best option
   wins, a tie (e.g. "morning" when two morning slots are offered) gives None.
   When the options are calendar slots, a day or period word that the winner does not
   cover ("thursday morning" when no Thursday is offered) also gives None.

Hindi and Hinglish (issue 17) read the same way: Devanagari digits ("२"), number words
("teen", "तीन"; "do" only in a short reply like "do wala", "option do" — never "do it"),
ordinals ("pehla", "dusra wala", "दूसरा"), "नंबर 2", "2 wala", and day words ("kal subah",
"सोमवार") as the English ones (bot/domain/hindi_words.py).

Typos are tolerated modestly: a word of 5+ letters that is not known is read as the
closest known word with a difflib ratio of at least 0.8 ("secnd", "aftrnoon").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import hindi_words
from bot.domain.calendar import month_words, weekday_words

FUZZY_CUTOFF = 0.8
FUZZY_MIN_LENGTH = 5

_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_LAST_WORDS = ("last", "final", "latest")
_FILLERS = frozenset(
    [
        "a",
        "an",
        "the",
        "option",
        "opt",
        "choice",
        "number",
        "num",
        "no",
        "nr",
        "pls",
        "plz",
        "please",
        "ok",
        "okay",
        "k",
        "yes",
        "yeah",
        "yep",
        "sure",
        "i",
        "id",
        "im",
        "ill",
        "want",
        "would",
        "like",
        "take",
        "choose",
        "pick",
        "go",
        "for",
        "with",
        "that",
        "this",
        "those",
        "is",
        "it",
        "its",
        "works",
        "fine",
        "good",
        "great",
        "thanks",
        "thank",
        "thx",
        "ty",
        "u",
        "you",
        "me",
        "my",
        "let",
        "lets",
        "do",
        "book",
        "slot",
        "time",
        "will",
        "be",
        "one",
        "oclock",
    ]
)
_CALENDAR_WORDS = frozenset(
    [
        *weekday_words(),
        *(m for m in month_words() if m != "may"),
        "morning",
        "afternoon",
        "evening",
        "tonight",
        "today",
        "tomorrow",
    ]
)
_TIME = re.compile(r"^\d{1,2}(:\d{2})?(am|pm)$|^\d{1,2}:\d{2}$")
_TOKEN = re.compile(
    rf"\d{{1,2}}/\d{{1,2}}|\d{{1,2}}:\d{{2}}(?:am|pm)?|\d+(?:st|nd|rd|th|am|pm)?|[a-z]+|{hindi_words.DEVANAGARI_WORD}"
)
# Hindi and Hinglish words read as the English word the rules know ("do" is read in `_in_english`).
_HINDI_AS_ENGLISH = {
    **{word: _NUMBER_WORDS[n - 1] for word, n in hindi_words.NUMBER_WORDS.items()},
    **{word: _ORDINAL_WORDS[n - 1] for word, n in hindi_words.ORDINAL_WORDS.items()},
    **dict.fromkeys(hindi_words.LAST_WORDS, "last"),
    **dict.fromkeys(hindi_words.CHOICE_FILLERS, "please"),
    **{
        hindi_words.fold(word): english
        for english, spellings in {
            "tomorrow": ("kal", "कल"),
            "today": ("aaj", "आज"),
            "morning": ("subah", "subha", "savere", "सुबह", "सवेरे"),
            "afternoon": ("dopahar", "dopehar", "dophar", "दोपहर"),
            "evening": ("shaam", "sham", "शाम"),
            "oclock": ("baje", "bje", "बजे"),
            "option": ("ऑप्शन",),
            "monday": ("somvar", "somvaar", "somwar", "सोमवार"),
            "tuesday": ("mangalvar", "mangalvaar", "mangalwar", "मंगलवार"),
            "wednesday": ("budhvar", "budhvaar", "budhwar", "बुधवार"),
            "thursday": ("guruvar", "guruvaar", "guruwar", "veervar", "गुरुवार", "बृहस्पतिवार", "वीरवार"),
            "friday": ("shukravar", "shukravaar", "shukrawar", "शुक्रवार"),
            "saturday": ("shanivar", "shanivaar", "shaniwar", "शनिवार"),
            "sunday": ("ravivar", "ravivaar", "raviwar", "itwaar", "itwar", "रविवार", "इतवार"),
        }.items()
        for word in spellings
    },
}


@dataclass(frozen=True)
class ChoiceOption:
    """One line of the list: its label and the words that name it (the caller's)."""

    label: str
    keywords: tuple[str, ...] = ()


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers, with '9 am' → '9am', '9.00' → '9:00', '09' → '9'."""
    text = hindi_words.fold(text).replace("'", "")
    text = re.sub(r"(\d)\.(\d{2})\b", r"\1:\2", text)
    text = re.sub(r"(\d)\s*([ap])\.?m\b\.?", r"\1\2m", text)
    text = re.sub(r"\bno\.?\s*(?=\d)", " ", text)
    return [_canonical_number(t) for t in _TOKEN.findall(text)]


def _in_english(words: list[str]) -> list[str]:
    """Hindi and Hinglish words as the English ones ("dusra wala" → "second please"); "do" as
    "two" only in a short Hinglish reply (`hindi_words.do_means_two`), else it stays English."""
    two = hindi_words.do_means_two(words)
    return ["two" if word == "do" and two else _HINDI_AS_ENGLISH.get(word, word) for word in words]


def _canonical_number(token: str) -> str:
    match = re.match(r"^0+(\d)", token)
    return token[match.start(1) :] if match else token


def _position(word: str) -> int | None:
    """1-based position named by one word ('2', '2nd', 'two', 'second'), -1 for 'last'."""
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"\d+(st|nd|rd|th)", word):
        return int(word[:-2])
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(word) + 1
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS.index(word) + 1
    return -1 if word in _LAST_WORDS else None


def _vocabulary(keywords: list[tuple[str, ...]]) -> set[str]:
    known = set(_FILLERS) | set(_NUMBER_WORDS) | set(_ORDINAL_WORDS) | set(_LAST_WORDS) | _CALENDAR_WORDS
    return known | {word for keyword in keywords for word in keyword}


def _correct(words: list[str], vocabulary: set[str]) -> list[str]:
    candidates = sorted(w for w in vocabulary if len(w) >= FUZZY_MIN_LENGTH and w.isalpha())
    corrected = []
    for word in words:
        if len(word) >= FUZZY_MIN_LENGTH and word.isalpha() and word not in vocabulary:
            close = difflib.get_close_matches(word, candidates, n=1, cutoff=FUZZY_CUTOFF)
            word = close[0] if close else word
        corrected.append(word)
    return corrected


def _covered(words: list[str], keywords: tuple[tuple[str, ...], ...]) -> set[int]:
    """Positions of `words` that one of `keywords` (a word sequence) covers."""
    covered: set[int] = set()
    for keyword in keywords:
        size = len(keyword)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) == keyword:
                covered.update(range(i, i + size))
    return covered


def _by_keywords(words: list[str], keywords: list[tuple[tuple[str, ...], ...]]) -> int | None:
    coverage = [_covered(words, kws) for kws in keywords]
    best = max((len(c) for c in coverage), default=0)
    winners = [i for i, c in enumerate(coverage) if len(c) == best]
    if best == 0 or len(winners) != 1:
        return None
    winner = winners[0]
    uses_calendar = any(word in _CALENDAR_WORDS for kws in keywords for kw in kws for word in kw)
    if uses_calendar:
        uncovered = {w for i, w in enumerate(words) if i not in coverage[winner]}
        if uncovered & _CALENDAR_WORDS or any(_TIME.match(w) for w in uncovered):
            return None
    return winner


def parse_choice(text: str, options: Sequence[ChoiceOption]) -> int | None:
    """The 0-based index of the option the reply picks, or None (nothing, or ambiguous)."""
    if not options:
        return None
    keywords = [tuple(tuple(tokens(k)) for k in option.keywords if tokens(k)) for option in options]
    vocabulary = _vocabulary([kw for kws in keywords for kw in kws])
    words = _correct(_in_english(tokens(hindi_words.without_verb_do(text or ""))), vocabulary)
    meaningful = [w for w in words if w not in _FILLERS]
    if not meaningful and words.count("one") == 1:
        meaningful = ["one"]  # "one" alone is a position; elsewhere ("the tuesday one") a filler
    if not meaningful:
        return None
    if len(meaningful) == 1 and (position := _position(meaningful[0])) is not None:
        if position == -1:
            return len(options) - 1
        if 1 <= position <= len(options):
            return position - 1
        if not meaningful[0].isdigit():
            return None
    return _by_keywords(meaningful, keywords)


REMEDY_WORDS: dict[str, tuple[str, ...]] = {
    "repair": ("repair", "repaired", "fix", "fixed", "fixing", "mend", "technician", "engineer", "visit"),
    "replacement": ("replacement", "replace", "replaced", "new", "exchange", "swap"),
    "refund": ("refund", "refunded", "money", "money back", "reimburse", "cash"),
}


def remedy_option(remedy: str, label: str) -> ChoiceOption:
    """The option for one remedy ('repair', 'replacement', 'refund') with its usual words."""
    return ChoiceOption(label, (remedy, *REMEDY_WORDS.get(remedy, ())))
