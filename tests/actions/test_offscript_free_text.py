"""Free-text slots take only what fits: the address, the postcode and the feedback comment
refuse what is plainly something else, handle it, and the question comes again."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.feedback import ActionAskFeedbackComment, ValidateFeedbackForm
from actions.recall_form import ValidateRecallForm
from bot.conversation import texts
from bot.models import Customer, Feedback
from tests.actions.support import BOT_SPOKE, run, tracker

RECALL_DOMAIN = {
    "forms": {
        "recall_form": {
            "required_slots": ["serial", "remedy", "remedy_confirmed", "address_confirmed", "address", "postcode"]
        }
    },
    "slots": {},
}
FEEDBACK_DOMAIN = {"forms": {"feedback_form": {"required_slots": ["feedback_score", "feedback_comment"]}}, "slots": {}}
AT_ADDRESS = {"serial": "AR26D004512", "remedy": "repair", "address_confirmed": False}


async def run_validation(action, t, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, domain)
    return [m["text"] for m in dispatcher.messages], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def reply(sender, text, intent="inform_address", requested="address", slots=None, loop="recall_form", events=()):
    return tracker(
        sender,
        text,
        intent,
        slots={"requested_slot": requested, requested: text, **(slots or {})},
        active_loop=loop,
        events=[*BOT_SPOKE, *events, {"event": "user", "text": text}],
    )


def at_address(action_db, text, intent="inform_address", **slots):
    t = reply(action_db["sender_id"], text, intent, slots={**AT_ADDRESS, **slots})
    return asyncio.run(run_validation(ValidateRecallForm(), t, RECALL_DOMAIN))


def address_on_file(action_db):
    with action_db["factory"]() as s:
        customer = s.scalar(select(Customer))
        return customer.address, customer.postcode


def test_a_replacement_asked_for_at_the_address_switches_the_remedy(action_db):
    said, slots = at_address(action_db, "actually I want a replacement instead", "choose_replacement")
    assert said == ["OK, you'd like this instead: A new replacement refrigerator."]
    assert slots["address"] is None and slots["remedy"] == "replacement" and slots["remedy_confirmed"] is None
    assert slots["requested_slot"] == "remedy_confirmed"  # confirmed first, then the address again
    assert address_on_file(action_db) == ("12 FC Road, Pune", "411001")


def test_the_same_remedy_again_keeps_asking_the_address(action_db):
    said, slots = at_address(action_db, "i want the repair pls", "choose_repair")
    assert said == ["Yes, you have chosen: Free repair at your home."]
    assert slots["address"] is None and "remedy" not in slots and slots["requested_slot"] == "address"


def test_a_day_asked_for_at_the_address_waits_for_the_next_step(action_db):
    said, slots = at_address(action_db, "can the technician come on sunday instead?", "out_of_scope_guess")
    assert said == [texts.time_chosen_next()]
    assert slots["address"] is None and slots["requested_slot"] == "address"
    assert address_on_file(action_db) == ("12 FC Road, Pune", "411001")


def test_a_question_at_the_address_is_not_stored(action_db):
    said, slots = at_address(action_db, "what do you need my address for?", None)
    assert said == [texts.address_first()] and slots["address"] is None


def test_a_bare_ok_gets_an_example(action_db):
    said, slots = at_address(action_db, "ok", "affirm")
    assert slots["address"] is None
    assert said == [texts.not_an_address("IN")] and "Baner Road, Pune 411045" in said[0]


def test_a_short_address_with_a_number_is_taken_and_the_postcode_asked(action_db):
    said, slots = at_address(action_db, "12 mg road")
    assert said == [] and slots["address"] == "12 mg road" and slots["postcode"] is None
    assert slots["requested_slot"] == "postcode"


def test_a_full_address_carries_its_postcode(action_db):
    _, slots = at_address(action_db, "Flat 4B, Shanti Apts, Baner Road, Pune 411045")
    assert slots["address"] == "Flat 4B, Shanti Apts, Baner Road, Pune 411045" and slots["postcode"] == "411045"


def test_the_postcode_step_refuses_a_time_request_and_takes_a_postcode(action_db):
    slots = {**AT_ADDRESS, "address": "12 mg road"}
    t = reply(action_db["sender_id"], "I am travelling until the 20th", "out_of_scope", "postcode", slots)
    said, set_ = asyncio.run(run_validation(ValidateRecallForm(), t, RECALL_DOMAIN))
    assert said == [texts.time_chosen_next()] and set_["postcode"] is None
    t = reply(action_db["sender_id"], "hmm", None, "postcode", slots)
    said, set_ = asyncio.run(run_validation(ValidateRecallForm(), t, RECALL_DOMAIN))
    assert said == [texts.invalid_postcode()] and set_["postcode"] is None
    t = reply(action_db["sender_id"], "411 045", None, "postcode", slots)
    said, set_ = asyncio.run(run_validation(ValidateRecallForm(), t, RECALL_DOMAIN))
    assert said == [] and set_["postcode"] == "411045"


# ---------------------------------------------------------------------- the feedback comment


def comment(action_db, text, intent=None, events=()):
    t = reply(action_db["sender_id"], text, intent, "feedback_comment", {"feedback_score": 5}, "feedback_form", events)
    return asyncio.run(run_validation(ValidateFeedbackForm(), t, FEEDBACK_DOMAIN))


def stored_comment(action_db):
    with action_db["factory"]() as s:
        row = s.scalar(select(Feedback))
        return row.comment if row else None


def test_a_yes_to_the_comment_question_asks_for_the_comment(action_db):
    asked = ({"event": "bot", "text": texts.ask_feedback_comment()},)
    _, slots = comment(action_db, "yes", "affirm", asked)
    assert slots["feedback_comment"] is None and stored_comment(action_db) is None
    score = {"feedback_score": 5}
    t = reply(action_db["sender_id"], "yes", "affirm", "feedback_comment", score, "feedback_form", asked)
    said, _ = asyncio.run(run(ActionAskFeedbackComment(), t))
    assert said == [texts.comment_go_ahead()]
    go_ahead = ({"event": "bot", "text": texts.comment_go_ahead()},)
    _, slots = comment(action_db, "yes", "affirm", go_ahead)  # a yes again: nothing to store, no loop
    assert slots["feedback_comment"] == "" and stored_comment(action_db) is None


def test_ok_thanks_is_no_comment(action_db):
    _, slots = comment(action_db, "ok thanks", "thank")
    assert slots["feedback_comment"] == "" and stored_comment(action_db) is None


def test_a_question_while_the_comment_is_asked_is_left_to_its_rule(action_db):
    said, slots = comment(action_db, "how long does the repair take?", "ask_duration")
    assert "feedback_comment" not in slots and said == []  # the form rejects: the rule answers it


def test_a_day_the_classifier_read_as_out_of_scope_is_still_read_as_a_day(action_db):
    said, slots = at_address(action_db, "pls come tomorrow evening", "out_of_scope")
    assert said == [texts.time_chosen_next()] and slots["address"] is None


def test_a_real_question_is_left_to_its_rule(action_db):
    said, slots = at_address(action_db, "is the repair free?", "ask_cost")
    assert said == [] and "address" not in slots  # the form rejects: the rule answers, then asks again


def test_a_day_the_classifier_alone_read_as_a_complaint_is_read_as_a_day(action_db):
    said, slots = at_address(action_db, "i am travelling till the 20th", "complain")
    assert said == [texts.time_chosen_next()] and slots["address"] is None
