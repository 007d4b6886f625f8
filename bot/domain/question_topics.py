"""What a customer's question is about, read from its words, and a remedy chosen and a
question asked in one message ("can i get refund insted? how long will money take").

Plain word rules, English with a little Hinglish. The trained intents name the question
too; these rules decide where the words are plainer than the classifier (a question about
when the fault will be fixed is answered from where the customer stands, not from the intent
alone: "mera fridge kab tak theek hoga" is not a question about the replacement's delivery).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.domain.free_text import asks_for_remedy, looks_like_question, normal_words, remedy_named


class Topic(enum.StrEnum):
    """What a question asks; the values of the campaign answers are their intents' names."""

    REFUND_TIME = "ask_refund_time"
    REPLACEMENT_TIME = "ask_replacement_time"
    VISIT_LENGTH = "ask_duration"
    COST = "ask_cost"
    WHEN_DONE = "when_done"  # answered from the customer's remedy and booking


_DONE = (
    r"(fixed|repaired|done|ready|sorted|resolved|solved|working|finished|complete|completed|"
    r"theek|thik|sahi|cooling)"
)
_WHEN_DONE = re.compile(
    rf"\b(when|by when|till when|until when)\b.*\b(be|get|gets|is|it'?s|its|will)\b(?: [\w']+){{0,2}} "
    rf"({_DONE[1:-1]}|repair|fix)\b"
    rf"|\b(how long|how soon|how many days)\b.*\b(be|get|gets|till|until|before)\b(?: [\w']+){{0,2}} {_DONE}\b"
    r"|\bkab( tak)?\b.*\b(theek|thik|sahi|repair|fix|ready|done|thanda)\b"
    r"|\b(theek|thik|sahi)\b.*\bkab( tak)?\b"
)
_TIME_ASKED = re.compile(
    r"\b(how long|how soon|how many days|when|by when|kab|kitne din|how much time|what time|which day|"
    r"time frame|timeline)\b|\b(take|takes|taking) (long|time)\b"
)
_HOW_LONG = re.compile(r"\b(how long|how much time|how many (minutes|hours))\b")
_REFUND_WORDS = re.compile(r"\b(refund|money|paisa|paise|amount|account|bank|credited|credit|reimburs\w*)\b")
_REPLACEMENT_WORDS = re.compile(r"\b(replacement|delivery|deliver(ed)?|new (one|unit|fridge|refrigerator|product))\b")
_VISIT_WORDS = re.compile(r"\b(visit|technician|engineer|mechanic|repair|repairing|fix|fixing)\b")
_COST_WORDS = re.compile(
    r"\b(cost|costs|charge|charges|charged|pay|paying|price|fee|fees|free|paid|money to pay|anything extra|"
    r"paisa lagega)\b"
)
_CLAUSE_BREAK = re.compile(r"[?.!,;]+|\s(?:and|but|also|plus|n|aur)\s", re.IGNORECASE)
_BARE_POSITION = re.compile(
    r"(ok |okay |yes )?(((option|no|number|#) ?)?([1-9]|one|two|three|four)"
    r"|(the )?(first|second|third|1st|2nd|3rd|last)( one)?)( pls| please| plz| then)?"
)


def asks_when_done(text: str) -> bool:
    """A question about when the fault will be fixed, done or sorted ("when will my fridge be
    fixed", "how long till its sorted", "kab tak theek hoga"), not about the visit's length."""
    return _WHEN_DONE.search(normal_words(text)) is not None


def question_topic(text: str, remedy: str | None = None) -> Topic | None:
    """What the question in `text` asks, read from its words; a bare "how long will it take"
    or "when will it come" is about the customer's `remedy` (when one is chosen)."""
    words = normal_words(text)
    if not words:
        return None
    if asks_when_done(text):
        return Topic.WHEN_DONE
    time_asked = _TIME_ASKED.search(words) is not None
    if time_asked and _REFUND_WORDS.search(words):
        return Topic.REFUND_TIME
    if time_asked and _REPLACEMENT_WORDS.search(words):
        return Topic.REPLACEMENT_TIME
    if _HOW_LONG.search(words) and _VISIT_WORDS.search(words):
        return Topic.VISIT_LENGTH
    if _COST_WORDS.search(words) and looks_like_question(text):
        return Topic.COST
    if not time_asked or remedy is None:
        return None
    if remedy == "refund":
        return Topic.REFUND_TIME
    if remedy == "replacement":
        return Topic.REPLACEMENT_TIME
    return Topic.VISIT_LENGTH if _HOW_LONG.search(words) else Topic.WHEN_DONE


@dataclass(frozen=True)
class ChoiceAndQuestion:
    """A remedy chosen (its key, or the words of a numbered choice such as "2") and the
    question asked beside it, in one message; either may be None."""

    choice: str | None
    question: str | None


def choice_and_question(text: str) -> ChoiceAndQuestion:
    """Split a message into the part that chooses a remedy and the part that asks something.

    A part chooses when it names a remedy and asks for it ("can i get refund insted", "i want
    repair", "refund pls") or is a bare option number; a part that only asks about a remedy
    ("how long does a refund take?", "is the repair free?") chooses nothing.

    >>> choice_and_question("can i get refund insted? how long will money take")
    ChoiceAndQuestion(choice='refund', question='how long will money take')
    """
    choice: str | None = None
    questions: list[str] = []
    for raw in _CLAUSE_BREAK.split(text or ""):
        words = normal_words(raw)
        if not words:
            continue
        asked = looks_like_question(raw) or (text or "").find(raw.strip() + "?") >= 0
        remedy = remedy_named(raw)
        if choice is None and remedy and not words.startswith("if ") and (not asked or asks_for_remedy(raw)):
            choice = remedy
        elif choice is None and not asked and _BARE_POSITION.fullmatch(words):
            choice = words
        elif asked or question_topic(raw) is not None:
            questions.append(raw.strip())
    return ChoiceAndQuestion(choice, " ".join(questions) or None)
