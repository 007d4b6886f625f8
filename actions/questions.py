"""Questions asked at any point, answered from the campaign (forms resume by rule)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import RecallAction, latest_intent, say
from bot.conversation import texts
from bot.services.conversations import CustomerContext

QUESTIONS = ("ask_defect", "ask_safety", "ask_cost", "ask_duration", "bot_challenge")


class ActionAnswerQuestion(RecallAction):
    def name(self) -> str:
        return "action_answer_question"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        intent = latest_intent(tracker)
        say(dispatcher, texts.answer(ctx.definition, intent if intent in QUESTIONS else "ask_defect"))
        return []
