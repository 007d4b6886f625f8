"""Small builders for test data (plain functions, explicit sessions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.campaigns.definition import CampaignDefinitionError, parse_definition, read_definition
from bot.campaigns.loader import load_campaign
from bot.db import run_in_write_transaction
from bot.models import BookingKind, Campaign, Customer, ServiceSlot, Unit
from bot.services.bookings import BookingOutcome, book_slot
from bot.services.remedy_requests import RequestOutcome, RequestView, request_replacement, schedule_pickup
from bot.services.slots import free_slots

DEMO_CAMPAIGN = Path(__file__).resolve().parent.parent / "demo" / "campaign.yml"


def definition_problems(data: Any) -> dict[str, str]:
    """{key: message} of a campaign definition that must not load."""
    try:
        parse_definition(data, "test.yml")
    except CampaignDefinitionError as exc:
        return dict(exc.problems)
    raise AssertionError("the definition loaded")


def demo_campaign(session: Session) -> Campaign:
    result = load_campaign(session, read_definition(DEMO_CAMPAIGN))
    campaign = session.get(Campaign, result.campaign_id)
    assert campaign is not None
    return campaign


def customer(
    session: Session, campaign: Campaign, phone: str = "+919812300001", serial: str | None = "AR26D004512", **fields
) -> Customer:
    row = Customer(campaign_id=campaign.id, phone=phone, name=fields.pop("name", "Asha Rao"), **fields)
    session.add(row)
    session.flush()
    if serial:
        session.add(Unit(campaign_id=campaign.id, serial=serial, affected=True, customer_id=row.id, model="FF260"))
        session.flush()
    return row


def unit(session: Session, owner: Customer, serial: str, *, affected: bool = True, **fields) -> Unit:
    """One more unit of `owner` (model FF260 unless `fields` say otherwise), with its own
    state in `fields` (verified_at, remedy, completed_at, disposition, disposition_at)."""
    fields.setdefault("model", "FF260")
    row = Unit(campaign_id=owner.campaign_id, serial=serial, affected=affected, customer_id=owner.id, **fields)
    session.add(row)
    session.flush()
    return row


def customer_with_units(
    session: Session, campaign: Campaign, phone: str, units: list[str | dict[str, Any]], **fields
) -> Customer:
    """A customer owning several units: each a serial, or a dict of `unit`'s arguments
    (`serial` and the unit's own state)."""
    row = customer(session, campaign, phone, None, **fields)
    for spec in units:
        spec = {"serial": spec} if isinstance(spec, str) else dict(spec)
        unit(session, row, spec.pop("serial"), **spec)
    return row


def units_follow(session: Session, owner: Customer) -> Customer:
    """Give each of `owner`'s units the customer's own progress (verified, remedy,
    completed), as migration 0006 did for a customer with one unit."""
    for row in session.scalars(select(Unit).where(Unit.customer_id == owner.id)):
        row.verified_at, row.remedy, row.completed_at = owner.verified_at, owner.remedy, owner.completed_at
    session.flush()
    return owner


PUNE = "411045"  # region "4110" of the demo recall: 2 technicians


def asha_and_ravi(session: Session, campaign: Campaign) -> tuple[Customer, Customer]:
    """The two customers in Pune that the booking, completion and feedback tests start from."""
    return (
        customer(session, campaign, "+919812300001", "AR26D004512", postcode=PUNE, address="12 MG Road"),
        customer(session, campaign, "+919812300002", "AR26D004513", postcode=PUNE, address="3 FC Road"),
    )


def pune_world(session: Session, *, now: dt.datetime, slots: int) -> dict[str, Any]:
    """The demo campaign, Asha and Ravi in Pune (`asha_and_ravi`) and the ids of the first
    `slots` free slots there after `now`: what the booking and completion tests start from."""
    campaign = demo_campaign(session)
    asha, ravi = asha_and_ravi(session, campaign)
    free = [row.id for row in free_slots(session, campaign, PUNE, now=now, limit=slots)]
    return {"campaign": campaign.id, "asha": asha.id, "ravi": ravi.id, "slots": free}


def slot(session: Session, campaign: Campaign, capacity: int = 2, start: dt.datetime | None = None) -> ServiceSlot:
    start = start or dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC)
    row = ServiceSlot(
        campaign_id=campaign.id,
        postcode_prefix="4110",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        capacity=capacity,
    )
    session.add(row)
    session.flush()
    return row


# --- bookings and requests, each in a write transaction of its own (as a request would) ----


def book_repair(
    factory: sessionmaker[Session],
    customer_id: int,
    slot_id: int,
    *,
    now: dt.datetime,
    address: str | None = "12 MG Road",
    postcode: str | None = PUNE,
    kind: BookingKind = BookingKind.REPAIR,
    **options: Any,
) -> BookingOutcome:
    """`book_slot` (a repair visit unless `kind` says otherwise); `options` are its own (rng, actor)."""
    return run_in_write_transaction(
        factory,
        lambda session: book_slot(
            session,
            customer_id=customer_id,
            slot_id=slot_id,
            kind=kind,
            address=address,
            postcode=postcode,
            now=now,
            **options,
        ),
    )


def new_request(
    factory: sessionmaker[Session],
    customer_id: int,
    *,
    now: dt.datetime,
    create: Callable[..., RequestOutcome] = request_replacement,
    **options: Any,
) -> RequestOutcome:
    """A replacement request (or `create=request_refund`); `options` are its own (unit_id, note)."""
    return run_in_write_transaction(
        factory, lambda session: create(session, customer_id=customer_id, now=now, **options)
    )


def book_pickup(
    factory: sessionmaker[Session],
    customer_id: int,
    request_id: int,
    slot_id: int,
    *,
    now: dt.datetime,
    address: str | None = "12 MG Road",
    postcode: str | None = PUNE,
) -> BookingOutcome:
    """`schedule_pickup` of the old unit for request `request_id`."""
    return run_in_write_transaction(
        factory,
        lambda session: schedule_pickup(
            session,
            customer_id=customer_id,
            request_id=request_id,
            slot_id=slot_id,
            address=address,
            postcode=postcode,
            now=now,
        ),
    )


def request_with_pickup(
    factory: sessionmaker[Session],
    customer_id: int,
    slot_id: int,
    *,
    now: dt.datetime,
    create: Callable[..., RequestOutcome] = request_replacement,
    address: str | None = "12 MG Road",
    postcode: str | None = PUNE,
) -> tuple[RequestView, BookingOutcome]:
    """A new request (`new_request`) and then its pickup in `slot_id` (`book_pickup`)."""
    request = new_request(factory, customer_id, now=now, create=create).request
    outcome = book_pickup(factory, customer_id, request.id, slot_id, now=now, address=address, postcode=postcode)
    return request, outcome
