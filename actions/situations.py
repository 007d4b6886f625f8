"""Situations the customer is in, said instead of an answer, at any step (issue 16, item 8).

- repaired elsewhere / works fine: a repair by someone else does not fix the recall fault, and
  the fault can appear later; the free fix is offered (the recall form goes on);
- moved house: the recall goes on; the address is asked again (the form's
  `address_confirmed` = False path), or, once booked, how to have the visit at the new one;
- a household member of the buyer: never a wrong person; the recall goes on with them;
- travelling (outside the booking step): the offer stays open, a later date or a message when
  back; at the address step the day is chosen in the next step, at the booking step a later
  time can be asked for; at the remedy step a remedy named beside it ("i want the repair but
  i'm travelling till the 20th") is chosen and the wish kept for the offer
  (`remedy_beside_situation`);
- sold / given away / thrown away (ActionDisposition): never recorded on a guess. The bot asks
  first, naming the unit ("Just to check: you no longer have the … (serial …): you sold it?");
  only a yes (or, with several units, the unit's number) in the very next message records the
  unit's disposition, and the bot says what the campaign offers then (`disposed_units`).

The rules (data/rules.yml, "situations") run recall_form after ActionSituation and after a no
to the disposition question.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.base import RecallAction, latest_intent, latest_text, say, stop_active_loop
from actions.support import previous_turn_actions
from actions.time_preferences import SLOT as TIME_SLOT
from actions.time_preferences import remember
from actions.time_preferences import wish as time_wish
from bot.campaigns.definition import CampaignDefinition
from bot.conversation import texts
from bot.conversation.understanding import yes_or_no
from bot.domain.addresses import find_postcode, is_plausible_address
from bot.domain.choices import ChoiceOption, parse_choice
from bot.domain.dispositions import Disposition
from bot.domain.ownership import reports_fault
from bot.domain.question_topics import choice_and_question
from bot.domain.situations import Situation, disposition_in, situation_in, situation_told, still_here
from bot.models import utcnow
from bot.services.conversations import CustomerContext
from bot.services.dispositions import UnitOnFile, record_disposition, unit_named, units_with_customer
from bot.services.recall_state import RecallState, recall_state

DISPOSITION_CHECK = "disposition_check"  # asked | recorded | kept | told (data/rules.yml branches on it)
PENDING = "disposition_pending"  # "<disposition or empty>:<unit id>[,<unit id>...]": what the question named


REMEDY_CHOICES = frozenset({"choose_repair", "choose_replacement", "choose_refund"})


async def state_of(ctx: CustomerContext) -> RecallState:
    return await runtime.read(lambda s: recall_state(s, ctx.customer_id))


def situation_said_as_remedy(tracker: Tracker, d: CampaignDefinition) -> str | None:
    """A remedy choice by the classifier that the words say is a repair elsewhere or "it works"
    ("mistri se repair ho gaya" as choose_repair): what to say instead (the free fix offered,
    nothing chosen: actions/recall_form.py `extract_remedy`); None when it is a choice."""
    if latest_intent(tracker) not in REMEDY_CHOICES:
        return None
    situation = situation_in(latest_text(tracker))
    if situation is Situation.REPAIRED_ELSEWHERE:
        return texts.repaired_elsewhere(d, booked=False)
    if situation is Situation.WORKS_FINE:
        return texts.works_fine(d, booked=False)
    return None


def situation_of(tracker: Tracker) -> Situation | None:
    """The situation the latest message tells: its intent, else the word rules (bot/domain/situations.py)."""
    return situation_told(latest_intent(tracker), latest_text(tracker))


# Situations beside which a remedy named in the same message is a choice ("i want the repair
# but i'm travelling till the 20th"); a repair elsewhere or "it works" names no choice.
REMEDY_BESIDE = frozenset({Situation.TRAVELLING, Situation.MOVED, Situation.HOUSEHOLD_MEMBER})
REMEDIES = frozenset({"repair", "replacement", "refund"})


def remedy_beside_situation(tracker: Tracker) -> str | None:
    """At the remedy step, a situation told with a remedy chosen in the same message: the
    remedy (taken by the form as if chosen: actions/recall_form.py `extract_remedy`; the
    situation is answered by ActionSituation, a time wish kept by actions/time_preferences.py)."""
    if tracker.get_slot("requested_slot") != "remedy" or tracker.active_loop.get("name") != "recall_form":
        return None
    text = latest_text(tracker)
    if situation_of(tracker) not in REMEDY_BESIDE or situation_in(text) in (
        Situation.REPAIRED_ELSEWHERE,
        Situation.WORKS_FINE,
    ):
        return None
    choice = choice_and_question(text).choice  # a remedy asked for, not one asked about
    return choice if choice in REMEDIES else None


def disposition_asked(tracker: Tracker) -> bool:
    """The bot's previous turn asked the disposition question."""
    return tracker.get_slot(DISPOSITION_CHECK) == "asked" and "action_disposition" in previous_turn_actions(tracker)


