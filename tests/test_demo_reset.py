"""`recall demo` resets the demo recall's own data before a run, and nothing else."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bot.campaigns.definition import read_definition
from bot.campaigns.loader import load_campaign
from bot.cli.demo_reset import reset_demo_data
from bot.models import (
    AuditEvent,
    Booking,
    Campaign,
    Conversation,
    Customer,
    Escalation,
    Message,
    OptOut,
    OutreachAttempt,
    ServiceSlot,
    Unit,
    utcnow,
)
from bot.services.conversations import open_conversation
from bot.services.escalations import record_escalation
from bot.services.opt_outs import record_opt_out
from tests import factories
from tests.factories import DEMO_CAMPAIGN

SHARED_PHONE = "+919812300003"  # a demo buyer who is also a customer of the other recall


def _played(session_factory) -> dict[str, int]:
    """The demo recall after a run (a booking, an escalation, an opt-out, messages) and
    another recall with a customer on one of the demo's phone numbers."""
    now = utcnow()
    start = now + dt.timedelta(days=3)
    with session_factory.begin() as s:
        demo = factories.demo_campaign(s)
        other_definition = read_definition(DEMO_CAMPAIGN).model_copy(update={"slug": "other-recall-2026"})
        other = s.get(Campaign, load_campaign(s, other_definition).campaign_id)
        asha = factories.customer(s, demo, "+919812300001", "AR26D004512")
        ravi = factories.customer(s, demo, "+919812300002", "AR26D004513", name="Ravi Iyer")
        factories.customer(s, demo, SHARED_PHONE, "AR26D004514", name="Priya Sharma")
        kept = factories.customer(s, other, SHARED_PHONE, "AR26D004514", name="Priya Sharma")
        for customer in (asha, ravi, kept):
            open_conversation(s, customer.phone, s.get(Campaign, customer.campaign_id))
        record_escalation(s, customer_id=ravi.id, reason="human", text="a real person please")
        record_opt_out(s, ravi.phone, source="keyword", keyword="STOP")
        record_opt_out(s, SHARED_PHONE, source="keyword", keyword="STOP")
        demo_slot, other_slot = factories.slot(s, demo, start=start), factories.slot(s, other, start=start)
        ids = {"demo": demo.id, "other": other.id, "asha": asha.id, "kept": kept.id}
        ids |= {"demo_slot": demo_slot.id, "other_slot": other_slot.id}
    for customer, slot in (("asha", "demo_slot"), ("kept", "other_slot")):
        assert factories.book_repair(session_factory, ids[customer], ids[slot], now=now).booked
    with session_factory.begin() as s:
        for customer in ("asha", "kept"):
            s.add(
                Message(
                    customer_id=ids[customer],
                    direction="inbound",
                    channel="sms",
                    author="customer",
                    from_address="+919812300001",
                    to_address="+15005550006",
                    body="hi",
                    status="received",
                )
            )
    return ids


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_recall_is_emptied_and_no_other_recall_is_touched(session_factory):
    ids = _played(session_factory)
    with session_factory() as s:
        other_before = {
            model.__name__: _count(s, model, model.customer_id == ids["kept"])
            for model in (Unit, Conversation, Message, Booking, AuditEvent)
        }
    assert all(other_before.values()), other_before
    with session_factory.begin() as s:
        reset = reset_demo_data(s, ids["demo"])
    assert reset.summary() == (
        "Reset the demo recall's own data from earlier runs (removed: customers 3, conversations 2, messages 1, "
        "bookings 1, escalations 1, opt-outs 1); no other recall's data is touched. Its buyers are imported afresh:"
    )
    with session_factory() as s:
        demo_customers = select(Customer.id).where(Customer.campaign_id == ids["demo"])
        assert _count(s, Customer, Customer.campaign_id == ids["demo"]) == 0
        assert _count(s, Unit, Unit.campaign_id == ids["demo"]) == 0
        for model in (Conversation, Message, Booking, Escalation, OutreachAttempt, AuditEvent):
            assert _count(s, model, model.customer_id.in_(demo_customers)) == 0, model
        assert _count(s, Message, Message.customer_id.is_(None)) == 0  # deleted, not orphaned
        assert s.get(ServiceSlot, ids["demo_slot"]).booked == 0  # the seat is free again
        assert s.get(Campaign, ids["demo"]) is not None
        # The other recall: its customer (on a demo phone), its rows, its seat and that phone's opt-out.
        assert s.get(Customer, ids["kept"]) is not None
        other_after = {
            model.__name__: _count(s, model, model.customer_id == ids["kept"])
            for model in (Unit, Conversation, Message, Booking, AuditEvent)
        }
        assert other_after == other_before
        assert s.get(ServiceSlot, ids["other_slot"]).booked == 1
        assert set(s.scalars(select(OptOut.phone))) == {SHARED_PHONE}
    with session_factory.begin() as s:
        again = reset_demo_data(s, ids["demo"])
    assert again.summary() == "The demo recall's own data: nothing to reset (its first run in this database)."
