"""A remedy chosen and a question asked in one message, what a question asks, and "when will
it be fixed" (bot/domain/question_topics.py)."""

import pytest

from bot.domain.question_topics import ChoiceAndQuestion, Topic, asks_when_done, choice_and_question, question_topic

SPLITS = [
    # (message, the choice, the question beside it)
    ("can i get refund insted? how long will money take", "refund", "how long will money take"),
    ("i want repair, how long does the visit take", "repair", "how long does the visit take"),
    ("refund pls, does it cost anything", "refund", "does it cost anything"),
    ("replacement. when will it come", "replacement", "when will it come"),
    ("2, how long for delivery?", "2", "how long for delivery"),
    ("1 pls, how long will it take?", "1 pls", "how long will it take"),
    ("ok the second one. how long for delivery", "ok the second one", "how long for delivery"),
    ("can i have a new one instead and how many days for delivery", "replacement", "how many days for delivery"),
    ("ok give me my money back. by when will i get it?", "refund", "by when will i get it"),
    ("i prefer the technician visit, is it free?", "repair", "is it free"),
    # a choice alone
    ("refund", "refund", None),
    ("can i get a replacement?", "replacement", None),
    ("3", "3", None),
    # a question about a remedy, choosing nothing
    ("how long does a refund take?", None, "how long does a refund take"),
    ("is the repair free?", None, "is the repair free"),
    ("if i take the refund how long will it take", None, "if i take the refund how long will it take"),
    ("when will my fridge be fixed", None, "when will my fridge be fixed"),
    ("", None, None),
]


@pytest.mark.parametrize(("text", "choice", "question"), SPLITS)
def test_choice_and_question(text, choice, question):
    assert choice_and_question(text) == ChoiceAndQuestion(choice, question)


TOPICS = [
    # (question, the remedy chosen, what it asks)
    ("how long will money take", None, Topic.REFUND_TIME),
    ("when will i get my refund", None, Topic.REFUND_TIME),
    ("how many days for the amount to reach my account", None, Topic.REFUND_TIME),
    ("how long for delivery", None, Topic.REPLACEMENT_TIME),
    ("when will the new one come", None, Topic.REPLACEMENT_TIME),
    ("how long does the visit take", None, Topic.VISIT_LENGTH),
    ("how long is the repair", None, Topic.VISIT_LENGTH),
    ("does it cost anything", None, Topic.COST),
    ("will you charge for the visit?", None, Topic.COST),
    # "it" is the remedy chosen
    ("how long will it take", "refund", Topic.REFUND_TIME),
    ("how long will it take", "replacement", Topic.REPLACEMENT_TIME),
    ("how long will it take", "repair", Topic.VISIT_LENGTH),
    ("when will it come", "replacement", Topic.REPLACEMENT_TIME),
    ("when will he come", "repair", Topic.WHEN_DONE),
    ("how long will it take", None, None),
    # when will it be fixed: answered from the customer's state
    ("when will my fridge be fixed", None, Topic.WHEN_DONE),
    ("when will my fridge be fixed", "refund", Topic.WHEN_DONE),
    ("mera fridge kab tak theek hoga", None, Topic.WHEN_DONE),
    # nothing these rules answer
    ("is this a scam", None, None),
    ("what is the fault", "repair", None),
    ("", None, None),
]


@pytest.mark.parametrize(("text", "remedy", "topic"), TOPICS)
def test_question_topic(text, remedy, topic):
    assert question_topic(text, remedy) == topic


WHEN_DONE = [
    ("mera fridge kab tak theek hoga", True),
    ("fridge kab thik hoga?", True),
    ("theek kab hoga", True),
    ("when will my fridge be fixed", True),
    ("When will it be done?", True),
    ("when will it be ready", True),
    ("how long till its sorted", True),
    ("how long until it's working again", True),
    ("how soon will it get repaired", True),
    ("when is my repair", True),
    ("when will the technician fix it", True),
    ("by when will this be resolved?", True),
    # the visit's length, the refund's or the delivery's time, other questions: not this one
    ("how long does the repair take", False),
    ("how long is the repair", False),
    ("how long will the visit take", False),
    ("when will i get my money", False),
    ("how long for delivery", False),
    ("how long is it ok to keep food inside", False),
    ("refund kab milega", False),
    ("is it safe to use", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "expected"), WHEN_DONE)
def test_asks_when_done(text, expected):
    assert asks_when_done(text) is expected
