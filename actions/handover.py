"""Handing the conversation to a person: for the escalating intents (`action_escalate`,
actions/support.py) and from a form step whose reply asks for a person in words the
classifier read as something else ("can i speak with your staff" taken for a safety
question while the address is asked): the same escalation, the same words, and the form
stops as the rule for `request_human` stops it."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Awaitable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.base import latest_intent, latest_text, say
from bot.conversation import texts
from bot.domain.free_text import OffScript, off_script
from bot.services.conversations import CustomerContext
from bot.services.escalations import record_escalation

ESCALATING_INTENTS = frozenset({"request_human", "complain", "report_hazard"})  # their rules hand over
# Set (for the request being handled) when a form step handed the conversation over.
_handed_over: contextvars.ContextVar[bool] = contextvars.ContextVar("handed_over", default=False)


async def escalate(
    dispatcher: CollectingDispatcher,
    ctx: CustomerContext,
    reason: str,
    text: str,
    signals: dict[str, Any] | None = None,
) -> None:
    """Record that a person is needed (the bot pauses) and tell the customer when they will reply."""
    await runtime.in_transaction(
        lambda s: record_escalation(s, customer_id=ctx.customer_id, reason=reason, text=text, signals=signals)
    )
    d = ctx.definition
    when = texts.reply_expectation(dt.datetime.now(dt.UTC), d.service.timezone, d.support_hours.hours())
    say(dispatcher, texts.escalated(d, reason, when))


def person_missed(tracker: Tracker) -> bool:
    """The reply asks for a person in words (`bot.domain.free_text`), and the classifier gave it an
    intent whose rule would not hand over."""
    if latest_intent(tracker) in ESCALATING_INTENTS:
        return False
    return off_script(latest_text(tracker)) is OffScript.PERSON_REQUEST


async def hand_over_from_form(dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext) -> None:
    """A request for a person read from the words at a free-text step: escalated as
    `request_human`, with what the classifier thought; the form's events are then those of `validated`."""
    signals = {"reasons": ["asks for a person (words)"], "classifier": latest_intent(tracker)}
    await escalate(dispatcher, ctx, "request_human", latest_text(tracker), signals)
    _handed_over.set(True)


def stop_form() -> None:
    """A form step asked a question the rules answer, outside the form (the remedy switch:
    actions/remedy_switch.py): the form stops and Rasa listens, as after a handover (`validated`)."""
    _handed_over.set(True)


async def validated(form: str, validation: Awaitable[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The events of a form's validation run as they are, or, when one of its steps handed the
    conversation over (or called `stop_form`), the form stopped and Rasa listening: no question asked after the
    handover, no rule run on the classifier's intent (as `actions.failures` stops a form)."""
    token = _handed_over.set(False)
    try:
        events = await validation
        if not _handed_over.get():
            return events
    finally:
        _handed_over.reset(token)
    kept = [e for e in events if not (e.get("event") == "slot" and e.get("name") == "requested_slot")]
    return [
        *kept,
        ActionExecutionRejected(form),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("human_offered", False),
        FollowupAction("action_listen"),
    ]
