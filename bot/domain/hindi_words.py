"""Hindi and Hinglish words the bot's own rules read (issue 17, item 3): words of a message in
both scripts, number and ordinal words, and the short-reply test that lets "do" mean 2.

The rules of bot/domain and bot/conversation/understanding.py import these, so a word list
lives in one place. Devanagari words are folded before comparing: NFC, chandrabindu read as
anusvara ("हाँ" = "हां"), nukta and zero-width joiners dropped ("ग़लत" = "गलत").
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.scripts import ascii_digits

# A Devanagari word: letters, vowel signs, virama, anusvara… but not the danda (।, ॥) or digits.
DEVANAGARI_WORD = r"[\u0900-\u0963\u0971-\u097F\uA8E0-\uA8FF]+"
_WORD = re.compile(rf"[a-z0-9']+|{DEVANAGARI_WORD}")
_FOLD = str.maketrans({"\u0901": "\u0902", "\u093c": None, "\u200c": None, "\u200d": None})


def fold(text: str) -> str:
    """Lower case, ASCII digits, Devanagari in one spelling ("हाँ" → "हां", "ग़लत" → "गलत")."""
    return unicodedata.normalize("NFC", ascii_digits(text or "")).lower().replace("’", "'").translate(_FOLD)


def words(text: str) -> list[str]:
    """The words of a message, Latin (lower case, digits kept) and Devanagari (folded)."""
    return _WORD.findall(fold(text))


def _folded(*spellings: str) -> tuple[str, ...]:
    return tuple(fold(s) for s in spellings)


# 1-based numbers; "do" (2) is also English and is read only in short replies (`do_means_two`).
NUMBER_WORDS: dict[str, int] = {}
for _value, _spellings in enumerate(
    (
        ("ek", "एक"),
        ("दो",),
        ("teen", "तीन"),
        ("char", "chaar", "चार"),
        ("paanch", "panch", "paach", "पांच", "पाँच"),
        ("chhe", "chhah", "छह", "छः", "छे"),
        ("saat", "सात"),
        ("aath", "आठ"),
        ("nau", "नौ"),
        ("das", "दस"),
    ),
    start=1,
):
    for _spelling in _folded(*_spellings):
        NUMBER_WORDS[_spelling] = _value

ORDINAL_WORDS: dict[str, int] = {}
for _value, _spellings in enumerate(
    (
        ("pehla", "pahla", "pehli", "pahli", "pehle", "pahle", "pehela", "phela", "pela", "पहला", "पहली", "पहले"),
        ("doosra", "dusra", "doosri", "dusri", "doosre", "dusre", "dusara", "दूसरा", "दूसरी", "दूसरे", "दुसरा", "दुसरी"),
        ("teesra", "tisra", "teesri", "tisri", "teesre", "tisre", "तीसरा", "तीसरी", "तीसरे", "तिसरा"),
        ("chautha", "chotha", "chauthi", "chothi", "chauthe", "चौथा", "चौथी", "चौथे"),
        ("paanchva", "panchva", "paanchwa", "panchwa", "paanchvi", "पांचवा", "पांचवां", "पांचवी", "पाँचवाँ"),
    ),
    start=1,
):
    for _spelling in _folded(*_spellings):
        ORDINAL_WORDS[_spelling] = _value
LAST_WORDS = frozenset(_folded("aakhri", "akhri", "aakhiri", "akhiri", "antim", "आखिरी", "आख़िरी", "अंतिम", "लास्ट"))

# Words around a number or ordinal in a short reply: "2 wala", "दूसरा वाला", "नंबर 2", "option do".
CHOICE_FILLERS = frozenset(
    _folded(
        "wala",
        "wali",
        "wale",
        "vala",
        "vali",
        "vale",
        "walla",
        "waala",
        "waali",
        "ji",
        "jee",
        "hai",
        "h",
        "he",
        "hain",
        "chahiye",
        "chaiye",
        "chahie",
        "chahiya",
        "bhai",
        "sir",
        "madam",
        "mam",
        "wo",
        "woh",
        "vo",
        "voh",
        "yeh",
        "ye",
        "mujhe",
        "muje",
        "mjhe",
        "hume",
        "humko",
        "mereko",
        "ko",
        "le",
        "lo",
        "lenge",
        "lunga",
        "lungi",
        "loonga",
        "sahi",
        "theek",
        "thik",
        "वाला",
        "वाली",
        "वाले",
        "नंबर",
        "नम्बर",
        "ऑप्शन",
        "आप्शन",
        "विकल्प",
        "जी",
        "है",
        "हैं",
        "चाहिए",
        "चाहिये",
        "वो",
        "वह",
        "यह",
        "ये",
        "मुझे",
        "हमें",
        "को",
        "लो",
        "लेंगे",
        "लूंगा",
        "लूंगी",
        "सही",
        "ठीक",
        "भाई",
        "सर",
    )
)
# "do" is 2 only beside these (a short Hinglish reply): "do", "do wala", "option do", "number do ji".
_DO_COMPANIONS = CHOICE_FILLERS | {"option", "opt", "number", "num", "nr"}
_VERB_BEFORE_DO = re.compile(
    r"\b(kar|kr|karo|karwa|karva|krwa|krva|de|bhej|bhejo|rakh|laga|lagwa|book|fix|set|confirm|cancel|bata|"
    r"batao|bol|samjha|dikha|chala|bulwa|bula|kara|dila|dilwa|lelo|le)\s+do\b"
)
_DEVANAGARI_VERB_BEFORE_DO = re.compile(r"(?<!\S)(कर|करवा|करा|दे|भेज|रख|लगा|लगवा|बुक|बता|बुला|दिला|दिलवा|ले)\s+दो(?!\S)")


def without_verb_do(text: str) -> str:
    """The (folded) text with imperative "kar do", "bhej do", "कर दो" ("do it") taken out: there
    "do"/"दो" is a verb, not the number 2."""
    text = _VERB_BEFORE_DO.sub(" ", fold(text))
    return _DEVANAGARI_VERB_BEFORE_DO.sub(" ", text)


def do_means_two(message_words: list[str]) -> bool:
    """True when "do" in this reply is Hinglish 2: at most four words, one "do", and the rest
    fillers of a Hinglish choice ("do wala", "option do"); never "do it", "what do i do"."""
    if message_words.count("do") != 1 or len(message_words) > 4:
        return False
    return all(w == "do" or w in _DO_COMPANIONS for w in message_words)


_DEVANAGARI = re.compile(DEVANAGARI_WORD)


def as_hinglish(text: str, spellings: dict[str, str]) -> str:
    """The folded text with each Devanagari word written as the Hinglish word a rule knows
    (`spellings`: folded Devanagari → Hinglish), any other Devanagari word as "xx" (a word
    that matches nothing, so "मुझे हिंदी नहीं आती" is no bare "nahi")."""
    return _DEVANAGARI.sub(lambda m: f" {spellings.get(m.group(0), 'xx')} ", fold(text))


def spelling_table(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{Hinglish: (Devanagari spellings)} → {folded Devanagari: Hinglish}, for `as_hinglish`."""
    return {fold(spelling): hinglish for hinglish, spellings in words.items() for spelling in spellings}
