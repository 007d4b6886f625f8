"""Reading a feedback score from an SMS: "5", "five", "4/5", "7 out of 10", "★★★★",
"it was great 5". Plain rules, no NLU: while the bot waits for a score, the number is
the answer whatever the classifier thinks it is (a "1" is not a menu choice here).

A text with no score, or with two different ones ("3 or 4"), gives None: the bot asks
again. Words of praise or blame alone ("great", "not bad") are not turned into a number;
a wrong guess would escalate a happy customer or thank an unhappy one ("bahut accha" is
no number either).

Hindi and Hinglish (issue 17): Devanagari digits ("५"), "5 star", "5 mein se 4", and number
words ("paanch", "पांच", "teen star") — these only in a short reply with nothing but star and
rating words beside them, since "ek" is also "a" ("ek number service", "ek problem thi") and
"do" is English too."""

from __future__ import annotations

import re

from bot.domain import hindi_words

LOWEST, HIGHEST = 1, 5
LOW_SCORES = (1, 2)  # a person follows up

NUMBER_WORDS = {
    "one": 1,
    "won": 1,
    "two": 2,
    "tow": 2,
    "three": 3,
    "thre": 3,
    "tree": 3,
    "thee": 3,
    "four": 4,
    "fuor": 4,
    "foor": 4,
    "five": 5,
    "fiv": 5,
    "fvie": 5,
    "fivee": 5,
}
STARS = "★⭐🌟✩☆"  # counted only when nothing else gives the score

_RATIO = re.compile(r"(?<![\d.])(\d{1,2}(?:[.,]\d)?)\s*(?:/|out\s+of|outta|of)\s*(5|10)(?!\d)")
_NUMBER = re.compile(r"(?<![\w.,:/])(\d{1,2}(?:[.,]\d)?)(?![\w:/]|[.,]\d)")
_WORD = re.compile(r"[a-z]+")
_ASTERISKS = re.compile(r"\*{1,5}")
# "5 mein se 4", "10 में से 8": the out-of first.
_HI_RATIO = re.compile(r"(?<![\d.])(5|10)\s*(?:mein|me|mai|main|men|में|मे)\s*(?:se|से)\s*(\d{1,2}(?:[.,]\d)?)(?![\d:/])")
HINDI_NUMBERS = {word: n for word, n in hindi_words.NUMBER_WORDS.items() if n <= HIGHEST} | {"do": 2}
# What may stand beside a Hindi number word in a score reply: "paanch star", "मेरी रेटिंग चार है".
_SCORE_FILLERS = frozenset(
    hindi_words.fold(w)
    for w in (
        "star",
        "stars",
        "rating",
        "score",
        "points",
        "marks",
        "out",
        "of",
        "sitara",
        "sitare",
        "ji",
        "hai",
        "h",
        "he",
        "meri",
        "mera",
        "main",
        "mai",
        "mein",
        "me",
        "se",
        "dunga",
        "dungi",
        "doonga",
        "doongi",
        "denge",
        "deta",
        "deti",
        "hu",
        "hoon",
        "hun",
        "ko",
        "ki",
        "sirf",
        "bas",
        "स्टार",
        "रेटिंग",
        "अंक",
        "जी",
        "है",
        "मेरी",
        "मेरा",
        "मैं",
        "में",
        "से",
        "दूंगा",
        "दूंगी",
        "देंगे",
        "देता",
        "देती",
        "हूं",
        "को",
        "की",
        "सिर्फ",
        "बस",
    )
)


def _from_hindi_words(text: str) -> int | None:
    """A score written as one Hindi number word in a short reply ("paanch", "पांच स्टार", "do"),
    else None ("ek number service", "do you need more")."""
    words = hindi_words.words(hindi_words.without_verb_do(text))
    numbers = [w for w in words if w in HINDI_NUMBERS]
    if len(words) > 5 or not numbers or any(w not in HINDI_NUMBERS and w not in _SCORE_FILLERS for w in words):
        return None
    scores = {HINDI_NUMBERS[w] for w in numbers}
    return scores.pop() if len(scores) == 1 else None


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def _in_range(value: float) -> int | None:
    score = int(value + 0.5)  # 4.5 → 5
    return score if LOWEST <= score <= HIGHEST else None


def _from_ratio(text: str) -> int | None | bool:
    """N/5 or N out of 10: the score; False when there is no ratio at all."""
    ratios = {(_value(n), int(d)) for n, d in _RATIO.findall(text)}
    if not ratios:
        return False
    scores = {_in_range(n if d == 5 else n / 2) if 0 < n <= d else None for n, d in ratios}
    return scores.pop() if len(scores) == 1 else None


def parse_score(text: str | None) -> int | None:
    """The score 1–5 the customer gave, or None when the text does not give exactly one."""
    t = hindi_words.fold(text or "").strip()
    if not t:
        return None
    t = _HI_RATIO.sub(lambda m: f"{m.group(2)}/{m.group(1)}", t)  # "5 mein se 4" → "4/5"
    ratio = _from_ratio(t)
    if ratio is not False:
        return ratio
    numbers = [_value(n) for n in _NUMBER.findall(t)]
    numbers += [NUMBER_WORDS[w] for w in _WORD.findall(t) if w in NUMBER_WORDS]
    if numbers:
        scores = {_in_range(n) for n in numbers}
        return scores.pop() if len(scores) == 1 else None
    hindi = _from_hindi_words(t)
    if hindi is not None:
        return hindi
    stars = sum(t.count(star) for star in STARS)
    if stars:
        return stars if stars <= HIGHEST else None
    if _ASTERISKS.fullmatch(t.replace(" ", "")):
        return len(t.replace(" ", ""))
    return None


def is_low(score: int) -> bool:
    """1 or 2: the customer is unhappy with the fix and a person follows up."""
    return score in LOW_SCORES
