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
    PERSON_REQUEST = "person"  # a request for a person: handed over as the request_human intent is
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
    r"\b(instead|insted|instaed|instead of|rather|switch|change|(can|could|may) (i|we) (get|have|take)|i want|"
    r"i'?d like|i prefer)\b"
)
_SOMEONE = (
    r"(someone|somebody|some one|a person|person|people|human|humans|agent|agents|executive|representative|rep|"
    r"operator|staff|team|manager|supervisor|customer care|customer service|support|real one|live one)"
)
_PERSON = re.compile(
    rf"\b(talk|speak|chat|discuss|connect|transfer|put me through|pass me)\w*\b.{{0,30}}\b{_SOMEONE}\b"
    r"|\b(real|actual|live) (person|human|people|agent|someone)\b"
    rf"|\b(someone|somebody|some one) real\b"
    r"|^(pls |please )?(call|ring|phone) (me|us)( back)?( pls| please| asap| now| instead)*$"
    r"|\b(can|could|would|will|pls|please) (you|u|someone|somebody|some one|anyone) (pls |please )?(call|ring|phone) "
    r"(me|us)\b(?! (before|when|once|after|on arrival|on the way|if))"
    r"|\b(call|ring|phone) (me|us)( back)? (pls|please|asap|now|instead)\b"
    rf"|\b(give me|get me|i need|i want|need|want) (a |an |some |to )?(real |actual |live )?"
    r"(human|person|agent|operator|representative|executive|manager|supervisor)\b"
    r"|\b(a )?call( back)? from (someone|a person|your team|an agent)\b"
    r"|^(human|agent|operator|representative|person|manager|customer care)( pls| please)?$"
)
# Not a request for a person: somebody at home for the visit, a call from the technician.
_NOT_PERSON = re.compile(
    r"\b(someone|somebody|anyone|a person|person)\s+(will|would|can|could|needs?|has|have|must|should|is|to)?\s*"
    r"(to\s+)?(be\s+)?(at\s+)?(home|there|present|in)\b"
    r"|\b(don'?t|dont|do not|never|no need to|not)\s+(to\s+)?(call|ring|phone|contact)\b"
    r"|\b(technician|engineer|he|she|they)\b.{0,20}\b(call|ring|phone)\b"
)
_BARE_WORDS = frozenset(
    {"yes", "y", "yeah", "yep", "yup", "ya", "haan", "ha", "ji", "ok", "okay", "k", "sure", "fine", "done"}
    | {"no", "n", "nope", "nah", "nahi", "na", "thanks", "thank", "you", "thx", "ty", "pls", "please"}
    | {"great", "good", "hmm", "hi", "hello"}
)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", (text or "").lower().replace("\u2019", "'")))


def normal_words(text: str) -> str:
    """The words of `text`, lower case, separated by single spaces (punctuation dropped)."""
    return _normal(text)


def asks_for_remedy(text: str) -> bool:
    """Worded as a request or a change ("can i get …", "… instead", "i want …"), not only a question."""
    return _ASKS_FOR.search(_normal(text)) is not None


def asks_for_person(text: str) -> bool:
    """A request to talk to a person, in words ("can i talk to someone real", "call me pls",
    "i need to speak to an agent about this"); somebody at home for the visit, a declined call
    or the technician's call are not.

    >>> asks_for_person("can i talk to someone real"), asks_for_person("someone will be at home")
    (True, False)
    """
    words = _normal(text)
    return bool(words) and _PERSON.search(words) is not None and _NOT_PERSON.search(words) is None


# An address that happens to hold a time word ("Morning Star Apts, plot 12", "Sunday Market
# Lane 4"): a number and a word for a building, a street or an area, and not a question.
_PLACE = re.compile(
    r"\b(apts?|apartments?|appts?|flats?|plot|house|h ?no|bldg|building|tower|towers|block|wing|floor|society|soc|"
    r"complex|residency|enclave|heights|villa|villas|chs|nagar|colony|sector|phase|layout|road|rd|street|st|lane|"
    r"ln|marg|gali|chowk|cross|main|avenue|ave|park|market|bazaar|opp|near|behind|estate|gardens?|vihar|puram|pur)\b"
)


def looks_like_address(text: str) -> bool:
    """Written as an address, whatever other words it holds: a postcode-sized number (3 digits or more),
    or a number and a place word ("plot 12"), and not a question."""
    words = _normal(text)
    if looks_like_question(text):
        return False
    if re.search(r"\d{3}", words):
        return True
    return re.search(r"\d", words) is not None and _PLACE.search(words) is not None


# "refund instead of new one": the remedy after these words is the one not wanted.
_NOT_THIS = re.compile(r"\b(instead of|insted of|rather than|in place of|not)( the| a| an)?$")


def remedy_named(text: str) -> str | None:
    """The remedy a message asks for ('replacement', 'refund', 'repair'), or None; one named
    after "instead of" / "rather than" is the one the customer turns down.

    >>> remedy_named("can i get refund instead of new one?"), remedy_named("instead of repair, a new one")
    ('refund', 'replacement')
    """
    words = _normal(text)
    for remedy, pattern in _REMEDIES:
        if any(not _NOT_THIS.search(words[: m.start()].rstrip()) for m in pattern.finditer(words)):
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
    address = looks_like_address(text)  # "Repair Lane 411045", "Morning Star Apts, plot 12"
    if remedy_named(text) and asks_for and not address:
        return OffScript.REMEDY_CHANGE
    if asks_for_person(text):
        return OffScript.PERSON_REQUEST
    if _TIME.search(words) and not address:
        return OffScript.TIME_REQUEST
    if question:
        return OffScript.QUESTION
    if _WANT.match(words):
        return OffScript.WANT
    return None
