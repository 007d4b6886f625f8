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
from actions.base import (
    AskAction,
    CountingFormValidation,
    RecallAction,
    latest_intent,
    latest_text,
    say,
    yes_no_answer,
)
from bot.conversation import texts
from bot.conversation.understanding import INTERRUPTIONS, yes_or_no
from bot.domain.addresses import find_postcode, is_plausible_address, plausible_postcode
from bot.domain.choices import ChoiceOption, parse_choice, remedy_option
from bot.domain.free_text import OffScript, off_script, remedy_named
from bot.domain.refunds import format_money, refund_amount
from bot.models import BookingKind, utcnow
from bot.services.bookings import BookingOutcome, available_slots, book_slot, reschedule_booking
from bot.services.conversations import CustomerContext, update_address
from bot.services.escalations import record_escalation
from bot.services.rebooking import rebook
from bot.services.recall_state import RecallState, recall_state
from bot.services.remedy_requests import request_refund, request_replacement, schedule_pickup
from bot.services.verification import SerialCheck, VerificationOutcome, check_serial, record_verification

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
)


async def state_of(ctx: CustomerContext) -> RecallState:
    return await runtime.read(lambda s: recall_state(s, ctx.customer_id))


def amount_text(ctx: CustomerContext) -> str | None:
    amount = refund_amount(ctx.purchase_price)
    return format_money(amount, ctx.definition.currency) if amount is not None else None


def remedy_options(ctx: CustomerContext) -> list[tuple[str, ChoiceOption]]:
    return [(key, remedy_option(key, label)) for key, label in texts.remedy_labels(ctx.definition)]


def requested(tracker: Tracker, slot: str) -> bool:
    return tracker.get_slot("requested_slot") == slot


def answer_text(tracker: Tracker, slot: str) -> dict[str, Any]:
    """The customer's reply as the value of the requested slot (validated next), unless
    it is an interruption the rules answer (a question, a request for a person ...)."""
    if requested(tracker, slot) and latest_intent(tracker) not in INTERRUPTIONS:
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
    return answer_text(tracker, slot)


