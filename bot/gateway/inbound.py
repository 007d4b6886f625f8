"""Storing an inbound webhook: one message row per Twilio MessageSid, committed before
the webhook is answered, attached to the customer's one conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.phones import InvalidPhone, normalise_phone, split_address
from bot.models import Author, Channel, Conversation, Direction, Message, MessageStatus, utcnow
from bot.services.conversations import mark_replied, open_conversation

MAX_MEDIA = 10


@dataclass(frozen=True)
class StoredInbound:
    message_id: int
    customer_id: int | None
    created: bool  # False: the same MessageSid was delivered before


def media_of(form: Mapping[str, str]) -> list[dict[str, str]]:
    try:
        count = max(0, min(int(form.get("NumMedia") or 0), MAX_MEDIA))
    except ValueError:
        count = 0
    return [
        {"url": form.get(f"MediaUrl{i}", ""), "content_type": form.get(f"MediaContentType{i}", "")}
        for i in range(count)
        if form.get(f"MediaUrl{i}")
    ]


def _store(session: Session, form: Mapping[str, str]) -> StoredInbound:
    sid = form["MessageSid"]
    channel_name, raw_phone = split_address(form.get("From", ""))
    channel = Channel(channel_name)
    customer_id = None
    try:
        phone = normalise_phone(raw_phone)
    except InvalidPhone:
        phone = None
    conversation = None
    if phone is not None:
        try:
            conversation = open_conversation(session, phone)
        except LookupError:  # no campaign is loaded: the message is kept, for no customer
            conversation = None
    if conversation is not None:
        customer_id = conversation.customer_id
        now = utcnow()
        conversation.last_channel = channel
        conversation.last_inbound_at = now
        if channel is Channel.WHATSAPP:
            conversation.whatsapp_last_inbound_at = now
        mark_replied(session, customer_id, now)
    media = media_of(form)
    message = Message(
        customer_id=customer_id, direction=Direction.INBOUND, channel=channel, author=Author.CUSTOMER,
        twilio_sid=sid, from_address=form.get("From", "")[:64], to_address=form.get("To", "")[:64],
        body=form.get("Body", "") or "", status=MessageStatus.RECEIVED, num_media=len(media), media=media,
    )
    session.add(message)
    session.flush()
    return StoredInbound(message.id, customer_id, True)


def store_inbound(factory: sessionmaker[Session], form: Mapping[str, str]) -> StoredInbound:
    """Commit the message (or find the one already stored under this MessageSid)."""
    for attempt in range(3):
        try:
            with factory.begin() as session:
                return _store(session, form)
        except IntegrityError:
            with factory() as session:
                existing = session.scalar(select(Message).where(Message.twilio_sid == form["MessageSid"]))
            if existing is not None:
                return StoredInbound(existing.id, existing.customer_id, False)
            if attempt == 2:  # not a duplicate: a race creating the customer, lost three times
                raise
    raise AssertionError("unreachable")


def sender_id_of(session: Session, customer_id: int) -> str:
    sender = session.scalar(select(Conversation.sender_id).where(Conversation.customer_id == customer_id))
    assert sender is not None
    return sender
