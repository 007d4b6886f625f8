"""After the visit: feedback_form (a score 1–5, then an optional comment) once the remedy
is complete, and new times after a failed or missed visit (back into recall_form).
Both start from an external intent the follow-up job triggers (`bot/followup/job.py`).

A score of 1–2 goes to a person (escalation `low_feedback`, priority high): the bot
says so and is silent until an agent hands back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import runtime
from actions.base import AskAction, RecallAction, RecallFormValidation, latest_intent, latest_text, say
from actions.handover import hand_over_from_form, person_missed, validated
from bot.conversation import texts
from bot.conversation.understanding import yes_or_no
from bot.domain.feedback import is_low, parse_score
from bot.domain.free_text import is_bare_answer, is_thanks, looks_like_question
from bot.models import Customer, utcnow
from bot.services.bookings import BookingView, booking_view
from bot.services.escalations import record_escalation
from bot.services.feedback import record_comment, record_score
from bot.services.rebooking import visit_to_rebook
from bot.services.recall_state import customer_in_campaign

ASK_FEEDBACK = "EXTERNAL_remedy_completed"
# While the score is asked: questions are answered and the question comes back; a
# request for a person, a complaint without a score or a hazard goes to a person.
SCORE_INTERRUPTIONS = frozenset(
    {
        *texts.QUESTION_INTENTS,  # ask_defect, ask_safety, ... ask_visit
        "request_human",
        "complain",
        "report_hazard",
        "switch_language",  # confirmed in the new language, then the question again
    }
)
# While the comment is asked: a question is answered (its rule) and not stored as the comment;
# a person or a hazard goes to a person; anything else (a complaint too) is the comment. After
# the visit, words about the visit ("the technician came on time") are the comment, not a question
# about it, so `ask_visit` has no rule in the feedback form (data/rules.yml).
COMMENT_INTERRUPTIONS = SCORE_INTERRUPTIONS - {"complain", "ask_visit"}
FEEDBACK_SLOTS = ("feedback_score", "feedback_comment", "feedback_declined")
NO_COMMENT = ""  # the slot is filled, nothing is stored


def _requested(tracker: Tracker, slot: str) -> bool:
    return tracker.get_slot("requested_slot") == slot


def statement_as_comment(tracker: Tracker) -> bool:
    """The comment is asked and the latest message, classified as a question, is not written
    as one: it is the comment (the question rule answered it before the form could take it)."""
    return (
        tracker.active_loop_name == "feedback_form"
        and _requested(tracker, "feedback_comment")
        and latest_intent(tracker) in texts.QUESTION_INTENTS
        and not looks_like_question(latest_text(tracker))
    )


async def store_comment(ctx, comment: str) -> list[dict[str, Any]]:
    """Record the customer's comment; the slot event that fills the form's last slot."""
    comment = " ".join(comment.split())
    customer_id, now = ctx.customer_id, utcnow()
    await runtime.in_transaction(lambda s: record_comment(s, customer_id, comment, now))
    return [SlotSet("feedback_comment", comment)]


def comment_interrupted(tracker: Tracker) -> bool:
    """The latest message, sent while the comment is asked, is not the comment: a person or a
    hazard, or a question written as one. A statement the model took for a question at low
    confidence ("the technician came on time" as `ask_duration`) is the comment."""
    intent = latest_intent(tracker)
    if intent in texts.QUESTION_INTENTS:
        return looks_like_question(latest_text(tracker))
    return intent in COMMENT_INTERRUPTIONS


def last_bot_text(tracker: Tracker) -> str | None:
    return next((e.get("text") for e in reversed(tracker.events) if e.get("event") == "bot"), None)


def score_slot(tracker: Tracker) -> int | None:
    """The score in the slot (validated: an int; just extracted: the customer's text)."""
    value = tracker.get_slot("feedback_score")
    return None if value is None else parse_score(str(value))


class ValidateFeedbackForm(RecallFormValidation):
    introduces = False

    def name(self) -> str:
        return "validate_feedback_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return await validated(self.name(), super().run(dispatcher, tracker, domain))

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("feedback_declined"):
            return []
        score = score_slot(tracker)
        if score is not None and is_low(score):
            return ["feedback_score"]  # a person follows up: no comment asked
        return ["feedback_score", "feedback_comment"]

    async def extract_feedback_score(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _requested(tracker, "feedback_score"):
            return {}
        text = latest_text(tracker)
        if parse_score(text) is None and latest_intent(tracker) in SCORE_INTERRUPTIONS:
            return {}
        return {"feedback_score": text}

    async def validate_feedback_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _requested(tracker, "feedback_score"):
            return {}
        score = parse_score(str(value or ""))
        if score is None:
            if yes_or_no(latest_intent(tracker), str(value or "")) is False:  # "no thanks"
                return {"feedback_score": None, "feedback_declined": True}
            return {"feedback_score": None}  # asked again
        customer_id, now = self.ctx.customer_id, utcnow()
        await runtime.in_transaction(lambda s: record_score(s, customer_id, score, now))
        return {"feedback_score": score}

    async def extract_feedback_comment(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _requested(tracker, "feedback_comment") and person_missed(tracker):  # in words (actions/handover.py)
            await hand_over_from_form(dispatcher, tracker, self.ctx)
            return {}
        if not _requested(tracker, "feedback_comment") or comment_interrupted(tracker):
            return {}
        return {"feedback_comment": latest_text(tracker)}

    async def validate_feedback_comment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _requested(tracker, "feedback_comment"):
            return {}
        comment = " ".join(str(value or "").split())
        if not comment or (len(comment.split()) <= 3 and yes_or_no(latest_intent(tracker), comment) is False):
            return {"feedback_comment": NO_COMMENT}
        if is_bare_answer(comment):  # "yes": the comment is asked for; "ok thanks": nothing to store
            wants_to_comment = yes_or_no(latest_intent(tracker), comment) is True and not is_thanks(comment)
            if wants_to_comment and last_bot_text(tracker) != texts.comment_go_ahead():
                return {"feedback_comment": None}
            return {"feedback_comment": NO_COMMENT}
        await store_comment(self.ctx, comment)
        return {"feedback_comment": comment}


def _remedy_of(customer_id: int):
    def read(session) -> str | None:
        customer = session.get(Customer, customer_id)
        return customer.remedy.value if customer is not None and customer.remedy else None

    return read


class ActionAskFeedbackScore(AskAction):
    introduces = False
    slot = "feedback_score"

    async def question(self, tracker, ctx):
        if latest_intent(tracker) == ASK_FEEDBACK:
            remedy = await runtime.read(_remedy_of(ctx.customer_id))
            return texts.ask_feedback(ctx.definition, remedy)
        return texts.ask_feedback_again()


class ActionAskFeedbackComment(AskAction):
    introduces = False
    slot = "feedback_comment"

    async def question(self, tracker, ctx):
        if last_bot_text(tracker) == texts.ask_feedback_comment() and is_bare_answer(latest_text(tracker)):
            return texts.comment_go_ahead()  # they said yes: now the comment itself
        return texts.ask_feedback_comment()


class ActionFeedbackOutcome(RecallAction):
    """Thank the customer; after a score of 1–2, hand the conversation to a person."""

    introduces = False

    def name(self) -> str:
        return "action_feedback_outcome"

    async def respond(self, dispatcher, tracker, ctx):
        d = ctx.definition
        reset = [SlotSet(slot, None) for slot in FEEDBACK_SLOTS]
        score = score_slot(tracker)
        if tracker.get_slot("feedback_declined") or score is None:
            say(dispatcher, texts.feedback_declined(d))
            return reset
        if is_low(score):
            text = latest_text(tracker)
            await runtime.in_transaction(
                lambda s: record_escalation(
                    s, customer_id=ctx.customer_id, reason="low_feedback", text=text, signals={"score": score}
                )
            )
            when = texts.reply_expectation(dt.datetime.now(dt.UTC), d.service.timezone, d.support_hours.hours())
            say(dispatcher, texts.escalated(d, "low_feedback", when))
            return reset
        say(dispatcher, texts.feedback_thanks(d))
        return reset


def _visit_to_rebook(customer_id: int):
    def read(session) -> BookingView | None:
        visit = visit_to_rebook(session, customer_id)
        if visit is None:
            return None
        _, _, tz = customer_in_campaign(session, customer_id)
        return booking_view(visit, tz)

    return read


class ActionOfferRebooking(RecallAction):
    """A failed or missed visit: apologise; recall_form then offers new times and books
    the same kind of visit at the same address (`bot.services.rebooking.rebook`)."""

    introduces = False

    def name(self) -> str:
        return "action_offer_rebooking"

    async def respond(self, dispatcher, tracker, ctx):
        visit = await runtime.read(_visit_to_rebook(ctx.customer_id))
        if visit is None:  # booked again meanwhile, or completed: nothing to say
            return [SlotSet("rebooking", False)]
        say(dispatcher, texts.visit_not_done(ctx.definition, visit.kind.value, visit.reference, visit.status.value))
        remedy = "repair" if visit.kind.value == "repair" else None  # a pickup: the open request says what for
        return [
            SlotSet("rebooking", True),
            SlotSet("rescheduling", False),
            SlotSet("booking_slot", None),
            SlotSet("offered_slots", None),
            SlotSet("booking_reference", None),
            SlotSet("postcode", visit.postcode),
            SlotSet("remedy", remedy),
        ]
