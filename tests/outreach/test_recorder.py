"""The outbox recorder: Twilio's answers written in batches by one thread; a failed
write is not swallowed."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot.db import make_engine, make_session_factory
from bot.models import AttemptStatus, Channel, Customer, Message, OutreachAttempt
from bot.outreach.outbox import Claimed, Planned, claim
from bot.outreach.recorder import Answer, Recorder
from bot.twilio.errors import SendOutcome
from bot.twilio.sender import SendResult
from tests import factories
from tests.outreach.support import NOON_IST


def _claimed(session_factory, n: int) -> list[Claimed]:
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        customers = [factories.customer(s, campaign, f"+9198555{i:05d}", f"AR26E{i:06d}") for i in range(n)]
        plans = [
            Planned(
                customer_id=c.id,
                phone=c.phone,
                channel=Channel.SMS,
                step="notice",
                body="Hello",
                content_sid=None,
                content_variables=None,
                from_address="+15005550006",
                to_address=c.phone,
            )
            for c in customers
        ]
        return claim(s, campaign.id, plans, NOON_IST)


def _ok(i: int) -> SendResult:
    return SendResult(
        ok=True,
        sid=f"SM{i:032d}",
        status="queued",
        error_code=None,
        error_message=None,
        outcome=SendOutcome.SENT,
        attempts=1,
    )


def test_answers_are_written_in_batches_and_all_of_them_by_close(session_factory):
    claimed = _claimed(session_factory, 7)
    batches: list[int] = []
    with Recorder(session_factory, now=lambda: NOON_IST, on_recorded=lambda a: batches.append(len(a)), batch=3) as r:
        for i, c in enumerate(claimed):
            r.put(Answer(c, _ok(i), Channel.SMS))
    assert sum(batches) == 7 and max(batches) <= 3
    with session_factory() as s:
        assert set(s.scalars(select(OutreachAttempt.status))) == {AttemptStatus.SENT}
        assert sorted(s.scalars(select(Message.twilio_sid))) == [f"SM{i:032d}" for i in range(7)]
        assert all(s.scalars(select(Customer.notified_at)))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failed_write_is_raised_to_the_run_not_swallowed(session_factory, db_url):
    claimed = _claimed(session_factory, 2)
    broken = make_engine(db_url)
    with broken.begin() as conn:
        conn.execute(text("DROP TABLE outreach_attempts"))  # every write of an answer now fails
    recorder = Recorder(make_session_factory(broken), now=lambda: NOON_IST)
    recorder.put(Answer(claimed[0], _ok(0), Channel.SMS))
    with pytest.raises(RuntimeError, match="writing Twilio's answers to the outbox failed"):
        recorder.close()
