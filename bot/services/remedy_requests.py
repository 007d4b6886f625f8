"""Replacement and refund requests, and the pickup of the old unit that goes with them.

A request is created first (`RL-…`/`RF-…`, status `requested`); the pickup is booked
with `schedule_pickup`, which moves the request to `scheduled`. A request is for one unit
(`unit_id`; it sets `units.remedy`): a customer with several units may have one open
request per unit (a partial unique index; a request created at the same moment is read
back in the same transaction, after a savepoint rollback). A pickup may collect the old
units of several requests (`bookings.add_unit_to_visit` with `kind=pickup`).

The functions take the caller's `Session` and never commit: whoever calls them owns the
transaction, so a request and its pickup booked together commit together.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.domain.references import REFUND_REQUEST, REPLACEMENT_REQUEST, ChoiceSource
from bot.domain.refunds import format_money, refund_amount
from bot.models import (
    AuditEvent,
    BookingKind,
    Campaign,
    Customer,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Unit,
)
from bot.services.bookings import (
    OPEN_REQUEST_STATUSES,
    BookingOutcome,
    book_slot,
    insert_with_reference,
)
from bot.services.refusals import Refusal
from bot.services.units import refresh_customer_remedy, unit_to_arrange


@dataclass(frozen=True)
class RequestView:
    id: int
    reference: str
    kind: RequestKind
    status: RequestStatus
    customer_id: int
    unit_id: int | None
    amount: Decimal | None
    amount_label: str | None  # e.g. '₹32,990'; None when the amount is unknown


@dataclass(frozen=True)
class RequestOutcome:
    """`created`, or not with reason `already_open` and the customer's open request."""

    created: bool
    request: RequestView | None
    reason: Refusal | None = None


def request_view(request: RemedyRequest, currency: str) -> RequestView:
    return RequestView(
        id=request.id,
        reference=request.reference,
        kind=request.kind,
        status=request.status,
        customer_id=request.customer_id,
        unit_id=request.unit_id,
        amount=request.amount,
        amount_label=format_money(request.amount, currency) if request.amount is not None else None,
    )


def open_request(session: Session, customer_id: int, campaign_id: int) -> RemedyRequest | None:
    """The customer's open request (the oldest, when several of their units have one)."""
    return session.scalar(
        select(RemedyRequest)
        .where(
            RemedyRequest.customer_id == customer_id,
            RemedyRequest.campaign_id == campaign_id,
            RemedyRequest.status.in_(OPEN_REQUEST_STATUSES),
        )
        .order_by(RemedyRequest.id)
        .limit(1)
    )


def open_request_for_unit(session: Session, customer_id: int, campaign_id: int, unit_id: int) -> RemedyRequest | None:
    """The open request for that unit of the customer."""
    return session.scalar(
        select(RemedyRequest).where(
            RemedyRequest.customer_id == customer_id,
            RemedyRequest.campaign_id == campaign_id,
            RemedyRequest.unit_id == unit_id,
            RemedyRequest.status.in_(OPEN_REQUEST_STATUSES),
        )
    )


def _open_for(session: Session, customer_id: int, campaign_id: int, unit_id: int | None) -> RemedyRequest | None:
    if unit_id is None:
        return open_request(session, customer_id, campaign_id)
    return open_request_for_unit(session, customer_id, campaign_id, unit_id)


def _currency(campaign: Campaign) -> str:
    return parse_definition(campaign.definition).currency


def _unit(session: Session, customer: Customer, unit_id: int | None) -> Unit | None:
    """The unit asked for (it must be the customer's), else the unit to arrange
    (`units.unit_to_arrange`), else their affected unit first, then the oldest."""
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.customer_id != customer.id:
            raise LookupError(f"unit {unit_id} does not belong to customer {customer.id}")
        return unit
    return unit_to_arrange(session, customer.id) or session.scalar(
        select(Unit).where(Unit.customer_id == customer.id).order_by(Unit.affected.desc(), Unit.id).limit(1)
    )


def _load(session: Session, customer_id: int) -> tuple[Customer, Campaign]:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"customer {customer_id} not found")
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    return customer, campaign


