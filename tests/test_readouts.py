"""`recall status` and `recall customer`: the fixed JSON keys and what fills them."""

import datetime as dt

from bot.models import (
    Author,
    Booking,
    BookingKind,
    BookingStatus,
    Channel,
    Direction,
    Escalation,
    EscalationStatus,
    Message,
    MessageStatus,
    OptOut,
    Priority,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Verification,
)
from bot.services.customer_view import CUSTOMER_KEYS, customer_view, find_customers
from bot.services.status import STATUS_KEYS, campaign_status, format_funnel
from tests import factories

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def test_empty_campaign_status(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        status = campaign_status(s, campaign)
    assert tuple(status) == STATUS_KEYS
    assert status["campaign"] == "arctica-ff260-valve-2026"
    assert all(status[k] == 0 for k in STATUS_KEYS if k != "campaign")
    assert "Correction rate" in format_funnel(status)


def test_status_counts_each_stage(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer(
            s,
            campaign,
            "+919812300001",
            "AR26D004512",
            notified_at=NOW,
            delivered_at=NOW,
            replied_at=NOW,
            verified_at=NOW,
            verification=Verification.AFFECTED,
            remedy=Remedy.REPAIR,
            completed_at=NOW,
        )
        ravi = factories.customer(
            s,
            campaign,
            "+919812300003",
            "AR26D004513",
            notified_at=NOW,
            replied_at=NOW,
            verified_at=NOW,
            verification=Verification.AFFECTED,
            remedy=Remedy.REFUND,
        )
        factories.customer(
            s,
            campaign,
            "+919812300002",
            "AR26B000123",
            notified_at=NOW,
            verified_at=NOW,
            verification=Verification.NOT_AFFECTED,
        )
        factories.customer(s, campaign, "+919812300004", "AR26D004514", sms_unreachable=True)
        factories.customer(s, campaign, "+919812300005", "AR26D004515", sms_unreachable=True, whatsapp_opt_in=True)
        slot = factories.slot(s, campaign)
        s.add(
            Booking(
                reference="RP-7K3F2Q",
                campaign_id=campaign.id,
                customer_id=asha.id,
                slot_id=slot.id,
                kind=BookingKind.REPAIR,
                status=BookingStatus.COMPLETED,
            )
        )
        s.add(
            RemedyRequest(
                reference="RF-8M2P4X",
                campaign_id=campaign.id,
                customer_id=ravi.id,
                kind=RequestKind.REFUND,
                status=RequestStatus.REQUESTED,
            )
        )
        s.add(Escalation(customer_id=ravi.id, reason="complain", priority=Priority.HIGH, status=EscalationStatus.OPEN))
        s.add(OptOut(phone="+919812300004", source="keyword", keyword="STOP"))
        s.add(OptOut(phone="+919812300005", source="keyword", keyword="STOP", opted_in_at=NOW))
        s.flush()
        status = campaign_status(s, campaign)
    assert status == {
        "campaign": "arctica-ff260-valve-2026",
        "customers": 5,
        "notified": 3,
        "delivered": 1,
        "replied": 2,
        "verified": 3,
        "affected": 5,
        "not_affected": 1,
        "repair_booked": 1,
        "replacement_requested": 0,
        "refund_requested": 1,
        "completed": 1,
        "escalated": 1,
        "opted_out": 1,
        "unreachable": 1,
        "correction_rate": 0.2,
    }


def test_customer_view(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer(
            s, campaign, verified_at=NOW, verification=Verification.AFFECTED, remedy=Remedy.REPAIR
        )
        slot = factories.slot(s, campaign, start=dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC))
        s.add(
            Booking(
                reference="RP-7K3F2Q",
                campaign_id=campaign.id,
                customer_id=asha.id,
                slot_id=slot.id,
                kind=BookingKind.REPAIR,
                status=BookingStatus.BOOKED,
            )
        )
        s.add(
            Message(
                customer_id=asha.id,
                direction=Direction.INBOUND,
                channel=Channel.SMS,
                author=Author.CUSTOMER,
                from_address=asha.phone,
                to_address="+15005550006",
                body="AR26D004512",
                status=MessageStatus.RECEIVED,
                created_at=NOW,
            )
        )
        s.flush()
        view = customer_view(s, find_customers(s, "+919812300001")[0])
    assert tuple(view) == CUSTOMER_KEYS
    assert view == {
        "phone": "+919812300001",
        "name": "Asha Rao",
        "campaign": "arctica-ff260-valve-2026",
        "serial": "AR26D004512",
        "verified": True,
        "affected": True,
        "remedy": "repair",
        "booking": {
            "reference": "RP-7K3F2Q",
            "kind": "repair",
            "start": "2026-12-01T09:00:00+05:30",
            "end": "2026-12-01T13:00:00+05:30",
            "status": "booked",
        },
        "escalation": None,
        "opted_out": False,
        "last_message_at": "2026-11-20T10:00:00+00:00",
    }


def test_unverified_customer_view_uses_the_registry(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300002", "AR26B000123")
        view = customer_view(s, find_customers(s, "+919812300002")[0])
    assert view["verified"] is False and view["remedy"] is None and view["booking"] is None
    assert view["last_message_at"] is None and view["opted_out"] is False
