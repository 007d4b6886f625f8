"""Two things in one message at the remedy step (a choice and a question), "when will it be
fixed" answered from the customer's state, and a request for a person in words at the address
step (actions/two_things.py, actions/handover.py)."""

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from actions.feedback import ValidateFeedbackForm
from actions.questions import ActionAnswerQuestion
from actions.recall_form import ValidateRecallForm
from bot.campaigns.definition import parse_definition
from bot.conversation import texts
from bot.models import Campaign, Customer, Escalation, Feedback
from bot.services.remedy_requests import request_refund, request_replacement
from tests import factories
from tests.actions.support import BOT_SPOKE, run, tracker

REFUND_TIME = "The refund reaches your account within 7 days"
DELIVERY = "delivered within 10 days"
VISIT = "takes about 90 minutes"
FREE = "It costs you nothing"
CONFIRM_REFUND = "You chose a refund"
CONFIRM_REPLACEMENT = "You chose a new replacement refrigerator"
WHICH = "Which would you like?"


def texts_definition(action_db):
    with action_db["factory"]() as s:
        return parse_definition(s.scalar(select(Campaign)).definition)


def at_step(action_db, text, intent, requested, **slots):
    """The recall form's validation of `text`, sent when `requested` is asked: (said, slots set)."""
    t = tracker(
        action_db["sender_id"],
        text,
        intent,
        slots={"requested_slot": requested, "serial": "AR26D004512", **slots},
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )
    return asyncio.run(run(ValidateRecallForm(), t))


def at_remedy(action_db, text, intent):
    return at_step(action_db, text, intent, "remedy")


def at_address(action_db, text, intent):
    return at_step(action_db, text, intent, "address", address=text, remedy="repair", address_confirmed=False)


CHOICE_AND_QUESTION = [
    # (message, the classifier's intent, remedy taken, what the reply holds)
    ("can i get refund insted? how long will money take", "ask_refund_time", "refund", [REFUND_TIME]),
    ("refund pls, does it cost anything", "choose_refund", "refund", [FREE]),
    ("2 pls, how long for delivery?", "out_of_scope", "replacement", [DELIVERY]),
    ("replacement pls. when will it come?", "ask_replacement_time", "replacement", [DELIVERY]),
    ("i want repair, how long does the visit take", "ask_duration", "repair", [VISIT]),
    ("ok the first one, when will it be fixed?", "ask_duration", "repair", ["choose a time"]),
    ("refund", "choose_refund", "refund", []),  # a choice alone: nothing more said
]


@pytest.mark.parametrize(("text", "intent", "remedy", "answer"), CHOICE_AND_QUESTION)
def test_a_choice_and_a_question_in_one_message(action_db, text, intent, remedy, answer):
    said, slots = at_remedy(action_db, text, intent)
    assert slots["remedy"] == remedy
    assert slots["requested_slot"] != "remedy"  # the next step (the confirmation, the address) is asked
    assert len(said) == len(answer) and all(a in line for a, line in zip(answer, said, strict=True)), said


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("kab tak theek hoga?", "nlu_fallback", "That depends on what you choose"),
        ("how long for delivery?", "choose_option", DELIVERY),
        ("hmm not sure", "nlu_fallback", "Please reply with a number from 1 to 3."),
    ],
)
def test_a_question_without_a_choice_is_answered_and_the_choice_asked_again(action_db, text, intent, answer):
    said, slots = at_remedy(action_db, text, intent)
    assert slots["remedy"] is None and slots["requested_slot"] == "remedy"
    assert len(said) == 1 and answer in said[0]


def ask(action_db, text, intent, **slots):
    t = tracker(action_db["sender_id"], text, intent, slots=slots, events=[*BOT_SPOKE, {"event": "user", "text": text}])
    return asyncio.run(run(ActionAnswerQuestion(), t))


@pytest.mark.parametrize(
    ("remedy", "expected"),
    [
        (None, ["That depends on what you choose", "90 minutes", "within 10 days", "within 7 days"]),
        ("repair", ["fixes it at home in one visit (about 90 minutes)", "choose a time"]),
        ("replacement", [DELIVERY]),
        ("refund", [REFUND_TIME]),
    ],
)
def test_when_will_it_be_fixed_is_answered_from_the_remedy(action_db, remedy, expected):
    said, _ = ask(action_db, "mera fridge kab tak theek hoga", "ask_replacement_time", remedy=remedy)
    assert len(said) == 1 and all(e in said[0] for e in expected), said