class ValidateRecallForm(CountingFormValidation):
    max_failures = {"serial": MAX_SERIAL_FAILURES}

    def name(self) -> str:
        return "validate_recall_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("rescheduling") or tracker.get_slot("rebooking"):
            return ["booking_slot"]
        if tracker.get_slot("serial_status") in ("not_affected", "failed"):
            return []
        state = await state_of(self.ctx)
        required = [] if state.verified_affected else ["serial"]
        if state.settled:
            return required
        remedy = tracker.get_slot("remedy")
        required.append("remedy")
        if remedy in ("replacement", "refund") and not state.request:
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
        if tracker.get_slot("requested_slot") is None:  # the message that started the form
            entity = next(tracker.get_latest_entity_values("serial"), None)
            if entity or latest_intent(tracker) == "inform_serial":
                return {"serial": entity or latest_text(tracker)}
            return {}
        return answer_text(tracker, "serial")

    async def validate_serial(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        ctx = self.ctx
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
        check = await runtime.read(
            lambda s: check_serial(
                s,
                campaign_id=ctx.campaign_id,
                customer_id=ctx.customer_id,
                definition=ctx.definition,
                text=text,
                entity=entity,
            )
        )
        if check.outcome in (VerificationOutcome.AFFECTED, VerificationOutcome.NOT_AFFECTED):
            await runtime.in_transaction(
                lambda s: record_verification(s, campaign_id=ctx.campaign_id, customer_id=ctx.customer_id, check=check)
            )
            if check.outcome is VerificationOutcome.AFFECTED:
                say(dispatcher, texts.serial_affected(ctx.definition, check.serial))
            else:
                say(dispatcher, texts.serial_not_affected(ctx.definition, check.serial))
            return {
                "serial": check.serial,
                "serial_status": check.outcome.value,
                "suggested_serial": None,
                **self.reset_failures("serial"),
                "human_offered": False,
            }
        if check.outcome is VerificationOutcome.NEAR_MISS:  # "Did you mean …?" (a look-alike reading too)
            return {"serial": None, "suggested_serial": check.suggestion}
        if check.serial is None and latest_intent(tracker) != "inform_serial":
            say(dispatcher, texts.serial_malformed(ctx.definition, None))  # nothing serial-like: no strike
            return {"serial": None, "suggested_serial": None}
        return await self.count_failure("serial", check, dispatcher, tracker, domain)

    async def explain_serial(
        self, check: SerialCheck | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Why the serial was refused (nothing more when the customer turned a suggestion down)."""
        if check is not None and check.outcome is VerificationOutcome.UNKNOWN:
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
            return {"remedy": REMEDY_INTENTS[intent]}
        return answer_text(tracker, "remedy")

    async def validate_remedy(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        options = remedy_options(self.ctx)
        offered = [key for key, _ in options]
        if value in offered:
            return {"remedy": value}
        index = parse_choice(str(value or ""), [option for _, option in options])
        if index is None:
            say(dispatcher, texts.remedy_not_understood(self.ctx.definition))
            return {"remedy": None}
        return {"remedy": offered[index]}

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
            return {"remedy_confirmed": None, "remedy": None}
        return {"remedy_confirmed": True}

    async def extract_address_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return answer_text(tracker, "address_confirmed")

    async def validate_address_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = yes_no_answer(dispatcher, tracker, value)
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
        remedy = remedy_named(text) if kind is OffScript.REMEDY_CHANGE else REMEDY_INTENTS.get(latest_intent(tracker))
        if remedy is not None:
            return await self.switch_remedy(remedy, dispatcher, tracker)
        if kind is OffScript.TIME_REQUEST:
            say(dispatcher, texts.time_chosen_next())
        elif kind in (OffScript.QUESTION, OffScript.PERSON):
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
        return answer_text(tracker, "booking_slot")

    async def validate_booking_slot(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        offered = tracker.get_slot("offered_slots") or []
        options = [ChoiceOption(o["label"], tuple(o["keywords"])) for o in offered]
        index = parse_choice(str(value or ""), options) if options else None
        if index is None:
            say(dispatcher, texts.slot_not_understood(len(options)))
            return {"booking_slot": None}
        slot_id = offered[index]["id"]
        outcome = await self._book(tracker, slot_id)
        if outcome is None or not outcome.booked:
            say(dispatcher, texts.slot_taken())
            return {"booking_slot": None, "offered_slots": None}
        return {"booking_slot": str(slot_id), "booking_reference": outcome.booking.reference}

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
            if remedy == "repair":
                return book_slot(
                    session,
                    customer_id=ctx.customer_id,
                    slot_id=slot_id,
                    kind=BookingKind.REPAIR,
                    address=address,
                    postcode=postcode,
                    now=now,
                )
            create = request_refund if remedy == "refund" else request_replacement
            created = create(session, customer_id=ctx.customer_id, now=now)
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
        return texts.did_you_mean(suggested) if suggested else texts.ask_serial(ctx.definition)


class ActionAskRemedy(AskAction):
    slot = "remedy"

    async def question(self, tracker, ctx):
        return texts.ask_remedy(ctx.definition)


class ActionAskRemedyConfirmed(AskAction):
    slot = "remedy_confirmed"

    async def question(self, tracker, ctx):
        return texts.confirm_request(ctx.definition, tracker.get_slot("remedy"), amount_text(ctx))


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
        kind = "repair" if tracker.get_slot("rescheduling") or tracker.get_slot("remedy") == "repair" else "pickup"
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
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("address_confirmed", None)]
        if status == "not_affected":
            say(dispatcher, texts.not_affected_closing())
            return [*reset, SlotSet("serial_status", None)]
        if status == "failed":
            say(dispatcher, texts.offer_human_after_failures())
            return [
                *reset,
                SlotSet("serial_status", None),
                SlotSet("serial_failures", 0),
                SlotSet("human_offered", True),
            ]
        state = await state_of(ctx)
        booking = state.booking
        if booking is None:
            if state.completed_at is not None:
                say(dispatcher, texts.remedy_complete(d))
            elif state.unit_collected and state.request is not None:
                say(dispatcher, texts.unit_collected(state.request.kind.value, state.request.reference))
            else:
                say(dispatcher, texts.ask_serial(d))
            return reset
        when = f"{booking.slot.label} ({booking.slot.start.astimezone(ctx.timezone).tzname()})"
        just_booked = tracker.get_slot("booking_reference") is not None
        first_booking = not tracker.get_slot("rebooking")  # the warranty offer was made the first time
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
