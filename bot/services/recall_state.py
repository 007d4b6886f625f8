"""Where a customer stands in the recall, read fresh from the database for the bot."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.models import Booking, BookingKind, BookingStatus, Campaign, Customer, RequestStatus, Verification
from bot.services.bookings import BookingView, active_booking, booking_view
from bot.services.remedy_requests import RequestView, open_request, open_request_for_unit, request_view
from bot.services.slots import customer_zone
from bot.services.units import UnitState, current_unit, unit_states


@dataclass(frozen=True)
class RecallState:
    verified_affected: bool
    verified_not_affected: bool
    booking: BookingView | None  # the active (booked) visit or pickup
    request: RequestView | None  # the open replacement/refund
    address: str | None
    postcode: str | None
    completed_at: dt.datetime | None = None  # the remedy is complete (a repair done, a request done)
    # The customer's units, oldest first, each with its own state (`bot.services.units`).
    units: tuple[UnitState, ...] = ()
    # The unit the conversation is on: the first verified affected unit with nothing arranged.
    unit: UnitState | None = None
    unit_request: RequestView | None = None  # that unit's open request (not yet collected)
    bookings: tuple[BookingView, ...] = ()  # every booked visit and pickup

    @property
    def settled(self) -> bool:
        """Nothing left to arrange: no verified affected unit is waiting for its remedy, and a
        visit or pickup is booked, the old unit has been collected, or the remedy is complete."""
        if self.unit is not None:
            return False
        return self.booking is not None or self.completed_at is not None or self.unit_collected

    def booking_of(self, kind: BookingKind) -> BookingView | None:
        """The booked visit (repair) or pickup, if any."""
        return next((b for b in self.bookings if b.kind is kind), None)

    @property
    def verified_units(self) -> tuple[UnitState, ...]:
        return tuple(u for u in self.units if u.verified)

    @property
    def affected_verified(self) -> tuple[UnitState, ...]:
        return tuple(u for u in self.units if u.verified and u.affected)

    def position(self, unit: UnitState) -> int:
        """1-based place of the unit among the customer's verified affected units."""
        ids = [u.id for u in self.affected_verified]
        return ids.index(unit.id) + 1 if unit.id in ids else 1

    @property
    def unit_collected(self) -> bool:
        return self.request is not None and self.request.status is RequestStatus.PICKED_UP


def customer_in_campaign(session: Session, customer_id: int) -> tuple[Customer, Campaign, zoneinfo.ZoneInfo]:
    """The customer, their recall and their time zone; LookupError for an unknown id."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"customer {customer_id} not found")
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    return customer, campaign, customer_zone(customer, campaign)


def recall_state(session: Session, customer_id: int) -> RecallState:
    customer, campaign, tz = customer_in_campaign(session, customer_id)
    booking = active_booking(session, customer.id, campaign.id)
    request = open_request(session, customer.id, campaign.id)
    currency = parse_definition(campaign.definition).currency
    units = unit_states(session, customer.id)
    unit = current_unit(units)
    unit_request = open_request_for_unit(session, customer.id, campaign.id, unit.id) if unit else None
    booked = session.scalars(
        select(Booking)
        .where(
            Booking.customer_id == customer.id,
            Booking.campaign_id == campaign.id,
            Booking.status == BookingStatus.BOOKED,
        )
        .order_by(Booking.id)
    )
    return RecallState(
        verified_affected=customer.verification == Verification.AFFECTED,
        verified_not_affected=customer.verification == Verification.NOT_AFFECTED,
        booking=booking_view(booking, tz) if booking else None,
        request=request_view(request, currency) if request else None,
        address=customer.address,
        postcode=customer.postcode,
        completed_at=customer.completed_at,
        units=tuple(units),
        unit=unit,
        unit_request=request_view(unit_request, currency) if unit_request else None,
        bookings=tuple(booking_view(b, tz) for b in booked),
    )
