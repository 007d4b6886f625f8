"""What a reply to a free-text question (the address, the postcode, a comment) is when it
is not the answer: a question, a change of remedy, a time request, a bare yes/no/thanks,
an opt-out or a request for a person. Plain word rules, English with a little Hinglish;
the trained intents stay the first judge (`actions.recall_form`)."""

from __future__ import annotations

import enum
import re

from bot.domain.opt_out_phrases import is_opt_out_phrase


class OffScript(enum.StrEnum):
    OPT_OUT = "opt_out"
    PERSON = "person"
    REMEDY_CHANGE = "remedy_change"
    TIME_REQUEST = "time_request"
    QUESTION = "question"
    BARE_ANSWER = "bare_answer"  # yes / no / ok / thanks and nothing else
    WANT = "want"  # "i want …" naming no remedy


_QUESTION_START = re.compile(
    r"^(what|whats|when|where|why|how|who|which|can|could|will|would|is|are|am|do|does|did|should|shall|may|"
    r"kab|kya|kaise|kyun)\b"
)
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|weekday"
_TIME = re.compile(
    rf"\b({_DAYS}|tomorrow|tmrw|tmr|tommorow|tomorow|today|tonight|morning|afternoon|evening|night|kal|"
    r"next week|this week|next month|later|travell?ing|out of town|away till|away until|"
    r"(after|before|until|till) (the )?\d{1,2}(st|nd|rd|th)?\b|from (the )?\d{1,2}(st|nd|rd|th)\b|"
    r"\d{1,2} ?(am|pm)\b|o'?clock)\b"
)
_REMEDIES = (
    ("replacement", re.compile(r"\b(replace(ment|d)?|new (one|unit|fridge|product|piece))\b")),
    ("refund", re.compile(r"\b(refund|money back|my money|paisa wapas)\b")),
    ("repair", re.compile(r"\b(repair(ed)?|fix(ed)? it|technician visit)\b")),
)
_WANT = re.compile(r"^(actually |no |but |ok |okay )*(i|we) (want|would like|wd like|d like|prefer|need|rather)\b")
_ASKS_FOR = re.compile(
    r"\b(instead|rather|switch|change|(can|could|may) (i|we) (get|have|take)|i want|i'?d like|i prefer)\b"
)
_PERSON = re.compile(
    r"\b(human|real person|a person|someone|agent|operator|customer care|call me|talk to|speak to|manager)\b"
)
_BARE_WORDS = frozenset(
    {"yes", "y", "yeah", "yep", "yup", "ya", "haan", "ha", "ji", "ok", "okay", "k", "sure", "fine", "done"}
    | {"no", "n", "nope", "nah", "nahi", "na", "thanks", "thank", "you", "thx", "ty", "pls", "please"}
    | {"great", "good", "hmm", "hi", "hello"}
)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", (text or "").lower().replace("\u2019", "'")))


def remedy_named(text: str) -> str | None:
    """The remedy a message asks for ('replacement', 'refund', 'repair'), or None."""
    words = _normal(text)
    for remedy, pattern in _REMEDIES:
        if pattern.search(words):
            return remedy
    return None


def is_bare_answer(text: str) -> bool:
    """Nothing but yes / no / ok / thanks words ("ok thanks", "Yes!")."""
    words = _normal(text).split()
    return bool(words) and all(w.strip("'") in _BARE_WORDS for w in words)


def is_thanks(text: str) -> bool:
    return bool(re.search(r"\b(thanks|thank|thx|ty|shukriya|dhanyavad)\b", _normal(text)))


def looks_like_question(text: str) -> bool:
    """Written as a question: ends with "?" or starts with a question word ("when will…")."""
    return (text or "").strip().endswith("?") or _QUESTION_START.match(_normal(text)) is not None


def off_script(text: str) -> OffScript | None:
    """What the message is, when it is plainly not an answer to a free-text question."""
    words = _normal(text)
    if not words:
        return None
    if is_opt_out_phrase(text):
        return OffScript.OPT_OUT
    if is_bare_answer(text):
        return OffScript.BARE_ANSWER
    question = looks_like_question(text)
    asks_for = not question or _ASKS_FOR.search(words) is not None  # "is the repair free?" is a question
    if remedy_named(text) and asks_for and not re.search(r"\d{3}", words):  # "Repair Lane 411045": an address
        return OffScript.REMEDY_CHANGE
    if _TIME.search(words) and not (re.search(r"\d{3}", words) and not question):  # "Morning Star Apts, 411045"
        return OffScript.TIME_REQUEST
    if _PERSON.search(words):
        return OffScript.PERSON
    if question:
        return OffScript.QUESTION
    if _WANT.match(words):
        return OffScript.WANT
    return None
