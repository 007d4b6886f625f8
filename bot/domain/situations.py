"""The situation a customer says they are in, instead of answering the question (issue 16,
item 8): repaired elsewhere, works fine, sold / given / thrown away, moved house, a
household member of the buyer, travelling.

The trained intents (`tell_*`) are the first judge; these word rules are the safety net
beside them and say what the intents cannot: which disposition ("sold" or "gave it to my
sister"), and a "no, it's still here" after the disposition question. Plain word rules,
English with a little Hinglish.
"""

from __future__ import annotations

import enum
import re

from bot.domain.dispositions import Disposition
from bot.domain.ownership import reports_fault


class Situation(enum.StrEnum):
    REPAIRED_ELSEWHERE = "repaired_elsewhere"
    WORKS_FINE = "works_fine"
    DISPOSED = "disposed"
    MOVED = "moved"
    HOUSEHOLD_MEMBER = "household_member"
    TRAVELLING = "travelling"


# The intent of each situation (domain.yml).
INTENTS = {
    "tell_repaired_elsewhere": Situation.REPAIRED_ELSEWHERE,
    "tell_works_fine": Situation.WORKS_FINE,
    "tell_disposed": Situation.DISPOSED,
    "tell_moved": Situation.MOVED,
    "tell_household_member": Situation.HOUSEHOLD_MEMBER,
    "tell_travelling": Situation.TRAVELLING,
}

_FIXED = r"(repair(ed)?|repaird|fixed|fix(ed)? up|serviced|mended|theek (kar|karwa|karva)|repair (kar|karwa|karva))"
_REPAIRED_ELSEWHERE = re.compile(
    rf"\b(already|got it|had it|have had it|got the|had the|been|ne|liya)\s+(\w+\s+){{0,3}}{_FIXED}\b"
    rf"|\b{_FIXED}\s+(\w+\s+){{0,4}}(local|shop|outside|mechanic|myself|ourselves|someone|somebody|bahar|mistri|"
    r"electrician|neighbou?r|service guy|repair guy|technician from)\b"
    r"|\b(local|outside|private|bahar)\s+(\w+\s+){0,2}(repair|mechanic|shop|technician|mistri|electrician)\b"
    r"|\b(mechanic|electrician|mistri|repairman|repair guy|service guy|someone|somebody|neighbou?r)\s+"
    rf"(\w+\s+){{0,2}}{_FIXED}"
    rf"|\b{_FIXED}\s+(it\s+|the fridge\s+)?already\b"
)
_WORKS_FINE = re.compile(
    r"\b(works?|working|runs?|running|cools?|cooling|chal raha|is)\s+(\w+\s+){0,2}"
    r"(fine|ok|okay|well|perfectly|properly|normally|nicely|great|good|theek)\b"
    r"|\b(no|not any|dont have any|don'?t have any|never had any|havent had any|haven'?t had any)\s+"
    r"(\w+\s+){0,1}(problems?|issues?|faults?|complaints?)\b"
    r"|\bnothing (wrong|the matter)\b|\bsab theek\b"
    r"|\b(it'?s|its|it is|fridge is|mine is)\s+(all )?(fine|ok|okay|good)\b"
)
_DISPOSITIONS = (
    # Devanagari without \b: Python's \b falls inside a word at a vowel sign (matra).
    (Disposition.SOLD, re.compile(r"\b(sold|sell|selling|bech (diya|diye|di)|bech diya|becha)\b|बेच (दिया|दी|दिए)|बेचा")),
    (
        Disposition.GIVEN_AWAY,
        re.compile(r"\b(gave|given|gifted|donated|de (diya|diye|di)|handed (it )?over)\b|दे (दिया|दी|दिए)|गिफ्ट"),
    ),
    (
        Disposition.DISPOSED,
        re.compile(
            r"\b(threw|thrown|throw(n)? (it )?(away|out)|scrapp?(ed)?|scrap dealer|junked|dumped|disposed|"
            r"trash(ed)?|kabadi(wala)?|got rid|exchanged it|exchanged the|(fenk|phenk|fek|phek) (diya|di|diye))\b"
            r"|फेंक (दिया|दी|दिए)|कबाड"
        ),
    ),
)
_MOVED = re.compile(
    r"\b(moved|shifted|relocated|shift ho gaye|ghar badal)\b"
    r"(?!\s+(it|the fridge|the unit)\s+to\s+the\s+(kitchen|garage))"
    r"|\b(new|different|changed (my |the )?)\s*address\b|\baddress (has )?changed\b"
    r"|\b(not|no longer|dont|don'?t)\s+(live|living|stay|staying)\s+(at|in|there)\b|\blive somewhere else\b"
)
_HOUSEHOLD = re.compile(
    r"\b(this is|i am|i'?m|im)\s+(his|her|their|the owner'?s|the buyer'?s)\s+"
    r"(wife|husband|son|daughter|mother|mom|mum|father|dad|brother|sister|family)\b"
    r"|\b(my|our)\s+(husband|wife|son|daughter|father|dad|papa|mother|mom|mum|brother|sister)\s+"
    r"(bought|purchased|ordered|got)\b"
    r"|\bi live with (the owner|him|her|the buyer)\b|\b(he|she) is my (husband|wife|son|daughter|father|mother)\b"
    r"|\b(wife|husband|son|daughter|mother|father) of the (buyer|owner)\b"
)
_TRAVELLING = re.compile(
    r"\b(travell?ing|abroad|on (a )?(trip|vacation|holiday|tour)|on vacation|out of (station|town|the country|india)|"
    r"outstation|away (from home|on|for|till|until)|not (at )?home (till|until|this|for)|bahar gaya|shehar se bahar|"
    r"back (home )?(only )?(next|after|on|in)\b)"
)
# "no wait, it's still here" after the disposition question: the unit is still with them.
_STILL_HERE = re.compile(
    r"\b(still (here|there|with (me|us)|have it|got it|own it|at home|in (my|our|the) (house|home|kitchen))|"
    r"i (still )?have it|didn'?t sell|did not sell|not sold|havent sold|haven'?t sold|never sold|"
    r"didn'?t give|did not give|didn'?t throw|did not throw)\b"
)
_NEGATED = re.compile(r"\b(not|never|didn'?t|did not|haven'?t|havent|won'?t|will not|dont|don'?t)\s+(\w+\s+)?$")


