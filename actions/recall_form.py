"""recall_form: serial number → remedy → confirmation → address → postcode → time slot.

The form asks only for what this customer still needs (the database says what is
already known), and resumes where it was after a question or a misunderstanding.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import runtime
from actions import units as several
from actions.base import (
    AskAction,
    CountingFormValidation,
    RecallAction,
    latest_intent,
    latest_text,
    say,
    yes_no_answer,
)
from actions.handover import hand_over_from_form, person_missed, validated
from actions.hint_image import with_serial_hint_image
from actions.remedy_switch import offer_switch, switch_before_repair
from actions.situations import remedy_beside_situation, situation_said_as_remedy
from actions.time_preferences import SLOT as TIME_SLOT
from actions.time_preferences import offer_times, reads_as_preference_first, remember, time_wish_misread
from actions.time_preferences import wish as time_wish
from actions.two_things import (
    answer_beside_choice,
    answer_without_choice,
    choice_beside_question,
    chosen,
    serial_beside_question,
    switch_beside_question,
)
from bot.conversation import texts
from bot.conversation.understanding import INTERRUPTIONS, PHOTO_SERIAL, PHOTO_UNREADABLE, yes_or_no
from bot.domain.addresses import find_postcode, is_plausible_address, plausible_postcode
from bot.domain.choices import ChoiceOption, parse_choice, remedy_option
from bot.domain.free_text import OffScript, looks_like_question, off_script, remedy_named
from bot.domain.goodwill import claim_asks
from bot.domain.ownership import reports_fault
from bot.domain.refunds import format_money, refund_amount
from bot.domain.serials import matches_format, normalise_serial
from bot.models import BookingKind, utcnow
from bot.services.bookings import BookingOutcome, available_slots, book_slot, reschedule_booking
from bot.services.conversations import CustomerContext, update_address
from bot.services.escalations import record_escalation
from bot.services.rebooking import rebook
from bot.services.recall_state import RecallState, recall_state
from bot.services.remedy_requests import request_refund, request_replacement, schedule_pickup
from bot.services.units import current_unit, unit_states
from bot.services.verification import SerialCheck, VerificationOutcome, check_serials, record_verification

REMEDY_INTENTS = {"choose_repair": "repair", "choose_replacement": "replacement", "choose_refund": "refund"}
MAX_SERIAL_FAILURES = 2
FORM_SLOTS = (
    "serial",
    "suggested_serial",
    "remedy",
    "remedy_confirmed",
    "address_confirmed",
    "address",
    "postcode",
    "booking_slot",
    "offered_slots",
    "booking_reference",
    several.ADDED,
)


async def state_of(ctx: CustomerContext) -> RecallState:
    return await runtime.read(lambda s: recall_state(s, ctx.customer_id))


def amount_text(ctx: CustomerContext, state: RecallState | None = None) -> str | None:
    """The refund amount to show: the price of the unit the conversation is on (a second
    unit may have its own price, or none on file), else the customer's first affected unit's."""
    unit = state.unit if state is not None else None
    amount = refund_amount(unit.price if unit is not None else ctx.purchase_price)
    return format_money(amount, ctx.definition.currency) if amount is not None else None


def remedy_options(ctx: CustomerContext) -> list[tuple[str, ChoiceOption]]:
    return [(key, remedy_option(key, label)) for key, label in texts.remedy_labels(ctx.definition)]


def requested(tracker: Tracker, slot: str) -> bool:
    return tracker.get_slot("requested_slot") == slot


def answer_text(tracker: Tracker, slot: str) -> dict[str, Any]:
    """The customer's reply as the value of the requested slot (validated next), unless
    it is an interruption the rules answer (a question, a request for a person ...)."""
    if requested(tracker, slot) and latest_intent(tracker) not in INTERRUPTIONS:
        if several.serial_mid_form(tracker):  # another unit's serial, not this step's answer (actions/units.py)
            return {}
        return {slot: latest_text(tracker)}
    return {}


# While the address or postcode is asked, a day or another remedy in the word rules wins over
# these intents (the classifier reads "can he come on sunday?" as a question or out of scope).
READ_BY_WORDS = frozenset(
    {"out_of_scope", "ask_defect", "ask_safety", "ask_cost", "ask_duration", "bot_challenge", "ask_visit"}
)


def free_text_answer(tracker: Tracker, slot: str) -> dict[str, Any]:
    """`answer_text`, and also a day or time or another remedy classified as one of READ_BY_WORDS,
    or as a complaint by the classifier alone ("i am travelling till the 20th": no anger in it)."""
    text, intent = latest_text(tracker), tracker.latest_message.get("intent") or {}
    read_by_words = off_script(text) in (OffScript.TIME_REQUEST, OffScript.REMEDY_CHANGE)
    misread = intent.get("name") in READ_BY_WORDS or (intent.get("name") == "complain" and "handoff" not in intent)
    if requested(tracker, slot) and misread and read_by_words:
        return {slot: text}
    if requested(tracker, slot) and (person_missed(tracker) or switch_beside_question(tracker)):
        return {slot: text}  # a person asked for in words (actions/handover.py); a switch and a question
    return answer_text(tracker, slot)


def remedy_change_misread(tracker: Tracker) -> bool:
    """Another remedy asked for in words ("wait actually can i get refund instead of new one for
    this fridge") that the classifier took for a compensation question: the words win unless
    they ask for compensation (spoiled food, a discount: bot/domain/goodwill.py)."""
    text, intent = latest_text(tracker), tracker.latest_message.get("intent") or {}
    if intent.get("name") != "ask_compensation" or "handoff" in intent:
        return False
    return off_script(text) is OffScript.REMEDY_CHANGE and not claim_asks(text)


def photo_reading(tracker: Tracker, serial_format: str) -> str | None:
    """The serial the gateway read on a photo of the label (`/photo_serial{"serial": …}`),
    when it fits the campaign's format; None for any other message."""
    if latest_intent(tracker) != PHOTO_SERIAL:
        return None
    read = normalise_serial(next(tracker.get_latest_entity_values("serial"), None) or "")
    return read if read and matches_format(read, serial_format) else None


class ValidateRecallForm(CountingFormValidation):
    max_failures = {"serial": MAX_SERIAL_FAILURES}

    def name(self) -> str:
        return "validate_recall_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """The slots validated, and how many units the customer said they have ("i have 2 of
        these fridges": the form asks for the next serial after the first is arranged)."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        return [*events, *(SlotSet(slot, value) for slot, value in several.count_said(tracker).items())]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return await validated(self.name(), super().run(dispatcher, tracker, domain))

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("rescheduling") or tracker.get_slot("rebooking"):
            return ["booking_slot"]
        if tracker.get_slot("serial_status") in ("not_affected", "failed"):
            return []
        state = await state_of(self.ctx)
        # one unit at a time: a serial when one is wanted or sent (actions/units.py)
        required = ["serial"] if several.wants_serial(state, tracker, self.ctx) else []
        if state.settled:
            return required
        remedy = tracker.get_slot("remedy")
        required.append("remedy")
        request = state.unit_request if state.unit else state.request  # the current unit's
        if remedy in ("replacement", "refund") and not request:
            required.append("remedy_confirmed")
        if state.address:
            required.append("address_confirmed")
            if tracker.get_slot("address_confirmed") is False:
                required.append("address")
        else:
            required.append("address")
        required.append("postcode")
        required.append("booking_slot")
        return required

    # ------------------------------------------------------------------ serial
    async def extract_serial(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if latest_intent(tracker) in (PHOTO_SERIAL, PHOTO_UNREADABLE) and requested(tracker, "serial"):
            return {"serial": latest_text(tracker)}  # a photo of the label (bot/gateway/label_photos.py)
        if tracker.get_slot("requested_slot") is None:  # the message that started the form
            entity = next(tracker.get_latest_entity_values("serial"), None)
            if entity or latest_intent(tracker) == "inform_serial":
                return {"serial": entity or latest_text(tracker)}
            return {}
        if several.serial_mid_form(tracker, self.ctx):  # another unit's serial at a later step (actions/units.py)
            return {"serial": latest_text(tracker)}
        beside = serial_beside_question(tracker, self.ctx.definition.affected.serial_format)  # actions/two_things.py
        intent, text = latest_intent(tracker), latest_text(tracker)
        if beside and intent in texts.QUESTION_INTENTS and looks_like_question(text):
            say(dispatcher, texts.answer(self.ctx.definition, intent))  # a question asked beside the serial
        return answer_text(tracker, "serial") or beside

    async def validate_serial(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        ctx = self.ctx
        photo = photo_reading(tracker, ctx.definition.affected.serial_format)
        if photo is not None:  # the serial read on a photo: only ever offered, for the customer's YES
            return {"serial": None, "suggested_serial": photo}
        if latest_intent(tracker) in (PHOTO_SERIAL, PHOTO_UNREADABLE):  # nothing read: the tip, a strike
            return await self.count_failure("serial", None, dispatcher, tracker, domain)
        suggested = tracker.get_slot("suggested_serial")
        text = latest_text(tracker)
        if suggested:
            answer = yes_or_no(latest_intent(tracker), text)
            if answer is True:
                text = suggested
            elif answer is False:  # a wrong guess counts: the form asks again, or offers a person
                say(dispatcher, texts.ok())
                return await self.count_failure("serial", None, dispatcher, tracker, domain)
        entity = None if text == suggested else next(tracker.get_latest_entity_values("serial"), None)
        checks = await runtime.read(
            lambda s: check_serials(
                s,
                campaign_id=ctx.campaign_id,
                customer_id=ctx.customer_id,
                definition=ctx.definition,
                text=text,
                entity=entity,
            )
        )
        if len(checks) > 1:  # several serials in one message (actions/units.py)
            return {**await several.several_serials(ctx, checks, dispatcher, text), **self.reset_failures("serial")}
        check = checks[0]
        known = several.already_known(await state_of(ctx), check)
        if known is not None:  # sent before: named, not checked again
            say(dispatcher, known)
            status = "affected" if (await state_of(ctx)).verified_affected else "not_affected"
            return {"serial": check.serial, "serial_status": status, "suggested_serial": None}
        if check.outcome in (VerificationOutcome.AFFECTED, VerificationOutcome.NOT_AFFECTED):
            await runtime.in_transaction(
                lambda s: record_verification(s, campaign_id=ctx.campaign_id, customer_id=ctx.customer_id, check=check)
            )
            if check.outcome is VerificationOutcome.AFFECTED:
                say(dispatcher, texts.serial_affected(ctx.definition, check.serial))
            else:
                say(dispatcher, texts.serial_not_affected(ctx.definition, check.serial))
                if reports_fault(latest_text(tracker)):  # "... mera fridge thanda nahi kar rha"
                    say(dispatcher, texts.not_affected_but_faulty(ctx.definition))
                after = await state_of(ctx)
                if after.unit is not None:  # another unit, fine, while an affected one's fix is arranged:
                    return {  # that one stays the form's, and its step is asked again
                        "serial": after.unit.serial,
                        "serial_status": "affected",
                        "suggested_serial": None,
                        **self.reset_failures("serial"),
                    }
            return {
                "serial": check.serial,
                "serial_status": check.outcome.value,
                "suggested_serial": None,
                **self.reset_failures("serial"),
                "human_offered": False,
            }
        if check.outcome is VerificationOutcome.NEAR_MISS:  # "Did you mean …?" (a look-alike reading too)
            return {"serial": None, "suggested_serial": check.suggestion}
        if several.next_serial_put_off(await state_of(ctx), tracker, check.serial):
            say(dispatcher, texts.next_serial_later(ctx.definition))  # "i'll send it later": not asked again
            return {"serial": None, "suggested_serial": None, several.LATER: True}
        if check.serial is None and latest_intent(tracker) != "inform_serial":
            say(dispatcher, texts.serial_malformed(ctx.definition, None))  # nothing serial-like: no strike
            return {"serial": None, "suggested_serial": None}
        return await self.count_failure("serial", check, dispatcher, tracker, domain)

    async def explain_serial(
        self, check: SerialCheck | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Why the serial was refused (nothing more when the customer turned a suggestion down)."""
        if latest_intent(tracker) in (PHOTO_SERIAL, PHOTO_UNREADABLE):
            say(dispatcher, texts.photo_unreadable_tip(self.ctx.definition))
        elif check is not None and check.outcome is VerificationOutcome.UNKNOWN:
            say(dispatcher, texts.serial_unknown(check.serial or ""))
        elif check is not None:
            say(dispatcher, texts.serial_malformed(self.ctx.definition, check.serial))
        return {"suggested_serial": None}

    async def give_up_serial(
        self, check: SerialCheck | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """After MAX_SERIAL_FAILURES: the outcome action offers a person."""
        serial = (check.serial if check else None) or "?"
        return {"serial": serial, "serial_status": "failed", "suggested_serial": None}

    # ------------------------------------------------------------------ remedy
    async def extract_remedy(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = latest_intent(tracker)
        if intent in REMEDY_INTENTS and (requested(tracker, "remedy") or tracker.get_slot("requested_slot") is None):
            instead = situation_said_as_remedy(tracker, self.ctx.definition)  # "mistri se repair ho gaya"
            if instead is not None:  # a repair elsewhere, not a choice: the free fix is offered (actions/situations.py)
                say(dispatcher, instead)
                return {"remedy": None} if requested(tracker, "remedy") else {}
            return {"remedy": REMEDY_INTENTS[intent]}
        beside = remedy_beside_situation(tracker)  # "i want the repair but i'm travelling" (actions/situations.py)
        if beside is not None:
            return {"remedy": beside}
        return answer_text(tracker, "remedy") or choice_beside_question(tracker)  # actions/two_things.py

    async def validate_remedy(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        remedy = chosen(value, remedy_options(self.ctx))  # actions/two_things.py: a choice beside a question
        if remedy is None:
            not_understood = texts.remedy_not_understood(self.ctx.definition)
            say(dispatcher, answer_without_choice(self.ctx, str(value or "")) or not_understood)
            return {"remedy": None}
        say(dispatcher, answer_beside_choice(self.ctx, tracker, remedy))  # "… how long will money take"
        if remedy == "repair":  # another unit's repair joins the visit booked (actions/units.py)
            state = await state_of(self.ctx)
            switch = await switch_before_repair(dispatcher, tracker, self.ctx, state.unit.id if state.unit else None)
            if switch is not None:  # a request of the unit is open: the switch first (actions/remedy_switch.py)
                return switch
            joined = await several.join_repair_visit(self.ctx, state, tracker, dispatcher)
            if joined is not None:
                return joined
        return {"remedy": remedy}

    # ------------------------------------------------------------------ yes/no steps
    async def extract_remedy_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return answer_text(tracker, "remedy_confirmed")

    async def validate_remedy_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = yes_no_answer(dispatcher, tracker, value)
        if answer is None:
            return {"remedy_confirmed": None}
        if answer is False:
            other = remedy_named(latest_text(tracker))  # "no wait keep the repair": that one, not the menu again
            offered = other is not None and getattr(self.ctx.definition.remedies, other, None) is not None
            if offered and other != tracker.get_slot("remedy"):
                say(dispatcher, texts.remedy_switched(self.ctx.definition, other))
                return {"remedy_confirmed": None, "remedy": other}
            return {"remedy_confirmed": None, "remedy": None}
        remedy = tracker.get_slot("remedy")  # another unit's, collected on the pickup booked (actions/units.py)
        joined = await several.join_pickup(self.ctx, await state_of(self.ctx), tracker, dispatcher, remedy)
        return joined if joined is not None else {"remedy_confirmed": True}

    async def extract_address_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return answer_text(tracker, "address_confirmed")

    async def validate_address_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # False set before the form started ("we moved to mumbai": actions/situations.py) stays False.
        answer = value if value is False else yes_no_answer(dispatcher, tracker, value)
        if answer is None:
            return {"address_confirmed": None}
        if answer is False:
            return {"address_confirmed": False, "address": None, "postcode": None}
        state = await state_of(self.ctx)
        return {"address_confirmed": True, "address": state.address, "postcode": state.postcode}

    # ------------------------------------------------------------------ address
    async def extract_address(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return free_text_answer(tracker, "address")

    async def validate_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        address = " ".join(str(value or "").split())
        country = self.ctx.definition.country
        if is_plausible_address(address, country):
            return {"address": address, "postcode": find_postcode(address, country)}
        return {"address": None, **await self.not_the_answer("address", address, dispatcher, tracker)}

    async def not_the_answer(
        self, slot: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """A reply to the address or postcode question that is something else: nothing is
        stored; a change of remedy is made (before booking), a day or time waits for the
        next step, anything else is asked again."""
        kind = off_script(text)
        if kind is OffScript.PERSON_REQUEST:  # in words the classifier missed: as request_human does
            await hand_over_from_form(dispatcher, tracker, self.ctx)
            return {}
        remedy = remedy_named(text) if kind is OffScript.REMEDY_CHANGE else REMEDY_INTENTS.get(latest_intent(tracker))
        if remedy is not None:
            switched = await self.switch_remedy(remedy, dispatcher, tracker)
            say(dispatcher, answer_beside_choice(self.ctx, tracker, remedy))  # "… how long will money take"
            return switched
        if kind is OffScript.TIME_REQUEST:
            say(dispatcher, texts.time_chosen_next())
        elif kind is OffScript.QUESTION:
            say(dispatcher, texts.address_first())
        elif slot == "postcode":
            say(dispatcher, texts.invalid_postcode())
        else:
            say(dispatcher, texts.not_an_address(self.ctx.definition.country))
        return {}

    async def switch_remedy(self, remedy: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Another remedy before booking: the form confirms it (a replacement or a refund),
        then asks the address again; one the campaign does not offer: the choice again."""
        d, current = self.ctx.definition, tracker.get_slot("remedy")
        if remedy == current:
            say(dispatcher, texts.remedy_already_chosen(d, remedy))
            return {}
        state = await state_of(self.ctx)
        if remedy == "repair" and not (tracker.get_slot("rescheduling") or tracker.get_slot("rebooking")):
            switch = await switch_before_repair(dispatcher, tracker, self.ctx, state.unit.id if state.unit else None)
            if switch is not None:  # a request of the unit is open: the switch first (actions/remedy_switch.py)
                return switch
        if state.request or tracker.get_slot("rescheduling") or tracker.get_slot("rebooking"):
            say(dispatcher, texts.address_first())  # a request is open: changed with a person, not here
            return {}
        if remedy not in [key for key, _ in remedy_options(self.ctx)]:
            return {"remedy": None, "remedy_confirmed": None}
        say(dispatcher, texts.remedy_switched(d, remedy))
        return {"remedy": remedy, "remedy_confirmed": None}

    async def extract_postcode(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return free_text_answer(tracker, "postcode")

    async def validate_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text, country = " ".join(str(value or "").split()), self.ctx.definition.country
        postcode = find_postcode(text, country) or (text.upper() if plausible_postcode(text, country) else None)
        if postcode is not None:
            return {"postcode": postcode}
        return {"postcode": None, **await self.not_the_answer("postcode", text, dispatcher, tracker)}

    # ------------------------------------------------------------------ time slot
    async def extract_booking_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker, "booking_slot") and time_wish_misread(tracker, self.ctx.timezone):
            return {"booking_slot": latest_text(tracker)}  # "sunday?" read as a question: a wish
        if requested(tracker, "booking_slot") and remedy_change_misread(tracker):
            return {"booking_slot": latest_text(tracker)}  # switched by remedy_at_the_time_step
        return answer_text(tracker, "booking_slot")

    async def validate_booking_slot(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        offered = tracker.get_slot("offered_slots") or []
        options = [ChoiceOption(o["label"], tuple(o["keywords"])) for o in offered]
        text = str(value or "")
        pref = time_wish(text, self.ctx.timezone)  # a day or time, "none of these" (actions/time_preferences.py)
        first = reads_as_preference_first(pref)
        index = parse_choice(text, options) if options and not first else None
        if index is None:
            if pref is not None:  # the question offers the times that fit it
                return {"booking_slot": None, TIME_SLOT: remember(tracker.get_slot(TIME_SLOT), text, pref, offered)}
            switched = await self.remedy_at_the_time_step(text, dispatcher, tracker)
            if switched is not None:  # "actually can i get refund instead" before booking: confirmed, times again
                return {"booking_slot": None, "offered_slots": None, **switched}
            say(dispatcher, texts.slot_not_understood(len(options)))
            return {"booking_slot": None}
        slot_id = offered[index]["id"]
        outcome = await self._book(tracker, slot_id)
        if outcome is None or not outcome.booked:
            say(dispatcher, texts.slot_taken())
            return {"booking_slot": None, "offered_slots": None}
        booked = {"booking_slot": str(slot_id), "booking_reference": outcome.booking.reference, TIME_SLOT: None}
        # another unit waits: its confirmation now, then the form goes on with the next unit (actions/units.py)
        return {**booked, **await several.after_booking(self.ctx, tracker, dispatcher, outcome.booking.reference)}

    async def remedy_at_the_time_step(
        self, text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """Another remedy named while the first time is asked (nothing booked yet): the same
        switch as at the address step; None when the reply names none, or while a booking is
        moved or made again (changed after booking: actions/remedy_switch.py)."""
        if tracker.get_slot("rescheduling") or tracker.get_slot("rebooking"):
            return None
        kind = off_script(text)
        remedy = remedy_named(text) if kind is OffScript.REMEDY_CHANGE else REMEDY_INTENTS.get(latest_intent(tracker))
        if remedy is None or (await state_of(self.ctx)).request:  # a request open: changed after booking only
            return None
        switched = await self.switch_remedy(remedy, dispatcher, tracker)
        say(dispatcher, answer_beside_choice(self.ctx, tracker, remedy))  # "… how long will money take"
        return switched

    async def _book(self, tracker: Tracker, slot_id: int) -> BookingOutcome:
        """Book the chosen slot in one transaction: the move of the booked visit, the
        rebooking of a failed one, or (with the address the customer gave) a repair visit
        or a new replacement/refund request and its pickup."""
        ctx, now = self.ctx, utcnow()
        address, postcode = tracker.get_slot("address"), tracker.get_slot("postcode")
        rescheduling, rebooking = tracker.get_slot("rescheduling"), tracker.get_slot("rebooking")
        new_address = tracker.get_slot("address_confirmed") is not True and address
        remedy = tracker.get_slot("remedy")

        def book(session: Session) -> BookingOutcome:
            if rescheduling:
                return reschedule_booking(session, customer_id=ctx.customer_id, new_slot_id=slot_id, now=now)
            if rebooking:  # after a failed or missed visit: the same kind, same address
                return rebook(session, customer_id=ctx.customer_id, slot_id=slot_id, now=now)
            if new_address:
                update_address(session, ctx.customer_id, address, postcode)
            unit = current_unit(unit_states(session, ctx.customer_id))  # the unit this is for
            unit_ids = [unit.id] if unit is not None else None
            if remedy == "repair":
                return book_slot(
                    session,
                    customer_id=ctx.customer_id,
                    slot_id=slot_id,
                    kind=BookingKind.REPAIR,
                    address=address,
                    postcode=postcode,
                    unit_ids=unit_ids,
                    now=now,
                )
            create = request_refund if remedy == "refund" else request_replacement
            created = create(session, customer_id=ctx.customer_id, unit_id=unit.id if unit else None, now=now)
            return schedule_pickup(
                session,
                customer_id=ctx.customer_id,
                request_id=created.request.id,
                slot_id=slot_id,
                address=address,
                postcode=postcode,
                now=now,
            )

        return await runtime.in_transaction(book)


# ---------------------------------------------------------------------- questions the form asks


class ActionAskSerial(AskAction):
    slot = "serial"

    async def question(self, tracker, ctx):
        suggested = tracker.get_slot("suggested_serial")
        if suggested and latest_intent(tracker) == PHOTO_SERIAL:
            return texts.serial_from_photo(suggested)  # "Is your serial AR26D004512? Reply YES or NO."
        if suggested:
            return texts.did_you_mean(suggested)
        if latest_intent(tracker) in (PHOTO_SERIAL, PHOTO_UNREADABLE):
            return None  # the tip said what to send
        state = await state_of(ctx)
        if state.verified_units and not state.verified_affected and not several.more_serials_expected(state, tracker):
            if latest_intent(tracker) in REMEDY_INTENTS:  # "keep the repair", every unit sent outside the recall
                return texts.remedy_not_covered(ctx.definition, [u.serial for u in state.verified_units])
            return texts.not_affected_closing()  # not "your second refrigerator too": none was said
        # "… your second refrigerator too"; with the picture of the label (WhatsApp: actions/hint_image.py)
        return with_serial_hint_image(several.serial_question(state, ctx), ctx)


class ActionAskRemedy(AskAction):
    slot = "remedy"

    async def question(self, tracker, ctx):
        return several.remedy_question(await state_of(ctx), ctx)  # names the unit when there are several


class ActionAskRemedyConfirmed(AskAction):
    slot = "remedy_confirmed"

    async def question(self, tracker, ctx):
        return texts.confirm_request(ctx.definition, tracker.get_slot("remedy"), amount_text(ctx, await state_of(ctx)))


class ActionAskAddressConfirmed(AskAction):
    slot = "address_confirmed"

    async def question(self, tracker, ctx):
        state = await state_of(ctx)
        shown = (
            state.address
            if not state.postcode or state.postcode in (state.address or "")
            else f"{state.address} {state.postcode}"
        )
        return texts.confirm_address(shown or "")


class ActionAskAddress(AskAction):
    slot = "address"

    async def question(self, tracker, ctx):
        return texts.ask_address()


class ActionAskPostcode(AskAction):
    slot = "postcode"

    async def question(self, tracker, ctx):
        return texts.ask_postcode()


class ActionAskBookingSlot(RecallAction):
    """Offer the next three free slots for the customer's region, as a numbered list."""

    def name(self) -> str:
        return "action_ask_booking_slot"

    async def respond(self, dispatcher, tracker, ctx):
        postcode = tracker.get_slot("postcode") or ctx.postcode
        kind = "repair" if tracker.get_slot("rescheduling") or tracker.get_slot("remedy") == "repair" else "pickup"
        preferred = await offer_times(dispatcher, tracker, ctx, kind, postcode)  # a day or time was asked for
        if preferred is not None:
            return preferred
        slots = await runtime.in_transaction(
            lambda s: available_slots(s, customer_id=ctx.customer_id, now=utcnow(), postcode=postcode)
        )
        if not slots:
            text = latest_text(tracker)
            await runtime.in_transaction(
                lambda s: record_escalation(s, customer_id=ctx.customer_id, reason="no_free_slots", text=text)
            )
            say(dispatcher, texts.no_free_slots(ctx.definition))
            return [SlotSet("offered_slots", [])]
        say(dispatcher, texts.offer_slots([s.label for s in slots], kind))
        return [SlotSet("offered_slots", [{"id": s.id, "label": s.label, "keywords": list(s.keywords)} for s in slots])]


# ---------------------------------------------------------------------- after the form


class ActionRecallOutcome(RecallAction):
    """Say where the customer now stands, and clear the form for the next time."""

    def name(self) -> str:
        return "action_recall_outcome"

    async def respond(self, dispatcher, tracker, ctx):
        d = ctx.definition
        status = tracker.get_slot("serial_status")
        # the time wish was for this arrangement (actions/time_preferences.py): not carried to the next
        reset = [SlotSet(slot, None) for slot in (*FORM_SLOTS, "address_confirmed", TIME_SLOT)]
        if status == "not_affected":
            say(dispatcher, texts.not_affected_closing())
            return [*reset, SlotSet("serial_status", None)]
        if status == "failed":
            photos = latest_intent(tracker) in (PHOTO_SERIAL, PHOTO_UNREADABLE)  # two photos nothing was read on
            say(dispatcher, texts.offer_human_after_photos() if photos else texts.offer_human_after_failures())
            return [
                *reset,
                SlotSet("serial_status", None),
                SlotSet("serial_failures", 0),
                SlotSet("human_offered", True),
            ]
        state = await state_of(ctx)
        if tracker.get_slot(several.ADDED):  # joined a booked visit or pickup: said already (actions/units.py)
            return [*reset, SlotSet("rescheduling", False), SlotSet("rebooking", False)]
        booking = several.booked_now(state, tracker) or state.booking
        if booking is None:
            if state.completed_at is not None:
                say(dispatcher, texts.remedy_complete(d))
            elif state.unit_collected and state.request is not None:
                say(dispatcher, texts.unit_collected(state.request.kind.value, state.request.reference))
            else:
                say(dispatcher, texts.ask_serial(d))
            return reset
        wanted = REMEDY_INTENTS.get(latest_intent(tracker) or "")
        if wanted and tracker.get_slot("booking_reference") is None and not tracker.get_slot("rescheduling"):
            # Another remedy named once booked: asked first, naming what it releases (actions/remedy_switch.py).
            switch = await offer_switch(dispatcher, tracker, ctx, wanted)
            if switch is not None:
                return [*reset, *switch]
        when = f"{booking.slot.label} ({booking.slot.start.astimezone(ctx.timezone).tzname()})"
        just_booked = tracker.get_slot("booking_reference") is not None
        # the warranty offer was made the first time (and for the customer's first unit only)
        first_booking = not tracker.get_slot("rebooking") and several.first_arrangement(state)
        if just_booked and tracker.get_slot("rescheduling"):
            say(dispatcher, texts.rescheduled(booking.reference, when))
        elif not just_booked:
            say(dispatcher, texts.booking_status(booking.reference, booking.kind.value, when))
        elif booking.kind == BookingKind.REPAIR:
            say(
                dispatcher,
                texts.repair_booked(d, booking.reference, when, booking.address),
                texts.warranty_offer(d) if first_booking else None,
            )
        else:
            request = state.request
            remedy = request.kind.value if request else "replacement"
            reference = request.reference if request else booking.reference
            say(
                dispatcher,
                texts.request_booked(d, remedy, reference, when, request.amount_label if request else None),
                texts.warranty_offer(d) if remedy == "replacement" and first_booking else None,
            )
        return [*reset, SlotSet("rescheduling", False), SlotSet("rebooking", False)]
