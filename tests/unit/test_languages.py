"""The language a customer's message is written in, and the language it asks for
(bot/domain/languages.py): real messages in English, Hindi (Devanagari) and Hinglish."""

from __future__ import annotations

import pytest

from bot.domain.languages import (
    ENGLISH,
    HINDI,
    HINGLISH,
    canonical_language,
    detect_language,
    language_name,
    listed_language,
    requested_language,
)

DETECTED = [
    # Devanagari, alone or with English words and digits inside
    ("मेरा फ्रिज ठंडा नहीं कर रहा", HINDI),
    ("नमस्ते", HINDI),
    ("हाँ", HINDI),
    ("नहीं", HINDI),
    ("fridge से पानी निकल रहा है", HINDI),
    ("मेरा serial RF-2023-001234 है", HINDI),
    ("repair करवा दो", HINDI),
    ("कल सुबह 10 बजे आ जाओ", HINDI),
    ("पहला वाला", HINDI),
    ("मुझे refund चाहिए", HINDI),
    ("ठीक है धन्यवाद", HINDI),
    # Hinglish: Hindi in Latin letters, no diacritics, typos, English words inside
    ("mera fridge thanda nahi kar raha", HINGLISH),
    ("repair karwa do", HINGLISH),
    ("haan ji theek hai", HINGLISH),
    ("mujhe refund chahiye", HINGLISH),
    ("kal subah aa jao 10 baje", HINGLISH),
    ("fridge se pani nikal raha hai", HINGLISH),
    ("bhai kab aaoge", HINGLISH),
    ("abhi ghar pe nahi hu", HINGLISH),
    ("kya ye mera model hai", HINGLISH),
    ("mera serial nhi mil rha", HINGLISH),
    ("aap log kab tak thik karoge", HINGLISH),
    ("shukriya bhaiya", HINGLISH),
    ("pehla wala sahi hai", HINGLISH),
    ("bahut bakwas service hai yaar", HINGLISH),
    ("mujhe kisi insaan se baat karni hai", HINGLISH),
    # English
    ("my fridge is not cooling", ENGLISH),
    ("I want a repair please", ENGLISH),
    ("Is it safe to use?", ENGLISH),
    ("what is the serial number", ENGLISH),
    ("can someone call me tomorrow", ENGLISH),
    ("thank you so much", ENGLISH),
    ("the fridge stopped working last week", ENGLISH),
    ("I don't have the receipt", ENGLISH),
    ("Tuesday morning works for me", ENGLISH),
    ("I need to talk to a person", ENGLISH),
    ("my hindi is bad", ENGLISH),
    # A greeting only Hindi speakers use, even alone
    ("namaste", HINGLISH),
    ("Namaskar ji", HINGLISH),
    ("hello", None),
    ("hello ji", None),  # two words, one of them Hindi: too little to switch an English writer
    ("ok ji", None),
    ("flat 4 near hanuman mandir ghar no 12", None),  # an address reply is no language switch
    ("acha ok", None),
    # Says nothing about the language: the customer's stays as it was
    ("ok", None),
    ("2", None),
    ("RF-2023-001234", None),
    ("👍", None),
    ("", None),
    ("   ", None),
    ("yes", None),
    ("no", None),
    ("hi", None),
    ("10:30", None),
    ("refund", None),
    ("repair", None),
    ("Tuesday", None),
    ("?", None),
    ("२", None),
    # addresses, serials and English answers with a word that is also Hindi
    ("h.no 5-3-12 ameerpet hyderabad", None),
    ("H.No 45, Green Park Extension, New Delhi 110016", None),
    ("ya correct", None),
    ("AR26D104514 and AR26H000001", None),
    ("ar26 e 000700 hai mera", HINGLISH),
    ("mistri se repair ho gaya", HINGLISH),
    ("is hafte nahi, agle hafte subah", HINGLISH),
    ("yes and the address is the same", ENGLISH),
]


@pytest.mark.parametrize(("text", "expected"), DETECTED)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


REQUESTED = [
    # A request for Hindi (Devanagari)
    ("Hindi", HINDI),
    ("hindi", HINDI),
    ("HINDI please", HINDI),
    ("hindi me baat karo", HINDI),
    ("Hindi mein baat kijiye", HINDI),
    ("hindi mai bolo", HINDI),
    ("hindi pls", HINDI),
    ("हिंदी", HINDI),
    ("हिन्दी", HINDI),
    ("हिंदी में बात करें", HINDI),
    ("कृपया हिंदी में", HINDI),
    ("हिंदी में लिखो", HINDI),
    ("in hindi please", HINDI),
    ("can you speak hindi", HINDI),
    ("reply in hindi", HINDI),
    ("Hindi.", HINDI),
    # A request for Hinglish
    ("roman hindi", HINGLISH),
    ("Hinglish", HINGLISH),
    ("hinglish please", HINGLISH),
    ("hindi in english letters", HINGLISH),
    ("hinglish me baat karo", HINGLISH),
    # A request for English
    ("English", ENGLISH),
    ("english please", ENGLISH),
    ("in English please", ENGLISH),
    ("English only", ENGLISH),
    ("angrezi", ENGLISH),
    ("english me baat karo", ENGLISH),
    ("अंग्रेजी में बात करें", ENGLISH),
    ("इंग्लिश", ENGLISH),
    ("can we talk in english", ENGLISH),
    ("speak english", ENGLISH),
    # Mentions a language without asking for it, or asks nothing
    ("my hindi is bad", None),
    ("I don't speak hindi well", None),
    ("the english notice was confusing", None),
    ("mera fridge thanda nahi kar raha", None),
    ("मुझे हिंदी नहीं आती", None),
    ("is the manual in english or hindi", None),
    ("hindi film dekh raha tha", None),
    ("ok", None),
    ("yes", None),
    ("", None),
    ("repair karwa do", None),
    ("english medium school", None),
]


@pytest.mark.parametrize(("text", "expected"), REQUESTED)
def test_requested_language(text, expected):
    assert requested_language(text) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("hi", "hi"),
        (" hi ", "hi"),
        ("hi-Latn", "hi-Latn"),
        ("HI_latn", "hi-Latn"),
        ("hi-latn", "hi-Latn"),
        ("en-in", "en-IN"),
        ("", None),
        (None, None),
        ("Hindi", None),
        ("hindi language", None),
        ("h", None),
    ],
)
def test_canonical_language(code, expected):
    assert canonical_language(code) == expected


def test_language_names():
    assert language_name("en") == "English"
    assert "Hindi" in language_name("hi")
    assert "Hinglish" in language_name("hi-Latn")
    assert language_name("ta") == "ta"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hi", "hi"),
        ("HI_latn", "hi-Latn"),
        ("Hindi", "hi"),
        (" hindi ", "hi"),
        ("हिंदी", "hi"),
        ("हिन्दी", "hi"),
        ("English", "en"),
        ("अंग्रेजी", "en"),
        ("Hinglish", "hi-Latn"),
        ("Roman  Hindi", "hi-Latn"),
        ("", None),
        (None, None),
        ("klingon!", None),
    ],
)
def test_a_buyer_lists_language_by_tag_or_name(value, expected):
    assert listed_language(value) == expected
