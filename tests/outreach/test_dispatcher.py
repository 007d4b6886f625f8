"""The notice and reminders through the simulator: who gets one, exactly once, on which
channel, when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bot.campaigns.definition import parse_definition
from bot.models import (
    AttemptStatus,
    Campaign,
    Customer,
    Message,
    OptOut,
    OutreachAttempt,
    Unit,
    Verification,
)
from bot.outreach.dispatcher import Dispatcher
from tests import factories
from tests.outreach.support import NIGHT_IST, NOON_IST, TEMPLATE_SID


def _dispatcher(session_factory, settings, sender_factory, now=NOON_IST, **kwargs) -> Dispatcher:
    return Dispatcher(
        session_factory, settings, sender_factory=sender_factory, rate=200, concurrency=8, now=lambda: now, **kwargs
    )


def _outbound(sim, phone=None):
    return [m for m in sim.messages(phone) if m["direction"] == "outbound-api"]


def _seed(session_factory, **campaign_outreach) -> tuple[str, dict[str, int]]:
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        if campaign_outreach:
            definition = dict(campaign.definition)
            definition["outreach"] = {**definition.get("outreach", {}), **campaign_outreach}
            parse_definition(definition, campaign.slug)
            campaign.definition = definition
        ids = {}
        for i in range(10):
            ids[f"ok{i}"] = factories.customer(s, campaign, f"+9198123{i:05d}", f"AR26D{i:06d}", name=f"Buyer {i}").id
        ids["opted_out"] = factories.customer(s, campaign, "+919800000001", "AR26D100001").id
        s.add(OptOut(phone="+919800000001", source="keyword", keyword="STOP"))
        ids["wrong"] = factories.customer(s, campaign, "+919800000002", "AR26D100002", wrong_person_at=NOON_IST).id
        ids["not_affected"] = factories.customer(
            s, campaign, "+919800000003", "AR26D100003", verification=Verification.NOT_AFFECTED
        ).id
        ids["completed"] = factories.customer(s, campaign, "+919800000004", "AR26D100004", completed_at=NOON_IST)
        ids["completed"] = ids["completed"].id
        ids["replied"] = factories.customer(s, campaign, "+919800000005", "AR26D100005", replied_at=NOON_IST).id
        ids["unreachable"] = factories.customer(
            s, campaign, "+919800000006", "AR26D100006", sms_unreachable=True, whatsapp_unreachable=True
        ).id
        ids["unaffected_unit"] = factories.customer(s, campaign, "+919800000007", None).id
        s.add(Unit(campaign_id=campaign.id, serial="AR25A000001", affected=False, customer_id=ids["unaffected_unit"]))
        return campaign.slug, ids


def test_every_eligible_customer_gets_the_notice_once_and_nobody_else(session_factory, settings, sender_factory, sim):
    slug, _ = _seed(session_factory)
    progress = _dispatcher(session_factory, settings, sender_factory).run(slug)
    assert progress.sent == 10 and progress.failed == 0 and progress.total == 10 and progress.handled == 10
    sent = _outbound(sim)
    assert sorted(m["to"] for m in sent) == [f"+9198123{i:05d}" for i in range(10)]
    body = sent[0]["body"]
    assert "RECALL" in body and "Arctica" in body and "Sorry" in body and "Thank you" in body and "STOP" in body
    again = _dispatcher(session_factory, settings, sender_factory).run(slug)
    assert again.sent == 0 and again.total == 0 and len(_outbound(sim)) == 10
    with session_factory() as s:
        assert s.scalar(select(func.count()).where(Customer.notified_at.is_not(None))) == 10
        assert (
            s.scalar(select(func.count(OutreachAttempt.id)).where(OutreachAttempt.status == AttemptStatus.SENT)) == 10
        )
        assert s.scalar(select(func.count(Message.id)).where(Message.twilio_sid.is_not(None))) == 10
        assert set(s.scalars(select(Message.segments))) == {2}  # the notice: two GSM-7 segments
        assert set(s.scalars(select(Message.encoding))) == {"GSM-7"}


def test_dry_run_counts_and_sends_nothing(session_factory, settings, sender_factory, sim):
    slug, _ = _seed(session_factory)
    progress = _dispatcher(session_factory, settings, sender_factory).run(slug, dry_run=True)
    assert progress.planned == 10 and progress.sent == 0 and _outbound(sim) == [] and progress.warnings == {}
    with session_factory() as s:
        assert s.scalar(select(func.count(OutreachAttempt.id))) == 0


def test_quiet_hours_in_the_customers_local_time(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory)
    with session_factory.begin() as s:
        s.get(Customer, ids["ok0"]).timezone = "America/New_York"  # 12:30 there at 23:00 in Kolkata
    progress = _dispatcher(session_factory, settings, sender_factory, now=NIGHT_IST).run(slug)
    assert progress.sent == 1 and progress.quiet_hours == 9
    assert [m["to"] for m in _outbound(sim)] == ["+919812300000"]


def test_limit_stops_after_n_and_a_rerun_resumes(session_factory, settings, sender_factory, sim):
    slug, _ = _seed(session_factory)
    assert _dispatcher(session_factory, settings, sender_factory).run(slug, limit=4).sent == 4
    assert _dispatcher(session_factory, settings, sender_factory).run(slug).sent == 6
    assert len({m["to"] for m in _outbound(sim)}) == len(_outbound(sim)) == 10


def test_whatsapp_template_where_opted_in_and_fallback_to_sms(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory, whatsapp_template_sid=TEMPLATE_SID)
    with session_factory.begin() as s:
        s.get(Customer, ids["ok0"]).whatsapp_opt_in = True
        s.get(Customer, ids["ok1"]).whatsapp_opt_in = True
    sim.set_faults(error_codes={"whatsapp:+919812300001": 63016})
    progress = _dispatcher(session_factory, settings, sender_factory).run(slug)
    assert progress.sent == 10
    to_first = _outbound(sim, "+919812300000")
    assert len(to_first) == 1 and to_first[0]["to"] == "whatsapp:+919812300000" and "Buyer" in to_first[0]["body"]
    to_second = [m for m in _outbound(sim, "+919812300001") if m["status"] != "failed"]
    assert [m["to"] for m in to_second] == ["+919812300001"]  # WhatsApp refused (63016): SMS instead
    with session_factory() as s:
        assert s.get(Customer, ids["ok1"]).whatsapp_unreachable


def test_a_21610_during_outreach_records_the_opt_out(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory)
    sim.set_faults(error_codes={"+919812300003": 21610})
    progress = _dispatcher(session_factory, settings, sender_factory).run(slug)
    assert progress.sent == 9 and progress.failed == 1
    with session_factory() as s:
        assert s.scalar(select(OptOut.source).where(OptOut.phone == "+919812300003")) == "twilio_21610"


def test_a_pending_attempt_is_settled_from_twilio_not_resent(session_factory, settings, sender_factory, sim):
    """The process died after Twilio accepted two messages and before writing it down,
    and before calling Twilio for a third: one of each is left pending."""
    slug, ids = _seed(session_factory)
    dispatcher = _dispatcher(session_factory, settings, sender_factory, now=NOON_IST, lease_seconds=30)
    assert dispatcher.run(slug, limit=3).sent == 3
    with session_factory.begin() as s:
        attempts = list(s.scalars(select(OutreachAttempt).order_by(OutreachAttempt.id)))
        for attempt in attempts[:2]:  # sent at Twilio, unknown here
            attempt.status, attempt.twilio_sid, attempt.settled_at = AttemptStatus.PENDING, None, None
        # The third was never sent: remove it from Twilio's side by marking it pending with a
        # customer Twilio has no message for (a fresh customer's attempt).
        campaign = s.scalar(select(Campaign))
        fresh = factories.customer(s, campaign, "+919800000099", "AR26D100099")
        message = Message(
            customer_id=fresh.id,
            direction="outbound",
            channel="sms",
            author="outreach",
            from_address="+15005550006",
            to_address=fresh.phone,
            body="x",
            status="queued",
            created_at=NOON_IST,
        )
        s.add(message)
        s.flush()
        s.add(
            OutreachAttempt(
                campaign_id=campaign.id,
                customer_id=fresh.id,
                step="notice",
                channel="sms",
                status=AttemptStatus.PENDING,
                message_id=message.id,
                attempted_at=NOON_IST,
            )
        )
    later = _dispatcher(
        session_factory, settings, sender_factory, now=NOON_IST + dt.timedelta(minutes=5), lease_seconds=30
    )
    progress = later.run(slug)
    assert progress.settled == 2
    tos = [m["to"] for m in _outbound(sim)]
    assert len(tos) == len(set(tos)) == 11  # 10 eligible + the fresh one, each once
    with session_factory() as s:
        assert (
            s.scalar(select(func.count(OutreachAttempt.id)).where(OutreachAttempt.status == AttemptStatus.PENDING)) == 0
        )


def test_reminders_after_the_delay_at_most_max_and_never_after_a_reply(session_factory, settings, sender_factory, sim):
    slug, ids = _seed(session_factory)
    assert _dispatcher(session_factory, settings, sender_factory).run(slug).sent == 10
    with session_factory.begin() as s:
        s.get(Customer, ids["ok0"]).replied_at = NOON_IST + dt.timedelta(days=1)
    too_early = _dispatcher(session_factory, settings, sender_factory, now=NOON_IST + dt.timedelta(days=2))
    assert too_early.run(slug, steps="reminders").sent == 0
    day4 = _dispatcher(session_factory, settings, sender_factory, now=NOON_IST + dt.timedelta(days=4))
    assert day4.run(slug, steps="reminders").sent == 9
    assert day4.run(slug, steps="reminders").sent == 0
    day8 = _dispatcher(session_factory, settings, sender_factory, now=NOON_IST + dt.timedelta(days=8))
    assert day8.run(slug, steps="reminders").sent == 9
    day12 = _dispatcher(session_factory, settings, sender_factory, now=NOON_IST + dt.timedelta(days=12))
    assert day12.run(slug, steps="reminders").sent == 0  # max_reminders: 2
    assert len(_outbound(sim, "+919812300000")) == 1 and len(_outbound(sim, "+919812300001")) == 3
    assert "reminder" in _outbound(sim, "+919812300001")[-1]["body"]
