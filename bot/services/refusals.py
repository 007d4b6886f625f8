"""Why a service said no: one set of reasons shared by the bot (actions) and the console,
which says each in its own words. The values are the strings the outcomes always carried."""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    # booking, moving, cancelling (bookings.py, rebooking.py)
    SLOT_FULL = "slot_full"
    ALREADY_BOOKED = "already_booked"  # the outcome's `existing` is the booked visit
    NO_SUCH_SLOT = "no_such_slot"
    WRONG_REGION = "wrong_region"
    TOO_SOON = "too_soon"
    NO_SUCH_REQUEST = "no_such_request"
    NO_SUCH_UNIT = "no_such_unit"
    NO_BOOKING = "no_booking"
    UNCHANGED = "unchanged"  # a move to the same slot: not a refusal, `booked` stays True
    # replacement and refund requests (remedy_requests.py)
    ALREADY_OPEN = "already_open"
    # before a first visit or a request is started (remedy_rules.py)
    REMEDY_COMPLETE = "remedy_complete"
    UNIT_COLLECTED = "unit_collected"
    NOT_VERIFIED = "not_verified"
    NO_ADDRESS = "no_address"
    VISIT_BOOKED = "visit_booked"
    # a change of mind after booking (remedy_switch.py)
    SEVERAL_UNITS = "several_units"  # the visit fixes several units: a person changes one of them
