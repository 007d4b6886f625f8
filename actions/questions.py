"""Questions asked at any point, answered from the campaign (forms resume by rule)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import RecallAction, latest_intent, latest_text, say
from actions.feedback import statement_as_comment, store_comment
from actions.two_things import when_done_answer
from bot.conversation import texts
from bot.domain.question_topics import asks_when_done
from bot.domain.trust_questions import questions_to_answer
from bot.services.conversations import CustomerContext

QUESTIONS = texts.QUESTION_INTENTS


class ActionAnswerQuestion(RecallAction):
    def name(self) -> str:
        return "action_answer_question"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        if statement_as_comment(tracker):
            # Not a question but the comment, which the model took for one at low confidence
            # ("the technician came on time" as ask_duration): stored; the form then completes.
            return await store_comment(ctx, latest_text(tracker))
        intent = latest_intent(tracker)
        if asks_when_done(latest_text(tracker)):  # "when will it be fixed": from the remedy and booking
            say(dispatcher, await when_done_answer(ctx, tracker))
        else:  # each question of the message ("is this real?? how did u get my no"), in the order asked
            asked = questions_to_answer(intent if intent in QUESTIONS else None, latest_text(tracker))
            answers = [texts.answer(ctx.definition, question) for question in asked or ["ask_defect"]]
            for answer in dict.fromkeys(answers):  # one "I don't have that information" for two unknowns
                say(dispatcher, answer)
        if intent == "ask_what_to_do" and not tracker.active_loop_name and not tracker.get_slot("serial"):
            # Outside a form nothing re-asks: the first step is asked here (a serial reply starts the form).
            say(dispatcher, texts.ask_serial(ctx.definition))
        return []
