"""One guard for every custom action (`escalate_on_error`, on the `run` of the base
classes in `actions.base`): when an action fails — the database, a bug — the customer
hears an apology instead of silence, a person takes over (escalation `system_error`,
priority high, the bot paused) and Rasa listens: no other action this turn, no retry."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import runtime
from bot.logs import MaskPhones
from bot.services.system_errors import apology, record_system_error

log = logging.getLogger(__name__)
log.addFilter(MaskPhones())  # database errors can quote a customer's phone

Run = Callable[[Action, CollectingDispatcher, Tracker, dict], Awaitable[list[dict[str, Any]]]]


def escalate_on_error(run: Run) -> Run:
    """Wrap an action's `run`: on any exception, apologise, escalate and listen."""

    @functools.wraps(run)
    async def guarded(
        self: Action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception:
            log.exception(
                "action %s failed in conversation %s: apologising, escalating", self.name(), tracker.sender_id
            )
        dispatcher.messages.clear()  # half a turn (a booking "confirmed" before the failure) would mislead
        dispatcher.utter_message(text=await escalate(tracker, self.name()))
        form = self.form_name() if isinstance(self, FormValidationAction) else None
        return events_after_failure(tracker, validated_form=form)

    return guarded


async def escalate(tracker: Tracker, action: str) -> str:
    """Record the escalation when the database allows it; the apology in any case."""
    ctx = None
    try:
        ctx = await runtime.context(tracker.sender_id)
        if ctx is None:
            log.error("no customer for conversation %s: nothing escalated", tracker.sender_id)
        else:
            customer_id, text = ctx.customer_id, tracker.latest_message.get("text")
            await runtime.in_transaction(
                lambda s: record_system_error(s, customer_id=customer_id, text=text, failure=f"action {action} failed")
            )
    except Exception:
        log.exception("could not record the escalation of conversation %s", tracker.sender_id)
    return apology(ctx.definition if ctx else None, dt.datetime.now(dt.UTC))


def events_after_failure(tracker: Tracker, *, validated_form: str | None) -> list[dict[str, Any]]:
    """Rasa's next action is action_listen, and the form (if any) stops: the person who
    takes over, and the bot after them, start from no half-filled question.

    A form's validation action (`validated_form`) also rejects the form's execution:
    otherwise the form, seeing no slot validated, would reject itself and Rasa would
    drop the apology with the rest of the turn; rejected, it asks no further question."""
    events: list[dict[str, Any]] = []
    if validated_form:
        events.append(ActionExecutionRejected(validated_form))
    if validated_form or tracker.active_loop.get("name"):
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    events.append(FollowupAction("action_listen"))
    return events
