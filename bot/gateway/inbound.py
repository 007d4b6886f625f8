"""Inbound messages: stored first, attached to a customer afterwards.

`store_inbound` is all the webhook does before it answers: one INSERT of the message as
Twilio sent it (unique on MessageSid), committed. It touches no other row, so it never
waits for a lock held by the dialogue (the action server updates customers and
conversations) and costs the same for a new number as for a known one.

`attach_inbound` runs afterwards, one message at a time in arrival order: it resolves
`From` to the customer's one conversation (creating both for a number not on any buyer
list), records the channel the customer last wrote on and when, and links the message to
the customer. A message no customer can be found for (an invalid number, no campaign
loaded) is kept for the record and marked processed."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from psycopg.types.json import Json
from sqlalchemy import select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import retry_on_disconnect
from bot.domain.channels import split_address
from bot.domain.phones import InvalidPhone, normalise_phone
from bot.gateway.driver_sql import autocommit_rows
from bot.gateway.wakeups import ATTACHED_CHANNEL, CHANNEL
from bot.models import Author, Channel, Direction, Message, MessageStatus, utcnow
from bot.services.conversations import mark_replied, open_conversation

MAX_MEDIA = 10


@dataclass(frozen=True)
class StoredInbound:
    message_id: int
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


def _clean(value: str) -> str:
    """PostgreSQL text cannot hold NUL: a NUL character in a form field is dropped."""
    return value.replace("\x00", "") if "\x00" in value else value


def _message_values(form: Mapping[str, str]) -> dict[str, object]:
    form = {key: _clean(value) for key, value in form.items()}
    channel, _ = split_address(form.get("From", ""))
    media = media_of(form)
    return {
        "customer_id": None,
        "direction": Direction.INBOUND,
        "channel": channel,
        "author": Author.CUSTOMER,
        "twilio_sid": form["MessageSid"],
        "from_address": form.get("From", "")[:64],
        "to_address": form.get("To", "")[:64],
        "body": form.get("Body", "") or "",
        "status": MessageStatus.RECEIVED,
        "num_media": len(media),
        "media": media,
        "created_at": utcnow(),
    }


_PG_COLUMNS = (
    "customer_id",
    "direction",
    "channel",
    "author",
    "twilio_sid",
    "from_address",
    "to_address",
    "body",
    "status",
    "num_media",
    "media",
    "created_at",
)
_PG_STORE = (
    f"WITH new AS (INSERT INTO messages ({', '.join(_PG_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_PG_COLUMNS))}) "
    f"ON CONFLICT (twilio_sid) DO NOTHING RETURNING id) SELECT new.id, pg_notify('{CHANNEL}', '') FROM new"
)


def _store_postgres(factory: sessionmaker[Session], values: dict[str, object]) -> int | None:
    """One round trip: the INSERT (nothing on a duplicate MessageSid) and the worker's
    wake-up in one statement, committed by itself, as a prepared statement on the
    driver (`driver_sql`). `test_the_driver_statement_stores_every_column` keeps the
    column list in step with `_message_values`."""
    params = [v.value if isinstance(v, enum.Enum) else v for v in (values[c] for c in _PG_COLUMNS)]
    params[_PG_COLUMNS.index("media")] = Json(values["media"])
    rows = autocommit_rows(factory.kw["bind"], _PG_STORE, params)
    return int(rows[0][0]) if rows else None


def _store_sqlite(factory: sessionmaker[Session], values: dict[str, object]) -> int | None:
    with factory.begin() as session:
        insert = sqlite_insert(Message).values(**values).on_conflict_do_nothing(index_elements=["twilio_sid"])
        return session.scalar(insert.returning(Message.id))


def _store(factory: sessionmaker[Session], form: Mapping[str, str]) -> StoredInbound:
    # Core statements, not the ORM's unit of work: this is the acknowledgement's
    # critical path. A duplicate MessageSid is answered by the unique index.
    values = _message_values(form)
    postgres = factory.kw["bind"].dialect.name == "postgresql"
    message_id = (_store_postgres if postgres else _store_sqlite)(factory, values)
    if message_id is not None:
        return StoredInbound(message_id, True)
    with factory() as session:
        existing = session.scalar(select(Message.id).where(Message.twilio_sid == form["MessageSid"]))
    assert existing is not None
    return StoredInbound(existing, False)


def store_inbound(factory: sessionmaker[Session], form: Mapping[str, str]) -> StoredInbound:
    """Commit the message (or find the one already stored under this MessageSid)."""
    return retry_on_disconnect(lambda: _store(factory, form))


def unattached(factory: sessionmaker[Session], limit: int = 100) -> list[int]:
    """Stored inbound messages not yet linked to a customer, oldest first."""
    with factory() as session:
        return list(
            session.scalars(
                select(Message.id)
                .where(
                    Message.direction == Direction.INBOUND,
                    Message.processed_at.is_(None),
                    Message.customer_id.is_(None),
                )
                .order_by(Message.id)
                .limit(limit)
            )
        )


def _attach(session: Session, message_id: int) -> int | None:
    message = session.get(Message, message_id)
    assert message is not None
    if message.customer_id is not None or message.processed_at is not None:
        return message.customer_id
    _, raw_phone = split_address(message.from_address)
    conversation = None
    try:
        conversation = open_conversation(session, normalise_phone(raw_phone))
    except InvalidPhone:
        pass
    except LookupError:  # no campaign is loaded: the message is kept, for no customer
        pass
    if conversation is None:
        message.processed_at = utcnow()  # stored for the record; nobody to answer
        return None
    received = message.created_at
    message.customer_id = conversation.customer_id
    if conversation.last_inbound_at is None or conversation.last_inbound_at <= received:
        conversation.last_channel = message.channel
        conversation.last_inbound_at = received
    if message.channel is Channel.WHATSAPP:
        conversation.whatsapp_last_inbound_at = max(received, conversation.whatsapp_last_inbound_at or received)
    mark_replied(session, conversation.customer_id, received)
    if session.get_bind().dialect.name == "postgresql":  # every worker hears it at commit (several workers)
        session.execute(
            text("SELECT pg_notify(:channel, :customer)"),
            {"channel": ATTACHED_CHANNEL, "customer": str(conversation.customer_id)},
        )
    return conversation.customer_id


def attach_inbound(factory: sessionmaker[Session], message_id: int) -> int | None:
    """Link the message to its customer's conversation (created when needed); the
    customer's id, or None when the message has nobody to answer."""
    for attempt in range(3):
        try:
            with factory.begin() as session:
                return _attach(session, message_id)
        except IntegrityError:  # another process created the same customer at once
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
