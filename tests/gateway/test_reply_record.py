"""Twilio's answer to a reply reaches the outbox row even when the database goes away at
that moment (a PostgreSQL restart): the reply is not sent a second time. Found by the
PostgreSQL-restart fault test (tests/faults/test_stack_faults.py), which once counted a
reply Twilio had twice."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.db import retry_until_reachable
from bot.messaging.replies import ReplySender
from bot.models import Author, Channel, Direction, Message, MessageStatus
from bot.settings import Settings
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult
from tests import factories


def _unreachable() -> OperationalError:
    return OperationalError("BEGIN", {}, Exception("server closed the connection unexpectedly"))


class DatabaseGoesAway:
    """The app's session factory; the next `failures` write transactions fail as they do
    while PostgreSQL restarts."""

    def __init__(self, factory) -> None:
        self.factory, self.failures = factory, 0

    def __call__(self, *args, **kwargs):
        return self.factory(*args, **kwargs)

    def begin(self):
        if self.failures:
            self.failures -= 1
            raise _unreachable()
        return self.factory.begin()


@dataclass
class SenderDuringRestart:
    """Twilio accepts each part; the database goes away while Twilio answers."""

    database: DatabaseGoesAway
    failures: int
    sent: list[str] = field(default_factory=list)
    sids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def send(self, to: str, *, channel: str, body: str | None = None, **kwargs) -> SendResult:
        self.sent.append(body or "")
        self.database.failures = self.failures
        return SendResult(
            ok=True,
            sid=f"SM{next(self.sids):032x}",
            status="queued",
            error_code=None,
            error_message=None,
            outcome=SendOutcome.SENT,
            attempts=1,
        )


def test_a_database_restart_while_twilio_answers_does_not_send_the_reply_twice(session_factory):
    with session_factory.begin() as s:
        customer = factories.customer(s, factories.demo_campaign(s))
        inbound = Message(
            customer_id=customer.id,
            direction=Direction.INBOUND,
            channel=Channel.SMS,
            author=Author.CUSTOMER,
            from_address=customer.phone,
            to_address="+15005550006",
            body="when is my visit?",
            status=MessageStatus.RECEIVED,
        )
        s.add(inbound)
        s.flush()
        customer_id, inbound_id = customer.id, inbound.id
    database = DatabaseGoesAway(session_factory)
    sender = SenderDuringRestart(database, failures=3)
    replies = ReplySender(database, sender, Settings(database_url="sqlite://"))

    def reply():
        return replies.deliver(
            customer_id=customer_id, channel=Channel.SMS, texts=["Your visit is booked."], reply_to_id=inbound_id
        )

    assert (reply().sent, reply().sent) == (1, 0)  # the second: a retried turn finds it sent
    assert sender.sent == ["Your visit is booked."]
    with session_factory() as s:
        rows = s.scalars(select(Message).where(Message.direction == Direction.OUTBOUND)).all()
    assert [(r.reply_to_id, r.twilio_sid, r.status) for r in rows] == [
        (inbound_id, "SM" + "0" * 31 + "1", MessageStatus.QUEUED)
    ]


@pytest.mark.parametrize(
    ("failures", "patience", "outcome"),
    [
        (0, 1.0, "done after 1 call"),
        (2, 5.0, "done after 3 calls"),
        (50, 0.3, "gave up"),  # still down when patience runs out: the error goes up
    ],
)
def test_retry_until_reachable(failures, patience, outcome):
    calls = itertools.count(1)

    def work() -> str:
        call = next(calls)
        if call <= failures:
            raise _unreachable()
        return f"done after {call} call{'s' if call > 1 else ''}"

    started = time.monotonic()
    try:
        result = retry_until_reachable(work, patience=patience, first_pause=0.05)
    except OperationalError:
        result = "gave up"
    assert result == outcome
    assert time.monotonic() - started < patience + 0.5


def test_retry_until_reachable_leaves_other_errors_alone():
    calls = []

    def work() -> None:
        calls.append(1)
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    with pytest.raises(IntegrityError):
        retry_until_reachable(work, first_pause=0.01)
    assert len(calls) == 1
