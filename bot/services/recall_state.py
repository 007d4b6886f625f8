"""Where a customer stands in the recall, read fresh from the database for the bot."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.models import Campaign, Customer, RequestStatus, Verification
from bot.services.bookings import BookingView, active_booking, booking_view
from bot.services.remedy_requests import RequestView, open_request, request_view
from bot.services.slots import customer_zone


@dataclass(frozen=True)
class RecallState:
    verified_affected: bool
    verified_not_affected: bool
    booking: BookingView | None  # the active (booked) visit or pickup
    request: RequestView | None  # the open replacement/refund
    address: str | None
    postcode: str | None
    completed_at: dt.datetime | None = None  # the remedy is complete (a repair done, a request done)

    @property
    def settled(self) -> bool:
        """Nothing left to arrange: a visit or pickup is booked, the old unit has been
        collected, or the remedy is complete."""
        return self.booking is not None or self.completed_at is not None or self.unit_collected

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
    return RecallState(
        verified_affected=customer.verification == Verification.AFFECTED,
        verified_not_affected=customer.verification == Verification.NOT_AFFECTED,
        booking=booking_view(booking, tz) if booking else None,
        request=request_view(request, parse_definition(campaign.definition).currency) if request else None,
        address=customer.address,
        postcode=customer.postcode,
        completed_at=customer.completed_at,
    )
