"""What every custom action shares: finding the customer behind the conversation, the
apology-and-thanks introduction on the first bot turn of a conversation, and the guard
that hands the conversation to a person when the action fails (`actions.failures`)."""

from __future__ import annotations

import contextvars
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import runtime
from actions.failures import escalate_on_error
from bot.conversation import texts
from bot.conversation.catalog import use_language
from bot.conversation.understanding import yes_or_no
from bot.messaging.reply import media_url_of
from bot.services.conversations import CustomerContext

log = logging.getLogger(__name__)

# The customer of the request being handled (actions are shared between requests).
current_context: contextvars.ContextVar[CustomerContext] = contextvars.ContextVar("customer_context")


def is_first_bot_turn(tracker: Tracker) -> bool:
    return not any(event.get("event") == "bot" for event in tracker.events)


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def stop_active_loop(tracker: Tracker) -> list[dict[str, Any]]:
    """Events that end the active form (nothing when none is active)."""
    if tracker.active_loop.get("name"):
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
    return []


def introduce_if_first(dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext) -> None:
    if dispatcher.messages and is_first_bot_turn(tracker):
        dispatcher.utter_message(text=texts.intro(ctx.definition, ctx.first_name, ctx.notified))
        dispatcher.messages.insert(0, dispatcher.messages.pop())


async def load_customer(dispatcher: CollectingDispatcher, tracker: Tracker) -> CustomerContext | None:
    ctx = await runtime.context(tracker.sender_id)
    if ctx is None:
        log.error("no customer for conversation %s", tracker.sender_id)
        dispatcher.utter_message(text=texts.unknown_conversation())
        return None
    current_context.set(ctx)
    use_language(ctx.language)  # every text of this request in the customer's language
    return ctx


class RecallAction(Action, ABC):
    """A custom action that talks to a known customer."""

    introduces = True  # False: never the introduction (the bot writes first after a visit)

    @escalate_on_error
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        ctx = await load_customer(dispatcher, tracker)
        if ctx is None:
            return []
        events = await self.respond(dispatcher, tracker, ctx)
        if self.introduces:
            introduce_if_first(dispatcher, tracker, ctx)
        return events

    @abstractmethod
    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]: ...


class RecallFormValidation(FormValidationAction):
    """A form validation action with the customer's context at hand (`self.ctx`)."""

    introduces = True

    @abstractmethod
    def name(self) -> str: ...

    @escalate_on_error
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        ctx = await load_customer(dispatcher, tracker)
        if ctx is None:
            return []
        events = await super().run(dispatcher, tracker, domain)
        if self.introduces:
            introduce_if_first(dispatcher, tracker, ctx)
        return events

    @property
    def ctx(self) -> CustomerContext:
        return current_context.get()


class CountingFormValidation(RecallFormValidation):
    """A form validation that counts repeated failures per slot, in the style of RasaHQ/
    financial-demo's `CustomFormValidationAction`.

    A `validate_<slot>` that rejects an answer which should count returns `await
    self.count_failure(slot, value, ...)`: the slot `<slot>_failures` goes up by one; below
    `max_failures[slot]` the `explain_<slot>` hook says what is wanted (the form asks again),
    at the limit the `give_up_<slot>` hook ends the step. Hooks take (value, dispatcher,
    tracker, domain) and return slots to set; `reset_failures(slot)` clears the counter.
    """

    max_failures: dict[str, int] = {}

    @staticmethod
    def failures_slot(slot: str) -> str:
        return f"{slot}_failures"

    def reset_failures(self, slot: str) -> dict[str, Any]:
        return {self.failures_slot(slot): 0}

    async def count_failure(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        counter = self.failures_slot(slot)
        failures = int(tracker.get_slot(counter) or 0) + 1
        give_up = getattr(self, f"give_up_{slot}", None)
        if give_up is not None and failures >= self.max_failures.get(slot, 2):
            return {**await give_up(value, dispatcher, tracker, domain), counter: failures}
        explain = getattr(self, f"explain_{slot}", None)
        explained = await explain(value, dispatcher, tracker, domain) if explain is not None else {}
        return {slot: None, counter: failures, **explained}


def yes_no_answer(dispatcher: CollectingDispatcher, tracker: Tracker, value: Any) -> bool | None:
    """The customer's yes or no to a yes/no question (None, after asking again for YES or NO,
    when it is neither): the one yes/no validator of every form."""
    answer = yes_or_no(latest_intent(tracker), str(value or ""))
    if answer is None:
        say(dispatcher, texts.reply_yes_or_no())
    return answer


class AskAction(RecallAction, ABC):
    """The question a form asks for one slot (`action_ask_<slot>`): subclasses say only
    the question, `question`, for the customer and the tracker at hand."""

    slot: str

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        say(dispatcher, await self.question(tracker, ctx))
        return []

    @abstractmethod
    async def question(self, tracker: Tracker, ctx: CustomerContext) -> str | None: ...


def say(dispatcher: CollectingDispatcher, *lines: str | None) -> None:
    """Each line a message; a `bot.messaging.reply.Reply` with its picture (`image`)."""
    for line in lines:
        if line and media_url_of(line):
            dispatcher.utter_message(text=str(line), image=media_url_of(line))
        elif line:
            dispatcher.utter_message(text=line)