@pytest.mark.parametrize(
    ("text", "create", "expected"),
    [
        ("when will my fridge be fixed", None, ["fixes it at the visit booked for", "Tue 1 Dec", "RP-"]),
        ("how long till its sorted", request_refund, [REFUND_TIME, "Your visit is booked for", "PU-"]),
        ("kab tak theek hoga", request_replacement, [DELIVERY, "Your visit is booked for"]),
    ],
)
def test_when_will_it_be_fixed_once_booked(action_db, text, create, expected):
    factory, now = action_db["factory"], dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    with factory.begin() as s:
        customer = s.scalar(select(Customer))
        slot_id = factories.slot(s, s.get(Campaign, customer.campaign_id)).id
    if create is None:
        assert factories.book_repair(factory, customer.id, slot_id, now=now).booked
    else:
        factories.request_with_pickup(factory, customer.id, slot_id, now=now, create=create)
    said, _ = ask(action_db, text, "ask_duration")
    assert len(said) == 1 and all(e in said[0] for e in expected), said


def test_the_visit_length_is_still_the_visit_length(action_db):
    said, _ = ask(action_db, "how long does the repair take", "ask_duration", remedy="repair")
    assert said == [texts.answer(texts_definition(action_db), "ask_duration")]


@pytest.mark.parametrize("text", ["can i speak with your staff", "can a real person handle this", "call me pls"])
def test_a_person_asked_for_in_words_at_the_address_is_a_handover(action_db, text):
    said, slots = at_address(action_db, text, "ask_safety")
    assert len(said) == 1 and said[0].startswith("OK. A person from our team will reply here")
    assert slots["requested_slot"] is None and slots["address"] is None and slots["human_offered"] is False
    with action_db["factory"]() as s:
        escalation = s.scalar(select(Escalation))
    assert escalation.reason == "request_human" and escalation.trigger_text == text


def test_a_person_asked_for_by_the_classifier_is_left_to_its_rule(action_db):
    said, slots = at_address(action_db, "can i talk to someone real", "request_human")
    assert said == [] and "address" not in slots  # the form rejects; the rule for request_human hands over
    with action_db["factory"]() as s:
        assert s.scalar(select(Escalation)) is None


@pytest.mark.parametrize(
    ("text", "intent"), [("can i speak with your staff", "ask_safety"), ("operator", "nlu_fallback")]
)
def test_a_person_asked_for_in_words_at_the_comment_is_a_handover(action_db, text, intent):
    t = tracker(
        action_db["sender_id"],
        text,
        intent,
        slots={"requested_slot": "feedback_comment", "feedback_score": 5},
        active_loop="feedback_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )
    said, slots = asyncio.run(run(ValidateFeedbackForm(), t))
    assert len(said) == 1 and said[0].startswith("OK. A person from our team will reply here")
    assert slots["requested_slot"] is None and "feedback_comment" not in slots
    with action_db["factory"]() as s:
        assert s.scalar(select(Escalation.reason)) == "request_human"
        assert s.scalar(select(Feedback)) is None  # not stored as the comment


@pytest.mark.parametrize(
    ("text", "intent", "remedy", "answer"),
    [
        ("can i get refund insted? how long will money take", "ask_refund_time", "refund", REFUND_TIME),
        ("i want a replacement instead, when will it come", "choose_replacement", "replacement", DELIVERY),
    ],
)
def test_a_switch_and_a_question_at_the_address(action_db, text, intent, remedy, answer):
    t = tracker(
        action_db["sender_id"],
        text,
        intent,
        slots={"requested_slot": "address", "serial": "AR26D004512", "remedy": "repair", "address_confirmed": False},
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )
    said, slots = asyncio.run(run(ValidateRecallForm(), t))
    assert len(said) == 2 and said[0].startswith("OK, you'd like this instead") and answer in said[1], said
    assert slots["remedy"] == remedy and slots["address"] is None and slots["requested_slot"] == "remedy_confirmed"
