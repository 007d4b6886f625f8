"""Handing a conversation to a person, wrong numbers, and not understanding."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.base import RecallAction, latest_intent, latest_text, say, stop_active_loop
from actions.goodwill import record_claims
from actions.handover import ESCALATING_INTENTS, escalate
from actions.units import EXPECTED
from bot.conversation import texts
from bot.conversation.understanding import yes_or_no
from bot.domain.ownership import mentions_ownership
from bot.domain.situations import Situation, situation_in
from bot.domain.units import units_mentioned
from bot.services.conversations import CustomerContext, mark_wrong_person

WRONG_PERSON_CHECK = "wrong_person_check"  # asked | continue | stopped (data/rules.yml branches on it)
# "yes, wrong number" is a yes: "wrong" is a no-word of its own.
WRONG_WORDS = re.compile(r"\bwrong\s+(number|person|guy|contact)\b", re.IGNORECASE)


def wrong_person_asked(tracker: Tracker) -> bool:
    """The bot's previous turn asked whether this number is a wrong person."""
    return tracker.get_slot(WRONG_PERSON_CHECK) == "asked" and "action_wrong_person" in previous_turn_actions(tracker)


def previous_turn_actions(tracker: Tracker) -> list[str]:
    """The actions the bot ran in answer to the user message before the latest one."""
    actions: list[str] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            actions.append(event["name"])
    return actions


class ActionEscalate(RecallAction):
    """Record that a person is needed (the handoff itself is the console's)."""

    def name(self) -> str:
        return "action_escalate"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        intent = latest_intent(tracker)
        if intent in ESCALATING_INTENTS:
            reason = intent
        else:  # the customer accepted an offer of a person
            reason = "not_understood" if "action_fallback" in previous_turn_actions(tracker) else "serial_failed"
        text = latest_text(tracker)
        # What the pipeline's HandoffSignals saw, when it (not the classifier) chose the intent.
        signals = ((tracker.latest_message or {}).get("intent") or {}).get("handoff")
        await escalate(dispatcher, ctx, reason, text, signals)  # one way to hand over (actions/handover.py)
        # An angry claim ("my food got spoiled, who will pay!!"), or one with a request for a
        # person, is still recorded as a claim (actions/goodwill.py).
        if reason in ("complain", "request_human") and ctx.definition.goodwill.offered:
            claimed, _ = await record_claims(ctx, text)
            say(dispatcher, claimed)
        return [SlotSet("human_offered", False), *stop_active_loop(tracker)]


class ActionHumanDeclined(RecallAction):
    def name(self) -> str:
        return "action_human_declined"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        say(dispatcher, texts.human_declined(), texts.ask_serial(ctx.definition))
        return [SlotSet("human_offered", False)]


class ActionWrongPerson(RecallAction):
    """Wrong person, sold it, not mine: never recorded on a guess.

    A message that says the customer owns, uses or has a problem with the product goes on
    with the recall (`wrong_person_check` = continue: the rules run recall_form again, which
    asks its next question; every outcome ends the active form first, as the rules expect). Anything
    else is asked first (texts.confirm_wrong_person, `asked`); only a yes to that question,
    in the very next message, records the wrong person and stops contact (`stopped`); a no
    goes on with the recall, anything else is handled as usual."""

    def name(self) -> str:
        return "action_wrong_person"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        d = ctx.definition
        # A member of the buyer's household ('this is his wife, he bought it') is never a wrong person either.
        if mentions_ownership(text, [d.product]) or situation_in(text) is Situation.HOUSEHOLD_MEMBER:
            return [SlotSet(WRONG_PERSON_CHECK, "continue"), *stop_active_loop(tracker)]
        if wrong_person_asked(tracker):
            answer = yes_or_no(latest_intent(tracker), WRONG_WORDS.sub(" ", text))
            if answer is True:
                await runtime.in_transaction(lambda s: mark_wrong_person(s, ctx.customer_id, text))
                say(dispatcher, texts.wrong_person(d))
                return [SlotSet(WRONG_PERSON_CHECK, "stopped"), *stop_active_loop(tracker)]
            if answer is False:
                say(dispatcher, texts.not_wrong_person())
                return [SlotSet(WRONG_PERSON_CHECK, "continue"), *stop_active_loop(tracker)]
        say(dispatcher, texts.confirm_wrong_person(d))
        return [SlotSet(WRONG_PERSON_CHECK, "asked"), SlotSet("human_offered", False), *stop_active_loop(tracker)]


class ActionFallback(RecallAction):
    """One request to rephrase; when the next message is not understood either, offer a person."""

    def name(self) -> str:
        return "action_fallback"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        # Predicted as RulePolicy's core fallback (nothing confident, e.g. "yes" when no
        # question is open), nothing follows it in a rule: Rasa would predict it again, up
        # to 10 times in one turn. Rasa's own action_default_fallback ends the turn by
        # undoing the message; this one keeps it (a second miss in a row offers a person)
        # and waits for the customer instead. Inside the form its rule re-asks the question.
        end_turn = [] if tracker.active_loop_name else [FollowupAction("action_listen")]
        count = units_mentioned(latest_text(tracker)) or 0
        if count > 1 and not tracker.active_loop_name:  # "hi i have 2 fridges": their serials asked
            say(dispatcher, texts.ask_serials_of_units(ctx.definition, count))
            return [SlotSet(EXPECTED, count), *end_turn]
        if "action_fallback" in previous_turn_actions(tracker):
            say(dispatcher, texts.offer_human_after_fallback())
            return [SlotSet("human_offered", True), *end_turn]
        say(dispatcher, texts.rephrase())
        return end_turn


class ActionThank(RecallAction):
    def name(self) -> str:
        return "action_thank"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        say(dispatcher, texts.thanks_back())
        return []


class ActionGoodbye(RecallAction):
    def name(self) -> str:
        return "action_goodbye"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        say(dispatcher, texts.goodbye(ctx.definition))
        return []
