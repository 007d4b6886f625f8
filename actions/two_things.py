"""Two things in one message, and questions answered from where the customer stands.

- At the remedy step, a remedy chosen and a question asked in one message ("can i get refund
  insted? how long will money take", "i want repair, how long does the visit take"): the
  choice is taken (the form then asks its confirmation) and the question answered, in one reply;
  the same for a change of remedy while the address or postcode is asked.
- "When will it be fixed?" ("mera fridge kab tak theek hoga", "how long till its sorted"),
  whatever intent the classifier gave it: answered from the customer's remedy and booking.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions import runtime
from actions.base import latest_intent, latest_text
from bot.conversation import texts
from bot.domain.choices import ChoiceOption, parse_choice
from bot.domain.free_text import OffScript, off_script
from bot.domain.ownership import reports_fault
from bot.domain.question_topics import Topic, choice_and_question, question_topic
from bot.domain.serials import find_serial
from bot.models import BookingKind
from bot.services.conversations import CustomerContext
from bot.services.recall_state import recall_state

# Intents whose rule would answer (or not understand) a message that also chooses a remedy.
READ_FOR_A_CHOICE = frozenset({*texts.QUESTION_INTENTS, "out_of_scope"})


def choice_beside_question(tracker: Tracker) -> dict[str, Any]:
    """The remedy slot's value when the remedy is asked and the classifier took the message for
    a question (or out of scope) that also chooses ("can i get a refund instead? how long …",
    "2 pls, how long for delivery?"); else nothing."""
    if tracker.get_slot("requested_slot") != "remedy" or latest_intent(tracker) not in READ_FOR_A_CHOICE:
        return {}
    choice = choice_and_question(latest_text(tracker)).choice
    return {"remedy": choice} if choice else {}


def serial_beside_question(tracker: Tracker, serial_format: str) -> dict[str, Any]:
    """The serial slot's value when the serial is asked and the classifier took a message that
    carries a whole serial for a question (or out of scope): "fine then, do the free one.
    AR26F000777" read as `ask_visit`. The serial is taken; a question in it is answered too."""
    if tracker.get_slot("requested_slot") != "serial":
        return {}
    text, intent = latest_text(tracker), latest_intent(tracker)
    # A fault told with the serial that the classifier read as "it works" ("मेरा फ्रिज ठंडा नही कर
    # रहा, serial AR26E002345 है"): ActionSituation answers the fault, and the serial is taken too.
    if intent not in READ_FOR_A_CHOICE and not (intent == "tell_works_fine" and reports_fault(text)):
        return {}
    return {"serial": text} if find_serial(text, serial_format) else {}


def switch_beside_question(tracker: Tracker) -> bool:
    """While the address or postcode is asked: the words change the remedy and ask a question,
    which the classifier read as the question alone ("can i get refund insted? how long will money
    take" as `ask_refund_time`): the step takes it, switches, and answers (not the question's rule)."""
    text = latest_text(tracker)
    if latest_intent(tracker) not in texts.QUESTION_INTENTS or off_script(text) is not OffScript.REMEDY_CHANGE:
        return False
    return choice_and_question(text).question is not None


def chosen(value: Any, options: list[tuple[str, ChoiceOption]]) -> str | None:
    """The remedy a reply to the remedy question picks: a remedy's key, the whole reply as a
    choice ("2", "the refund"), or its choosing part ("2 pls" of "2 pls, how long for delivery?")."""
    keys, choices = [key for key, _ in options], [option for _, option in options]
    text = str(value or "")
    if text in keys:
        return text
    index = parse_choice(text, choices)
    part = choice_and_question(text).choice if index is None else None
    if part is not None:
        index = keys.index(part) if part in keys else parse_choice(part, choices)
    return keys[index] if index is not None else None


def answer_without_choice(ctx: CustomerContext, text: str) -> str | None:
    """A reply to the remedy question that chooses nothing but asks something the words make
    plain ("kab tak theek hoga?", "how long for delivery?"): its answer (the question comes again)."""
    topic = question_topic(text)
    if topic is Topic.WHEN_DONE:
        return texts.when_done(ctx.definition, None)
    return texts.answer(ctx.definition, topic.value) if topic is not None else None


def answer_beside_choice(ctx: CustomerContext, tracker: Tracker, remedy: str) -> str | None:
    """The answer to the question asked in the message that chose `remedy`, or None when it asks
    nothing: read from its words first ("how long will money take": the refund's time), else
    the classifier's question intent."""
    question = choice_and_question(latest_text(tracker)).question
    if question is None:
        return None
    topic = question_topic(question, remedy)
    if topic is Topic.WHEN_DONE:
        return texts.when_done(ctx.definition, remedy)
    if topic is not None:
        return texts.answer(ctx.definition, topic.value)
    intent = latest_intent(tracker)
    return texts.answer(ctx.definition, intent) if intent in texts.QUESTION_INTENTS else None


async def when_done_answer(ctx: CustomerContext, tracker: Tracker) -> str:
    """The answer to "when will it be fixed?": a repair, the booked visit (or a time to choose); a replacement,
    its delivery; a refund, its time; no remedy chosen yet, each remedy with its time."""
    state = await runtime.read(lambda s: recall_state(s, ctx.customer_id))
    if state.completed_at is not None and state.booking is None:
        return texts.when_done(ctx.definition, None, complete=True)
    booking, request = state.booking, state.request
    if booking is not None and booking.kind == BookingKind.REPAIR:
        remedy = "repair"
    elif request is not None:
        remedy = request.kind.value
    else:
        remedy = tracker.get_slot("remedy")
    if booking is None:
        return texts.when_done(ctx.definition, remedy)
    when = f"{booking.slot.label} ({booking.slot.start.astimezone(ctx.timezone).tzname()})"
    return texts.when_done(ctx.definition, remedy, when=when, reference=booking.reference)
