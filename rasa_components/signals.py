"""Signals that a customer's message needs a person, read from the text alone.

Plain functions (no Rasa, no I/O), used by the Rasa pipeline's `HandoffSignals`
component (`rasa_components.handoff`) beside the trained intent classifier, and tested
on their own (`tests/unit/test_handoff_signals.py`):

- **frustration**: a negative sentiment score from VADER (the `vaderSentiment` package,
  an offline lexicon), shouting in capitals, runs of "!!!" or "?!?", insults VADER's
  lexicon lacks, and the word "complaint" itself;
- **hazard**: words for smoke, flames, sparks, shocks received, burning smells, melting,
  leaking gas — a safety report must never depend on the classifier alone;
- **person**: an explicit request for a human, also phrased around "contact", "reach",
  "operator", a helpline or "you're not helping" (issue 16); a declined call ("don't call
  me"), a call from the technician and an opt-out ("stop texting me") are not;
- **not for a person**: such a declined call or opt-out, "i'll reply later", or praise
  ("you've been very helpful"): it overrules a classifier that read the message as
  `request_human` or `complain` when no other signal says a person is needed (the gateway
  handles opt-outs before Rasa).

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
# Melting is a hazard when a part melts ("the plug melted"), not the food in a fridge that
# stopped cooling ("all the ice cream melted"): the words just before say which.
_FOOD_BEFORE_MELT = re.compile(
    r"\b(food|ice ?creams?|ice|kulfi|butter|chocolates?|ghee|chicken|meat|fish|paneer|frozen \w+|everything|"
    r"stuff|items?|things)\b"
    r"[^.!?]{0,30}$",
    re.IGNORECASE,
)


_PART_BEFORE_MELT = re.compile(
    r"\b(plug|wire|wires|wiring|cable|cord|socket|switch|board|compressor|motor|panel|insulation|plastic|"
    r"back|light|bulb|fan|thermostat)\b[^.!?]{0,20}$",
    re.IGNORECASE,
)


def _hazard_reported(text: str) -> bool:
    for match in _HAZARD.finditer(text):
        before = text[: match.start()]
        food = match.group(0).lower().startswith("melt") and _FOOD_BEFORE_MELT.search(before)
        if food and not _PART_BEFORE_MELT.search(before):
            continue
        return True
    return False


_PERSON = re.compile(
    r"\b((?:real |actual |live |a |an |some )?(?:human|person|people|agent|executive|representative|"
    r"somebody|someone|officer|manager|supervisor|staff)\b.{0,20}\b(?:talk|speak|call|chat|connect|"
    r"transfer|want|need)|(?:talk|speak|chat|connect|transfer)\w*\b.{0,25}\b(?:human|person|agent|executive|"
    r"representative|someone|somebody|manager|supervisor|customer care|customer service|support team)|"
    r"call me(?: back)?|callback|call back|not a bot|stop the bot|no (?:more )?bots?\b|"
    r"(?:don'?t|do not) want .{0,20}\bbot\b|"
    # issue 16: "contact" / "reach" / "operator" / helplines / "you're not helping"
    r"(?:contact|reach|get in touch with|get hold of)\b.{0,25}\b(?:human|person|people|someone|somebody|agent|"
    r"executive|representative|customer care|customer service|support|help ?desk|team|company|arctica)|"
    r"(?:someone|somebody|anyone|agent|executive|team)\b.{0,20}\b(?:contact|reach|get in touch with) (?:me|us)\b|"
    r"who (?:do|should|can|could) i (?:contact|call|ring|talk to|speak to|write to)|"
    r"contact (?:details|number|no|info)\b.{0,20}\b(?:customer care|customer service|support|helpline|team|company)|"
    r"(?:give|send|share|need|want|what'?s|what is)\b.{0,12}\bcontact (?:details|number|no|info)|"
    r"op(?:e)?r(?:a)?t[oe]rs?|help ?lines?|hotline|toll[- ]?free|"  # operator, oprator, operater
    r"number (?:i|we) (?:can|could|should) (?:call|ring|dial)|number to (?:call|ring|dial)|"
    r"(?:someone|somebody|anyone|person|human)\b.{0,10}\b(?:who|that) (?:can|could|will|knows)|"
    r"escalat(?:e|ed|ing|ion)|"
    r"(?:get|give|find) me (?:a |an |some |your |ur )?(?:real |actual |live )?(?:human|person|agent|operator|"
    r"representative|executive|manager|supervisor)|"
    r"(?:need|want) (?:a |an )?(?:real |actual |live )?(?:human|agent)s?\b|"
    r"(?:not|isn'?t|aren'?t|are not|is not|no)\s+(?:really\s+)?(?:helping|helpful|of (?:any )?help)|unhelpful|"
    r"no help\b(?! (?:needed|required)))",
    re.IGNORECASE,
)
# Not a request for a person: a declined call, the technician's call before the visit
# ("the technician can call me"), and an opt-out ("stop texting me") — the gateway treats
# opt-outs before Rasa; a handoff would only ask a person to write to someone who said stop.
_DECLINED_CALL = re.compile(
    r"\b(?:(?:don'?t|do not|dont|never|no need to|not|without)\s+(?:to\s+)?(?:call|ring|phone|contact)\w*|"
    r"(?:technician|engineer|he|she|they)\s+(?:can|will|should|could|may|must|pls|please|to)?\s*"
    r"(?:call|ring|phone|contact)\w*)\b",
    re.IGNORECASE,
)
_OPT_OUT = re.compile(
    r"\b(?:(?:stop|quit)\s+(?:texting|messaging|msging|sending|contacting|calling|spamming)|"
    r"(?:don'?t|do not|dont|never)\s+(?:text|message|msg|sms|whatsapp|contact|call)\s+(?:me|us)\b|"
    r"unsubscribe|leave me alone|remove my (?:number|no)|no more (?:messages|texts|msgs))",
    re.IGNORECASE,
)
# The customer will write again later: "will reply later", "i'll contact you once i'm home".
_LATER = re.compile(
    r"\b(?:i'?ll|i will|will)\s+(?:reply|respond|text|message|msg|write|contact you|get back|revert)\b"
    r".{0,30}\b(?:later|once|when|after|tomorrow|tonight|soon|in a bit)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(r"\b(?:helpful|appreciate(?:d)?)\b", re.IGNORECASE)
# Questions, not accusations or requests (answered from the campaign, actions/questions.py):
# "is this a scam??", "r u legit or fraud", "does someone need to be home for the visit".
_TRUST_QUESTION = re.compile(
    r"\b(?:is (?:this|it|that|dis)|(?:are|r) (?:you|u)|sounds like|looks like|kya (?:ye|yeh))\b.{0,25}?"
    r"\b(?:a |an )?(?:scam|fraud|fake|spam)\b|^\W*(?:scam|fraud|fake)\W*\?+\W*$|"
    r"\b(?:this|it) (?:is|looks|seems) (?:a |an |like )?(?:scam|fraud|fake)\b(?=.{0,12}(?:\?|\bright\b|\bor not\b))",
    re.IGNORECASE,
)
_SOMEONE_AT_HOME = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|person)\s+(?:needs?|has|have|must|should)\s+(?:to\s+)?(?:be\s+)?"
    r"(?:at\s+)?(?:home|there|present|in)\b",
    re.IGNORECASE,
)


def asks_for_person(text: str) -> bool:
    """An explicit request for a human, once declined calls and opt-outs are taken out."""
    return bool(_PERSON.search(_OPT_OUT.sub(" ", _DECLINED_CALL.sub(" ", _SOMEONE_AT_HOME.sub(" ", text)))))


def not_for_person(text: str, sentiment_score: float) -> bool:
    """A declined call, an opt-out, "i'll reply later" or praise: no reason to hand the
    customer to a person (unless another signal says so)."""
    if _DECLINED_CALL.search(text) or _OPT_OUT.search(text) or _LATER.search(text):
        return True
    return sentiment_score > 0 and bool(_PRAISE.search(text))


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
    not_for_person: bool = False

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
    score = sentiment(text)
    return Signals(
        sentiment=score,
        shouting=is_shouting(text),
        emphasis=has_emphasis(text),
        insult=bool(_COMPLAINT_WORDS.search(_TRUST_QUESTION.sub(" ", text))),
        hazard=_hazard_reported(text),
        person=asks_for_person(text),
        not_for_person=not_for_person(text, score),
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
        # trust questions: "is this a scam??" (answered with the brand's official contact)
        "ask_is_it_real",
        "ask_how_got_number",
        "ask_about_data",
        "ask_who_is_this",  # "who the hell are you": answered with who we are
        # "will you pay for the stuff that went bad": the goodwill answer and the claim
        # (which reaches the agents' queue with its own reason), not a complaint
        "ask_compensation",
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


def drops_escalation(intent: str | None, signals: Signals) -> bool:
    """True when the classifier's `request_human` or `complain` should not stand: the
    message is not for a person ("dont call me, just text", "stop texting me", "will reply
    later", "very helpful") and asks for nobody, reports no hazard and shows no frustration."""
    if intent not in ("request_human", "complain") or not signals.not_for_person:
        return False
    return not (signals.person or signals.hazard or signals.frustrated)
