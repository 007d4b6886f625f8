"""On PostgreSQL, picking the next customers stays a walk along the customers' primary key
with one index lookup per customer, whatever the statistics say about the outbox. (With
NOT EXISTS the planner once chose to re-read the whole outbox for every candidate: 4.7 s
per batch at 90,000 attempts.)"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.dialects import postgresql

from bot.models import AttemptStatus, Channel, Customer, OutreachAttempt
from bot.outreach import eligibility
from tests import factories

pytestmark = pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)


def _plan(session, statement) -> str:
    sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    return "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))


def test_candidate_queries_look_each_customer_up_by_index(session_factory):
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        campaign_id = campaign.id
        ids = [factories.customer(s, campaign, f"+9198777{i:05d}", f"AR26F{i:06d}").id for i in range(300)]
        s.execute(text("ANALYZE"))  # statistics taken while the outbox is empty, as at the start of a run
        now = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
        s.execute(
            insert(OutreachAttempt),
            [
                {
                    "campaign_id": campaign_id,
                    "customer_id": i,
                    "step": "notice",
                    "channel": Channel.SMS,
                    "status": AttemptStatus.SENT,
                    "attempted_at": now,
                }
                for i in ids[:250]
            ],
        )
    with session_factory() as s:
        notice = (
            select(*eligibility._COLUMNS)
            .where(eligibility._awaiting_notice(campaign_id), Customer.id > 0)
            .order_by(Customer.id)
            .limit(200)
        )
        plan = _plan(s, notice)
        # Per customer examined (a correlated SubPlan), never a join over the whole outbox.
        assert "Anti Join" not in plan and "hashed SubPlan" not in plan, plan
        assert "Index Scan using pk_customers" in plan, plan
        s.execute(text("SET enable_seqscan = off"))  # these tables are tiny: show the lookups can use indexes
        plan = _plan(s, notice)
        assert "using uq_outreach_attempts_campaign_id_customer_id_step on outreach_attempts" in plan, plan
        assert "using ix_units_customer_id on units" in plan and "using uq_opt_outs_phone on opt_outs" in plan, plan
        s.rollback()
        assert len(eligibility.notice_candidates(s, campaign_id, limit=200)) == 50
        assert eligibility.count_notice_candidates(s, campaign_id) == 50