class ActionSituation(RecallAction):
    """Repaired elsewhere, works fine, moved, a household member, travelling: answered; the
    rules then run recall_form, which asks its next question (or restates the booking)."""

    def name(self) -> str:
        return "action_situation"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        d = ctx.definition
        situation = situation_of(tracker)
        state = await state_of(ctx)
        booking = state.booking
        booked = booking is not None
        events: list[dict[str, Any]] = []
        if disposition_asked(tracker):  # "no wait, it's still here" read as one of these
            say(dispatcher, texts.disposition_kept())
            events += [SlotSet(DISPOSITION_CHECK, "kept"), SlotSet(PENDING, None)]
        requested = tracker.get_slot("requested_slot")
        text, country = " ".join(latest_text(tracker).split()), d.country
        if requested == "address" and is_plausible_address(text, country):
            # "we moved, new address is Flat 2, … 400050" when the address is asked: it is the answer
            # (as validate_recall_form.validate_address takes it; the form does not validate after us).
            return [*events, SlotSet("address", text), SlotSet("postcode", find_postcode(text, country))]
        if situation is Situation.REPAIRED_ELSEWHERE:
            say(dispatcher, texts.repaired_elsewhere(d, booked))
        elif situation is Situation.WORKS_FINE:
            say(dispatcher, texts.works_fine(d, booked))
        elif situation is Situation.MOVED:
            if booking is not None:
                say(dispatcher, texts.moved_with_booking(booking.reference, booking.address))
            else:
                say(dispatcher, texts.moved(d))
                # The address on file is old: the form asks for the new one (as after a NO to it).
                events += [SlotSet("address_confirmed", False), SlotSet("address", None), SlotSet("postcode", None)]
        elif situation is Situation.HOUSEHOLD_MEMBER:
            say(dispatcher, texts.household_member(d))
        elif situation is Situation.TRAVELLING:
            if requested in ("address", "postcode"):
                say(dispatcher, texts.time_chosen_next())
            elif requested == "booking_slot":
                # "travelling till the 20th" while times are offered: kept as a time preference, and
                # the question offers the times that fit it (actions/time_preferences.py, as the form does).
                pref = time_wish(text, ctx.timezone)
                if pref is None:
                    say(dispatcher, texts.travelling_at_booking())
                else:
                    offered = tracker.get_slot("offered_slots") or []
                    events.append(SlotSet(TIME_SLOT, remember(tracker.get_slot(TIME_SLOT), text, pref, offered)))
            elif remedy_beside_situation(tracker) and time_wish(text, ctx.timezone) is not None:
                say(dispatcher, texts.time_chosen_next())  # the remedy is taken, the wish kept for the offer
            else:
                say(dispatcher, texts.travelling(booked))
        elif reports_fault(text):  # "but its not cooling properly", classified as "it works"
            fine_only = state.verified_not_affected and not state.verified_affected
            say(dispatcher, texts.not_affected_but_faulty(d) if fine_only else texts.fault_reported(d))
        else:  # pragma: no cover - the rules run this action only for a situation intent
            say(dispatcher, texts.rephrase())
        return events


