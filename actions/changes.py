"""Changing an existing booking: reschedule (back into recall_form) and cancel (cancel_form)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import runtime
from actions.base import (
    AskAction,
    RecallAction,
    RecallFormValidation,
    latest_intent,
    latest_text,
    say,
    yes_no_answer,
)
from actions.recall_form import state_of
from actions.time_preferences import SLOT as TIME_SLOT
from actions.time_preferences import wish as time_wish
from bot.conversation import texts
from bot.conversation.understanding import yes_or_no
from bot.models import utcnow
from bot.services.bookings import cancel_booking


class ActionPrepareReschedule(RecallAction):
    def name(self) -> str:
        return "action_prepare_reschedule"

    async def respond(self, dispatcher, tracker, ctx):
        state = await state_of(ctx)
        if state.booking is None:
            say(
                dispatcher,
                texts.no_booking(),
                texts.ask_serial(ctx.definition) if not state.verified_affected else texts.ask_remedy(ctx.definition),
            )
            return [SlotSet("rescheduling", False)]
        # "can we move it to saturday": the wish is kept, the times offered fit it (actions/time_preferences.py)
        text = latest_text(tracker)
        pref = time_wish(text, ctx.timezone)
        wished = [SlotSet(TIME_SLOT, {"said": [[text, utcnow().isoformat()]]})] if pref and pref.constrains else []
        return [
            SlotSet("rescheduling", True),
            SlotSet("booking_slot", None),
            SlotSet("offered_slots", None),
            SlotSet("booking_reference", None),
            *wished,
        ]


class ActionPrepareCancel(RecallAction):
    def name(self) -> str:
        return "action_prepare_cancel"

    async def respond(self, dispatcher, tracker, ctx):
        state = await state_of(ctx)
        if state.booking is None:
            say(dispatcher, texts.no_booking())
            return [SlotSet("cancelling", False)]
        return [SlotSet("cancelling", True)]


class ValidateCancelForm(RecallFormValidation):
    def name(self) -> str:
        return "validate_cancel_form"

    async def extract_cancel_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "cancel_confirmed" or latest_intent(tracker) == "switch_language":
            return {}  # a switch of language: its rule confirms it, then the form asks again
        return {"cancel_confirmed": latest_text(tracker)}

    async def validate_cancel_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None or tracker.get_slot("requested_slot") != "cancel_confirmed":
            return {"cancel_confirmed": None}
        if latest_intent(tracker) == "cancel_booking" and yes_or_no(latest_intent(tracker), str(value)) is None:
            return {"cancel_confirmed": True}  # "cancel it" when asked whether to cancel
        return {"cancel_confirmed": yes_no_answer(dispatcher, tracker, value)}


class ActionAskCancelConfirmed(AskAction):
    slot = "cancel_confirmed"

    async def question(self, tracker, ctx):
        state = await state_of(ctx)
        if state.booking is None:
            return texts.no_booking()
        return texts.confirm_cancel(state.booking.reference, state.booking.slot.label)


class ActionCancelOutcome(RecallAction):
    def name(self) -> str:
        return "action_cancel_outcome"

    async def respond(self, dispatcher, tracker, ctx):
        state = await state_of(ctx)
        reset = [SlotSet("cancelling", False), SlotSet("cancel_confirmed", None)]
        if state.booking is None:
            say(dispatcher, texts.no_booking())
            return reset
        if tracker.get_slot("cancel_confirmed"):
            outcome = await runtime.in_transaction(
                lambda s: cancel_booking(s, customer_id=ctx.customer_id, now=utcnow())
            )
            say(dispatcher, texts.cancelled(outcome.booking.reference if outcome.booking else state.booking.reference))
        else:
            say(dispatcher, texts.kept_booking(state.booking.reference))
        return reset
