import asyncio

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.feedback import (
    ActionAskFeedbackScore,
    ActionFeedbackOutcome,
    ActionOfferRebooking,
    ValidateFeedbackForm,
)
from bot.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Conversation,
    Customer,
    Escalation,
    Feedback,
    ServiceSlot,
    utcnow,
)
from bot.services.escalations import queue
from tests.actions.support import BOT_SPOKE, run, tracker

DOMAIN_FORM = {"forms": {"feedback_form": {"required_slots": ["feedback_score", "feedback_comment"]}}, "slots": {}}


async def run_form(t):
    dispatcher = CollectingDispatcher()
    events = await ValidateFeedbackForm().run(dispatcher, t, DOMAIN_FORM)
    return [m["text"] for m in dispatcher.messages], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def answer(sender, text, intent="choose_option", requested="feedback_score", slots=None):
    return tracker(
        sender,
        text,
        intent,
        active_loop="feedback_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
        slots={"requested_slot": requested, **(slots or {})},
    )


def feedback_row(action_db):
    with action_db["factory"]() as s:
        return s.scalar(select(Feedback))


def test_the_question_after_a_completed_repair_has_no_introduction(action_db):
    with action_db["factory"].begin() as s:
        s.scalar(select(Customer)).remedy = "repair"
    said, _ = asyncio.run(
        run(ActionAskFeedbackScore(), tracker(action_db["sender_id"], "EXTERNAL: x", "EXTERNAL_remedy_completed"))
    )
    assert len(said) == 1 and "repair is complete" in said[0] and "Hello" not in said[0]
    assert said[0].endswith("How did the repair go? Reply with a number from 1 (bad) to 5 (great).")
    said, _ = asyncio.run(run(ActionAskFeedbackScore(), answer(action_db["sender_id"], "what?", "out_of_scope")))
    assert said == ["How did it go? Please reply with a number from 1 (bad) to 5 (great)."]


def test_a_good_score_is_stored_and_a_comment_asked(action_db):
    _, slots = asyncio.run(run_form(answer(action_db["sender_id"], "it was great 5")))
    assert slots["feedback_score"] == 5 and "requested_slot" not in slots  # Rasa asks the comment next
    _, slots = asyncio.run(
        run_form(
            answer(
                action_db["sender_id"],
                "The technician was quick",
                "thank",
                requested="feedback_comment",
                slots={"feedback_score": 5},
            )
        )
    )
    assert slots["feedback_comment"] == "The technician was quick"
    row = feedback_row(action_db)
    assert (row.score, row.comment) == (5, "The technician was quick") and row.answered_at and row.commented_at


def test_no_comment_is_fine(action_db):
    _, slots = asyncio.run(
        run_form(
            answer(action_db["sender_id"], "no", "deny", requested="feedback_comment", slots={"feedback_score": 4})
        )
    )
    assert slots["feedback_comment"] == ""
    assert feedback_row(action_db) is None


def test_a_low_score_asks_no_comment(action_db):
    _, slots = asyncio.run(run_form(answer(action_db["sender_id"], "1")))
    assert slots["feedback_score"] == 1 and slots["requested_slot"] is None
    assert feedback_row(action_db).score == 1
    _, slots = asyncio.run(run_form(answer(action_db["sender_id"], "1!!! he broke the shelf", "complain")))
    assert slots["feedback_score"] == 1  # said angrily: still the score (escalated as low_feedback)


def test_no_number_asks_again_and_no_thanks_ends_it(action_db):
    _, slots = asyncio.run(run_form(answer(action_db["sender_id"], "it was ok i guess", "affirm")))
    assert slots["feedback_score"] is None
    _, slots = asyncio.run(run_form(answer(action_db["sender_id"], "no thanks", "deny")))
    assert slots["feedback_declined"] is True and slots["requested_slot"] is None


def test_a_hazard_instead_of_a_score_is_left_to_the_rules(action_db):
    _, slots = asyncio.run(run_form(answer(action_db["sender_id"], "it is smoking again", "report_hazard")))
    assert "feedback_score" not in slots


def test_a_score_of_2_goes_to_a_person(action_db):
    t = tracker(action_db["sender_id"], "2", "choose_option", events=BOT_SPOKE, slots={"feedback_score": 2})
    said, slots = asyncio.run(run(ActionFeedbackOutcome(), t))
    assert "sorry it didn't go well" in said[0] and "person from our team" in said[0]
    assert slots == {"feedback_score": None, "feedback_comment": None, "feedback_declined": None}
    with action_db["factory"]() as s:
        escalation = s.scalar(select(Escalation))
        assert (escalation.reason, escalation.priority.value, escalation.trigger_text) == ("low_feedback", "high", "2")
        assert s.scalar(select(Conversation.bot_paused)) is True
        assert [item.reason for item in queue(s)] == ["low_feedback"]


def test_a_good_score_is_thanked(action_db):
    t = tracker(
        action_db["sender_id"],
        "nice",
        "thank",
        events=BOT_SPOKE,
        slots={"feedback_score": 5, "feedback_comment": "nice"},
    )
    said, _ = asyncio.run(run(ActionFeedbackOutcome(), t))
    assert said == ["Thank you for your feedback, and for choosing Arctica Appliances."]
    with action_db["factory"]() as s:
        assert s.scalar(select(Escalation)) is None


def test_a_failed_visit_is_apologised_for_and_rebooking_starts(action_db):
    now = utcnow()
    with action_db["factory"].begin() as s:
        customer = s.scalar(select(Customer))
        slot = ServiceSlot(
            campaign_id=customer.campaign_id,
            postcode_prefix="4110",
            starts_at=now,
            ends_at=now.replace(year=now.year + 1),
            capacity=1,
            booked=1,
        )
        s.add(slot)
        s.flush()
        s.add(
            Booking(
                reference="RP-ABCDEF",
                campaign_id=customer.campaign_id,
                customer_id=customer.id,
                slot_id=slot.id,
                kind=BookingKind.REPAIR,
                status=BookingStatus.MISSED,
                address="12 FC Road, Pune",
                postcode="411001",
            )
        )
    t = tracker(action_db["sender_id"], "EXTERNAL: x", "EXTERNAL_visit_failed", events=BOT_SPOKE)
    said, slots = asyncio.run(run(ActionOfferRebooking(), t))
    assert said == [
        "We're sorry: your repair visit RP-ABCDEF did not take place. Let's book a new time for you, free of charge."
    ]
    assert slots["rebooking"] is True and slots["postcode"] == "411001" and slots["remedy"] == "repair"


def test_nothing_to_rebook_says_nothing(action_db):
    said, slots = asyncio.run(
        run(ActionOfferRebooking(), tracker(action_db["sender_id"], "EXTERNAL: x", "EXTERNAL_visit_failed"))
    )
    assert said == [] and slots == {"rebooking": False}