def _create(
    session: Session,
    *,
    kind: RequestKind,
    customer_id: int,
    unit_id: int | None,
    now: dt.datetime,
    note: str | None,
    actor: str,
    rng: ChoiceSource,
) -> RequestOutcome:
    customer, campaign = _load(session, customer_id)
    currency = _currency(campaign)
    unit = _unit(session, customer, unit_id)
    existing = _open_for(session, customer.id, campaign.id, unit.id if unit else None)
    if existing is not None:
        return RequestOutcome(created=False, request=request_view(existing, currency), reason=Refusal.ALREADY_OPEN)
    amount = refund_amount(unit.price if unit else None) if kind == RequestKind.REFUND else None

    def make(reference: str) -> RemedyRequest:
        return RemedyRequest(
            reference=reference,
            campaign_id=campaign.id,
            customer_id=customer.id,
            unit_id=unit.id if unit else None,
            kind=kind,
            status=RequestStatus.REQUESTED,
            amount=amount,
            note=note,
            created_at=now,
            updated_at=now,
        )

    prefix = REFUND_REQUEST if kind == RequestKind.REFUND else REPLACEMENT_REQUEST
    request = insert_with_reference(session, make, prefix, rng)
    assert isinstance(request, RemedyRequest)
    remedy = Remedy.REFUND if kind == RequestKind.REFUND else Remedy.REPLACEMENT
    if unit is not None:
        unit.remedy = remedy
    refresh_customer_remedy(session, customer, remedy)
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action=f"request.{kind.value}",
            customer_id=customer.id,
            detail={
                "reference": request.reference,
                "unit_id": request.unit_id,
                "amount": str(amount) if amount is not None else None,
            },
        )
    )
    session.flush()
    return RequestOutcome(created=True, request=request_view(request, currency))


def _existing_after_race(
    session: Session, customer_id: int, unit_id: int | None, exc: IntegrityError
) -> RequestOutcome:
    """The partial unique index refused a second open request for the unit made at the same
    moment (the attempt's savepoint is rolled back): the request that won, read in the same
    transaction."""
    customer, campaign = _load(session, customer_id)
    if unit_id is None:  # the unit the attempt chose
        unit = _unit(session, customer, None)
        unit_id = unit.id if unit else None
    existing = _open_for(session, customer.id, campaign.id, unit_id)
    if existing is None:
        raise exc
    view = request_view(existing, _currency(campaign))
    return RequestOutcome(created=False, request=view, reason=Refusal.ALREADY_OPEN)


def _request(
    session: Session,
    kind: RequestKind,
    *,
    customer_id: int,
    unit_id: int | None,
    now: dt.datetime,
    note: str | None,
    actor: str,
    rng: ChoiceSource,
) -> RequestOutcome:
    try:
        with session.begin_nested():
            return _create(
                session, kind=kind, customer_id=customer_id, unit_id=unit_id, now=now, note=note, actor=actor, rng=rng
            )
    except IntegrityError as exc:
        return _existing_after_race(session, customer_id, unit_id, exc)


def request_replacement(
    session: Session,
    *,
    customer_id: int,
    now: dt.datetime,
    unit_id: int | None = None,
    note: str | None = None,
    actor: str = "bot",
    rng: ChoiceSource = secrets,  # type: ignore[assignment]
) -> RequestOutcome:
    """Open a replacement request (RL-…) and set the customer's remedy to replacement."""
    return _request(
        session,
        RequestKind.REPLACEMENT,
        customer_id=customer_id,
        unit_id=unit_id,
        now=now,
        note=note,
        actor=actor,
        rng=rng,
    )


def request_refund(
    session: Session,
    *,
    customer_id: int,
    now: dt.datetime,
    unit_id: int | None = None,
    note: str | None = None,
    actor: str = "bot",
    rng: ChoiceSource = secrets,  # type: ignore[assignment]
) -> RequestOutcome:
    """Open a refund request (RF-…) for the unit's purchase price (None when unknown)."""
    return _request(
        session,
        RequestKind.REFUND,
        customer_id=customer_id,
        unit_id=unit_id,
        now=now,
        note=note,
        actor=actor,
        rng=rng,
    )


def schedule_pickup(
    session: Session,
    *,
    customer_id: int,
    request_id: int,
    slot_id: int,
    address: str | None,
    postcode: str | None,
    now: dt.datetime,
    actor: str = "bot",
) -> BookingOutcome:
    """Book the pickup of the old unit for an open request; the request becomes `scheduled`
    in the same transaction. Refusals are `book_slot`'s (slot_full with alternatives, ...)."""
    request = session.get(RemedyRequest, request_id)
    unit_id = request.unit_id if request is not None and request.customer_id == customer_id else None
    return book_slot(
        session,
        customer_id=customer_id,
        slot_id=slot_id,
        kind=BookingKind.PICKUP,
        address=address,
        postcode=postcode,
        unit_ids=[unit_id] if unit_id is not None else [],
        request_id=request_id,
        now=now,
        actor=actor,
    )
