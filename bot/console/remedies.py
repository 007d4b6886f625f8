"""Acting on a customer's behalf from the console: book or move a visit, cancel it, start
a replacement or a refund — through the services the bot uses, under the bot's rules.

The rules (as in actions/recall_form.py and actions/changes.py): a first booking, a
replacement or a refund needs a serial verified as affected; a first visit also needs
the address and postcode on file (the bot asks for both before it offers slots). With an
open replacement/refund the booking is the pickup of the old unit (`schedule_pickup`),
otherwise a repair visit (`book_slot`); a booked visit can always be moved or cancelled;
a replacement or refund cannot start while a visit is booked; once the customer's remedy
is complete, nothing more is booked or started. The services record the customer's
remedy and the audit event (actor: the agent's email) in their transaction.

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
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from bot.console.auth import CurrentAgent, require_agent
from bot.console.csrf import check_csrf
from bot.console.pages import set_flash
from bot.db import run_in_write_transaction
from bot.domain.remedy_states import next_states, state_label
from bot.models import BookingKind, RequestStatus, utcnow
from bot.services.bookings import (
    BookingOutcome,
    BookingView,
    available_slots,
    book_slot,
    cancel_booking,
    reschedule_booking,
)
from bot.services.completion import advance_request, record_visit_outcome
from bot.services.recall_state import RecallState, customer_in_campaign, recall_state
from bot.services.remedy_requests import RequestOutcome, request_refund, request_replacement, schedule_pickup

router = APIRouter(prefix="/console")

PANEL_SLOTS = 8
NOT_VERIFIED = "The customer's serial is not verified as affected yet: the bot asks for it first."
NO_ADDRESS = "No address and postcode on file yet: the bot asks for them before booking a visit."
NO_FREE_SLOTS = "No free slots in the customer's region at the moment."
REMEDY_COMPLETE = "The customer's remedy is complete: nothing more to book or start."
UNIT_COLLECTED = "The old unit is collected: {kind} {reference} needs no more visits, only marking done."
MAX_NOTE_CHARS = 2000
NOTE_TOO_LONG = f"The note is too long: {MAX_NOTE_CHARS:,} characters at most. Nothing was recorded."
REFUSALS = {  # the services' reasons, as the agent reads them
    "slot_full": "That slot has just filled up: choose another.",
    "no_such_slot": "That slot is not one of this recall's.",
    "wrong_region": "That slot is not in the customer's service region.",
    "too_soon": "That slot starts too soon now: choose a later one.",
    "no_such_request": "The replacement or refund request is no longer open.",
    "no_such_unit": "That unit is not the customer's.",
    "no_booking": "The customer has no booked visit any more.",
}
VISIT_NAMES = {BookingKind.REPAIR: "Repair visit", BookingKind.PICKUP: "Pickup"}


# --- the rules -------------------------------------------------------------------------


def booking_refusal(state: RecallState) -> str | None:
    """Why a first visit cannot be booked now (None: it can; moving is always allowed)."""
    if state.booking is not None:
        return None
    if state.completed_at is not None:
        return REMEDY_COMPLETE
    if state.request is not None and state.request.status == RequestStatus.PICKED_UP:
        return UNIT_COLLECTED.format(kind=state.request.kind.value.capitalize(), reference=state.request.reference)
    if not state.verified_affected:
        return NOT_VERIFIED
    if not state.address or not state.postcode:
        return NO_ADDRESS
    return None


def request_refusal(state: RecallState) -> str | None:
    """Why a replacement or refund cannot start now (None: it can)."""
    if state.completed_at is not None:
        return REMEDY_COMPLETE
    if not state.verified_affected:
        return NOT_VERIFIED
    if state.request is not None:
        return f"{state.request.kind.value.capitalize()} {state.request.reference} is already open."
    if state.booking is not None:
        return f"{VISIT_NAMES[state.booking.kind]} {state.booking.reference} is booked: cancel it first."
    return None


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
    slots (materialised like the bot's offer, in a write transaction of their own: call
    this outside any write transaction), and why an action is not possible now.
    Raises LookupError for an unknown customer."""
    customer, _campaign, tz = customer_in_campaign(session, customer_id)
    state = recall_state(session, customer_id)
    booking, request = state.booking, state.request
    problem = booking_refusal(state)
    slots = []
    if problem is None:
        slots = available_slots(
            sessionmaker(bind=session.get_bind(), expire_on_commit=False),
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
        "request_problem": request_refusal(state),
    }


# --- the actions -----------------------------------------------------------------------


def _back(request: Request, customer_id: int, message: str) -> Response:
    set_flash(request, message)
    return RedirectResponse(f"/console/customers/{customer_id}", status_code=303)


def _state(request: Request, customer_id: int) -> RecallState:
    with request.app.state.factory() as session:
        try:
            return recall_state(session, customer_id)
        except LookupError:
            raise HTTPException(status_code=404, detail="No such customer.") from None


def _booking_message(outcome: BookingOutcome, moved: bool) -> str:
    if outcome.booked and outcome.booking is not None:
        booking = outcome.booking
        done = "unchanged" if outcome.reason == "unchanged" else "moved to" if moved else "booked for"
        return f"{VISIT_NAMES[booking.kind]} {booking.reference} {done} {booking.slot.label}."
    if outcome.reason == "already_booked" and outcome.existing is not None:
        return f"{VISIT_NAMES[outcome.existing.kind]} {outcome.existing.reference} is already booked: move it instead."
    return REFUSALS.get(outcome.reason or "", "The booking was refused.")