def _normal(text: str) -> str:
    return " ".join((text or "").lower().replace("\u2019", "'").split())


def disposition_in(text: str) -> Disposition | None:
    """What became of the unit, when the message says it is gone: sold, given away or
    thrown away (None when it says none of these, or denies it: "i didn't sell it")."""
    words = _normal(text)
    if _STILL_HERE.search(words):
        return None
    for disposition, pattern in _DISPOSITIONS:
        match = pattern.search(words)
        if match and not _NEGATED.search(words[: match.start()]):
            return disposition
    return None


def still_here(text: str) -> bool:
    """The message says the unit is still with the customer ("no wait, it's still here")."""
    return _STILL_HERE.search(_normal(text)) is not None


def situation_told(intent: str | None, text: str) -> Situation | None:
    """The situation a message tells: its intent's, else the word rules'; never "it works" when
    the words report a fault ("but its not cooling properly", classified as tell_works_fine)."""
    told = INTENTS.get(intent or "")
    if told is Situation.WORKS_FINE and reports_fault(text):
        return None
    return told or situation_in(text)


def situation_in(text: str) -> Situation | None:
    """The situation the message tells, by words alone (None when it tells none).

    Checked in this order: a disposition (the unit is gone) wins over "it works" ("sold it,
    it worked fine"), a repair elsewhere over "it works now".
    """
    words = _normal(text)
    if not words:
        return None
    if disposition_in(words) is not None:
        return Situation.DISPOSED
    if _REPAIRED_ELSEWHERE.search(words):
        return Situation.REPAIRED_ELSEWHERE
    if _HOUSEHOLD.search(words):
        return Situation.HOUSEHOLD_MEMBER
    if _MOVED.search(words):
        return Situation.MOVED
    if _TRAVELLING.search(words):
        return Situation.TRAVELLING
    if _WORKS_FINE.search(words) and not re.search(
        r"\b(not|isn'?t|stopped|no longer)\s+(\w+\s+)?(working|cooling)", words
    ):
        return Situation.WORKS_FINE
    return None
