"""The customer asked for another language ("Hindi", "english please", "हिंदी में बात करें").

The gateway has already kept the language (bot/services/languages.py, as `chosen`) and
sent Rasa the intent `switch_language` instead of the words, so by the time this action
loads the customer their language is the new one: the confirmation is in it, and so is
everything after. Inside a form, data/rules.yml runs the form again, which asks its
question once more, in the new language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import RecallAction, say
from bot.conversation import texts
from bot.services.conversations import CustomerContext


class ActionSwitchLanguage(RecallAction):
    def name(self) -> str:
        return "action_switch_language"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        say(dispatcher, texts.language_switched())
        return []