def _slot_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


@router.post("/customers/{customer_id}/booking")
def book_or_move(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    slot_id: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Move the booked visit to `slot_id`, or book one: the pickup of an open
    replacement/refund, else a repair visit."""
    check_csrf(request, csrf_token_)
    state = _state(request, customer_id)
    slot = _slot_number(slot_id)
    if slot is None:
        return _back(request, customer_id, "Choose a slot first.")
    factory, now = request.app.state.factory, utcnow()
    if state.booking is not None:
        outcome = reschedule_booking(
            factory, customer_id=customer_id, new_slot_id=slot, booking_id=state.booking.id, now=now, actor=agent.email
        )
        return _back(request, customer_id, _booking_message(outcome, moved=True))
    refusal = booking_refusal(state)
    if refusal is not None:
        return _back(request, customer_id, refusal)
    if state.request is not None:
        outcome = schedule_pickup(
            factory,
            customer_id=customer_id,
            request_id=state.request.id,
            slot_id=slot,
            address=state.address,
            postcode=state.postcode,
            now=now,
            actor=agent.email,
        )
    else:
        outcome = book_slot(
            factory,
            customer_id=customer_id,
            slot_id=slot,
            kind=BookingKind.REPAIR,
            address=state.address,
            postcode=state.postcode,
            now=now,
            actor=agent.email,
        )
    return _back(request, customer_id, _booking_message(outcome, moved=False))


@router.post("/customers/{customer_id}/booking/cancel")
def cancel_visit(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Cancel the booked visit and free its seat (a pickup's request stays open)."""
    check_csrf(request, csrf_token_)
    state = _state(request, customer_id)
    if state.booking is None:
        return _back(request, customer_id, REFUSALS["no_booking"])
    outcome = cancel_booking(
        request.app.state.factory,
        customer_id=customer_id,
        reference=state.booking.reference,
        now=utcnow(),
        actor=agent.email,
    )
    if not outcome.cancelled or outcome.booking is None:
        return _back(request, customer_id, REFUSALS["no_booking"])
    return _back(request, customer_id, f"{VISIT_NAMES[outcome.booking.kind]} {outcome.booking.reference} cancelled.")


def _start_request(
    request: Request, customer_id: int, agent: CurrentAgent, csrf_sent: str, create: Callable[..., RequestOutcome]
) -> Response:
    check_csrf(request, csrf_sent)
    refusal = request_refusal(_state(request, customer_id))
    if refusal is not None:
        return _back(request, customer_id, refusal)
    outcome = create(request.app.state.factory, customer_id=customer_id, now=utcnow(), actor=agent.email)
    started = outcome.request
    assert started is not None
    name = started.kind.value.capitalize()
    if not outcome.created:
        return _back(request, customer_id, f"{name} {started.reference} is already open.")
    amount = f" for {started.amount_label}" if started.amount_label else ""
    return _back(request, customer_id, f"{name} {started.reference} started{amount}: book the pickup next.")


@router.post("/customers/{customer_id}/replacement")
def start_replacement(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    return _start_request(request, customer_id, agent, csrf_token_, request_replacement)


@router.post("/customers/{customer_id}/refund")
def start_refund(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    return _start_request(request, customer_id, agent, csrf_token_, request_refund)


# --- completing remedies ---------------------------------------------------------------


def _apply(
    request: Request,
    customer_id: int,
    reference: str,
    note: str,
    *,
    current: str | None,
    missing: str,
    change: Callable[[Session, str, str | None], Any],
) -> Response:
    """Check the form (the reference shown, else the current one; the note's length),
    make the change in one write transaction and come back with its message."""
    reference = reference.strip() or (current or "")
    if not reference:
        return _back(request, customer_id, missing)
    text = note.strip() or None
    if text is not None and len(text) > MAX_NOTE_CHARS:
        return _back(request, customer_id, NOTE_TOO_LONG)
    result = run_in_write_transaction(request.app.state.factory, lambda session: change(session, reference, text))
    return _back(request, customer_id, result.message)


@router.post("/customers/{customer_id}/booking/outcome")
def visit_outcome(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    reference: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """The technician's outcome of the booked visit `reference`: completed, failed or missed."""
    check_csrf(request, csrf_token_)
    state = _state(request, customer_id)
    return _apply(
        request,
        customer_id,
        reference,
        note,
        current=state.booking.reference if state.booking else None,
        missing=REFUSALS["no_booking"],
        change=lambda session, ref, text: record_visit_outcome(
            session, ref, outcome, note=text, actor=agent.email, now=utcnow(), customer_id=customer_id
        ),
    )


@router.post("/customers/{customer_id}/request/advance")
def move_request(
    request: Request,
    customer_id: int,
    agent: Annotated[CurrentAgent, Depends(require_agent)],
    reference: Annotated[str, Form()] = "",
    to: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Move the open replacement/refund `reference` to the state `to`."""
    check_csrf(request, csrf_token_)
    state = _state(request, customer_id)
    return _apply(
        request,
        customer_id,
        reference,
        note,
        current=state.request.reference if state.request else None,
        missing="The customer has no open replacement or refund.",
        change=lambda session, ref, text: advance_request(
            session, ref, to, actor=agent.email, now=utcnow(), note=text, customer_id=customer_id
        ),
    )
