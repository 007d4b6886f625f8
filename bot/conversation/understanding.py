"""Reading short SMS answers: yes/no, and which intents interrupt a question."""

from __future__ import annotations

import re

from bot.domain.hindi_words import DEVANAGARI_WORD, fold

YES_WORDS = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "haan",
        "han",
        "ha",
        "ji",
        "correct",
        "right",
        "ok",
        "okay",
        "k",
        "sure",
        "confirm",
        "confirmed",
        "yess",
        "yes.",
        "absolutely",
    }
)
NO_WORDS = frozenset({"no", "n", "nope", "nah", "nahi", "nai", "wrong", "incorrect", "not", "dont", "don't", "na"})
# What the gateway sends Rasa for a photo of the label (bot/gateway/label_photos.py): the
# serial read on it, as the entity `serial` (`/photo_serial{"serial": "AR26D004512"}`),
# offered for the customer's YES; or that no serial could be read. Never the customer's words.
PHOTO_SERIAL = "photo_serial"
PHOTO_UNREADABLE = "photo_unreadable"

# Intents that answer something else than the question the bot asked; the rules in
# data/rules.yml handle them (answer, then return to the question; or hand off).
INTERRUPTIONS = frozenset(
    {
        "ask_defect",
        "ask_safety",
        "ask_cost",
        "ask_duration",
        "bot_challenge",
        # questions answered from the campaign's fields (actions/questions.py)
        "ask_who_is_this",
        "ask_is_it_real",
        "ask_how_got_number",
        "ask_about_data",
        "ask_what_to_do",
        "ask_refund_time",
        "ask_replacement_time",
        "ask_warranty",
        "ask_visit",
        "ask_compensation",  # goodwill: answered, a claim recorded (actions/goodwill.py)
        "request_human",
        "complain",
        "report_hazard",
        "wrong_person",
        # situations the customer is in (actions/situations.py)
        "tell_repaired_elsewhere",
        "tell_works_fine",
        "tell_disposed",
        "tell_moved",
        "tell_household_member",
        "tell_travelling",
        "out_of_scope",
        "switch_language",  # "Hindi", "english please": confirmed, then the question again (issue 17)
    }
)


# Hindi and Hinglish (issue 17), compared folded (bot/domain/hindi_words.py: "हाँ" = "हां").
HINDI_YES_WORDS = frozenset(
    fold(w)
    for w in (
        "haa",
        "haan",
        "haanji",
        "hanji",
        "hn",
        "jee",
        "theek",
        "thik",
        "thk",
        "theak",
        "sahi",
        "bilkul",
        "bilkull",
        "zaroor",
        "jaroor",
        "achha",
        "accha",
        "acha",
        "हाँ",
        "हां",
        "हा",
        "हाँजी",
        "जी",
        "ठीक",
        "सही",
        "बिल्कुल",
        "बिलकुल",
        "ज़रूर",
        "जरूर",
        "अच्छा",
        "ओके",
    )
)
HINDI_NO_WORDS = frozenset(
    fold(w) for w in ("nhi", "nahin", "nahee", "nai", "naa", "galat", "galt", "नहीं", "नही", "नहि", "ना", "न", "गलत")
)
_HONORIFICS = frozenset(fold(w) for w in ("ji", "jee", "jii", "जी"))  # "ji nahi" is a no
# Yes only as an answer ("theek hai", "sahi h", "ठीक है", or alone), not "kab theek hoga", "theek kar diya".
_YES_AS_ANSWER = frozenset(
    fold(w) for w in ("theek", "thik", "thk", "theak", "sahi", "achha", "accha", "acha", "ठीक", "सही", "अच्छा")
)
_AFTER_ANSWER = frozenset(fold(w) for w in ("hai", "h", "he", "hain", "hei", "ji", "jee", "hai ji", "है", "हैं", "जी"))
# "kar do" is a yes alone or beside these ("haan kar do", "book kar do", "ok ji kar do na").
_BESIDE_DO_IT = frozenset(
    fold(w)
    for w in (
        "book",
        "confirm",
        "please",
        "pls",
        "plz",
        "aap",
        "ise",
        "isko",
        "ye",
        "yeh",
        "bas",
        "jaldi",
        "बुक",
        "आप",
        "इसे",
    )
)
_PARTICLES = frozenset(fold(w) for w in ("na", "naa", "ना", "न"))  # "kar do na", "haan na": a plea, not a no
_ELONGATED_YES = re.compile(r"h+a+n*(ji+)?|ji+")  # "haaan", "haaji", "jiii"
_ELONGATED_NO = re.compile(r"n+a+h+i+n*|n+h+i+|na+")  # "nahiii", "nhii", "naaa"
_WORD = re.compile(rf"[a-z']+|{DEVANAGARI_WORD}")
# "nahi pata", "pata nahi", "पता नहीं": do not know — neither yes nor no.
_DONT_KNOW = re.compile(
    r"\b(nahi|nahin|nhi|nai)\s+(pata|pta|maloom|malum)\b|\b(pata|pta|maloom|malum)\s+(nahi|nahin|nhi|nai)\b"
    r"|(?<!\S)(नहीं|नही)\s+(पता|मालूम)(?!\S)|(?<!\S)(पता|मालूम)\s+(नहीं|नही)(?!\S)"
)
# "theek nahi hai", "sahi nahi", "ठीक नहीं": the yes word is negated (a no).
_NEGATED_YES = re.compile(
    r"\b(theek|thik|thk|sahi|accha|achha|acha|ok|okay|bilkul)\s+(nahi|nahin|nhi|nai)\b"
    r"|(?<!\S)(ठीक|सही|अच्छा|बिल्कुल|बिलकुल)\s+(नहीं|नही)(?!\S)"
)
# "kar do", "book kar do", "कर दो": do it (a yes) — not "cancel kar do"; "mat karo", "मत करो": a no.
_DO_IT = re.compile(r"\b(kar|kr)\s*(do|dijiye|dijie|dena)\b|(?<!\S)(कर दो|कर दीजिए|कर दीजिये)(?!\S)")
_DONT = re.compile(r"\b(mat|matt)\b|(?<!\S)मत(?!\S)")


