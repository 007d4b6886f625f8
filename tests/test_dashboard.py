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
    Disposition,
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
    for customer in (a, b, c):  # their one unit each has their progress (d's serial is not affected)
        factories.units_follow(s, customer)
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
    assert [row["key"] for row in data["funnel"]] == [key for key, *_ in FUNNEL_STAGES]
    assert all(set(row) == {"key", "label", "counts", "total", "sms", "whatsapp"} for row in data["funnel"])
    # the reach stages count customers, the later ones affected units (issue 16)
    for key in ("notified", "delivered", "replied"):
        assert funnel[key]["total"] == status[key] and funnel[key]["counts"] == "customers", key
    for key, total in (
        ("affected", "affected"),
        ("verified", "units_verified"),
        ("remedy_chosen", "units_remedy"),
        ("completed", "units_completed"),
        ("out_of_reach", "units_out_of_reach"),
    ):
        assert funnel[key]["total"] == status[total] and funnel[key]["counts"] == "units", key
    assert funnel["affected"]["sms"] is None and funnel["affected"]["whatsapp"] is None
    for key in ("notified", "delivered", "replied", "verified", "remedy_chosen", "completed", "out_of_reach"):
        assert funnel[key]["sms"] + funnel[key]["whatsapp"] == funnel[key]["total"], key
    assert (funnel["notified"]["sms"], funnel["notified"]["whatsapp"]) == (3, 3)
    assert (funnel["delivered"]["sms"], funnel["delivered"]["whatsapp"]) == (2, 3)
    # d has a conversation without a channel: the notification's channel (sms) stands in
    assert (funnel["replied"]["sms"], funnel["replied"]["whatsapp"]) == (3, 1)
    # d verified a serial that is not affected: no affected unit of theirs is verified
    assert (funnel["verified"]["total"], funnel["verified"]["sms"], funnel["verified"]["whatsapp"]) == (3, 2, 1)
    assert (funnel["remedy_chosen"]["total"], funnel["remedy_chosen"]["sms"]) == (3, 2)
    assert (funnel["completed"]["sms"], funnel["completed"]["whatsapp"]) == (2, 0)
    assert funnel["out_of_reach"]["total"] == 0 and data["out_of_reach"] == {"sold": 0, "given_away": 0, "disposed": 0}
    assert data["channels"] == {"sms": 3, "whatsapp": 3}


def _owners_of_several(s, campaign):
    """Three customers owning eight units between them, each unit in its own state."""
    wa = Channel.WHATSAPP
    asha = factories.customer_with_units(
        s,
        campaign,
        "+919812300011",
        [
            {"serial": "AR26D104511", "verified_at": NOW, "remedy": Remedy.REPAIR, "completed_at": NOW},
            {"serial": "AR26D104512", "verified_at": NOW, "remedy": Remedy.REPAIR, "completed_at": NOW},
            {"serial": "AR26D104513", "verified_at": NOW, "remedy": Remedy.REFUND},
            {"serial": "AR26D104514", "disposition": Disposition.SOLD, "disposition_at": NOW},
        ],
        notified_at=NOW,
        delivered_at=NOW,
        replied_at=NOW,
        verified_at=NOW,
        notified_channel=Channel.SMS,
    )
    ravi = factories.customer_with_units(
        s,
        campaign,
        "+919812300012",
        [
            {"serial": "AR26D104521", "verified_at": NOW, "remedy": Remedy.REPLACEMENT, "completed_at": NOW},
            {"serial": "AR26D104522", "disposition": Disposition.DISPOSED, "disposition_at": NOW},
            {"serial": "AR26B104523", "affected": False, "verified_at": NOW},  # not in the recall
        ],
        notified_at=NOW,
        replied_at=NOW,
        verified_at=NOW,
        completed_at=NOW,
        notified_channel=wa,
        whatsapp_opt_in=True,
    )
    meena = factories.customer_with_units(
        s,
        campaign,
        "+919812300013",
        ["AR26D104531", {"serial": "AR26D104532", "disposition": Disposition.GIVEN_AWAY}],
        notified_at=NOW,
        notified_channel=Channel.SMS,
    )
    s.add(Conversation(customer_id=ravi.id, sender_id="t-ravi", last_channel=wa))
    s.flush()
    return asha, ravi, meena


