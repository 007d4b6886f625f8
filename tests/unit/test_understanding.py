import pytest

from bot.conversation.understanding import yes_or_no
from bot.domain.addresses import find_postcode, is_postcode


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("affirm", "yes", True),
        ("affirm", "yes pls", True),
        ("deny", "no", False),
        ("deny", "nahi", False),
        (None, "Y", True),
        (None, "haan ji", True),
        ("choose_option", "ok", True),
        ("nlu_fallback", "n", False),
        ("nlu_fallback", "nope wrong", False),
        (None, "maybe", None),
        (None, "yes no", None),
        ("affirm", "no", False),  # the words win over a confused classifier
        ("deny", "yes", True),
        (None, "", None),
        # Hinglish yes (issue 17)
        (None, "haan", True),
        (None, "haa", True),
        (None, "han", True),
        (None, "haaan", True),
        (None, "hanji", True),
        (None, "ha ji", True),
        (None, "ji", True),
        (None, "ji haan", True),
        (None, "jee", True),
        (None, "theek hai", True),
        (None, "thik h", True),
        (None, "thik hai", True),
        (None, "Theek hai ji", True),
        (None, "sahi hai", True),
        (None, "bilkul", True),
        (None, "kar do", True),
        (None, "haan kar do", True),
        (None, "book kar do na", True),  # "na" asks, it does not deny
        (None, "haan na", True),
        (None, "ok ji", True),
        ("deny", "haan ji", True),
        # Hindi yes
        (None, "हाँ", True),
        (None, "हां", True),
        (None, "जी", True),
        (None, "जी हाँ", True),
        (None, "ठीक है", True),
        (None, "सही है", True),
        (None, "बिल्कुल", True),
        (None, "हाँ जी, कर दो", True),
        ("deny", "हाँ", True),
        # Hinglish no
        (None, "nahi", False),
        (None, "nhi", False),
        (None, "nahin", False),
        (None, "nahiii", False),
        (None, "na", False),
        (None, "naa", False),
        (None, "na ji", False),
        (None, "ji nahi", False),  # the honorific of a no
        (None, "mat karo", False),
        (None, "nahi chahiye", False),
        (None, "galat hai", False),
        (None, "theek nahi hai", False),  # a negated yes word
        (None, "bilkul nahi", False),
        ("affirm", "nahi", False),
        ("affirm", "theek nahi hai", False),
        # Hindi no
        (None, "नहीं", False),
        (None, "ना", False),
        (None, "नही", False),
        (None, "गलत है", False),
        (None, "ठीक नहीं है", False),
        (None, "नहीं जी", False),
        (None, "मत करो", False),
        ("affirm", "नहीं", False),
        # don't know: neither, whatever the classifier says
        (None, "nahi pata", None),
        ("deny", "nahi pata", None),
        ("affirm", "pata nahi", None),
        (None, "pta nhi yaar", None),
        ("deny", "पता नहीं", None),
        (None, "मालूम नहीं", None),
        # Hindi words in a sentence that is no answer
        (None, "haan nahi", None),
        (None, "kab tak theek hoga", None),  # "theek" not as an answer
        (None, "local mistri ne theek kar diya", None),
        (None, "mujhe call karo", None),  # a request, not "kar do"
        (None, "time change kar do", None),  # "kar do" beside something else to do
        (None, "cancel kar do", None),
        (None, "ji serial no hai AR26F 220871", None),  # "ji" is no yes beside an English "no"
        # English untouched by the Hinglish words
        (None, "do it", None),
        (None, "what do i do", None),
        (None, "not sure", None),
        ("affirm", "do it", True),
    ],
)
def test_yes_or_no(intent, text, expected):
    assert yes_or_no(intent, text) is expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Flat 12, Shanti Apts, Baner Road, Pune 411045", "IN", "411045"),
        ("Pune 411 045", "IN", "411045"),
        ("221 B MG road bangalore 560001", "IN", "560001"),
        ("12 MG road", "IN", None),
        ("phone 9812300001", "IN", None),
        ("1420 Elm St Apt 3, Austin TX 78701", "US", "78701"),
        ("Austin TX 78701-1234", "US", "78701"),
        ("10 Downing St, London sw1a 2aa", "GB", "SW1A 2AA"),
        ("Hauptstr. 5, 10115 Berlin", "DE", "10115"),
        ("फ्लैट 12, बानेर रोड, पुणे ४११०४५", "IN", "411045"),  # Devanagari digits (issue 17)
        ("baner road pune ४११ ०४५", "IN", "411045"),
    ],
)
def test_find_postcode(text, country, expected):
    assert find_postcode(text, country) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("411045", True), (" 411 045 ", True), ("my pin is 411045", False), ("41104", False), ("४११०४५", True)],
)
def test_is_postcode(text, expected):
    assert is_postcode(text, "IN") is expected