def _pending(tracker: Tracker) -> tuple[Disposition | None, list[int]]:
    raw = str(tracker.get_slot(PENDING) or "")
    kind, _, ids = raw.partition(":")
    return (Disposition(kind) if kind else None), [int(i) for i in ids.split(",") if i.strip().isdigit()]


def _pending_value(disposition: Disposition | None, units: list[UnitOnFile]) -> str:
    return f"{disposition.value if disposition else ''}:{','.join(str(u.id) for u in units)}"


class ActionDisposition(RecallAction):
    """Sold, given away or thrown away: asked first; a yes in the very next message records it."""

    def name(self) -> str:
        return "action_disposition"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        units = await runtime.read(lambda s: units_with_customer(s, ctx.customer_id))
        if disposition_asked(tracker):
            return await self._answer(dispatcher, tracker, ctx, units)
        disposition = disposition_in(text)
        named = unit_named(units, text)
        if named is not None:
            units = [named]
        if not units:
            say(dispatcher, texts.disposition_without_unit(ctx.definition))
            return [SlotSet(DISPOSITION_CHECK, "told"), SlotSet(PENDING, None), *stop_active_loop(tracker)]
        return self._ask(dispatcher, tracker, ctx, disposition, units)

    def _ask(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        ctx: CustomerContext,
        disposition: Disposition | None,
        units: list[UnitOnFile],
    ) -> list[dict[str, Any]]:
        d, kind = ctx.definition, disposition.value if disposition else None
        if len(units) == 1:
            say(dispatcher, texts.confirm_disposition(d, kind, units[0].serial))
        else:
            say(dispatcher, texts.confirm_disposition_which(d, kind, [u.serial for u in units]))
        return [
            SlotSet(DISPOSITION_CHECK, "asked"),
            SlotSet(PENDING, _pending_value(disposition, units)),
            SlotSet("human_offered", False),
            *stop_active_loop(tracker),
        ]

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ctx: CustomerContext, units: list[UnitOnFile]
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        asked_kind, asked_ids = _pending(tracker)
        offered = [u for u in units if u.id in asked_ids]
        said_kind = disposition_in(text)
        answer = False if still_here(text) else yes_or_no(latest_intent(tracker), text)
        if answer is False and said_kind is None:
            say(dispatcher, texts.disposition_kept())
            return [SlotSet(DISPOSITION_CHECK, "kept"), SlotSet(PENDING, None)]
        kind = said_kind or asked_kind
        if len(offered) > 1:
            options = [ChoiceOption(u.serial, (u.serial, u.serial.lower())) for u in offered]
            index = parse_choice(text, options)
            picked = offered[index] if index is not None else unit_named(offered, text)
            if picked is None:  # neither a number nor a serial: the question again
                return self._ask(dispatcher, tracker, ctx, kind, offered)
            offered = [picked]
            if kind is None:  # which one is now known; how it went is asked for that one
                return self._ask(dispatcher, tracker, ctx, None, offered)
        elif not offered or not (answer is True or said_kind is not None) or kind is None:
            if not offered:
                say(dispatcher, texts.disposition_without_unit(ctx.definition))
                return [SlotSet(DISPOSITION_CHECK, "told"), SlotSet(PENDING, None)]
            say(dispatcher, texts.reply_yes_or_no() if kind is not None else None)
            return self._ask(dispatcher, tracker, ctx, kind, offered)
        unit = offered[0]
        state = await state_of(ctx)
        bookings = getattr(state, "bookings", ()) or ((state.booking,) if state.booking else ())
        on_booking = next((b for b in bookings if unit.id in b.unit_ids), None)
        await runtime.in_transaction(
            lambda s: record_disposition(
                s, customer_id=ctx.customer_id, unit_id=unit.id, disposition=kind, text=text, now=utcnow()
            )
        )
        say(
            dispatcher,
            texts.disposition_recorded(
                ctx.definition, kind.value, unit.serial, on_booking.reference if on_booking else None
            ),
        )
        return [SlotSet(DISPOSITION_CHECK, "recorded"), SlotSet(PENDING, None)]
