"""Goodwill claims (bot/services/goodwill.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from bot.db import run_in_write_transaction
from bot.models import (
    AuditEvent,
    Author,
    Channel,
    ClaimStatus,
    Conversation,
    Direction,
    Escalation,
    GoodwillClaim,
    GoodwillKind,
    Message,
    MessageStatus,
)
from bot.services.escalations import record_escalation
from bot.services.goodwill import attach_receipt, claims_of, decide_claim, record_claim
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)


def _asha(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer(s, campaign)
        s.add(Conversation(customer_id=asha.id, sender_id="c-asha"))
        return asha.id


def _claim(session_factory, customer_id, kind=GoodwillKind.SPOILED_FOOD, text="my food spoiled", amount=None):
    return run_in_write_transaction(
        session_factory,
        lambda s: record_claim(
            s, customer_id=customer_id, kind=kind, text=text, amount=amount, now=NOW, receipt_required=True
        ),
    )


def test_a_claim_reaches_the_queue_without_pausing_the_bot(session_factory):
    asha = _asha(session_factory)
    outcome = _claim(session_factory, asha, amount=Decimal("1500"))
    assert outcome.created and outcome.claim.reference.startswith("GW-")
    assert outcome.claim.amount_label == "₹1,500" and outcome.claim.receipt_awaited
    with session_factory() as s:
        escalation = s.scalar(select(Escalation))
        assert escalation.reason == "goodwill_claim" and escalation.status.value == "open"
        assert outcome.claim.reference in escalation.trigger_text
        assert s.scalar(select(Conversation.bot_paused)) is False
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "goodwill.claimed")).detail["kind"] == (
            "spoiled_food"
        )


def test_the_same_claim_is_not_recorded_twice(session_factory):
    asha = _asha(session_factory)
    first = _claim(session_factory, asha)
    again = _claim(session_factory, asha, text="it was about rs 800", amount=Decimal("800"))
    assert not again.created and again.claim.reference == first.claim.reference
    assert again.claim.amount == Decimal("800") and "rs 800" in again.claim.text
    other = _claim(session_factory, asha, kind=GoodwillKind.DISCOUNT, text="a discount on a new one?")
    assert other.created
    with session_factory() as s:
        assert len(claims_of(s, asha)) == 2
        assert s.scalar(select(Escalation.reason)) == "goodwill_claim"  # one escalation in progress


def test_a_person_needed_later_takes_over_the_claims_escalation(session_factory):
    asha = _asha(session_factory)
    _claim(session_factory, asha)
    run_in_write_transaction(
        session_factory, lambda s: record_escalation(s, customer_id=asha, reason="request_human", text="a person pls")
    )
    with session_factory() as s:
        escalation = s.scalar(select(Escalation))
        assert escalation.reason == "request_human" and s.scalar(select(Conversation.bot_paused)) is True


def test_a_photo_is_attached_as_the_receipt(session_factory):
    asha = _asha(session_factory)
    claim = _claim(session_factory, asha).claim
    with session_factory.begin() as s:
        message = Message(
            customer_id=asha,
            direction=Direction.INBOUND,
            channel=Channel.WHATSAPP,
            author=Author.CUSTOMER,
            from_address="whatsapp:+919812300001",
            to_address="whatsapp:+14155238886",
            body="",
            status=MessageStatus.RECEIVED,
            num_media=1,
            media=[{"url": "https://api.twilio.com/x.jpg", "content_type": "image/jpeg"}],
        )
        s.add(message)
        s.flush()
        message_id = message.id
    attached = run_in_write_transaction(
        session_factory, lambda s: attach_receipt(s, customer_id=asha, message_id=message_id, now=NOW)
    )
    assert attached.reference == claim.reference and attached.receipt_message_id == message_id
    assert not attached.receipt_awaited
    again = run_in_write_transaction(  # the same message handled again (a worker restarted)
        session_factory, lambda s: attach_receipt(s, customer_id=asha, message_id=message_id, now=NOW)
    )
    assert again.reference == claim.reference
    with session_factory.begin() as s:
        second = s.get(Message, message_id)
        other = Message(
            **{c: getattr(second, c) for c in ("customer_id", "direction", "channel", "author")},
            from_address=second.from_address,
            to_address=second.to_address,
            body="",
            status=MessageStatus.RECEIVED,
            num_media=1,
            media=second.media,
        )
        s.add(other)
        s.flush()
        other_id = other.id
    nothing = run_in_write_transaction(  # no claim waits for a receipt any more
        session_factory, lambda s: attach_receipt(s, customer_id=asha, message_id=other_id, now=NOW)
    )
    assert nothing is None


def test_an_agent_decides_once(session_factory):
    asha = _asha(session_factory)
    claim = _claim(session_factory, asha).claim
    decided = run_in_write_transaction(
        session_factory,
        lambda s: decide_claim(s, claim.id, approve=True, actor="agent@example.com", now=NOW, note="paid ₹1,500"),
    )
    assert decided.status is ClaimStatus.APPROVED and decided.decided_by == "agent@example.com"
    again = run_in_write_transaction(
        session_factory, lambda s: decide_claim(s, claim.id, approve=False, actor="agent@example.com", now=NOW)
    )
    assert again is None
    with session_factory() as s:
        assert s.get(GoodwillClaim, claim.id).status is ClaimStatus.APPROVED
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "goodwill.approved"))
        assert event.actor == "agent@example.com" and event.detail["note"] == "paid ₹1,500"
