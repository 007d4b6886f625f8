"""Acting on a customer's behalf from the console: book or move a visit, cancel it, start
a replacement or a refund — through the services the bot uses, under the bot's rules.

The rules are the bot's (`bot/services/remedy_rules.py`: a first booking, a replacement
or a refund needs a serial verified as affected; a first visit also needs the address and
postcode on file; a replacement or refund cannot start while a visit is booked; once the
customer's remedy is complete, nothing more is booked or started); this router says each
`Refusal` in the agent's words. With an open replacement/refund the booking is the pickup
of the old unit (`schedule_pickup`), otherwise a repair visit (`book_slot`); a booked
visit can always be moved or cancelled. Each POST is one unit of work: reading the
customer's state, the rules, the service call (which records the customer's remedy and
the audit event, actor: the agent's email) and the message, all in one
`run_in_write_transaction` (so the rules judge the state the write changes).

Completing remedies (`bot/services/completion.py`): the booked visit's outcome
(completed, failed, missed, with the technician's note) and the open request's next
state (the buttons offer only the moves `bot/domain/remedy_states.py` allows; none while
its pickup is booked, whose outcome moves it).

Every outcome goes back to the customer page as a one-time notice (`pages.set_flash`:
`request.session["flash"]`, shown and cleared by the page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.console.auth import CurrentAgent, require_agent
from bot.console.csrf import csrf_protect
from bot.console.pages import set_flash
from bot.db import run_in_write_transaction
from bot.domain.remedy_states import next_states, state_label
from bot.models import BookingKind, utcnow
from bot.services import remedy_rules
from bot.services.bookings import (
    BookingOutcome,
    BookingView,
    available_slots,
    book_slot,
    cancel_booking,
    reschedule_booking,
)
from bot.services.completion import VISIT_NAMES, advance_request, record_visit_outcome
from bot.services.other_times import MAX_VISIT, OtherTimeProblem, create_one_off_slot, local_window
from bot.services.recall_state import RecallState, customer_in_campaign, recall_state
from bot.services.refusals import Refusal
from bot.services.remedy_requests import RequestOutcome, request_refund, request_replacement, schedule_pickup

router = APIRouter(prefix="/console", dependencies=[Depends(require_agent), Depends(csrf_protect)])

PANEL_SLOTS = 8
NOT_VERIFIED = "The customer's serial is not verified as affected yet: the bot asks for it first."
NO_ADDRESS = "No address and postcode on file yet: the bot asks for them before booking a visit."
NO_FREE_SLOTS = "No free slots in the customer's region at the moment."
REMEDY_COMPLETE = "The customer's remedy is complete: nothing more to book or start."
UNIT_COLLECTED = "The old unit is collected: {kind} {reference} needs no more visits, only marking done."
MAX_NOTE_CHARS = 2000
NOTE_TOO_LONG = f"The note is too long: {MAX_NOTE_CHARS:,} characters at most. Nothing was recorded."
REFUSALS = {  # the services' reasons, as the agent reads them
    Refusal.SLOT_FULL: "That slot has just filled up: choose another.",
    Refusal.NO_SUCH_SLOT: "That slot is not one of this recall's.",
    Refusal.WRONG_REGION: "That slot is not in the customer's service region.",
    Refusal.TOO_SOON: "That slot starts too soon now: choose a later one.",
    Refusal.NO_SUCH_REQUEST: "The replacement or refund request is no longer open.",
    Refusal.NO_SUCH_UNIT: "That unit is not the customer's.",
    Refusal.NO_BOOKING: "The customer has no booked visit any more.",
    Refusal.REMEDY_COMPLETE: REMEDY_COMPLETE,
    Refusal.NOT_VERIFIED: NOT_VERIFIED,
    Refusal.NO_ADDRESS: NO_ADDRESS,
}


# --- the rules (bot/services/remedy_rules.py), in the agent's words --------------------


def refusal_message(refusal: Refusal, state: RecallState) -> str:
    """What the agent reads for `refusal` (the state names the request or visit in the way)."""
    if refusal is Refusal.UNIT_COLLECTED and state.request is not None:
        return UNIT_COLLECTED.format(kind=state.request.kind.value.capitalize(), reference=state.request.reference)
    if refusal is Refusal.ALREADY_OPEN and state.request is not None:
        return f"{state.request.kind.value.capitalize()} {state.request.reference} is already open."
    if refusal is Refusal.VISIT_BOOKED and state.booking is not None:
        return f"{VISIT_NAMES[state.booking.kind]} {state.booking.reference} is booked: cancel it first."
    return REFUSALS.get(refusal, "That is not possible now.")


def booking_refusal(state: RecallState) -> str | None:
    """Why a first visit cannot be booked now (None: it can; moving is always allowed)."""
    refusal = remedy_rules.first_visit_refusal(state)
    return None if refusal is None else refusal_message(refusal, state)


def request_refusal(state: RecallState) -> str | None:
    """Why a replacement or refund cannot start now (None: it can)."""
    refusal = remedy_rules.request_refusal(state)
    return None if refusal is None else refusal_message(refusal, state)


# --- the panel -------------------------------------------------------------------------


def _when(booking: BookingView, tz: dt.tzinfo) -> str:
    return f"{booking.slot.label} ({booking.slot.start.astimezone(tz).tzname()})"


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _book_label(state: RecallState) -> str:
    if state.booking is not None:
        return "Move repair" if state.booking.kind == BookingKind.REPAIR else "Move pickup"
    return "Book pickup" if state.request is not None else "Book repair"


def request_moves(state: RecallState) -> list[dict[str, str]]:
    """The buttons for the open request: its allowed next states, none while its pickup
    is booked (that visit's outcome moves it)."""
    request, booking = state.request, state.booking
    if request is None or (booking is not None and booking.request_id == request.id):
        return []
    return [
        {"status": target.value, "label": state_label(request.kind, target)}
        for target in next_states(request.kind, request.status)
    ]


def remedy_panel(session: Session, customer_id: int, now: dt.datetime) -> dict:
    """What `_remedies.html` shows: the booked visit, the open request, the next free
    slots (materialised like the bot's offer, in the caller's transaction), and why an
    action is not possible now. Raises LookupError for an unknown customer."""
    customer, _campaign, tz = customer_in_campaign(session, customer_id)
    state = recall_state(session, customer_id)
    booking, request = state.booking, state.request
    problem = booking_refusal(state)
    other_time = problem is None  # a time outside the calendar may be booked (bot.services.other_times)
    slots = []
    if problem is None:
        slots = available_slots(
            session,
            customer_id=customer_id,
            now=now,
            postcode=booking.postcode if booking else None,
            limit=PANEL_SLOTS,
            exclude_ids=(booking.slot.id,) if booking else (),
        )
        problem = None if slots else NO_FREE_SLOTS
    return {
        "verified": state.verified_affected,
        "verification": customer.verification.value if customer.verification else None,
        "remedy": customer.remedy.value if customer.remedy else None,
        "timezone": tz.key,
        "booking": None
        if booking is None
        else {
            "reference": booking.reference,
            "kind": booking.kind.value,
            "when": _when(booking, tz),
            "slot_id": booking.slot.id,
        },
        "request": None
        if request is None
        else {
            "reference": request.reference,
            "kind": request.kind.value,
            "status": request.status.value,
            "amount": request.amount_label,
            "moves": request_moves(state),
        },
        "completed": None if state.completed_at is None else _day(state.completed_at.astimezone(tz)),
        "slots": [{"id": slot.id, "label": slot.label} for slot in slots],
        "book_label": _book_label(state),
        "booking_problem": problem,
        "other_time": other_time,
        "request_problem": request_refusal(state),
    }


# --- the actions: each one write transaction (state, rules, service call, message) ------


def _back(request: Request, customer_id: int, message: str) -> Response:
    set_flash(request, message)
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


def _act(request: Request, customer_id: int, work: Callable[[Session], str]) -> Response:
    """Run `work` as the request's one unit of work (`run_in_write_transaction`: on SQLite
    the write lock is taken up front, a transient lock conflict runs it again from the
    start) and come back to the customer page with the message it returns."""
    message = run_in_write_transaction(request.app.state.factory, work)
    return _back(request, customer_id, message)


def _state(session: Session, customer_id: int) -> RecallState:
    try:
        return recall_state(session, customer_id)
    except LookupError:
        raise HTTPException(status_code=404, detail="No such customer.") from None


def _booking_message(outcome: BookingOutcome, moved: bool) -> str:
    if outcome.booked and outcome.booking is not None:
        booking = outcome.booking
        done = "unchanged" if outcome.reason is Refusal.UNCHANGED else "moved to" if moved else "booked for"
        return f"{VISIT_NAMES[booking.kind]} {booking.reference} {done} {booking.slot.label}."
    if outcome.reason is Refusal.ALREADY_BOOKED and outcome.existing is not None:
        return f"{VISIT_NAMES[outcome.existing.kind]} {outcome.existing.reference} is already booked: move it instead."
    message = REFUSALS.get(outcome.reason) if outcome.reason is not None else None
    return message or "The booking was refused."


def _slot_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _book_or_move(session: Session, customer_id: int, slot: int | None, actor: str, now: dt.datetime) -> str:
    state = _state(session, customer_id)
    if slot is None:
        return "Choose a slot first."
    if state.booking is not None:
        outcome = reschedule_booking(
            session, customer_id=customer_id, new_slot_id=slot, booking_id=state.booking.id, now=now, actor=actor
        )
        return _booking_message(outcome, moved=True)
    refusal = booking_refusal(state)
    if refusal is not None:
        return refusal
    address, postcode = state.address, state.postcode
    if state.request is not None:
        outcome = schedule_pickup(
            session,
            customer_id=customer_id,
            request_id=state.request.id,
            slot_id=slot,
            address=address,
            postcode=postcode,
            now=now,
            actor=actor,
        )
    else:
        outcome = book_slot(
            session,
            customer_id=customer_id,
            slot_id=slot,
            kind=BookingKind.REPAIR,
            address=address,
            postcode=postcode,
            now=now,
            actor=actor,
        )
    return _booking_message(outcome, moved=False)


@router.post("/customers/{customer_id}/booking")
def book_or_move(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    slot_id: Annotated[str, Form()] = "",
) -> Response:
    """Move the booked visit to `slot_id`, or book one: the pickup of an open
    replacement/refund, else a repair visit."""
    slot, now = _slot_number(slot_id), utcnow()
    return _act(request, customer_id, lambda session: _book_or_move(session, customer_id, slot, agent.email, now))


OTHER_TIME_PROBLEMS = {
    OtherTimeProblem.ORDER: f"The visit must end after it starts, within {MAX_VISIT.seconds // 3600} hours.",
    OtherTimeProblem.TOO_SOON: "That time starts too soon: a visit can start from tomorrow, at least 12 hours ahead.",
    OtherTimeProblem.NO_REGION: "No service region covers the customer's postcode.",
    OtherTimeProblem.FULL: "That time is a slot of the calendar, and it is full: choose another time.",
}
OTHER_TIME_FORM = "Give the day and the start and end times (HH:MM) of the visit."


def _other_time_window(day: str, start: str, end: str, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime] | None:
    try:
        return local_window(dt.date.fromisoformat(day.strip()), _clock(start), _clock(end), tz)
    except ValueError:
        return None


def _clock(text: str) -> dt.time:
    text = text.strip()
    if len(text) != 5 or text[2] != ":":
        raise ValueError(text)
    return dt.time.fromisoformat(text)


def _book_other_time(
    session: Session, customer_id: int, day: str, start: str, end: str, actor: str, now: dt.datetime
) -> str:
    """A one-off slot (one seat) at the agent's time, and the booking or move onto it, by the
    same rules as a calendar slot; when the booking is refused the slot is not kept."""
    state = _state(session, customer_id)
    refusal = booking_refusal(state)
    if refusal is not None:
        return refusal
    _customer, _campaign, tz = customer_in_campaign(session, customer_id)
    window = _other_time_window(day, start, end, tz)
    if window is None:
        return OTHER_TIME_FORM
    postcode = state.booking.postcode if state.booking else state.postcode
    with session.begin_nested() as attempt:
        created = create_one_off_slot(
            session,
            customer_id=customer_id,
            starts_at=window[0],
            ends_at=window[1],
            postcode=postcode,
            actor=actor,
            now=now,
        )
        if created.slot is None:
            return OTHER_TIME_PROBLEMS.get(created.problem, OTHER_TIME_FORM)
        message = _book_or_move(session, customer_id, created.slot.id, actor, now)
        after = recall_state(session, customer_id)
        if after.booking is None or after.booking.slot.id != created.slot.id:
            attempt.rollback()
    return message


@router.post("/customers/{customer_id}/booking/other-time")
def book_other_time(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    day: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
) -> Response:
    """Book (or move the booked visit to) a time outside the calendar that the agent arranged
    with the customer: a one-off slot of one seat, in the customer's timezone."""
    now = utcnow()
    return _act(
        request, customer_id, lambda session: _book_other_time(session, customer_id, day, start, end, agent.email, now)
    )


def _cancel_visit(session: Session, customer_id: int, actor: str, now: dt.datetime) -> str:
    state = _state(session, customer_id)
    if state.booking is None:
        return REFUSALS[Refusal.NO_BOOKING]
    outcome = cancel_booking(session, customer_id=customer_id, reference=state.booking.reference, now=now, actor=actor)
    if not outcome.cancelled or outcome.booking is None:
        return REFUSALS[Refusal.NO_BOOKING]
    return f"{VISIT_NAMES[outcome.booking.kind]} {outcome.booking.reference} cancelled."


@router.post("/customers/{customer_id}/booking/cancel")
def cancel_visit(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
) -> Response:
    """Cancel the booked visit and free its seat (a pickup's request stays open)."""
    now = utcnow()
    return _act(request, customer_id, lambda session: _cancel_visit(session, customer_id, agent.email, now))


def _start_request(
    session: Session, customer_id: int, actor: str, now: dt.datetime, create: Callable[..., RequestOutcome]
) -> str:
    refusal = request_refusal(_state(session, customer_id))
    if refusal is not None:
        return refusal
    outcome = create(session, customer_id=customer_id, now=now, actor=actor)
    started = outcome.request
    assert started is not None
    name = started.kind.value.capitalize()
    if not outcome.created:
        return f"{name} {started.reference} is already open."
    amount = f" for {started.amount_label}" if started.amount_label else ""
    return f"{name} {started.reference} started{amount}: book the pickup next."


@router.post("/customers/{customer_id}/replacement")
def start_replacement(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
) -> Response:
    now = utcnow()
    return _act(
        request,
        customer_id,
        lambda session: _start_request(session, customer_id, agent.email, now, request_replacement),
    )


@router.post("/customers/{customer_id}/refund")
def start_refund(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
) -> Response:
    now = utcnow()
    return _act(
        request, customer_id, lambda session: _start_request(session, customer_id, agent.email, now, request_refund)
    )


# --- completing remedies ---------------------------------------------------------------


def _form_problem(reference: str, note: str | None, missing: str) -> str | None:
    """Why the form cannot be applied: no reference (none shown, none current), or a note
    too long (None: it can)."""
    if not reference:
        return missing
    if note is not None and len(note) > MAX_NOTE_CHARS:
        return NOTE_TOO_LONG
    return None


def _visit_outcome(
    session: Session, customer_id: int, reference: str, outcome: str, note: str, actor: str, now: dt.datetime
) -> str:
    state = _state(session, customer_id)
    reference = reference.strip() or (state.booking.reference if state.booking else "")
    text = note.strip() or None
    problem = _form_problem(reference, text, missing=REFUSALS[Refusal.NO_BOOKING])
    if problem is not None:
        return problem
    return record_visit_outcome(
        session, reference, outcome, note=text, actor=actor, now=now, customer_id=customer_id
    ).message


@router.post("/customers/{customer_id}/booking/outcome")
def visit_outcome(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    reference: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """The technician's outcome of the booked visit `reference` (as shown, else the booked
    one): completed, failed or missed."""
    now = utcnow()
    return _act(
        request,
        customer_id,
        lambda session: _visit_outcome(session, customer_id, reference, outcome, note, agent.email, now),
    )


def _move_request(
    session: Session, customer_id: int, reference: str, to: str, note: str, actor: str, now: dt.datetime
) -> str:
    state = _state(session, customer_id)
    reference = reference.strip() or (state.request.reference if state.request else "")
    text = note.strip() or None
    problem = _form_problem(reference, text, missing="The customer has no open replacement or refund.")
    if problem is not None:
        return problem
    return advance_request(session, reference, to, actor=actor, now=now, note=text, customer_id=customer_id).message


@router.post("/customers/{customer_id}/request/advance")
def move_request(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    reference: Annotated[str, Form()] = "",
    to: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Move the open replacement/refund `reference` (as shown, else the open one) to the state `to`."""
    now = utcnow()
    return _act(
        request, customer_id, lambda session: _move_request(session, customer_id, reference, to, note, agent.email, now)
    )
