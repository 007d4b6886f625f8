"""What may be arranged for a customer now, by the bot's rules (the order in which
actions/recall_form.py asks): a first visit or a replacement/refund needs a serial verified
as affected; a first visit also needs the address and postcode; a replacement or refund
cannot start while a visit is booked; once the remedy is complete nothing more is
arranged. A booked visit can always be moved or cancelled. The console offers its buttons
by these rules and says each `Refusal` in its own words."""

from __future__ import annotations

from bot.services.recall_state import RecallState
from bot.services.refusals import Refusal


def first_visit_refusal(state: RecallState) -> Refusal | None:
    """Why a first visit cannot be booked now (None: it can, or one is booked: it can be moved)."""
    if state.booking is not None:
        return None
    if state.completed_at is not None:
        return Refusal.REMEDY_COMPLETE
    if state.unit_collected:
        return Refusal.UNIT_COLLECTED
    if not state.verified_affected:
        return Refusal.NOT_VERIFIED
    if not state.address or not state.postcode:
        return Refusal.NO_ADDRESS
    return None


def request_refusal(state: RecallState) -> Refusal | None:
    """Why a replacement or refund cannot start now (None: it can)."""
    if state.completed_at is not None:
        return Refusal.REMEDY_COMPLETE
    if not state.verified_affected:
        return Refusal.NOT_VERIFIED
    if state.request is not None:
        return Refusal.ALREADY_OPEN
    if state.booking is not None:
        return Refusal.VISIT_BOOKED
    return None
