"""Small builders for test data (plain functions, explicit sessions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import load_campaign
from bot.models import Campaign, Customer, ServiceSlot, Unit

DEMO_CAMPAIGN = Path(__file__).resolve().parent.parent / "demo" / "campaign.yml"


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


PUNE = "411045"  # region "4110" of the demo recall: 2 technicians


def asha_and_ravi(session: Session, campaign: Campaign) -> tuple[Customer, Customer]:
    """The two customers in Pune that the booking, completion and feedback tests start from."""
    return (
        customer(session, campaign, "+919812300001", "AR26D004512", postcode=PUNE, address="12 MG Road"),
        customer(session, campaign, "+919812300002", "AR26D004513", postcode=PUNE, address="3 FC Road"),
    )


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
