"""A request to stop being contacted, in the customer's own words (the FCC's 2024 rule:
consent can be revoked "by any reasonable means", not only by Twilio's keywords).

"stop texting me", "dont message me again", "unsubscribe me pls", "take me off your
list", "leave me alone", "no more messages", "i dont want these texts" … opt out; typos,
case, punctuation and stretched letters are tolerated. Words used in another sense do
not: "the fridge stopped working", "can you stop the booking" (a cancellation), "how do
I stop the water leak", a negation ("don't stop texting me"), a time or channel
preference ("don't message me before 10am", "don't text me on whatsapp"), a question
about the past ("did you remove my number?") and a conditional or hypothetical request
("is this a scam? remove my number if so", "what happens if I unsubscribe?") — the
conditional one is left to the dialogue, which answers the question; the customer can
still say STOP. A threat counts: "if you don't stop texting me I'll report you".

English only. Hindi / Hinglish ("mujhe message mat karo", "band karo") is issue 17: add
its rules as one more entry of `_RULES_BY_LANGUAGE`, with its own rows in the table
test (tests/unit/test_keywords_phrases.py).
"""

from __future__ import annotations

import re
import unicodedata

# Common typing slips, mapped to one spelling before any rule is applied.
_SPELLINGS = {
    "stpo": "stop",
    "sotp": "stop",
    "stp": "stop",
    "stopp": "stop",
    "stahp": "stop",
    "stap": "stop",
    "txt": "text",
    "tx": "text",
    "txts": "texts",
    "txting": "texting",
    "txtng": "texting",
    "textng": "texting",
    "textin": "texting",
    "texing": "texting",
    "msg": "message",
    "msgs": "messages",
    "mesage": "message",
    "mesages": "messages",
    "massage": "message",
    "massages": "messages",
    "msging": "messaging",
    "msgng": "messaging",
    "mesaging": "messaging",
    "massaging": "messaging",
    "messagin": "messaging",
    "pls": "please",
    "plz": "please",
    "plez": "please",
    "pleas": "please",
    "plse": "please",
    "dnt": "dont",
    "donot": "do not",
    "doesnt": "dont",
    "ur": "your",
    "yr": "your",
    "u": "you",
    "num": "number",
    "numbr": "number",
    "nmbr": "number",
    "rmv": "remove",
    "unsub": "unsubscribe",
    "alon": "alone",
    "anymore": "any more",
    "nomore": "no more",
    "optout": "opt out",
    "sms": "texts",
    "smses": "texts",
    "whatsapps": "messages",
}
# Longer words also match with one slip (two from 11 letters): "unsubcribe", "contcat".
_LONG_WORDS = (
    "texting",
    "messaging",
    "messages",
    "message",
    "unsubscribe",
    "unsubscribed",
    "contacting",
    "contact",
    "number",
    "notifications",
)

_CONTACTING = (
    r"(?:texting|messaging|contacting|calling|spamming|bothering|pinging|whatsapping|emailing|writing to"
    r"|bugging|harassing|pestering)"
)
_MESSAGES = r"(?:messages|message|texts|text|reminders|reminder|notifications|spam|whatsapp messages|sms)"
_WHICH = r"(?:(?:the|these|this|those|your|all|any|of|more|such)\s+)*"
_TO_CONTACT = r"(?:text|message|contact|spam|bother|whatsapp|email|ping|msg|reach)"
_ME = r"(?:me|us|this number|my number|my phone|him|her|them)"
_STOP = r"(?:stop|quit|cease|end)"
_NOT = r"(?:dont|do not|never|did not|didnt|not)"

