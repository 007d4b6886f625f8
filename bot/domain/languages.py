"""The languages the bot speaks, and which one a customer's message is written in.

Codes are BCP 47 tags: `en`, `hi` (Hindi in Devanagari), `hi-Latn` (Hindi written in
Latin letters, "Hinglish" — many customers read and type it more easily than Devanagari
on a phone). A campaign lists the languages it ships (the first is its default).

Detection is script first: Devanagari letters are Hindi. Latin letters are English or
romanised Hindi, which only the words tell: off-the-shelf detectors misread romanised
Hindi as Finnish, Indonesian or English (../shared/NOTES.md; docs/languages.md), so the
Latin case counts the very common function words of each (hai, nahi, mera, kya ... vs
the, is, my, what ...). Short or neutral messages ("ok", a serial, "2") say nothing:
None, and the customer's language stays as it was.
"""

from __future__ import annotations

import re

from bot.domain.scripts import Script, script_of

SOURCE_LANGUAGE = "en"  # the language of the catalogs' message ids
ENGLISH, HINDI, HINGLISH = "en", "hi", "hi-Latn"
SHIPPED = (ENGLISH, HINDI, HINGLISH)

# How the console and the campaign lint name each language (its own name, then English).
NAMES = {ENGLISH: "English", HINDI: "हिन्दी (Hindi)", HINGLISH: "Hinglish (Hindi in Latin letters)"}

_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{4}))?(?:[-_]([a-zA-Z]{2}|[0-9]{3}))?$")


def canonical_language(code: str | None) -> str | None:
    """A language tag written the standard way ("HI_latn" → "hi-Latn", "EN" → "en");
    None for nothing or for what is not a language tag."""
    match = _TAG.match((code or "").strip())
    if match is None:
        return None
    language, script, region = match.groups()
    tag = language.lower()
    if script:
        tag += "-" + script.title()
    if region:
        tag += "-" + region.upper()
    return tag


# What a buyer list may write instead of a tag (`language` column): the languages' names,
# in English and in their own script.
_LISTED_NAMES = {
    "english": ENGLISH,
    "hindi": HINDI,
    "हिंदी": HINDI,
    "हिन्दी": HINDI,
    "अंग्रेज़ी": ENGLISH,
    "अंग्रेजी": ENGLISH,
    "hinglish": HINGLISH,
    "roman hindi": HINGLISH,
}


def listed_language(value: str | None) -> str | None:
    """A buyer list's language: a tag ("hi", "HI_latn") or an English name ("Hindi",
    "Hinglish"), canonical; None for nothing or for what is neither."""
    text = " ".join((value or "").split()).lower()
    return _LISTED_NAMES.get(text) or canonical_language(text)


def language_name(code: str) -> str:
    return NAMES.get(code, code)


# Words that are almost only romanised Hindi, and almost only English, in customers'
# messages about a recall. Short, frequent, unambiguous: "do", "to", "me", "hi", "main",
# "is", "no", "ya" and "h" ("h.no" in an address) are in both and count for neither.
_HINDI_LIST = """
    hai hain hu hoon hun tha thi nahi nahin nhi nai mat mera meri mere mujhe mujhko hum
    humara hamara hamare humko aap aapka aapki aapke apka apki tum tumhara kya kyu kyun kyon
    kaise kaisa kab kahan kaha kaun kitna kitne kitni kar karo kro karna karni karke karwa
    karwana karwao karunga karungi kardo krdo raha rahi rahe rha rhi gaya gayi gya gyi ho hoga
    hogi hua hui ke ki ka ko se par pe bhi aur lekin magar wala wali wale abhi kal aaj parso
    haan haa han ji theek thik sahi accha acha achha bahut bohot bhai bhaiya didi yaar kuch
    koi sab sirf bas chahiye chahie chaiye batao bataiye bolo bata dijiye kijiye karein kare
    thanda garam pani waqt samay baje subah shaam dopahar din hafte mahine paisa paise
    wapas naya purana band chalu kharab ghatiya bakwas shikayat dhanyavad shukriya namaste
"""
_ENGLISH_LIST = """
    the a an is are was were am my your our their this that these those what when where why
    how who which it its i you we they he she not dont don't cant can't wont won't can could
    would should will please thanks thank with for from of on at by about after before have
    has had get got want need does did been being just still very really some any there here
    working work works stopped broken cooling fix repaired help call someone person yes okay sure
    morning afternoon evening tonight today tomorrow week and or but also because if then
"""
_HINDI_WORDS = frozenset(_HINDI_LIST.split())
_ENGLISH_WORDS = frozenset(_ENGLISH_LIST.split())
# Whole words only: not the letters inside a serial ("AR26H000001") or an address ("5-3-12a").
# A greeting only Hindi speakers use tells the language even alone ("hello ji" does not).
_HINDI_GREETINGS = frozenset({"namaste", "namastey", "namaskar", "namaskaar", "pranam", "parnam", "ji"})
_WORD = re.compile(r"(?<![a-z0-9])[a-z']+(?![a-z0-9])")
_DECISIVE = 2  # words of one language, and more than the other's, to decide a Latin message


def detect_language(text: str) -> str | None:
    """The language a message is written in, when its text says so: `hi` for Devanagari
    (or Devanagari mixed with Latin), `hi-Latn` or `en` for Latin letters with at least
    two telling words of one and fewer of the other (Hinglish: one, in a message of several
    words without any English one); None when it does not tell."""
    script = script_of(text)
    if script in (Script.DEVANAGARI, Script.MIXED):
        return HINDI
    if script is Script.NONE:
        return None
    words = _WORD.findall(text.lower())
    hindi = sum(word in _HINDI_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    if hindi >= _DECISIVE and hindi > english:
        return HINGLISH
    if hindi and not english and len(words) >= 3:  # "repair karwa do": English nouns, Hindi verbs
        return HINGLISH
    if words and all(word in _HINDI_GREETINGS for word in words):  # "namaste", "Namaskar ji"
        return HINGLISH
    if english >= _DECISIVE and english > hindi:
        return ENGLISH
    return None


# "Hindi", "हिंदी", "in english please", "hindi me baat karo", "roman hindi": a request to
# switch. A longer message that only mentions a language ("my hindi is bad") is not one.
_ASKED = [
    (HINGLISH, re.compile(r"\b(roman(ised|ized)? hindi|hinglish|hindi (in )?(english|roman) (letters|script))\b")),
    (HINDI, re.compile(r"(\bhindi\b|हिंदी|हिन्दी)")),
    (ENGLISH, re.compile(r"(\benglish\b|\bangre?zi\b|अंग्रेजी|अंग्रेज़ी|इंग्लिश)")),
]
_FILLER = re.compile(
    r"\b(please|pls|plz|in|me|mein|main|mai|talk|speak|reply|write|can|could|we|you|us|baat|karo|kro|"
    r"kariye|kijiye|karein|bolo|boliye|likho|only|language|bhasha|let's|lets|i|want|prefer|ok|okay|"
    r"ji|haan|sirf|now|ab|switch|to|change)\b|में|बात|करें|करो|कीजिए|कृपया|भाषा|सिर्फ|अब|बोलो|लिखो|"
    r"[\s.,!?:;'-]+"
)


def requested_language(text: str) -> str | None:
    """The language a message asks the bot to speak ("Hindi", "हिंदी में बात करें",
    "english please", "roman hindi"), or None: only when nothing but the request is said."""
    lowered = (text or "").lower().strip()
    for language, pattern in _ASKED:
        if pattern.search(lowered):
            rest = _FILLER.sub(" ", pattern.sub(" ", lowered)).strip()
            return language if not rest else None
    return None
