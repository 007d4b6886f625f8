"""The dashboard's data (bot/services/dashboard.py): the funnel agrees with
`campaign_status`, the channel splits add up, the timeline's days are the campaign's
local days, escalations and feedback, the CSV export, and the benchmark's generator."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import sys

from bot.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Channel,
    Conversation,
    Escalation,
    EscalationStatus,
    Feedback,
    Message,
    OptOut,
    Priority,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Verification,
)
from bot.services.dashboard import (
    CSV_HEADER,
    DASHBOARD_KEYS,
    FUNNEL_STAGES,
    customers_csv_rows,
    dashboard_data,
    safe_cell,
)
from bot.services.status import campaign_status
from bot.settings import PROJECT_ROOT
from tests import factories

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 17:30 in Asia/Kolkata, the demo recall's zone
JUST_BEFORE_MIDNIGHT = dt.datetime(2026, 11, 19, 18, 29, 59, tzinfo=UTC)  # 23:59:59 IST on the 19th
JUST_AFTER_MIDNIGHT = dt.datetime(2026, 11, 19, 18, 30, 0, tzinfo=UTC)  # 00:00:00 IST on the 20th


def _people(s, campaign):
    """Six customers along the funnel on both channels, and one who never got anything."""
    sms, wa = Channel.SMS, Channel.WHATSAPP
    done = dict(
        notified_at=NOW,
        delivered_at=NOW,
        replied_at=NOW,
        verified_at=NOW,
        verification=Verification.AFFECTED,
        remedy=Remedy.REPAIR,
        completed_at=NOW,
    )
    a = factories.customer(s, campaign, "+919812300001", "AR26D004501", notified_channel=sms, **done)
    b = factories.customer(
        s, campaign, "+919812300002", "AR26D004502", notified_channel=wa, whatsapp_opt_in=True, **done
    )
    c = factories.customer(
        s,
        campaign,
        "+919812300003",
        "AR26D004503",
        notified_channel=wa,
        whatsapp_opt_in=True,
        notified_at=NOW,
        delivered_at=NOW,
        replied_at=NOW,
        verified_at=NOW,
        verification=Verification.AFFECTED,
        remedy=Remedy.REFUND,
    )
    d = factories.customer(
        s,
        campaign,
        "+919812300004",
        "AR26B000123",
        notified_channel=sms,
        notified_at=NOW,
        delivered_at=NOW,
        replied_at=NOW,
        verified_at=NOW,
        verification=Verification.NOT_AFFECTED,
    )
    e = factories.customer(s, campaign, "+919812300005", "AR26D004505", notified_channel=sms, notified_at=NOW)
    f = factories.customer(
        s, campaign, "+919812300006", "AR26D004506", notified_channel=wa, notified_at=NOW, delivered_at=NOW
    )
    factories.customer(s, campaign, "+919812300007", "AR26D004507")
    # b was notified on WhatsApp but now writes by SMS: the later stages follow the conversation
    for customer, channel in ((a, sms), (b, sms), (c, wa), (d, None)):
        s.add(Conversation(customer_id=customer.id, sender_id=f"t-{customer.id}", last_channel=channel))
    s.flush()
    return a, b, c, d, e, f


def test_the_funnel_is_the_status_split_by_channel(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        a, b, c, d, e, f = _people(s, campaign)
        data = dashboard_data(s, campaign, now=NOW)
        status = campaign_status(s, campaign)
    assert tuple(data) == DASHBOARD_KEYS
    assert data["status"] == status
    assert data["correction_rate"] == status["correction_rate"] == round(2 / 7, 4)
    funnel = {row["key"]: row for row in data["funnel"]}
    assert [row["key"] for row in data["funnel"]] == [key for key, _ in FUNNEL_STAGES]
    assert all(set(row) == {"key", "label", "total", "sms", "whatsapp"} for row in data["funnel"])
    for key in ("affected", "notified", "delivered", "replied", "verified", "completed"):
        assert funnel[key]["total"] == status[key], key
    assert funnel["affected"]["sms"] is None and funnel["affected"]["whatsapp"] is None
    for key in ("notified", "delivered", "replied", "verified", "remedy_chosen", "completed"):
        assert funnel[key]["sms"] + funnel[key]["whatsapp"] == funnel[key]["total"], key
    assert (funnel["notified"]["sms"], funnel["notified"]["whatsapp"]) == (3, 3)
    assert (funnel["delivered"]["sms"], funnel["delivered"]["whatsapp"]) == (2, 3)
    # d has a conversation without a channel: the notification's channel (sms) stands in
    assert (funnel["replied"]["sms"], funnel["replied"]["whatsapp"]) == (3, 1)
    assert (funnel["remedy_chosen"]["total"], funnel["remedy_chosen"]["sms"]) == (3, 2)
    assert (funnel["completed"]["sms"], funnel["completed"]["whatsapp"]) == (2, 0)
    assert data["channels"] == {"sms": 3, "whatsapp": 3}


def test_an_empty_campaign(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        data = dashboard_data(s, campaign, now=NOW, days=7)
    assert all(row["total"] == 0 for row in data["funnel"])
    assert data["timeline"]["days"][-1] == "2026-11-20" and len(data["timeline"]["days"]) == 7
    assert data["timeline"]["notices"] == [0] * 7
    assert data["channels"] == {"sms": 0, "whatsapp": 0}
    assert data["escalations_by_reason"] == {}
    assert data["feedback"] == {"count": 0, "average": None, "scores": {str(n): 0 for n in range(1, 6)}, "comments": []}


def test_the_timeline_counts_local_days_around_midnight(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        before = factories.customer(
            s,
            campaign,
            "+919812300001",
            "AR26D004501",
            notified_at=JUST_BEFORE_MIDNIGHT,
            replied_at=JUST_BEFORE_MIDNIGHT,
            completed_at=JUST_AFTER_MIDNIGHT,
        )
        after = factories.customer(
            s, campaign, "+919812300002", "AR26D004502", notified_at=JUST_AFTER_MIDNIGHT, replied_at=NOW
        )
        factories.customer(
            s,
            campaign,
            "+919812300003",
            "AR26D004503",  # before the window
            notified_at=dt.datetime(2026, 11, 18, 18, 29, tzinfo=UTC),
        )
        factories.customer(
            s,
            campaign,
            "+919812300004",
            "AR26D004504",  # tomorrow in India: after the window
            notified_at=dt.datetime(2026, 11, 20, 18, 30, tzinfo=UTC),
        )
        slot = factories.slot(s, campaign)
        for n, (who, at) in enumerate(((before, JUST_BEFORE_MIDNIGHT), (after, JUST_AFTER_MIDNIGHT))):
            s.add(
                Booking(
                    reference=f"RP-TEST0{n}",
                    campaign_id=campaign.id,
                    customer_id=who.id,
                    slot_id=slot.id,
                    kind=BookingKind.REPAIR,
                    status=BookingStatus.CANCELLED if n == 0 else BookingStatus.BOOKED,
                    created_at=at,
                )
            )
        s.flush()
        timeline = dashboard_data(s, campaign, days=2, now=NOW)["timeline"]
    assert timeline == {
        "days": ["2026-11-19", "2026-11-20"],
        "notices": [1, 1],
        "replies": [1, 1],
        "bookings": [1, 1],
        "completions": [0, 1],
    }


def test_the_timeline_follows_the_campaign_time_zone(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        campaign.timezone = "America/New_York"  # 2026-11-01: clocks go back, a 25-hour day
        factories.customer(
            s, campaign, "+919812300001", "AR26D004501", notified_at=dt.datetime(2026, 11, 2, 4, 30, tzinfo=UTC)
        )  # 23:30 EST on the 1st
        factories.customer(
            s, campaign, "+919812300002", "AR26D004502", notified_at=dt.datetime(2026, 11, 1, 4, 30, tzinfo=UTC)
        )  # 00:30 EDT on the 1st
        factories.customer(
            s, campaign, "+919812300003", "AR26D004503", notified_at=dt.datetime(2026, 11, 1, 3, 30, tzinfo=UTC)
        )  # 23:30 EDT on Oct 31
        s.flush()
        timeline = dashboard_data(s, campaign, days=3, now=dt.datetime(2026, 11, 2, 17, 0, tzinfo=UTC))["timeline"]
    assert timeline["days"] == ["2026-10-31", "2026-11-01", "2026-11-02"]
    assert timeline["notices"] == [1, 2, 0]


def test_escalations_by_reason_and_feedback(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        people = [factories.customer(s, campaign, f"+9198123000{n:02d}", f"AR26D0045{n:02d}") for n in range(1, 31)]
        reasons = ["complain", "complain", "request_human", "report_hazard", "complain"]
        statuses = [
            EscalationStatus.RESOLVED,
            EscalationStatus.OPEN,
            EscalationStatus.HANDED_BACK,
            EscalationStatus.CLAIMED,
            EscalationStatus.RESOLVED,
        ]
        for who, reason, status in zip(people[:5], reasons, statuses, strict=True):
            s.add(Escalation(customer_id=who.id, reason=reason, priority=Priority.HIGH, status=status))
        scores = [5, 4, 4, 2, None, 1]
        for who, score in zip(people[:6], scores, strict=True):
            s.add(
                Feedback(
                    campaign_id=campaign.id,
                    customer_id=who.id,
                    asked_at=NOW,
                    score=score,
                    answered_at=NOW if score else None,
                )
            )
        for n, who in enumerate(people[6:30]):  # 24 comments, one a minute
            at = NOW + dt.timedelta(minutes=n)
            s.add(
                Feedback(
                    campaign_id=campaign.id,
                    customer_id=who.id,
                    asked_at=NOW,
                    score=3,
                    answered_at=at,
                    comment=f"comment {n}",
                    commented_at=at,
                )
            )
        s.flush()
        data = dashboard_data(s, campaign, now=NOW)
    assert data["escalations_by_reason"] == {"complain": 3, "report_hazard": 1, "request_human": 1}
    assert data["status"]["escalated"] == 5
    feedback = data["feedback"]
    assert feedback["count"] == 5 + 24
    assert feedback["scores"] == {"1": 1, "2": 1, "3": 24, "4": 2, "5": 1}
    assert feedback["average"] == round((5 + 4 + 4 + 2 + 1 + 3 * 24) / 29, 2)
    comments = feedback["comments"]
    assert len(comments) == 20
    assert [c["comment"] for c in comments[:2]] == ["comment 23", "comment 22"]
    assert comments[0] == {
        "score": 3,
        "comment": "comment 23",
        "at": (NOW + dt.timedelta(minutes=23)).isoformat(),
        "customer_id": people[29].id,
    }


def test_safe_cell():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [safe_cell(v) for v in ("+1+cmd", "-2+3", "@SUM(A1)", "\tx", "plain", None, 7)] == [
        "'+1+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        "",
        "7",
    ]
    assert safe_cell("+919812300001") == "+919812300001"  # a number is not a formula
    assert safe_cell("-12.5") == "-12.5"


def test_the_csv_export(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        tricky = factories.customer(
            s,
            campaign,
            "+919812300001",
            "AR26D004501",
            name='Rao, "Asha"\nflat 4',
            notified_at=NOW,
            verified_at=NOW,
            verification=Verification.AFFECTED,
            remedy=Remedy.REPAIR,
            notified_channel=Channel.SMS,
        )
        s.add(factories.Unit(campaign_id=campaign.id, serial="AR26D004599", affected=True, customer_id=tricky.id))
        evil = factories.customer(
            s, campaign, "+919812300002", "AR26D004502", name="=cmd|' /C calc'!A0", remedy=Remedy.REFUND
        )
        quiet = factories.customer(s, campaign, "+919812300003", None, name="@quiet")
        slot = factories.slot(s, campaign)
        s.add(
            Booking(
                reference="RP-OLD001",
                campaign_id=campaign.id,
                customer_id=tricky.id,
                slot_id=slot.id,
                kind=BookingKind.REPAIR,
                status=BookingStatus.CANCELLED,
            )
        )
        s.add(
            Booking(
                reference="RP-NEW001",
                campaign_id=campaign.id,
                customer_id=tricky.id,
                slot_id=slot.id,
                kind=BookingKind.REPAIR,
                status=BookingStatus.BOOKED,
            )
        )
        s.add(
            RemedyRequest(
                reference="RF-8M2P4X",
                campaign_id=campaign.id,
                customer_id=evil.id,
                kind=RequestKind.REFUND,
                status=RequestStatus.REQUESTED,
            )
        )
        s.add(
            Escalation(customer_id=evil.id, reason="complain", priority=Priority.HIGH, status=EscalationStatus.RESOLVED)
        )
        s.add(
            Escalation(
                customer_id=evil.id, reason="report_hazard", priority=Priority.URGENT, status=EscalationStatus.OPEN
            )
        )
        s.add(Conversation(customer_id=evil.id, sender_id="t-evil", last_channel=Channel.WHATSAPP))
        s.add(OptOut(phone=quiet.phone, source="keyword", keyword="STOP"))
        s.flush()
        rows = list(customers_csv_rows(s, campaign, batch=2))  # several batches
    assert rows[0] == CSV_HEADER
    assert len(rows) == 4 and all(len(r) == len(CSV_HEADER) for r in rows)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    parsed = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [r["customer_id"] for r in parsed] == [str(tricky.id), str(evil.id), str(quiet.id)]
    first, second, third = parsed
    assert first["name"] == 'Rao, "Asha"\nflat 4' and first["phone"] == "+919812300001"
    assert first["serials"] == "AR26D004501 AR26D004599"
    assert first["notified_at"] == "2026-11-20T17:30:00+05:30" and first["delivered_at"] == ""
    assert (first["verification"], first["remedy"]) == ("affected", "repair")
    assert (first["booking_reference"], first["booking_status"]) == ("RP-NEW001", "booked")
    assert (first["open_request"], first["escalation_status"], first["opted_out"]) == ("", "", "no")
    assert second["name"] == "'=cmd|' /C calc'!A0"
    assert second["open_request"] == "RF-8M2P4X refund requested"
    assert (second["escalation_status"], second["escalation_reason"]) == ("open", "report_hazard")
    assert second["last_channel"] == "whatsapp"
    assert third["name"] == "'@quiet" and third["opted_out"] == "yes" and third["serials"] == ""


def _generator():
    spec = importlib.util.spec_from_file_location("dashboard_data", PROJECT_ROOT / "benchmarks" / "dashboard_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_data_set_on_a_small_scale(engine, session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
    counts = _generator().generate(engine, customers=400, messages=4000, now=NOW, days=45)
    assert counts["customers"] == 400 and counts["messages"] == 4000
    with session_factory() as s:
        campaign = s.merge(campaign)
        assert s.query(Message).count() == 4000
        data = dashboard_data(s, campaign, now=NOW)
        status = campaign_status(s, campaign)
        rows = list(customers_csv_rows(s, campaign))
    assert data["status"] == status and status["customers"] == 400
    # the shape: each stage a subset of the one before
    assert (
        400
        > status["notified"]
        > status["delivered"]
        > status["replied"]
        > status["verified"]
        > status["completed"]
        > 0
    )
    assert 0.7 < status["affected"] / 400 < 0.95 and status["escalated"] == 12
    for row in data["funnel"][1:]:
        assert row["sms"] + row["whatsapp"] == row["total"], row
    assert sum(data["timeline"]["notices"]) <= status["notified"]
    assert sum(data["escalations_by_reason"].values()) == 12
    assert data["feedback"]["count"] > 0 and len(rows) == 401
