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

Hindi in Devanagari and Hinglish (issue 17) are one more entry of `_RULES_BY_LANGUAGE`:
"mujhe message mat karo", "msg band karo", "mera number hata do", "मुझे मैसेज मत भेजो",
"परेशान मत करो" opt out; "fridge band ho gaya", "booking cancel karo", a negation
("message band mat karo"), a time preference ("subah 10 baje se pehle message mat karo"),
a condition ("agar fraud hai to number hata do") and a question about the past ("kya
mera number hata diya?") do not. Its rows are in tests/unit/test_keywords_phrases.py.
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
# ... in Hindi: "message mat karo, call karo", "मैसेज की जगह कॉल करें".
_INSTEAD_HI = re.compile(
    r"(?<!\S)(?:(?:call|phone|kol|कॉल|फोन) (?:karo|kro|kar do|kardo|kar lena|kar lo|kijiye|करो|करें|कीजिए|कर दो|कर लेना)"
    r"|ki jagah|ke bajaye|ke bajay|की जगह|के बजाय)(?!\S)"
)
# The whole message is "stop" with nothing but politeness or emphasis: "please stop", "stop it!!".
_FILLER = r"(?:please|ok|okay|just|now|it|already|stop|thanks|thank you|all|this|that|seriously|for real|immediately)"
_ONLY_STOP = re.compile(rf"(?:{_FILLER}\s*)*\bstop\b(?:\s*{_FILLER})*")

# Hindi, in Devanagari and in Latin letters (Hinglish), often mixed: "message मत भेजो".
# Clauses are words joined by single spaces; `\b` does not work inside Devanagari (vowel
# signs are not `\w`), so these rules mark word edges with `_B` / `_E`.
_B, _E = r"(?<!\S)", r"(?!\S)"
_MESSAGE_HI = r"(?:messages|message|texts|text|whatsapp|mesej|maseej|sandesh|मैसेज|मेसेज|मसेज|संदेश|एसएमएस|टेक्स्ट|व्हाट्सएप)"
_EVEN_HI = r"(?:(?:bilkul|kabhi|ab|bhi|fir|phir|dobara|aur|koi|बिल्कुल|कभी|अब|भी|फिर|दोबारा|और|कोई) )*"
_DONT_HI = r"(?:mat|mt|matt|na|मत|न|ना)"
_SEND_HI = (
    r"(?:karo|kro|kar|karna|karein|karen|kijiye|kare|bhejo|bhejna|bhejiye|bhejein|bhejen|bhej|bheja karo|kiya karo"
    r"|भेजो|भेजें|भेजिए|भेजिये|भेजना|भेजा करो|करो|करें|करना|कीजिए|कीजिये|किया करो)"
)
_DO_HI = (
    r"(?:karo|kro|kar do|kardo|krdo|kijiye|karein|karen|kariye|kar dijiye|करो|करें|करिए|कीजिए|कीजिये|कर दो|कर दें|कर दीजिए)"
)
_STOP_HI = r"(?:band|bandh|bnd|stop|बंद|बन्द|स्टॉप)"
_HINDI_POLITE = r"(?:ji|bhai|yaar|bas|ab|प्लीज|कृपया|जी|भाई|बस|अब|यार)"
_POLITE_HI = rf"(?:please|{_HINDI_POLITE})"
_OPT_OUT_RULES_HI = (
    rf"{_B}{_MESSAGE_HI} {_EVEN_HI}{_DONT_HI} {_SEND_HI}{_E}",  # mujhe message mat karo, msg mat bhejo
    rf"{_B}{_DONT_HI} {_SEND_HI} (?:\S+ )?{_MESSAGE_HI}{_E}",  # mat bhejo message
    rf"{_B}{_MESSAGE_HI} (?:bhejna |bhejne |aana |ana |भेजना |आना )?{_STOP_HI} {_DO_HI}{_E}",  # message band karo
    rf"{_B}{_STOP_HI} {_DO_HI} (?:(?:ye|yeh|sab|apne|apna|these|ये|यह|सब|अपने) )*{_MESSAGE_HI}{_E}",  # band karo ye msg
    rf"{_B}(?:pareshan|pareshaan|preshan|pershan|tang|disturb|परेशान|तंग|डिस्टर्ब) {_DONT_HI} "
    r"(?:karo|kro|karna|kijiye|karein|karen|kare|करो|करें|करना|कीजिए|करिए)" + _E,  # pareshan mat karo
    rf"{_B}(?:pareshan|pareshaan|tang|disturb|परेशान|तंग) (?:karna|करना) {_STOP_HI} {_DO_HI}{_E}",
    rf"{_B}(?:contact|sampark|संपर्क|कॉन्टैक्ट) {_DONT_HI} (?:karo|kro|karna|kijiye|karein|करो|करें|करना|कीजिए){_E}",
    rf"{_B}(?:number|mobile number|phone number|नंबर|नम्बर) (?:\S+ ){{0,2}}?"
    r"(?:hata|hta|hatao|hatado|hataiye|hatayein|delete|remove|हटा|हटाओ|हटाइए|हटाइये|हटाएं|डिलीट|रिमूव)\S*",
    rf"{_B}(?:list|लिस्ट|सूची) (?:se|से) (?:hata|hatao|nikal|nikalo|remove|delete|हटा|हटाओ|निकाल|निकालो)\S*",
    rf"{_B}{_MESSAGE_HI} (?:nahi|nhi|nahin|नहीं|नही) (?:chahiye|chaiye|chahie|chahta|chahti|chahte|चाहिए|चाहिये|चाहता|"
    r"चाहती|चाहते)" + _E,  # mujhe koi message nahi chahiye
    # the clause is "stop" in Hindi: "band karo", "bas karo yaar", "ab stop karo", "बंद करो"
    rf"^(?:(?:ab|bas|please|ji|bhai|yaar|ye|yeh|sab|अब|बस|प्लीज|कृपया|जी|भाई|ये|यह|सब) )*(?:{_STOP_HI}|bas|बस) {_DO_HI}"
    r"(?: (?:please|ji|bhai|yaar|ab|na|प्लीज|जी|भाई|अब|ना))*$",
    # "stop" with Hindi politeness: "stop कृपया", "stop ji", "please stop yaar"
    # (a bare "stop" is the English rule's, with its exception for corrections)
    rf"^(?:{_POLITE_HI} )*(?:स्टॉप|{_HINDI_POLITE} (?:{_POLITE_HI} )*stop|stop(?: {_POLITE_HI})* {_HINDI_POLITE})"
    rf"(?: {_POLITE_HI})*$",
)
_NOT_A_REQUEST_HI = (
    # message band mat karo, number mat hatao: a negation
    rf"{_B}(?:mat|mt|na|nahi|nhi|मत|न|ना|नहीं) (?:band|stop|hata\S*|हटा\S*|बंद){_E}",
    rf"{_B}(?:band|stop|बंद) (?:mat|mt|na|nahi|nhi|मत|न|ना|नहीं){_E}",
    # a time: subah 10 baje se pehle, raat ko, kal, sunday tak
    rf"{_B}(?:baje|bje|subah|subha|sube|raat|rat|sham|shaam|dopahar|dopehar|savere|sawere|aaj|kal|abhi|tak|"
    r"weekend|sunday|monday|itni subah|itni raat|बजे|सुबह|रात|शाम|दोपहर|सवेरे|आज|कल|अभी|तक)" + _E,
    rf"{_B}(?:se|ke|से|के) (?:pehle|pahle|phle|baad|पहले|बाद){_E}",
    # a channel: sirf whatsapp pe, call karo, message ki jagah call
    rf"{_B}(?:sirf|only|keval|kewal|सिर्फ|केवल){_E}|{_B}(?:whatsapp|texts|व्हाट्सएप) (?:pe|par|pr|पे|पर){_E}",
    rf"{_B}(?:call|phone|kol|कॉल|फोन) "
    rf"(?:karo|kro|kar do|kardo|kar lena|kar lo|karna|kijiye|करो|करें|कीजिए|कर दो|कर लेना){_E}",
    rf"{_B}(?:ki jagah|ke bajaye|ke bajay|की जगह|के बजाय){_E}",
    # a condition or hypothesis: agar fraud hai to number hata do, kya hoga agar
    rf"{_B}(?:agar|agr|yadi|jab|to kya|kya hoga|अगर|यदि|जब|तो क्या|क्या होगा){_E}",
    # a question about the past: kya mera number hata diya?
    rf"{_B}(?:kya|kia|क्या){_E}.*{_B}(?:diya|dia|diye|gaya|gya|gayi|hua|hui|kiya|chuke|chuka|दिया|दिए|गया|गई|हुआ|"
    r"हुई|किया|चुके|चुका)" + _E,
)

_RULES_BY_LANGUAGE: dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]] = {
    "en": (
        tuple(re.compile(rule) for rule in _OPT_OUT_RULES),
        tuple(re.compile(rule) for rule in _NOT_A_REQUEST),
    ),
    # Hindi and Hinglish carry English words ("message mat karo before 10am"): the English
    # exceptions hold for them too.
    "hi": (
        tuple(re.compile(rule) for rule in _OPT_OUT_RULES_HI),
        tuple(re.compile(rule) for rule in (*_NOT_A_REQUEST_HI, *_NOT_A_REQUEST)),
    ),
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
    """Lower case words, one list per clause (split at . ! ? ; , । and line breaks); Devanagari
    without nukta or zero-width joiners, and with chandrabindu written as anusvara."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("'", "")
    text = text.replace("\u093c", "").replace("\u200c", "").replace("\u200d", "").replace("\u0901", "\u0902")
    clauses = []
    for part in re.split(r"[.!?;,\n\u0964\u0965]+", text):
        words = [_spelled(w) for w in re.findall(r"[a-z0-9\u0900-\u0963\u0966-\u097f]+", part)]
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
    if any(_INSTEAD.search(clause) or _INSTEAD_HI.search(clause) for clause in clauses):
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
