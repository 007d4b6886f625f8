"""`recall outreach start` as real processes against the simulator: killed with SIGKILL
at random moments and restarted, and two workers at once on PostgreSQL + Redis."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import select

from bot.models import Campaign, Customer, OptOut
from bot.settings import PROJECT_ROOT
from tests import factories
from tests.outreach.support import AUTH_TOKEN, daytime_zone

ELIGIBLE = 1000


def _seed(session_factory) -> tuple[str, set[str], set[str]]:
    zone = daytime_zone()
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        eligible = {f"+9197{i:08d}" for i in range(ELIGIBLE)}
        s.add_all(Customer(campaign_id=campaign.id, phone=p, name="Buyer", timezone=zone) for p in sorted(eligible))
        excluded = set()
        for i in range(5):
            opted, wrong = f"+9196{i:08d}", f"+9195{i:08d}"
            s.add(Customer(campaign_id=campaign.id, phone=opted, name="Opted Out", timezone=zone))
            s.add(OptOut(phone=opted, source="keyword", keyword="STOP"))
            s.add(
                Customer(
                    campaign_id=campaign.id,
                    phone=wrong,
                    name="Wrong",
                    timezone=zone,
                    wrong_person_at=dt.datetime.now(dt.UTC),
                )
            )
            excluded |= {opted, wrong}
        return campaign.slug, eligible, excluded


def _command(slug: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli.main", "outreach", "start", "--campaign", slug, "--lease", "1", *extra]


def _env(settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "TWILIO_API_URL": settings.twilio_api_url,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "PUBLIC_BASE_URL": "http://127.0.0.1:9",
        **extra,
    }


def _outbound(sim) -> list[dict]:
    return [m for m in sim.messages() if m["direction"] == "outbound-api"]


def test_killed_five_times_every_eligible_customer_is_notified_exactly_once(session_factory, settings, sim):
    slug, eligible, excluded = _seed(session_factory)
    rng = random.Random(5)
    env = _env(settings, REDIS_URL="")
    for _kill in range(5):
        before = len(_outbound(sim))
        process = subprocess.Popen(
            _command(slug, "--rate", "150"),
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        target = before + rng.randint(20, 150)  # somewhere in the middle of sending
        while len(_outbound(sim)) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        time.sleep(1.1)  # the lease of the killed run's pending attempts passes
    final = subprocess.run(
        _command(slug, "--rate", "150"), env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert final.returncode == 0, final.stderr[-2000:]
    counts = Counter(m["to"] for m in _outbound(sim))
    assert set(counts) == eligible, f"missed {len(eligible - set(counts))}, strangers {set(counts) - eligible}"
    assert max(counts.values()) == 1, [p for p, n in counts.items() if n > 1][:10]
    assert not excluded & set(counts)
    with session_factory() as s:
        notified = s.scalars(select(Customer.phone).where(Customer.notified_at.is_not(None)))
        assert set(notified) == eligible


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_workers_share_the_work_without_doubles_and_within_the_rate(session_factory, settings, sim):
    slug, eligible, _ = _seed(session_factory)
    rate = 60
    env = _env(settings, REDIS_URL="redis://127.0.0.1:6379/0")
    workers = [
        subprocess.Popen(
            _command(slug, "--rate", str(rate), "--concurrency", "4"),
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    messages = _outbound(sim)
    counts = Counter(m["to"] for m in messages)
    assert set(counts) == eligible and max(counts.values()) == 1, [out for out, _ in outputs]
    created = sorted(dt.datetime.fromisoformat(m["sim"]["history"][0]["at"]).timestamp() for m in messages)
    busiest, start = 0, 0
    for end, at in enumerate(created):  # the most messages inside any one-second window
        while at - created[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    per_second = Counter(int(t - created[0]) for t in created)
    assert busiest <= rate * 1.05, (busiest, sorted(per_second.items()))
    with session_factory() as s:
        assert s.scalar(select(Campaign.slug)) == slug
