"""Who is talking: one conversation per customer, whatever the channel.

The conversation id Rasa sees (`sender_id`) is the customer's, never the phone address,
so SMS and WhatsApp of one customer are one conversation.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.campaigns.definition import CampaignDefinition, parse_definition
from bot.domain.phones import phone_region
from bot.models import AuditEvent, Campaign, Conversation, Customer, Unit, utcnow


@dataclass(frozen=True)
class CustomerContext:
    """What a conversation needs to know about its customer, detached from the session."""

    customer_id: int
    campaign_id: int
    sender_id: str
    name: str
    phone: str
    address: str | None
    postcode: str | None
    timezone: zoneinfo.ZoneInfo
    notified: bool
    known_serials: tuple[str, ...]
    purchase_price: Decimal | None
    definition: CampaignDefinition  # the campaign's texts in `language`
    # The language the customer is written to in: theirs when the campaign ships it, else
    # the campaign's default (bot/services/languages.py).
    language: str = "en"

    @property
    def first_name(self) -> str:
        return first_name_of(self.name)


def first_name_of(name: str | None) -> str:
    """The first word of a customer's name ("" when there is none)."""
    words = (name or "").split()
    return words[0] if words else ""


def default_campaign(session: Session) -> Campaign | None:
    """The campaign an unknown number is served by: the most recently created one."""
    return session.scalar(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(1))


def _new_sender_id() -> str:
    return "c-" + secrets.token_hex(8)


def open_conversation(session: Session, phone: str, campaign: Campaign | None = None) -> Conversation:
    """The conversation of the customer with this E.164 phone, created if needed.

    A number not on any buyer list becomes a customer of the default campaign (they may
    have heard of the recall elsewhere)."""
    stmt = select(Customer).where(Customer.phone == phone).order_by(Customer.id.desc())
    if campaign is not None:
        stmt = stmt.where(Customer.campaign_id == campaign.id)
    customer = session.scalars(stmt.limit(1)).first()
    if customer is None:
        campaign = campaign or default_campaign(session)
        if campaign is None:
            raise LookupError("no campaign is loaded: run `recall campaign load FILE.yml` first")
        customer = Customer(campaign_id=campaign.id, phone=phone, name="", source="inbound", timezone=None)
        session.add(customer)
        session.flush()
        session.add(
            AuditEvent(
                actor="system",
                action="customer.inbound",
                customer_id=customer.id,
                detail={"region": phone_region(phone)},
            )
        )
    conversation = session.scalar(select(Conversation).where(Conversation.customer_id == customer.id))
    if conversation is None:
        conversation = Conversation(customer_id=customer.id, sender_id=_new_sender_id())
        session.add(conversation)
        session.flush()
    return conversation


def conversation_of(session: Session, customer_id: int) -> Conversation:
    """The customer's conversation, created when they have none yet (a remedy an agent
    arranged for someone who never wrote to us)."""
    conversation = session.scalar(select(Conversation).where(Conversation.customer_id == customer_id))
    if conversation is None:
        conversation = Conversation(customer_id=customer_id, sender_id=_new_sender_id())
        session.add(conversation)
        session.flush()
    return conversation


def open_conversation_safely(session: Session, phone: str) -> str:
    """`open_conversation` tolerant of a concurrent creator (each try in a savepoint of the
    caller's transaction, rolled back on an IntegrityError: the next try finds the row the
    other one created); returns the sender id."""
    for _ in range(3):
        try:
            with session.begin_nested():
                return open_conversation(session, phone).sender_id
        except IntegrityError:
            continue
    raise RuntimeError(f"could not open a conversation for {phone}")


def load_context(session: Session, sender_id: str) -> CustomerContext | None:
    row = session.execute(
        select(Conversation, Customer, Campaign)
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(Campaign, Campaign.id == Customer.campaign_id)
        .where(Conversation.sender_id == sender_id)
    ).first()
    if row is None:
        return None
    conversation, customer, campaign = row
    units = list(session.scalars(select(Unit).where(Unit.customer_id == customer.id).order_by(Unit.id)))
    price = next((u.price for u in units if u.affected and u.price is not None), None)
    definition = parse_definition(campaign.definition, campaign.slug)
    language = definition.language_for(customer.language)
    return CustomerContext(
        customer_id=customer.id,
        campaign_id=campaign.id,
        sender_id=conversation.sender_id,
        name=customer.name,
        phone=customer.phone,
        address=customer.address,
        postcode=customer.postcode,
        timezone=zoneinfo.ZoneInfo(customer.timezone or campaign.timezone),
        notified=customer.notified_at is not None,
        known_serials=tuple(u.serial for u in units),
        purchase_price=price,
        definition=definition.localized(language),
        language=language,
    )


def mark_replied(session: Session, customer_id: int, when: dt.datetime | None = None) -> None:
    customer = session.get(Customer, customer_id)
    if customer is not None and customer.replied_at is None:
        customer.replied_at = when or utcnow()


def mark_wrong_person(session: Session, customer_id: int, text: str) -> None:
    """No further outreach to this number for this campaign."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return
    if customer.wrong_person_at is None:
        customer.wrong_person_at = utcnow()
    session.add(
        AuditEvent(
            actor="customer", action="customer.wrong_person", customer_id=customer_id, detail={"text": text[:500]}
        )
    )


def update_address(session: Session, customer_id: int, address: str, postcode: str | None) -> None:
    customer = session.get(Customer, customer_id)
    if customer is None:
        return
    customer.address = address
    if postcode:
        customer.postcode = postcode
