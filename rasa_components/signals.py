"""Signals that a customer's message needs a person, read from the text alone.

Plain functions (no Rasa, no I/O), used by the Rasa pipeline's `HandoffSignals`
component (`rasa_components.handoff`) beside the trained intent classifier, and tested
on their own (`tests/unit/test_handoff_signals.py`):

- **frustration**: a negative sentiment score from VADER (the `vaderSentiment` package,
  an offline lexicon), shouting in capitals, runs of "!!!" or "?!?", insults VADER's
  lexicon lacks, and the word "complaint" itself;
- **hazard**: words for smoke, flames, sparks, shocks received, burning smells, melting,
  leaking gas — a safety report must never depend on the classifier alone;
- **person**: an explicit request for a human.

Serial numbers and references are upper case by nature: tokens with digits never count
as shouting. Customer messages here are short SMS/WhatsApp texts in English with some
Hinglish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEGATIVE = -0.5  # VADER compound score at or below which a message reads as unhappy
NEGATIVE_WITH_EMPHASIS = -0.25  # ... when it also shouts or piles up punctuation
SHOUTING_SHARE = 0.7  # share of upper-case letters among the letters of word tokens
SHOUTING_MIN_LETTERS = 8

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_TOKEN = re.compile(r"\S+")
_EMPHASIS = re.compile(r"(?:[!?]\s*){3,}|!{2,}")
# Insults, threats and explicit complaints VADER's lexicon scores mildly or not at all.
_COMPLAINT_WORDS = re.compile(
    r"\b(idiots?|stupid|morons?|useless|pathetic|rubbish|garbage|nonsense|hopeless|bakwas|bekar|"
    r"cheat(?:s|ed|ers?|ing)?|frauds?|scam(?:mers?)?|liars?|incompetent|disgust(?:ing|ed)|disgrace(?:ful)?|"
    r"shameful|shame on|worst|ridiculous|unacceptable|ruined|fed up|waste of (?:time|money)|"
    r"complain(?:t|ts|ing)?|sue you|consumer (?:court|forum)|lawyer|legal action)\b",
    re.IGNORECASE,
)
# Words for something happening, not for a risk asked about: "could it catch fire?" and
# "is there a risk of shock?" are questions (ask_safety); "it caught fire" and "i got a
# shock" are reports.
_HAZARD = re.compile(
    r"\b(smok(?:e|es|ed|ing|y)|dhuan|spark(?:s|ed|ing|ling)?|melt(?:s|ed|ing)|burn(?:t|ing|ed)|"
    r"charred|scorch(?:ed|ing)|sizzl\w*|crackl\w*|flames?|caught fire|on fire|catching fire|"
    r"(?:got|get|getting|gave me|giving|gives)\b.{0,15}\bshock|shocked|electrocuted|blast|explo(?:ded|sion)|"
    r"short[- ]?circuit\w*|gas (?:leak|smell)\w*|leaking gas)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b((?:real |actual |live |a |an |some )?(?:human|person|people|agent|executive|representative|"
    r"somebody|someone|officer|manager|supervisor|staff)\b.{0,20}\b(?:talk|speak|call|chat|connect|"
    r"transfer|want|need)|(?:talk|speak|chat|connect|transfer)\w*\b.{0,25}\b(?:human|person|agent|executive|"
    r"representative|someone|somebody|manager|supervisor|customer care|customer service|support team)|"
    r"call me(?: back)?|callback|call back|not a bot|stop the bot|no (?:more )?bots?\b|"
    r"(?:don'?t|do not) want .{0,20}\bbot\b)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER's compound score, -1 (most negative) to +1."""
    return float(_analyzer().polarity_scores(text)["compound"])


def is_shouting(text: str) -> bool:
    """Mostly capitals, counting only tokens without digits (serials are upper case)."""
    letters = "".join(
        w for token in _TOKEN.findall(text) if not any(c.isdigit() for c in token) for w in _WORD.findall(token)
    )
    if len(letters) < SHOUTING_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= SHOUTING_SHARE


def has_emphasis(text: str) -> bool:
    return bool(_EMPHASIS.search(text))


@dataclass(frozen=True)
class Signals:
    sentiment: float
    shouting: bool
    emphasis: bool
    insult: bool
    hazard: bool
    person: bool

    @property
    def frustrated(self) -> bool:
        if self.insult or self.sentiment <= NEGATIVE:
            return True
        if self.shouting and self.emphasis:
            return True
        return (self.shouting or self.emphasis) and self.sentiment <= NEGATIVE_WITH_EMPHASIS

    def reasons(self) -> list[str]:
        """What was seen, for the escalation's record (most telling first)."""
        seen = [
            name
            for name, on in (
                ("hazard words", self.hazard),
                ("asks for a person", self.person),
                ("insult", self.insult),
                ("shouting", self.shouting),
                ("!!!", self.emphasis),
            )
            if on
        ]
        if self.sentiment <= NEGATIVE_WITH_EMPHASIS:
            seen.append(f"sentiment {self.sentiment:+.2f}")
        return seen


def read_signals(text: str) -> Signals:
    text = text or ""
    return Signals(
        sentiment=sentiment(text),
        shouting=is_shouting(text),
        emphasis=has_emphasis(text),
        insult=bool(_COMPLAINT_WORDS.search(text)),
        hazard=bool(_HAZARD.search(text)),
        person=bool(_PERSON.search(text)),
    )


ESCALATING_INTENTS = frozenset({"request_human", "complain", "report_hazard"})
# Messages the conversation expects, which often carry negative words ("no", "wrong",
# "is there a risk of shock?"): sentiment alone does not turn them into a complaint.
EXPECTED_INTENTS = frozenset(
    {
        "deny",
        "affirm",
        "inform_serial",
        "choose_option",
        "inform_address",
        "choose_repair",
        "choose_replacement",
        "choose_refund",
        "ask_safety",
        "ask_defect",
        "cancel_booking",
        "reschedule",
        "wrong_person",
    }
)
CONFIDENT = 0.6


def escalation_intent(intent: str | None, confidence: float, signals: Signals) -> str | None:
    """The escalating intent the message should carry instead of the classifier's, or None
    to keep the classifier's. Hazard first (safety), then a request for a person, then
    frustration."""
    if intent in ESCALATING_INTENTS:
        return None
    if signals.hazard:  # event words only (see _HAZARD): a report, even phrased as a question
        return "report_hazard"
    if signals.person:
        return "request_human"
    if not signals.frustrated:
        return None
    expected = intent in EXPECTED_INTENTS and confidence >= CONFIDENT
    if expected and not (signals.insult or (signals.shouting and signals.emphasis)):
        return None
    return "complain"
