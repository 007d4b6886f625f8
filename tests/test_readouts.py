"""`recall status` and `recall customer`: the fixed JSON keys and what fills them."""

import datetime as dt

from bot.models import (
    Author,
    Booking,
    BookingKind,
    BookingStatus,
    Channel,
    Direction,
    Disposition,
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
from bot.services.customer_view import CUSTOMER_KEYS, UNIT_KEYS, customer_view, find_customers, unit_state
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
        for owner in (asha, ravi):  # their one unit each has their progress
            factories.units_follow(s, owner)
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
        "units_verified": 2,
        "units_remedy": 2,
        "units_completed": 1,
        "units_out_of_reach": 0,
        "units_sold": 0,
        "units_given_away": 0,
        "units_disposed": 0,
        "not_affected": 1,
        "repair_booked": 1,
        "replacement_requested": 0,
        "refund_requested": 1,
        "completed": 1,
        "escalated": 1,
        "opted_out": 1,
        "unreachable": 1,
        "correction_rate": 0.2,  # corrected units ÷ affected units
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
        "language": None,
        "language_source": None,
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
        "units": [
            {
                "serial": "AR26D004512",
                "model": "FF260",
                "affected": True,
                "verified_at": None,
                "remedy": None,
                "completed_at": None,
                "disposition": None,
                "disposition_at": None,
                "booking": None,
                "request": None,
            }
        ],
    }


def test_customer_view_lists_each_unit_with_its_own_state(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha = factories.customer_with_units(
            s,
            campaign,
            "+919812300001",
            [
                {"serial": "AR26D004512", "verified_at": NOW, "remedy": Remedy.REPAIR, "completed_at": NOW},
                {"serial": "AR26D004513", "verified_at": NOW, "remedy": Remedy.REPAIR},
                {"serial": "AR26D004514", "verified_at": NOW, "remedy": Remedy.REFUND},
                {"serial": "AR26D004515", "disposition": Disposition.GIVEN_AWAY, "disposition_at": NOW},
                {"serial": "AR26B000123", "affected": False, "model": "FF240"},
            ],
            verified_at=NOW,
            verification=Verification.AFFECTED,
            remedy=Remedy.REPAIR,
        )
        first, second, third, *_ = asha.units
        slot = factories.slot(s, campaign, start=dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC))
        done = Booking(
            reference="RP-DONE01",
            campaign_id=campaign.id,
            customer_id=asha.id,
            slot_id=slot.id,
            kind=BookingKind.REPAIR,
            status=BookingStatus.COMPLETED,
        )
        done.units.append(first)
        booked = Booking(
            reference="RP-NEXT01",
            campaign_id=campaign.id,
            customer_id=asha.id,
            slot_id=slot.id,
            kind=BookingKind.REPAIR,
            status=BookingStatus.BOOKED,
        )
        booked.units.append(second)
        s.add_all([done, booked])
        for reference, status in (("RF-OLD001", RequestStatus.CANCELLED), ("RF-NEW001", RequestStatus.REQUESTED)):
            s.add(
                RemedyRequest(
                    reference=reference,
                    campaign_id=campaign.id,
                    customer_id=asha.id,
                    unit_id=third.id,
                    kind=RequestKind.REFUND,
                    status=status,
                )
            )
        s.flush()
        view = customer_view(s, find_customers(s, "+919812300001")[0])
    assert view["serial"] == "AR26D004512" and view["booking"]["reference"] == "RP-NEXT01"  # the customer's own
    units = view["units"]
    assert all(tuple(unit) == UNIT_KEYS for unit in units)
    assert [u["serial"] for u in units] == ["AR26D004512", "AR26D004513", "AR26D004514", "AR26D004515", "AR26B000123"]
    ist = "2026-11-20T15:30:00+05:30"  # NOW in the campaign's zone
    table = [
        # serial, verified_at, remedy, completed_at, disposition, booking, request, in words
        ("AR26D004512", ist, "repair", ist, None, ("RP-DONE01", "completed"), None, "corrected (repair) 2026-11-20"),
        ("AR26D004513", ist, "repair", None, None, ("RP-NEXT01", "booked"), None, "repair arranged"),
        ("AR26D004514", ist, "refund", None, None, None, ("RF-NEW001", "requested"), "refund arranged"),
        ("AR26D004515", None, None, None, "given_away", None, None, "out of reach (given away)"),
        ("AR26B000123", None, None, None, None, None, None, "not verified"),
    ]
    for unit, (serial, verified, remedy, completed, disposition, booking, request, words) in zip(
        units, table, strict=True
    ):
        assert unit["serial"] == serial
        assert (unit["verified_at"], unit["remedy"], unit["completed_at"], unit["disposition"]) == (
            verified,
            remedy,
            completed,
            disposition,
        ), serial
        assert (unit["booking"]["reference"], unit["booking"]["status"]) == booking if booking else not unit["booking"]
        assert (unit["request"]["reference"], unit["request"]["status"]) == request if request else not unit["request"]
        assert unit_state(unit) == words, serial
    assert units[3]["disposition_at"] == ist
    assert (units[4]["affected"], units[4]["model"]) == (False, "FF240")


def test_unverified_customer_view_uses_the_registry(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        factories.customer(s, campaign, "+919812300002", "AR26B000123")
        view = customer_view(s, find_customers(s, "+919812300002")[0])
    assert view["verified"] is False and view["remedy"] is None and view["booking"] is None
    assert view["last_message_at"] is None and view["opted_out"] is False
