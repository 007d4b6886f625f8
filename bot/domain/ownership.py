"""Whether a message says the customer owns, uses or has a problem with the product.

Such a message is never a wrong person ("I have two of your fridges", "mera fridge thanda
nahi kar raha", "मेरा फ्रिज ठंडा नहीं कर रहा"), whatever the classifier thought. Denials and disposals ("not my fridge",
"I never bought this", "I sold it") are not ownership: they go to a confirmation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain import hindi_words

PRODUCT_WORDS = (
    r"fridges?|frid?ge?s?|fridg|frdge|refrid?gerators?|refrigerators?|freezers?|appliances?|units?|"
    r"products?|machines?|arctica"
)
# Said anywhere, the message is about not having it (any more).
DENIALS = re.compile(
    r"\b(never|not|didn'?t|don'?t|dont|do not|did not|no longer|nahi|nahin|nhi)\s+"
    r"(bought|buy|purchased|owned|own|had|have|kharida|kharidi|liya)\b"
    r"|\bnot\s+(mine|my|our|ours)\b|\bisn'?t\s+(mine|my)\b|\bno such\b|\bwrong (number|person|guy)\b"
    r"|\b(sold|gave|gifted|threw|thrown|given)\b|\bgot rid\b|\banymore\b|\bno more\b"
    # "ye fridge mera nahi hai", "ye mera fridge nahi hai"
    r"|\bkuch nahi?n? kharid|\b(mera|meri|hamara|hamari|humara)\s+(nahi|nahin|nhi)\b"
    rf"|\b(mera|meri|hamara|hamari|humara)\s+({PRODUCT_WORDS})\s+(nahi|nahin|nhi)\s+(hai|h|he)\b"
)
# Hindi in Devanagari, read as the Hinglish words of these rules (issue 17).
_DEVANAGARI_AS_HINGLISH = hindi_words.spelling_table(
    {
        "mera": ("मेरा",),
        "meri": ("मेरी",),
        "mere": ("मेरे",),
        "hamara": ("हमारा",),
        "hamari": ("हमारी",),
        "hamare": ("हमारे",),
        "paas": ("पास",),
        "fridge": ("फ्रिज", "फ्रीज", "फ्रिज़", "फ्रिजों", "रेफ्रिजरेटर", "फ्रिज्ज"),
        "thanda": ("ठंडा", "ठण्डा", "ठंडी"),
        "nahi": ("नहीं", "नही"),
        "kharab": ("खराब", "ख़राब"),
        "band": ("बंद",),
        "ho": ("हो",),
        "gaya": ("गया", "गई", "गयी"),
        "kaam": ("काम",),
        "chal": ("चल",),
        "maine": ("मैंने", "मैने"),
        "humne": ("हमने",),
        "kharida": ("खरीदा", "खरीदी", "ख़रीदा"),
        "kharide": ("खरीदे",),
        "liya": ("लिया", "ली"),
        "liye": ("लिये", "लिए"),
        "kuch": ("कुछ",),
        "wrong": ("गलत", "ग़लत"),
        "number": ("नंबर", "नम्बर"),
        "leaking": ("लीक",),
        "noise": ("आवाज़", "आवाज", "शोर"),
        "sparks": ("चिंगारी",),
        "smoke": ("धुआं", "धुआँ"),
        "sold": ("बेच", "बेचा", "बेच दिया"),
        "pani": ("पानी",),
        "hai": ("है", "हैं"),
        "nikal": ("निकल",),
        "maa": ("माँ", "मां", "माता", "मम्मी"),
        "papa": ("पापा", "पिताजी", "पिता"),
        "behen": ("बहन",),
        "beta": ("बेटा", "बेटे"),
        "beti": ("बेटी",),
        "pati": ("पति",),
        "patni": ("पत्नी",),
    }
)
# A fault only someone using the product would report.
PROBLEMS = re.compile(
    r"\b(not|isn'?t|stopped|no|nahi|nhi)\s+(cooling|cold|chilling|freezing|working|thanda)\b"
    r"|\bthanda\s+(nahi|nhi|nahin|nai)\b|\bkharab\b|\bband ho gaya\b|\bkaam nahi\b|\bchal nahi\b"
    r"|\bleak(s|ing)?\b|\bnois(e|y)\b|\bsparks?\b|\bsparking\b|\bsmoke\b|\bburning smell\b"
    r"|\bpaa?ni\s+(nikal|aa|tapak|leak)"  # "fridge se pani nikal raha hai"
)
FIRST_PERSON_POSSESSIVE = r"(my|our|mera|meri|mere|hamara|hamari|hamare|humara|humari|apna|apni)"
# Someone else's: "my mother's fridge" is not "my fridge".
OTHER_PEOPLE = (
    r"(someone|somebody|he|she|they|his|her|their|father|dad|mother|mom|mum|husband|wife|brother|"
    r"sister|son|daughter|owner|previous|late|"
    r"maa|mummy|mumma|mummi|papa|pitaji|behen|didi|beta|beti|pati|patni|sasur|saas|chacha|mama|dost)"  # Hinglish
)
SELF = r"(i|we|i'?ve|we'?ve|ive|maine|humne|hamne)"
COUNT = r"(a|an|one|two|three|2|3|both|the|this|that|these|your|ur|of your|of ur)"
BOUGHT = r"(bought|purchased|got|kharida|kharide|liya|liye)"


def _ownership_patterns(products: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b{FIRST_PERSON_POSSESSIVE}\s+(\w+\s+){{0,2}}({products})\b"
        rf"|\b{SELF}\s+(have|own|use|using|got|has)\s+({COUNT}\s+){{1,3}}(\w+\s+){{0,2}}({products}|one)\b"
        rf"|\b{SELF}\s+(have|own|use)\s+(it|them|one|two|2)\b"
        rf"|\b{SELF}\s+(\w+\s+){{0,3}}{BOUGHT}\b"
        rf"|(^|[,;.!?]\s*|\b(both|and|it|them|was|were)\s+){BOUGHT}\s+(it\s+|them\s+)?(in|on|last|from|at|this|during)\b"
        rf"|\bmere\s+paas\b|\b(fridge|it)\s+(is|is\s+with)\s+me\b"
    )


def reports_fault(text: str) -> bool:
    """The message reports a fault with the customer's unit ("mera fridge thanda nahi kar rha",
    "its not cooling properly", "leaking water")."""
    lowered = " ".join(hindi_words.as_hinglish(text, _DEVANAGARI_AS_HINGLISH).split())
    return bool(lowered) and PROBLEMS.search(lowered) is not None


def _words(product: str) -> str:
    extra = "|".join(re.escape(w) for w in re.findall(r"[a-z]+", product.lower()) if len(w) > 2)
    return f"{PRODUCT_WORDS}|{extra}" if extra else PRODUCT_WORDS


def mentions_ownership(text: str, product_names: Iterable[str] = ()) -> bool:
    """True when the message says the customer owns, uses or has a problem with the
    product (`product_names`: the campaign's own words for it, beside fridge & co.)."""
    lowered = " ".join(hindi_words.as_hinglish(text, _DEVANAGARI_AS_HINGLISH).split())
    if not lowered or DENIALS.search(lowered):
        return False
    if reports_fault(lowered):
        return True
    products = "|".join(_words(name) for name in product_names) if product_names else PRODUCT_WORDS
    for match in _ownership_patterns(products).finditer(lowered):
        nearby = lowered[: match.start()].split()[-2:] + match.group(0).split()[1:]
        if not any(_someone_else(word) for word in nearby):
            return True
    return False


def _someone_else(word: str) -> bool:
    return re.fullmatch(rf"{OTHER_PEOPLE}('?s)?", word.strip(",.;!?")) is not None
