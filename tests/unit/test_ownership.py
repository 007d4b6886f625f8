"""mentions_ownership: an owner, user or someone with a problem is never a wrong person."""

from __future__ import annotations

import pytest

from bot.domain.ownership import mentions_ownership, reports_fault

OWNERS = [
    "hi, I have two of your fridges, both bought in May",
    "mera fridge thanda nahi kar raha",
    "my fridge",
    "my fridge is not cooling",
    "our refrigerator makes a weird noise",
    "I have two of your fridges",
    "both bought in May",
    "we bought it from croma last year",
    "i bought 2 of them in diwali sale",
    "not cooling since yesterday",
    "fridge thanda nhi karta",
    "hamara fridge kharab ho gaya",
    "mere paas aapka fridge hai",
    "i have an arctica fridge at home",
    "we use the fridge every day",
    "my frige is leaking water",
    "MY FRIDGE STOPPED WORKING",
    "i have the double door one",
    "i've got one of your refrigerators",
    "humne fridge diwali pe liya tha",
    "its my fridge, what is this about?",
    "yes i own it",
    "my freezer is not freezing",
    "purchased on 3 may",
    "the fridge is with me",
    # Hindi and Hinglish (issue 17)
    "मेरा फ्रिज ठंडा नहीं कर रहा",
    "मेरा फ्रिज ठीक से ठंडा नहीं कर रहा",
    "fridge से पानी निकल रहा है",
    "fridge se pani nikal raha hai",
    "मेरे पास दो फ्रिज हैं",
    "फ्रिज खराब है",
    "हमारा फ्रिज बंद हो गया",
    "bhai mera fridge kharab hai",  # "bhai" is said to the bot, not someone else's fridge
]
NOT_OWNERS = [
    "wrong number",
    "wrong number, I don't know any fridge",
    "wrong number, i never bought any fridge",
    "no actually it's my mother's fridge",
    "its my moms fridge",
    "i don't own this",
    "sold it",
    "i sold my fridge last year",
    "it was my father's and he passed",
    "never bought this",
    "i dont own any fridge of urs",
    "not my fridge",
    "this isnt my number anymore",
    "i dont have any such product",
    "i gave it to my brother",
    "maine kuch nahi kharida",
    "who is this, i didnt buy any fridge",
    "i moved out, the fridge stayed with the old house",
    "i no longer have that fridge",
    "i have no such product",
    "i have never owned this",
    "someone else bought it",
    "this is not my product",
    "the owner passed away",
    "my husband bought it, he died",
    "threw it away years ago",
    "hello",
    "what is this about",
    "",
    "i am not the owner",
    "i think someone else bought it",
    "my dad bought it, he passed away",
    # Hindi and Hinglish (issue 17)
    "मैंने यह फ्रिज नहीं खरीदा",
    "मैंने कुछ नहीं खरीदा",
    "यह मेरा फ्रिज नहीं है",
    "यह फ्रिज मेरा नहीं है",
    "ye fridge mera nahi hai",
    "ye mera fridge nahi hai",
    "गलत नंबर",
    "meri maa ka fridge hai",
    "मेरी माँ का फ्रिज है",
]


@pytest.mark.parametrize("text", OWNERS)
def test_owners(text):
    assert mentions_ownership(text)


@pytest.mark.parametrize("text", NOT_OWNERS)
def test_not_owners(text):
    assert not mentions_ownership(text)


def test_the_campaigns_own_product_words():
    assert mentions_ownership("my chiller is acting up", ["Chiller cabinet"])
    assert not mentions_ownership("my chiller is acting up")


FAULTS = [
    # (message, reports a fault with the unit)
    ("mera fridge thanda nahi kar rha", True),
    ("but its not cooling properly", True),
    ("it stopped working yesterday", True),
    ("leaking water from the bottom", True),
    ("fridge kharab ho gaya", True),
    ("मेरा फ्रिज ठंडा नहीं कर रहा", True),
    ("फ्रिज से पानी निकल रहा है", True),
    ("फ्रिज खराब हो गया", True),
    ("मेरा फ्रिज ठीक है", False),
    ("मुझे हिंदी नहीं आती", False),
    ("it works fine", False),
    ("AR26B123456", False),
    ("is the repair free?", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "expected"), FAULTS)
def test_reports_fault(text, expected):
    assert reports_fault(text) is expected