def test_the_unit_stages_count_units_of_customers_owning_several(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        _owners_of_several(s, campaign)
        data = dashboard_data(s, campaign, now=NOW, days=2)
        status = campaign_status(s, campaign)
    funnel = {row["key"]: row for row in data["funnel"]}
    # 9 units, 8 of them affected; customers: 3 notified, 1 reached, 2 replied
    assert (status["customers"], status["affected"]) == (3, 8)
    assert [funnel[k]["total"] for k in ("notified", "delivered", "replied")] == [3, 1, 2]
    assert [(funnel[k]["total"], funnel[k]["sms"], funnel[k]["whatsapp"]) for k in UNIT_KEYS_OF_FUNNEL] == [
        (4, 3, 1),  # verified: asha's three, ravi's affected one (his not-affected unit is not counted)
        (4, 3, 1),  # a remedy arranged: the same four
        (3, 2, 1),  # corrected
        (3, 2, 1),  # out of reach: asha sold one, meena gave one away; ravi threw one away
    ]
    assert data["out_of_reach"] == {"sold": 1, "given_away": 1, "disposed": 1}
    assert (status["units_sold"], status["units_given_away"], status["units_disposed"]) == (1, 1, 1)
    assert data["correction_rate"] == status["correction_rate"] == round(3 / 8, 4)
    assert status["completed"] == 1  # customers whose remedy is complete: ravi
    assert data["timeline"]["completions"] == [0, 3]  # units corrected per day


UNIT_KEYS_OF_FUNNEL = ("verified", "remedy_chosen", "completed", "out_of_reach")


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
        factories.units_follow(s, before)  # its unit corrected just after midnight
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
        second = factories.unit(s, tricky, "AR26D004599", verified_at=NOW, remedy=Remedy.REPAIR)
        factories.unit(s, tricky, "AR26D004598", disposition=Disposition.SOLD, disposition_at=NOW)
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
        new = Booking(
            reference="RP-NEW001",
            campaign_id=campaign.id,
            customer_id=tricky.id,
            slot_id=slot.id,
            kind=BookingKind.REPAIR,
            status=BookingStatus.BOOKED,
        )
        new.units.append(second)
        s.add(new)
        s.add(
            RemedyRequest(
                reference="RF-8M2P4X",
                campaign_id=campaign.id,
                customer_id=evil.id,
                unit_id=evil.units[0].id,
                kind=RequestKind.REFUND,
                status=RequestStatus.REQUESTED,
            )
        )
        # a unit of the registry no customer holds
        s.add(factories.Unit(campaign_id=campaign.id, serial="AR26D004577", affected=True, model="FF260"))
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
    # one row per unit (tricky owns three), a customer without a unit on a row of their
    # own, then the unit no customer holds
    assert len(rows) == 7 and all(len(r) == len(CSV_HEADER) for r in rows)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    parsed = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [(r["customer_id"], r["serial"]) for r in parsed] == [
        (str(tricky.id), "AR26D004501"),
        (str(tricky.id), "AR26D004599"),
        (str(tricky.id), "AR26D004598"),
        (str(evil.id), "AR26D004502"),
        (str(quiet.id), ""),
        ("", "AR26D004577"),
    ]
    first, second, sold, evil_row, third, orphan = parsed
    assert first["name"] == 'Rao, "Asha"\nflat 4' and first["phone"] == "+919812300001"
    assert (first["model"], first["affected"], first["unit_verified_at"], first["unit_booking"]) == (
        "FF260",
        "yes",
        "",
        "",
    )
    assert second["unit_verified_at"] == "2026-11-20T17:30:00+05:30" and second["unit_remedy"] == "repair"
    assert (second["unit_completed_at"], second["disposition"]) == ("", "")
    assert second["unit_booking"] == "RP-NEW001 repair booked"  # the visit for this unit
    assert (sold["disposition"], sold["disposition_at"]) == ("sold", "2026-11-20T17:30:00+05:30")
    for row in (first, second, sold):  # the customer's own columns on each of their units
        assert row["notified_at"] == "2026-11-20T17:30:00+05:30" and row["delivered_at"] == ""
        assert (row["verification"], row["remedy"]) == ("affected", "repair")
        assert (row["booking_reference"], row["booking_status"]) == ("RP-NEW001", "booked")
        assert (row["open_request"], row["escalation_status"], row["opted_out"]) == ("", "", "no")
    assert evil_row["name"] == "'=cmd|' /C calc'!A0"
    assert evil_row["open_request"] == "RF-8M2P4X refund requested"
    assert evil_row["unit_request"] == "RF-8M2P4X refund requested"
    assert (evil_row["escalation_status"], evil_row["escalation_reason"]) == ("open", "report_hazard")
    assert evil_row["last_channel"] == "whatsapp"
    assert third["name"] == "'@quiet" and third["opted_out"] == "yes" and third["serial"] == ""
    assert (orphan["name"], orphan["affected"], orphan["model"], orphan["opted_out"]) == ("", "yes", "FF260", "")


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
    # the units' own stages (one unit per customer, with the customer's progress)
    assert status["affected"] > status["units_verified"] > status["units_completed"] > 0
    assert status["units_out_of_reach"] > 0
    for row in data["funnel"][1:]:
        assert row["sms"] + row["whatsapp"] == row["total"], row
    assert sum(data["timeline"]["notices"]) <= status["notified"]
    assert sum(data["escalations_by_reason"].values()) == 12
    assert data["feedback"]["count"] > 0 and len(rows) == 401


def _sent(s, customer, channel, body, *, sid, author=None):
    from bot.domain.sms import segment_count
    from bot.models import Author, Direction, MessageStatus

    info = segment_count(body) if channel is Channel.SMS else None
    s.add(
        Message(
            customer_id=customer.id,
            direction=Direction.OUTBOUND,
            channel=channel,
            author=author or Author.OUTREACH,
            twilio_sid=sid,
            from_address="+15005550006",
            to_address=customer.phone,
            body=body,
            status=MessageStatus.DELIVERED,
            segments=info.segments if info else 1,
            encoding=info.encoding if info else None,
        )
    )


def test_messages_and_sms_segments_per_language(session_factory):
    from bot.campaigns.definition import read_definition
    from bot.models import Author
    from bot.outreach.notice import notice_text, reminder_text

    d = read_definition(PROJECT_ROOT / "demo" / "campaign.yml")
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        hindi = factories.customer(s, campaign, "+919812300001", "AR26D004501", language="hi")
        hinglish = factories.customer(s, campaign, "+919812300002", "AR26D004502", language="hi-Latn")
        english = factories.customer(s, campaign, "+919812300003", "AR26D004503", language=None)
        tamil = factories.customer(s, campaign, "+919812300004", "AR26D004504", language="ta")  # not shipped
        _sent(s, hindi, Channel.SMS, notice_text(d, "Asha", "hi"), sid="SM1")  # 5 UCS-2 segments
        _sent(s, hindi, Channel.SMS, reminder_text(d, "Asha", "hi"), sid="SM2")  # 4
        _sent(s, hinglish, Channel.SMS, notice_text(d, "Asha", "hi-Latn"), sid="SM3")  # 2 GSM-7
        _sent(s, hinglish, Channel.WHATSAPP, "template", sid="MM4")
        _sent(s, english, Channel.SMS, notice_text(d, "Asha"), sid="SM5")  # 2
        _sent(s, tamil, Channel.SMS, notice_text(d, "Asha"), sid="SM6")  # 2, counted as English
        _sent(s, english, Channel.SMS, "never accepted by Twilio", sid=None)
        _sent(s, hindi, Channel.SMS, "बॉट का जवाब", sid="SM7", author=Author.BOT)  # a reply: not outreach
        s.flush()
        messages = dashboard_data(s, campaign, now=NOW)["messages"]
    assert list(messages["languages"]) == ["en", "hi", "hi-Latn"]
    assert messages["languages"]["hi"] == {
        "name": "हिन्दी (Hindi)",
        "messages": 2,
        "sms": 2,
        "segments": 9,
        "ucs2": 2,
        "whatsapp": 0,
        "segments_per_sms": 4.5,
    }
    assert messages["languages"]["hi-Latn"] | {"name": ""} == {
        "name": "",
        "messages": 2,
        "sms": 1,
        "segments": 2,
        "ucs2": 0,
        "whatsapp": 1,
        "segments_per_sms": 2.0,
    }
    assert (messages["languages"]["en"]["sms"], messages["languages"]["en"]["segments"]) == (2, 4)
    assert messages["total"] == {
        "messages": 6,
        "sms": 5,
        "segments": 15,
        "ucs2": 2,
        "whatsapp": 1,
        "segments_per_sms": 3.0,
    }
