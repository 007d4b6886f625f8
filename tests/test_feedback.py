"""Feedback after the fix and new times after a failed visit: the services and the
follow-up job (with Rasa and Twilio replaced by fakes), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bot.db import run_in_write_transaction
from bot.followup.due import FEEDBACK, REBOOK, feedback_due, rebook_due
from bot.followup.job import INTENTS, FollowUps
from bot.messaging.rasa import RasaUnavailable
from bot.messaging.replies import Delivery
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Channel,
    Conversation,
    Customer,
    Escalation,
    Feedback,
)
from bot.services.dashboard import dashboard_data
from bot.services.escalations import record_escalation
from bot.services.feedback import (
    claim_feedback,
    record_comment,
    record_score,
    release_feedback,
)
from bot.services.opt_outs import record_opt_out
from bot.services.rebooking import claim_rebook_offer, rebook, visit_to_rebook
from bot.services.slots import free_slots
from tests import factories

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 8, 30, tzinfo=UTC)  # Saturday 14:00 in Pune: not quiet hours
NIGHT = dt.datetime(2026, 11, 28, 18, 30, tzinfo=UTC)  # 00:00 in Pune
PUNE = "411045"


@pytest.fixture
def world(session_factory):
    """The demo campaign; Asha's repair is complete, Ravi's visit failed, Meera has a booking."""
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        asha, ravi = factories.asha_and_ravi(s, campaign)
        meera = factories.customer(s, campaign, "+919812300003", "AR26D004514", postcode=PUNE, address="9 JM Road")
        slots = [slot.id for slot in free_slots(s, campaign, PUNE, now=NOW - dt.timedelta(days=7), limit=3)]
        later = [slot.id for slot in free_slots(s, campaign, PUNE, now=NOW, limit=3)]
        ids = {"campaign": campaign.id, "asha": asha.id, "ravi": ravi.id, "meera": meera.id, "slots": later}
        addresses = {"asha": asha.address, "ravi": ravi.address, "meera": meera.address}
    for name, slot in (("asha", slots[0]), ("ravi", slots[1]), ("meera", slots[2])):
        outcome = factories.book_repair(
            session_factory, ids[name], slot, now=NOW - dt.timedelta(days=7), address=addresses[name]
        )
        assert outcome.booked, outcome
        ids[f"{name}_booking"] = outcome.booking.id
    with session_factory.begin() as s:  # what record_visit_outcome does (bot/services/completion.py)
        s.get(Booking, ids["asha_booking"]).status = BookingStatus.COMPLETED
        s.get(Booking, ids["asha_booking"]).completed_at = NOW - dt.timedelta(hours=2)
        s.get(Customer, ids["asha"]).completed_at = NOW - dt.timedelta(hours=2)
        s.get(Booking, ids["ravi_booking"]).status = BookingStatus.FAILED
    return ids


def due_kinds(session_factory, now=NOW):
    with session_factory() as s:
        return sorted((d.kind, d.customer_id) for d in feedback_due(s, now) + rebook_due(s, now))


def test_who_is_due(session_factory, world):
    assert due_kinds(session_factory) == sorted([(FEEDBACK, world["asha"]), (REBOOK, world["ravi"])])
    assert due_kinds(session_factory, NOW + dt.timedelta(days=30)) == []  # too long ago: not now


@pytest.mark.parametrize("reason", ["opted_out", "escalated", "wrong_person"])
def test_nobody_we_may_not_write_to_is_due(session_factory, world, reason):
    with session_factory.begin() as s:
        for name in ("asha", "ravi"):
            customer = s.get(Customer, world[name])
            if reason == "opted_out":
                record_opt_out(s, customer.phone, source="keyword", keyword="STOP")
            elif reason == "escalated":
                s.add(Conversation(customer_id=customer.id, sender_id=f"c-{name}"))
                s.flush()
                record_escalation(s, customer_id=customer.id, reason="request_human", text="person")
            else:
                customer.wrong_person_at = NOW
    assert due_kinds(session_factory) == []


def test_feedback_is_claimed_once_and_released_when_not_asked(session_factory, world):
    with session_factory.begin() as s:
        first = claim_feedback(s, world["asha"], NOW)
        assert first is not None and claim_feedback(s, world["asha"], NOW) is None
        row = s.get(Feedback, first)
        assert row.booking_id == world["asha_booking"] and row.campaign_id == world["campaign"]
        release_feedback(s, first)
    with session_factory.begin() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 0
        assert claim_feedback(s, world["asha"], NOW) is not None


# SQLite takes one writer at a time by construction (BEGIN IMMEDIATE): PostgreSQL only.
@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_concurrent_claims_give_one_feedback_row(session_factory, world):

    def claim(_):
        return run_in_write_transaction(session_factory, lambda s: claim_feedback(s, world["asha"], NOW))

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(claim, range(8)))
    assert len([r for r in results if r is not None]) == 1
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 1


def test_score_comment_and_the_dashboard_figures(session_factory, world):
    with session_factory.begin() as s:
        claim_feedback(s, world["asha"], NOW)
        record_score(s, world["asha"], 4, NOW)
        record_comment(s, world["asha"], "  quick and   polite ", NOW)
        record_score(s, world["ravi"], 2, NOW)  # answered with no row: kept anyway
        with pytest.raises(ValueError):
            record_score(s, world["meera"], 6, NOW)
    with session_factory() as s:
        figures = dashboard_data(s, s.get(Campaign, world["campaign"]))["feedback"]
        assert (figures["count"], figures["average"]) == (2, 3.0)
        assert figures["scores"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
        [comment] = figures["comments"]
        assert (comment["customer_id"], comment["score"], comment["comment"]) == (
            world["asha"],
            4,
            "quick and   polite",
        )


def test_a_failed_visit_is_offered_once_and_booked_again_at_the_same_address(session_factory, world):
    with session_factory.begin() as s:
        assert claim_rebook_offer(s, world["ravi_booking"], NOW)
        assert not claim_rebook_offer(s, world["ravi_booking"], NOW)
        assert not claim_rebook_offer(s, world["meera_booking"], NOW)  # booked: nothing failed
    assert due_kinds(session_factory) == [(FEEDBACK, world["asha"])]
    outcome = run_in_write_transaction(
        session_factory, lambda session: rebook(session, customer_id=world["ravi"], slot_id=world["slots"][0], now=NOW)
    )
    assert outcome.booked and outcome.booking.address == "3 FC Road" and outcome.booking.kind is BookingKind.REPAIR
    with session_factory() as s:
        assert visit_to_rebook(s, world["ravi"]) is None
    assert (
        run_in_write_transaction(
            session_factory,
            lambda session: rebook(session, customer_id=world["ravi"], slot_id=world["slots"][1], now=NOW),
        ).reason
        == "no_booking"
    )


class FakeRasa:
    def __init__(self, fail: bool = False):
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    def trigger(self, sender_id: str, intent: str) -> list[str]:
        if self.fail:
            raise RasaUnavailable("Rasa unreachable: ConnectError")
        self.calls.append((sender_id, intent))
        return [f"bot says {intent}"]

    def close(self) -> None:
        pass


class FakeReplies:
    def __init__(self):
        self.sent: list[dict] = []

    def deliver(self, **kwargs) -> Delivery:
        self.sent.append(kwargs)
        return Delivery(1, 0)


def job(session_factory, rasa, replies, now=NOW, quiet_hours=True):
    return FollowUps(session_factory, rasa, replies, quiet_hours=quiet_hours, clock=lambda: now)


def test_the_job_prompts_each_customer_once_through_rasa(session_factory, world):
    rasa, replies = FakeRasa(), FakeReplies()
    result = job(session_factory, rasa, replies).tick()
    assert (result.feedback_asked, result.rebooking_offered, result.failed) == (1, 1, 0)
    assert sorted(intent for _, intent in rasa.calls) == sorted(INTENTS.values())
    assert {r["customer_id"] for r in replies.sent} == {world["asha"], world["ravi"]}
    assert all(r["channel"] is Channel.SMS for r in replies.sent)
    with session_factory() as s:
        sender_ids = set(s.scalars(select(Conversation.sender_id)))  # created for customers who never wrote
        assert {sender for sender, _ in rasa.calls} <= sender_ids
        assert s.scalar(select(Feedback.asked_at)) == NOW
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "followup.feedback"))
    again = job(session_factory, rasa, replies).tick()
    assert (again.feedback_asked, again.rebooking_offered) == (0, 0) and len(rasa.calls) == 2


def test_rasa_down_releases_the_claim_for_the_next_pass(session_factory, world):
    result = job(session_factory, FakeRasa(fail=True), FakeReplies()).tick()
    assert result.failed == 2 and result.feedback_asked == 0
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 0
    result = job(session_factory, FakeRasa(), FakeReplies()).tick()
    assert (result.feedback_asked, result.rebooking_offered) == (1, 1)


def test_quiet_hours_wait(session_factory, world):
    rasa = FakeRasa()
    with session_factory.begin() as s:
        s.get(Customer, world["asha"]).completed_at = NIGHT - dt.timedelta(hours=1)
    result = job(session_factory, rasa, FakeReplies(), now=NIGHT).tick()
    assert result.quiet_hours == 2 and not rasa.calls
    assert job(session_factory, rasa, FakeReplies(), now=NIGHT, quiet_hours=False).tick().feedback_asked == 1


def test_a_paused_conversation_is_left_alone(session_factory, world):
    with session_factory.begin() as s:
        s.add(Conversation(customer_id=world["asha"], sender_id="c-asha", bot_paused=True))
    assert due_kinds(session_factory) == [(REBOOK, world["ravi"])]
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Escalation)) == 0
