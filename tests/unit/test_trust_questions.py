"""The trust questions of a first message, each answered (bot/domain/trust_questions.py)."""

import pytest

from bot.domain.trust_questions import questions_to_answer, trust_questions

REAL, NUMBER, WHO, DATA = "ask_is_it_real", "ask_how_got_number", "ask_who_is_this", "ask_about_data"

ASKED = [
    # (message, the trust questions in it, in the order asked)
    ("hii is this real?? how did u get my no", [REAL, NUMBER]),
    ("who r u and where did u get my number", [WHO, NUMBER]),
    ("aap kaun ho? mera number kaha se mila", [WHO, NUMBER]),
    ("which company is this, is it genuine?", [WHO, REAL]),
    ("hello who is this? is this message genuine", [WHO, REAL]),
    ("who are you people, how u have my mobile number", [WHO, NUMBER]),
    ("how did you get my number", [NUMBER]),
    ("where did you get my number from", [NUMBER]),
    ("is this a scam", [REAL]),
    ("is this legit", [REAL]),
    ("kya ye sach hai", [REAL]),
    ("who is this", [WHO]),
    ("whos texting me", [WHO]),
    ("who sent this message", [WHO]),
    ("what about my data", [DATA]),
    ("is this real? is this real??", [REAL]),  # once each
    # not trust questions
    ("ok what do I need to do", []),
    ("my fridge is not cooling", []),
    ("is the repair free?", []),
    ("who will come for the repair", []),
    ("who is coming for the visit", []),
    ("is it true my fridge can catch fire", []),
    ("how do i find the serial no", []),
    ("i want a refund", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "asked"), ASKED)
def test_trust_questions(text, asked):
    assert trust_questions(text) == asked


TO_ANSWER = [
    # (the classifier's intent, message, what is answered)
    (NUMBER, "hii is this real?? how did u get my no", [REAL, NUMBER]),  # the customer's order
    (REAL, "hii is this real?? how did u get my no", [REAL, NUMBER]),
    ("ask_what_to_do", "who is this, what do i do", ["ask_what_to_do", WHO]),  # the intent first
    ("ask_cost", "is the repair free?", ["ask_cost"]),
    (None, "is this a scam", [REAL]),
    (None, "hmm", []),
]


@pytest.mark.parametrize(("intent", "text", "answered"), TO_ANSWER)
def test_questions_to_answer(intent, text, answered):
    assert questions_to_answer(intent, text) == answered