# One clause; each rule is searched in it.
_OPT_OUT_RULES = (
    rf"\b{_STOP} {_CONTACTING}\b",  # stop texting me, quit messaging
    rf"\b{_STOP} sending(?: (?:me|us|{_WHICH}{_MESSAGES}|these|this|them|stuff|anything)\b|$| please)",
    rf"\b(?:{_STOP}|cancel|end) (?:with )?{_WHICH}{_MESSAGES}\b",  # stop the messages, end these texts
    rf"\b(?:dont|do not|never|no need to) (?:ever )?{_TO_CONTACT}(?: {_ME}\b|$)",  # dont message me again
    r"\b(?:dont|do not|never|no need to) (?:ever )?(?:send|write) (?:me|us)\b",
    rf"\b(?:dont|do not) want (?:to (?:get|receive|see|hear)(?: from you)? )?{_WHICH}{_MESSAGES}\b",
    r"\b(?:dont|do not|no longer) (?:want|wish|like) to be (?:contacted|texted|messaged|called|disturbed)\b",
    r"\b(?:dont|do not|no longer) (?:want|wish) to (?:hear from you|receive|be on)\b",
    r"\bunsubscribe\b",
    r"\bopt (?:me )?out\b",
    r"\bopted out\b",
    r"\bunsubscribed\b",
    r"\bcancel (?:my |the )?(?:subscription|texts|messages|alerts)\b",
    r"\b(?:remove|delete|erase) (?:me|my (?:phone )?number|my phone|my contact|my details|this number)\b",
    r"\b(?:take|get) (?:me|my (?:phone )?number|this number) (?:off|out)\b",
    r"\boff (?:your|the|this) (?:list|mailing list|database|system|contacts)\b",
    r"\bleave me (?:alone|in peace|be)\b",
    rf"\bno (?:more|further) (?:{_WHICH}{_MESSAGES}|contact|texting|messaging)\b",
    rf"\benough (?:with )?{_WHICH}{_MESSAGES}\b",
    r"\bdo not disturb\b",
)
# A clause with one of these is a preference, a question or a hypothesis, not a request.
_NOT_A_REQUEST = (
    rf"\b{_NOT} (?:(?:going to|gonna|want to|wish to|planning to|trying to|need to) )?"
    r"(?:stop|quit|cease|end|unsubscribe|remove|delete|opt|take|leave|cancel)\b",  # dont stop texting me
    rf"\b(?:why|did you|have you|has it|when did you) (?:{_STOP}|stopped|removed|unsubscribed)\b",
    r"\b(?:did|have|has|had) (?:i|you|it|they) (?:already )?(?:been )?"
    r"(?:stop|stopped|unsubscribe|unsubscribed|remove|removed|opt|opted)\b",
    # "you never text me back"
    r"\byou never (?:text|message|contact|reply|answer|write|respond|call)|\b(?:me|us) back\b",
    r"\b(?:if|unless|whether|in case|what happens|would i|will i|can i still)\b|\b(?:can|could) i\b.*\blater\b",
    r"\b(?:before|after|until|till|til) (?:the )?(?:\d|noon|midnight|lunch|dinner|breakfast|work|office|next|this"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|mon|tue|wed|thu|fri|sat|sun|\w+day)",
    r"\b(?:today|tonight|tomorrow|this week|right now|at night"
    r"|so early|so late|this early|this late|in the morning|in the evening|in the afternoon|during|between"
    r"|weekends?|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    r"\b\d{1,2}(?:[: ]?\d{2})? ?(?:am|pm)\b",
    r"\b(?:only (?:on|by|via|after|before|between|in)|just text|just message|except|on whatsapp|on texts|by text)\b",
)
# A threat is a request: "if you dont stop texting me i will report you".
_THREAT = (
    rf"\bif (?:you )?(?:(?:dont|do not|wont) stop (?:{_CONTACTING}|sending)"
    rf"|(?:keep|continue|carry on) (?:to )?(?:{_CONTACTING}|sending|{_TO_CONTACT}))\b"
)
# "stop" as a clause of its own ("wrong number, stop", "i said stop"), unless the message
# corrects something ("stop, I meant the other fridge").
_STOP_CLAUSE = re.compile(r"(?:i said |i told you |just |please |ok |okay |now )*stop(?: please| now| it| already)*")
_CORRECTION = re.compile(r"\b(?:meant|mean|wait|hold on|other|instead|rather|not that|go back)\b")
# A channel preference across clauses: "don't text me, call me instead".
_INSTEAD = re.compile(r"\binstead\b")
# The whole message is "stop" with nothing but politeness or emphasis: "please stop", "stop it!!".
_FILLER = r"(?:please|ok|okay|just|now|it|already|stop|thanks|thank you|all|this|that|seriously|for real|immediately)"
_ONLY_STOP = re.compile(rf"(?:{_FILLER}\s*)*\bstop\b(?:\s*{_FILLER})*")

_RULES_BY_LANGUAGE: dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]] = {
    "en": (
        tuple(re.compile(rule) for rule in _OPT_OUT_RULES),
        tuple(re.compile(rule) for rule in _NOT_A_REQUEST),
    ),
    # "hi": issue 17 (Hindi / Hinglish)
}
_THREAT_RULE = re.compile(_THREAT)


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent swaps count once), stopped early above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def _spelled(word: str) -> str:
    word = re.sub(r"(.)\1{2,}", r"\1", word)  # "pleeease", "stoooop"
    if word in _SPELLINGS:
        return _SPELLINGS[word]
    if len(word) >= 6 and word not in _LONG_WORDS:
        for known in _LONG_WORDS:
            slips = 2 if len(known) >= 11 else 1
            if _edit_distance(word, known, slips) <= slips:
                return known
    return word


def _clauses(text: str) -> list[str]:
    """Lower case words, one list per clause (split at . ! ? ; , and line breaks)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("'", "")
    clauses = []
    for part in re.split(r"[.!?;,\n]+", text):
        words = [_spelled(w) for w in re.findall(r"[a-z0-9]+", part)]
        if words:
            clauses.append(" ".join(words))
    return clauses


def is_opt_out_phrase(body: str | None) -> bool:
    """True when the message asks, in the customer's own words, to stop being contacted."""
    clauses = _clauses(body or "")
    if not clauses:
        return False
    if _ONLY_STOP.fullmatch(" ".join(clauses)):
        return True
    if any(_INSTEAD.search(clause) for clause in clauses):
        return False
    if any(_STOP_CLAUSE.fullmatch(c) for c in clauses) and not any(_CORRECTION.search(c) for c in clauses):
        return True
    for clause in clauses:
        if _THREAT_RULE.search(clause):
            return True
        for requests, exceptions in _RULES_BY_LANGUAGE.values():
            if any(rule.search(clause) for rule in requests) and not any(rule.search(clause) for rule in exceptions):
                return True
    return False