def _said(text: str) -> tuple[bool, bool] | None:
    """(said yes, said no) in English, Hinglish or Hindi; None for "do not know"."""
    folded = fold(text)
    if _DONT_KNOW.search(folded):
        return None
    negated = _NEGATED_YES.search(folded) is not None or _DONT.search(folded) is not None
    folded = _NEGATED_YES.sub(" nahi ", folded)
    all_words = _WORD.findall(folded)
    no_words = [w for w in all_words if w in NO_WORDS or w in HINDI_NO_WORDS or _ELONGATED_NO.fullmatch(w)]
    yes_words = [
        w
        for i, w in enumerate(all_words)
        if (w in YES_WORDS or w in HINDI_YES_WORDS or _ELONGATED_YES.fullmatch(w))
        and (w not in _YES_AS_ANSWER or i + 1 == len(all_words) or all_words[i + 1] in _AFTER_ANSWER)
    ]
    rest = _WORD.findall(_DO_IT.sub(" ", folded))
    do_it = _DO_IT.search(folded) is not None and all(
        w in yes_words or w in _BESIDE_DO_IT or w in _PARTICLES or w in _AFTER_ANSWER for w in rest
    )
    plea = no_words and all(w in _PARTICLES for w in no_words) and all_words[0] not in _PARTICLES
    if (yes_words or do_it) and plea:
        no_words = []
    said_no = negated or bool(no_words)
    if said_no and all(w in _HONORIFICS for w in yes_words) and not {"no", "n"} & set(no_words):
        yes_words = []  # "ji nahi", "nahi ji"; not "ji serial no hai ..." ("no" may be a number)
    return bool(yes_words) or (do_it and not said_no), said_no


def yes_or_no(intent: str | None, text: str) -> bool | None:
    """True for yes, False for no, None when the answer is neither (or both).

    Reads English, Hinglish and Hindi ("haan ji", "theek hai", "nahi chahiye", "हाँ", "ठीक
    नहीं है"); "nahi pata" / "पता नहीं" (do not know) is neither, whatever the classifier says."""
    said = _said(text)
    if said is None:
        return None
    said_yes, said_no = said
    if intent == "affirm" and not said_no:
        return True
    if intent == "deny" and not said_yes:
        return False
    if said_yes != said_no:
        return said_yes
    return None
