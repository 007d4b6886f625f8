"""recall_form with several units per customer (issue 16, item 6).

Serials may come in one message ("AR26D104514 and AR26E200001") or one after another,
also after the first unit's remedy is arranged. Each unit is verified on its own and
gets its own remedy; the form works on one unit at a time (`RecallState.unit`: the first
verified affected unit with nothing arranged). When a unit's remedy is arranged and
another unit is waiting, or the customer said they have more units than they have sent
serials for (`units_expected`: "i have 2 of these fridges"), the form starts again for
the next unit: the unit's slots are cleared, the address already confirmed is kept.

A repair for another unit while a repair visit is booked joins that visit (no second
seat; the visit takes longer); a replacement or refund while a pickup is booked is a
request of its own, collected on that pickup.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import runtime
from actions.base import current_context, latest_intent, latest_text, say
from bot.conversation import texts
from bot.domain.ownership import reports_fault
from bot.domain.situations import disposition_in
from bot.domain.units import find_serials, units_mentioned
from bot.models import BookingKind, utcnow
from bot.services.bookings import BookingView, add_unit_to_visit
from bot.services.conversations import CustomerContext
from bot.services.recall_state import RecallState, recall_state
from bot.services.remedy_requests import request_refund, request_replacement
from bot.services.verification import SerialCheck, VerificationOutcome, record_verification

EXPECTED = "units_expected"  # how many units the customer said they have
LATER = "units_later"  # the other units' serials come later: not asked again
ADDED = "unit_added"  # the serial that just joined a booked visit or pickup (its text is said)
# Cleared for the next unit; the address, its confirmation and the postcode stay.
UNIT_SLOTS = (
    "serial",
    "suggested_serial",
    "serial_status",
    "remedy",
    "remedy_confirmed",
    "booking_slot",
    "offered_slots",
    "booking_reference",
    ADDED,
)
CONCLUSIVE = (VerificationOutcome.AFFECTED, VerificationOutcome.NOT_AFFECTED)


async def state_of(ctx: CustomerContext) -> RecallState:
    return await runtime.read(lambda s: recall_state(s, ctx.customer_id))


def units_said(tracker: Tracker) -> int:
    """The most units the customer said they have in any message of the conversation ("i have
    two fridges", "both of them"; said before the form started too), 0 when none."""
    counts = [units_mentioned(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    counts.append(units_mentioned(latest_text(tracker)))
    return max((c for c in counts if c is not None), default=0)


def expected_units(tracker: Tracker) -> int:
    return max(int(tracker.get_slot(EXPECTED) or 0), units_said(tracker))


def count_said(tracker: Tracker) -> dict[str, Any]:
    """`units_expected` when the conversation says more units than the slot holds."""
    said = units_said(tracker)
    if said > int(tracker.get_slot(EXPECTED) or 0):
        return {EXPECTED: said}
    return {}


# Steps whose answer is never a serial: one sent there is another unit's.
NOT_SERIAL_STEPS = ("remedy", "remedy_confirmed", "address_confirmed", "booking_slot")


def serial_mid_form(tracker: Tracker, ctx: CustomerContext | None = None) -> bool:
    """A serial written in full at a step whose answer is never one ("wait, the other one is
    AR26D004514" while the remedy is asked): another unit, checked before the step goes on
    (and not taken as that step's answer)."""
    if tracker.get_slot("requested_slot") not in NOT_SERIAL_STEPS:
        return False
    if latest_intent(tracker) == "tell_disposed" or disposition_in(latest_text(tracker)) is not None:
        return False  # "the 2nd one AR26D004514 i sold": the unit named, asked about (actions/situations.py)
    ctx = ctx or current_context.get()
    serials, _ = find_serials(latest_text(tracker), ctx.definition.affected.serial_format)
    return bool(serials)


def new_serial_sent(tracker: Tracker, ctx: CustomerContext | None = None) -> bool:
    """The message that started the form carries a serial (another unit, maybe), or one was
    sent at a step whose answer is never a serial (`serial_mid_form`)."""
    if tracker.get_slot("requested_slot") is not None:
        return ctx is not None and serial_mid_form(tracker, ctx)
    return (
        next(tracker.get_latest_entity_values("serial"), None) is not None or latest_intent(tracker) == "inform_serial"
    )


def more_serials_expected(state: RecallState, tracker: Tracker) -> bool:
    """The customer said they have more units than they have sent serials for (and did not
    say they would send the others later)."""
    return not tracker.get_slot(LATER) and len(state.verified_units) < expected_units(tracker)


def next_serial_put_off(state: RecallState, tracker: Tracker, check_serial: str | None) -> bool:
    """At the question for another unit's serial, a message with nothing serial-like in it ("i
    will send it later", "dont have it now"): the other serials come later, not asked again."""
    return (
        check_serial is None
        and tracker.get_slot("requested_slot") == "serial"
        and state.unit is None
        and bool(state.verified_units)
        and more_serials_expected(state, tracker)
    )


def wants_serial(state: RecallState, tracker: Tracker, ctx: CustomerContext | None = None) -> bool:
    """Whether the form asks (or takes) a serial now."""
    if not state.verified_affected or tracker.get_slot("suggested_serial") or new_serial_sent(tracker, ctx):
        return True
    return state.unit is None and more_serials_expected(state, tracker)


def more_to_arrange(state: RecallState, tracker: Tracker) -> bool:
    """After a unit's remedy is arranged: another unit waits, or another serial is expected."""
    return state.unit is not None or more_serials_expected(state, tracker)


def next_unit(tracker: Tracker) -> dict[str, Any]:
    """The unit's slots cleared, so the form asks for the next unit; the address stays, and
    one typed in this conversation counts as confirmed (it is on file since the booking)."""
    confirmed = {"address_confirmed": True} if tracker.get_slot("address") else {}
    return {**dict.fromkeys(UNIT_SLOTS), **confirmed}


def serial_question(state: RecallState, ctx: CustomerContext) -> str:
    if state.verified_units and state.unit is None:
        return texts.ask_next_serial(ctx.definition, len(state.verified_units) + 1)
    return texts.ask_serial(ctx.definition)


def remedy_question(state: RecallState, ctx: CustomerContext) -> str:
    unit = state.unit
    if unit is not None and len(state.affected_verified) > 1:
        return texts.ask_remedy_for_unit(ctx.definition, state.position(unit), unit.serial)
    return texts.ask_remedy(ctx.definition)


def when_of(booking: BookingView, ctx: CustomerContext) -> str:
    return f"{booking.slot.label} ({booking.slot.start.astimezone(ctx.timezone).tzname()})"


def booked_now(state: RecallState, tracker: Tracker, reference: str | None = None) -> BookingView | None:
    """The booking the form just made (by its reference), if any."""
    reference = reference or tracker.get_slot("booking_reference")
    return next((b for b in state.bookings if b.reference == reference), None)


def booked_lines(ctx: CustomerContext, state: RecallState, booking: BookingView, first: bool) -> list[str | None]:
    """What the bot says for a visit or pickup just booked (the warranty offer only `first`)."""
    d = ctx.definition
    when = when_of(booking, ctx)
    if booking.kind == BookingKind.REPAIR:
        return [
            texts.repair_booked(d, booking.reference, when, booking.address),
            texts.warranty_offer(d) if first else None,
        ]
    request = state.request
    remedy = request.kind.value if request else "replacement"
    reference = request.reference if request else booking.reference
    return [
        texts.request_booked(d, remedy, reference, when, request.amount_label if request else None),
        texts.warranty_offer(d) if remedy == "replacement" and first else None,
    ]


def first_arrangement(state: RecallState) -> bool:
    """No other unit of the customer has a remedy arranged (the warranty offer is made once)."""
    return sum(1 for u in state.units if u.arranged) <= 1


async def after_booking(
    ctx: CustomerContext, tracker: Tracker, dispatcher: CollectingDispatcher, reference: str
) -> dict[str, Any]:
    """A unit's visit or pickup was just booked (`reference`): when another unit waits (or
    another serial is expected) the confirmation is said now and the form goes on with the
    next unit."""
    if tracker.get_slot("rescheduling") or tracker.get_slot("rebooking"):
        return {}
    state = await state_of(ctx)
    booking = booked_now(state, tracker, reference)
    if booking is None or not more_to_arrange(state, tracker):
        return {}
    say(dispatcher, *booked_lines(ctx, state, booking, first_arrangement(state)))
    return next_unit(tracker)


async def after_joining(
    ctx: CustomerContext, tracker: Tracker, dispatcher: CollectingDispatcher, joined: dict[str, Any]
) -> dict[str, Any]:
    """A unit joined a booked visit or pickup (its text said): the next unit, or the end."""
    state = await state_of(ctx)
    return next_unit(tracker) if more_to_arrange(state, tracker) else joined


async def join_repair_visit(
    ctx: CustomerContext, state: RecallState, tracker: Tracker, dispatcher: CollectingDispatcher
) -> dict[str, Any] | None:
    """A repair chosen for the current unit while a repair visit is booked: the unit joins the
    visit (None: there is no such visit, book one as usual)."""
    unit, visit = state.unit, state.booking_of(BookingKind.REPAIR)
    if unit is None or visit is None:
        return None
    outcome = await runtime.in_transaction(
        lambda s: add_unit_to_visit(s, customer_id=ctx.customer_id, unit_id=unit.id, now=utcnow())
    )
    if not outcome.booked or outcome.booking is None:
        return None
    booking = outcome.booking
    say(
        dispatcher,
        texts.visit_joined(
            ctx.definition, booking.reference, when_of(booking, ctx), unit.serial, len(booking.unit_ids)
        ),
    )
    return await after_joining(ctx, tracker, dispatcher, {"remedy": "repair", ADDED: unit.serial})


async def join_pickup(
    ctx: CustomerContext, state: RecallState, tracker: Tracker, dispatcher: CollectingDispatcher, remedy: str
) -> dict[str, Any] | None:
    """A replacement or refund confirmed for the current unit while a pickup is booked: its own
    request, collected on that pickup (None: no pickup booked, book one as usual)."""
    unit, pickup = state.unit, state.booking_of(BookingKind.PICKUP)
    if unit is None or pickup is None:
        return None
    create = request_refund if remedy == "refund" else request_replacement

    def work(session: Session):
        created = create(session, customer_id=ctx.customer_id, unit_id=unit.id, now=utcnow())
        assert created.request is not None
        joined = add_unit_to_visit(
            session,
            customer_id=ctx.customer_id,
            unit_id=unit.id,
            kind=BookingKind.PICKUP,
            request_id=created.request.id,
            now=utcnow(),
        )
        return created.request, joined

    request, outcome = await runtime.in_transaction(work)
    if not outcome.booked or outcome.booking is None:
        return None
    say(
        dispatcher,
        texts.pickup_joined(
            ctx.definition,
            remedy,
            request.reference,
            outcome.booking.reference,
            when_of(outcome.booking, ctx),
            request.amount_label,
        ),
    )
    return await after_joining(ctx, tracker, dispatcher, {"remedy_confirmed": True, ADDED: unit.serial})


async def several_serials(
    ctx: CustomerContext, checks: list[SerialCheck], dispatcher: CollectingDispatcher, text: str = ""
) -> dict[str, Any]:
    """Several serials in one message (`text`): each conclusive one is recorded (the customer's own
    serials already checked are only named), the reply says which are affected and which
    are fine; a mistyped one is asked about ("Did you mean …?") or explained."""
    before = await state_of(ctx)
    known = {u.serial for u in before.verified_units if u.arranged}
    conclusive = [c for c in checks if c.outcome in CONCLUSIVE and c.serial]
    fresh = [c for c in conclusive if c.serial not in known]

    def work(session: Session) -> None:
        for check in fresh:
            record_verification(session, campaign_id=ctx.campaign_id, customer_id=ctx.customer_id, check=check)

    if fresh:
        await runtime.in_transaction(work)
    affected = [c.serial for c in fresh if c.outcome is VerificationOutcome.AFFECTED]
    fine = [c.serial for c in fresh if c.outcome is VerificationOutcome.NOT_AFFECTED]
    again = [c.serial for c in conclusive if c.serial in known]
    if conclusive:
        say(dispatcher, texts.serials_checked(ctx.definition, affected, fine, again))  # type: ignore[arg-type]
        if fine and not affected and reports_fault(text):  # a fault the recall does not cover: not dismissed
            say(dispatcher, texts.not_affected_but_faulty(ctx.definition))
    near = next((c for c in checks if c.outcome is VerificationOutcome.NEAR_MISS and c.suggestion), None)
    refused = [c for c in checks if c.outcome not in CONCLUSIVE and c.outcome is not VerificationOutcome.NEAR_MISS]
    for check in refused:
        if check.outcome is VerificationOutcome.UNKNOWN:
            say(dispatcher, texts.serial_unknown(check.serial or ""))
        else:
            say(dispatcher, texts.serial_malformed(ctx.definition, check.serial))
    after = await state_of(ctx)
    if near is not None:
        return {"serial": None, "suggested_serial": near.suggestion}
    if not conclusive:
        return {"serial": None, "suggested_serial": None}
    status = "affected" if after.verified_affected else "not_affected"
    first = affected[0] if affected else conclusive[0].serial
    return {"serial": first, "serial_status": status, "suggested_serial": None, "human_offered": False}


def already_known(state: RecallState, check: SerialCheck) -> str | None:
    """The reply when the customer sends again a serial whose remedy is arranged (None: a new
    one, or one still waiting: checked again as usual)."""
    unit = next((u for u in state.verified_units if u.serial == check.serial and u.arranged), None)
    if unit is None:
        return None
    return texts.serial_already_known(unit.serial, unit.booking_reference or unit.request_reference)
