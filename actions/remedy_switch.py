"""Another remedy after booking ("actually can i just get a refund instead", once a repair
visit is booked): asked first, naming what it releases (texts.confirm_switch); only a YES
in the very next message makes it (bot/services/remedy_switch.py, one transaction), and
recall_form then arranges the new remedy (a pickup time). NO keeps everything.

A repair named in the recall form while a replacement or refund request is open (only
`requested`: after a cancelled pickup) is asked the same way (`switch_before_repair`): no
repair is booked beside the request; a YES cancels it and the form books the repair."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.base import RecallAction, latest_intent, latest_text, say
from actions.handover import stop_form
from actions.support import previous_turn_actions
from bot.conversation import texts
from bot.conversation.understanding import yes_or_no
from bot.domain.refunds import format_money, refund_amount
from bot.models import utcnow
from bot.services.conversations import CustomerContext
from bot.services.remedy_switch import SwitchPlan, plan_switch, request_beside_repair, switch_remedy

SWITCH = "remedy_switch"  # asked | switched | kept (data/rules.yml branches on it)
ASKED_BY = "action_recall_outcome"


def asked_last_turn(tracker: Tracker) -> bool:
    """The bot's previous turn asked the switch question (`remedy_switch` set to asked): once
    booked (action_recall_outcome), or by the form for a repair named beside an open request
    (`switch_before_repair`; the form stops then, so it is not logged as run)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == SWITCH:
            return event.get("value") == "asked"
    return False


def _amount(ctx: CustomerContext) -> str | None:
    amount = refund_amount(ctx.purchase_price)
    return format_money(amount, ctx.definition.currency) if amount is not None else None


def _question(ctx: CustomerContext, plan: SwitchPlan) -> str:
    booking = plan.booking
    shown = (booking.kind.value, booking.reference, booking.slot.label) if booking else None
    amount = plan.request.amount_label if plan.request and plan.request.kind.value == "refund" else None
    return texts.confirm_switch(ctx.definition, plan.to, plan.current, shown, _amount(ctx) or amount)


async def offer_switch(
    dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext, wanted: str
) -> list[dict[str, Any]] | None:
    """After booking, the customer named another remedy: ask to confirm (events), say why
    it cannot change here, or None when it is the remedy already arranged (or not offered)."""
    if wanted not in ctx.definition.remedies.offered():
        return None
    plan = await runtime.read(lambda s: plan_switch(s, customer_id=ctx.customer_id, to=wanted))
    if plan.reason is not None and plan.reason.value == "unchanged":
        return None
    if not plan.possible:
        say(dispatcher, texts.switch_not_possible(plan.reason.value if plan.reason else ""))
        return [SlotSet(SWITCH, "kept"), SlotSet("switch_to", None)]
    say(dispatcher, _question(ctx, plan))
    return [SlotSet(SWITCH, "asked"), SlotSet("switch_to", wanted)]


async def switch_before_repair(
    dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext, unit_id: int | None
) -> dict[str, Any] | None:
    """The repair chosen in the recall form while a replacement or refund request of the unit
    is open (after a cancelled pickup): no repair is booked beside it. The switch is asked
    (only a YES next cancels the request, and the form then books the repair) and the form
    stops for the answer; None when no request is open."""
    request = await runtime.read(lambda s: request_beside_repair(s, customer_id=ctx.customer_id, unit_id=unit_id))
    if request is None:
        return None
    events = await offer_switch(dispatcher, tracker, ctx, "repair")
    if events is None:  # not a switch this campaign makes here
        say(dispatcher, texts.switch_not_possible(""))
    stop_form()  # the answer goes to action_switch_remedy (data/rules.yml)
    slots = {e["name"]: e["value"] for e in events or () if e.get("event") == "slot"}
    return {"remedy": None, "remedy_confirmed": None, SWITCH: "kept", "switch_to": None, **slots}


class ActionSwitchRemedy(RecallAction):
    """The answer to the switch question: YES makes the switch, anything else keeps it."""

    def name(self) -> str:
        return "action_switch_remedy"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        to = tracker.get_slot("switch_to")
        just_asked = ASKED_BY in previous_turn_actions(tracker) or asked_last_turn(tracker)
        asked = tracker.get_slot(SWITCH) == "asked" and just_asked
        answer = yes_or_no(latest_intent(tracker), latest_text(tracker)) if asked else None
        kept = [SlotSet(SWITCH, "kept"), SlotSet("switch_to", None)]
        if not to or answer is not True:
            plan = await runtime.read(lambda s: plan_switch(s, customer_id=ctx.customer_id, to=to or "repair"))
            reference = plan.booking.reference if plan.booking else (plan.request.reference if plan.request else None)
            say(dispatcher, texts.switch_kept(reference))
            return kept
        outcome = await runtime.in_transaction(
            lambda s: switch_remedy(s, customer_id=ctx.customer_id, to=to, now=utcnow())
        )
        if not outcome.switched:
            say(dispatcher, texts.switch_not_possible(outcome.reason.value if outcome.reason else ""))
            return kept
        request = outcome.request
        say(
            dispatcher,
            texts.switched(
                to,
                request.reference if request else None,
                request.amount_label if request else None,
                outcome.cancelled.reference if outcome.cancelled else None,
                outcome.pickup_kept,
            ),
        )
        # recall_form arranges the new remedy: confirmed already, so only the address and a time.
        return [
            SlotSet(SWITCH, "switched"),
            SlotSet("switch_to", None),
            SlotSet("remedy", to),
            SlotSet("remedy_confirmed", True),
            SlotSet("booking_slot", None),
            SlotSet("offered_slots", None),
            SlotSet("booking_reference", None),
        ]
